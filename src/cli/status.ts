/**
 * What `posture status` (and the scan part of `posture accounts verify`) reports: the last
 * scheduled scan from the scan ledger (scopes OK / not evaluated by outcome, with reasons), the
 * compliance pass rate of the newest daily summary and its change since a week earlier, the last DailyScan execution of a deployed stack, the messages parked on each dead-letter queue,
 * and the open alerts — and what of it needs attention.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { AwsClients } from '#aws/clients.ts';
import { LOCAL_PREFIX } from '#local/bootstrap.ts';
import { documentClient } from '#store/dynamo.ts';
import type { TableNames } from '#store/tables.ts';
import { systemClock, type Clock } from '#core/types.ts';
import { readTrend, type TrendSeries, type TrendSources } from '#compliance/trend.ts';
import { sparkline, trendLine } from './trend-text.ts';
import { lastScanSummary, type ScanLedger, type ScanSummary } from '#compliance/scan-summary.ts';

export { lastScanSummary, summarizeScan, type NotEvaluatedGroup, type ScanSummary } from '#compliance/scan-summary.ts';

/** Exit codes of `posture status`. */
export const STATUS_EXIT = { ok: 0, attention: 1, usage: 2 } as const;

export interface ExecutionSummary {
  name: string;
  arn: string;
  status: string;
  startedAt: string | null;
  stoppedAt: string | null;
  error: string | null;
  cause: string | null;
}

export interface ParkedQueue {
  /** The queue's construct path in the stack (e.g. Realtime/RealtimeDlq). */
  queue: string;
  url: string;
  /** Approximate: visible + in flight + delayed. */
  messages: number;
}

export interface StatusReport {
  target: string;
  lastScan: ScanSummary | null;
  /** The daily summaries of the last 30 days, all accounts together (the newest under `latest`). */
  compliance: TrendSeries;
  /** null: not a deployed stack (the local runtime runs scans in process). */
  lastExecution: ExecutionSummary | null;
  deployed: boolean;
  parked: ParkedQueue[];
  openAlerts: number;
  accounts: number;
  /** One line per thing that needs attention; empty = exit 0. */
  attention: string[];
}

/** What the status reads of a target (a deployed stack or a local runtime). */
export interface StatusTarget {
  kind: 'stack' | 'local';
  name: string;
  clients: AwsClients;
  outputs: Record<string, string>;
  tables: Pick<TableNames, 'Alerts'>;
  ledger: ScanLedger;
  accounts: TrendSources['accounts'];
  summaries: TrendSources['summaries'];
  /** Today, for the trend (default: the system clock). */
  clock?: Clock;
}

const FAILED_EXECUTION = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** The newest DailyScan execution of a deployed stack (with its error when it did not succeed). */
export async function lastExecution(target: Pick<StatusTarget, 'kind' | 'name' | 'clients' | 'outputs'>): Promise<ExecutionSummary | null> {
  if (target.kind !== 'stack') return null;
  const arn = target.outputs[OUTPUTS.stateMachineArn];
  if (!arn) throw new StatusError(`--stack ${target.name}: output ${OUTPUTS.stateMachineArn} is missing; is this a Posture stack?`);
  const sfn = target.clients.get(SFNClient);
  const newest = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }))).executions?.[0];
  if (!newest) return { name: '', arn: '', status: 'NONE', startedAt: null, stoppedAt: null, error: null, cause: null };
  let error: string | null = null;
  let cause: string | null = null;
  if (FAILED_EXECUTION.has(newest.status ?? '')) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: newest.executionArn }));
    error = d.error ?? null;
    cause = d.cause ?? null;
  }
  return {
    name: newest.name ?? '',
    arn: newest.executionArn ?? '',
    status: newest.status ?? 'UNKNOWN',
    startedAt: newest.startDate?.toISOString() ?? null,
    stoppedAt: newest.stopDate?.toISOString() ?? null,
    error,
    cause,
  };
}

/** The local runtime's parked-message queues, labelled like the stack's. */
const LOCAL_QUEUES: [string, string][] = [
  ['Realtime/RealtimeDlq', `${LOCAL_PREFIX}-realtime-dlq`],
  ['Alerts/DeliveryFailures', `${LOCAL_PREFIX}-alert-delivery-dlq`],
];

/** Queues where messages park: the stack's DeadLetterQueueUrls output, or the local runtime's. */
export async function parkingQueueUrls(target: Pick<StatusTarget, 'kind' | 'name' | 'clients' | 'outputs'>): Promise<{ queue: string; url: string }[]> {
  if (target.kind === 'stack') {
    const listed = target.outputs[OUTPUTS.deadLetterQueueUrls];
    if (!listed) {
      // A stack deployed before the output existed: at least the delivery DLQ.
      const delivery = target.outputs[OUTPUTS.alertDeliveryDlqUrl];
      if (!delivery) throw new StatusError(`--stack ${target.name}: output ${OUTPUTS.deadLetterQueueUrls} is missing (deploy the current version)`);
      return [{ queue: 'Alerts/DeliveryFailures', url: delivery }];
    }
    return listed
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return { queue: pair.slice(0, at), url: pair.slice(at + 1) };
      });
  }
  const sqs = target.clients.get(SQSClient);
  const out: { queue: string; url: string }[] = [];
  for (const [queue, name] of LOCAL_QUEUES) {
    const url = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
      (r) => r.QueueUrl,
      () => undefined,
    );
    if (url) out.push({ queue, url });
  }
  return out;
}

