/**
 * An onboarding's baseline scan on a deployed stack: a StartExecution of the DailyScan state
 * machine for the new accounts, and its state read back with DescribeExecution. One copy for
 * `posture accounts add --stack`, `posture console --stack` and the deployed console API; the
 * client and the state machine ARN come in as arguments.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** A baseline scan execution as the wizard shows it. */
export interface BaselineScanState {
  executionArn: string;
  /** The accounts the execution scans (its input). */
  accountIds: string[];
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** The scan's ledger ID, once the execution succeeded (its output). */
  scanId: string | null;
  /** Why it did not succeed (Step Functions' error and cause). */
  error: string | null;
}

/** The execution name: the account (or how many), and the time, within Step Functions' 80 characters. */
function executionName(prefix: string, accountIds: readonly string[], now: number): string {
  return `${prefix}-${accountIds.length === 1 ? accountIds[0] : `${accountIds.length}-accounts`}-${now}`;
}

/** Starts the DailyScan state machine for `accountIds` only (its input `{"accountIds":[...]}`); returns the execution ARN. */
export async function startBaselineScan(sfn: SFNClient, stateMachineArn: string, accountIds: readonly string[], prefix = 'onboard', now = Date.now()): Promise<string> {
  if (accountIds.length === 0) throw new Error('baseline scan: no account to scan');
  const r = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: executionName(prefix, accountIds, now), input: JSON.stringify({ accountIds }) }));
  if (!r.executionArn) throw new Error(`baseline scan: StartExecution of ${stateMachineArn} returned no execution ARN`);
  return r.executionArn;
}

/**
 * The state of a baseline scan execution of `stateMachineArn`. Undefined when `executionArn` is
 * not one of that state machine's executions (or does not exist), so a caller cannot read another
 * machine's execution through it.
 */
export async function describeBaselineScan(sfn: SFNClient, stateMachineArn: string, executionArn: string): Promise<BaselineScanState | undefined> {
  if (!isExecutionOf(stateMachineArn, executionArn)) return undefined;
  let d;
  try {
    d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw err;
  }
  const input = parseObject(d.input) as { accountIds?: unknown };
  const output = parseObject(d.output) as { scanId?: unknown };
  const state = d.status === 'RUNNING' || d.status === 'PENDING_REDRIVE' ? 'RUNNING' : d.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
  return {
    executionArn,
    accountIds: Array.isArray(input.accountIds) ? input.accountIds.filter((a): a is string => typeof a === 'string') : [],
    state,
    scanId: typeof output.scanId === 'string' ? output.scanId : null,
    error: state === 'FAILED' ? [d.error ?? d.status, d.cause].filter(Boolean).join(': ') : null,
  };
}

/** arn:<p>:states:<r>:<a>:stateMachine:<name> → its executions are arn:<p>:states:<r>:<a>:execution:<name>:<id>. */
export function isExecutionOf(stateMachineArn: string, executionArn: string): boolean {
  const prefix = `${stateMachineArn.replace(/:stateMachine:/, ':execution:')}:`;
  return prefix !== `${stateMachineArn}:` && executionArn.startsWith(prefix) && executionArn.length > prefix.length;
}

function parseObject(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