export async function parkedMessages(target: Pick<StatusTarget, 'kind' | 'name' | 'clients' | 'outputs'>): Promise<ParkedQueue[]> {
  const sqs = target.clients.get(SQSClient);
  const out: ParkedQueue[] = [];
  for (const { queue, url } of await parkingQueueUrls(target)) {
    const a =
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        )
      ).Attributes ?? {};
    const n = (k: string) => Number(a[k as keyof typeof a] ?? 0) || 0;
    out.push({ queue, url, messages: n('ApproximateNumberOfMessages') + n('ApproximateNumberOfMessagesNotVisible') + n('ApproximateNumberOfMessagesDelayed') });
  }
  return out;
}

/** Open alerts, counted on the Alerts table's byStatus index (no items read). */
export async function openAlertCount(target: Pick<StatusTarget, 'clients' | 'tables'>): Promise<number> {
  const doc = documentClient(target.clients);
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(
      new QueryCommand({
        TableName: target.tables.Alerts,
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += r.Count ?? 0;
    start = r.LastEvaluatedKey;
  } while (start);
  return count;
}

export class StatusError extends Error {}

export async function gatherStatus(target: StatusTarget): Promise<StatusReport> {
  const [lastScan, compliance, execution, parked, openAlerts, accounts] = await Promise.all([
    lastScanSummary(target.ledger),
    readTrend({ summaries: target.summaries, accounts: target.accounts, clock: target.clock ?? systemClock }).then((t) => t.overall),
    lastExecution(target),
    parkedMessages(target),
    openAlertCount(target),
    target.accounts.list().then((l) => l.length),
  ]);
  const attention: string[] = [];
  if (!lastScan && accounts > 0) attention.push(`no scheduled scan in the ledger although ${accounts} account(s) are onboarded`);
  if (lastScan && lastScan.notEvaluated > 0) {
    attention.push(`${lastScan.notEvaluated} scope(s) not evaluated in the last scan (${lastScan.byOutcome.map((g) => `${g.outcome} ${g.count}`).join(', ')})`);
  }
  const parkedNow = parked.filter((p) => p.messages > 0);
  if (parkedNow.length) attention.push(`${parkedNow.reduce((n, p) => n + p.messages, 0)} message(s) parked (${parkedNow.map((p) => `${p.queue} ${p.messages}`).join(', ')})`);
  if (execution && FAILED_EXECUTION.has(execution.status)) attention.push(`the last DailyScan execution ${execution.status}${execution.error ? `: ${execution.error}` : ''}`);
  return { target: `${target.kind === 'stack' ? 'stack' : 'local runtime'} ${target.name}`, lastScan, compliance, lastExecution: execution, deployed: target.kind === 'stack', parked, openAlerts, accounts, attention };
}

/** Reasons shown per outcome in the text output (all of them are in --json). */
const REASONS_SHOWN = 5;

/** The lines of a scan summary, indented (shared with `posture accounts verify`). */
export function scanLines(scan: ScanSummary | null, indent = '  '): string[] {
  if (!scan) return [`${indent}no scheduled scan in the ledger yet`];
  const lines = [
    `${indent}scan ${scan.scanId}  started ${scan.startedAt}  finished ${scan.finishedAt}`,
    `${indent}${scan.scopes} scope(s): ${scan.ok} OK, ${scan.notEvaluated} not evaluated`,
  ];
  for (const g of scan.byOutcome) {
    lines.push(`${indent}  ${g.outcome} ${g.count}:`);
    for (const s of g.scopes.slice(0, REASONS_SHOWN)) lines.push(`${indent}    ${s.scope}: ${s.message ?? '(no message)'}`);
    if (g.count > REASONS_SHOWN) lines.push(`${indent}    ... and ${g.count - REASONS_SHOWN} more (--json lists all)`);
  }
  return lines;
}

export const parkedLine = (parked: readonly ParkedQueue[]): string =>
  parked.length ? parked.map((p) => `${p.queue} ${p.messages}`).join(', ') : 'no dead-letter queue found';

export function renderStatus(r: StatusReport): string[] {
  const lines = [`Posture status: ${r.target} (${r.accounts} account(s) onboarded)`, 'last scan:', ...scanLines(r.lastScan), `compliance: ${trendLine(r.compliance.latest)}`];
  if (r.compliance.latest) lines.push(`  last ${r.compliance.points.length} days: ${sparkline(r.compliance.points)}`);
  if (!r.deployed) lines.push('last DailyScan execution: not deployed (the local runtime runs scans in process)');
  else if (!r.lastExecution || r.lastExecution.status === 'NONE') lines.push('last DailyScan execution: none yet');
  else {
    const e = r.lastExecution;
    lines.push(`last DailyScan execution: ${e.status}  ${e.name}  started ${e.startedAt ?? '-'}${e.stoppedAt ? `  stopped ${e.stoppedAt}` : ''}`);
    if (e.error || e.cause) lines.push(`  ${[e.error, e.cause].filter(Boolean).join(': ')}`);
  }
  lines.push(`parked messages: ${parkedLine(r.parked)}`);
  lines.push(`open alerts: ${r.openAlerts}`);
  lines.push(r.attention.length ? `needs attention (exit ${STATUS_EXIT.attention}):` : 'nothing needs attention');
  for (const a of r.attention) lines.push(`  - ${a}`);
  return lines;
}
