/**
 * `posture status` on moto: the last scheduled scan from the ledger (not a newer real-time
 * rescan), scopes OK / not evaluated by outcome with reasons, messages parked per DLQ, open
 * alerts, the last DailyScan execution of a deployed stack (Step Functions ListExecutions on the
 * state machine of the stack's outputs), and the exit code: 0 when nothing needs attention, 1
 * when something does, 2 on a usage or target error (the CLI against a local runtime endpoint).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseAccount } from '../../../src/accounts/account.ts';
import { type AwsClients, createClients } from '../../../src/aws/clients.ts';
import { registerStatus, status } from '../../../src/cli/commands/status.ts';
import { renderStatus, StatusError, type StatusReport, type StatusTarget } from '../../../src/cli/status.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import { EMULATOR_CREDENTIALS } from '../../../src/local/runtime.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { LedgerStore } from '../../../src/store/ledger-store.ts';
import { SummaryStore } from '../../../src/store/summary-store.ts';
import type { SummaryRow } from '../../../src/compliance/daily-summary.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import { accountClients, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

let clients: AwsClients;
let infra: LocalInfra;
let target: StatusTarget;
let ledger: LedgerStore;
let summaries: SummaryStore;
const member = '310987654321';

const entry = (scanId: string, scope: string, outcome: LedgerEntry['outcome'], finishedAt: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => {
  const [accountId, region, resourceType] = scope.split('#') as [string, string, string];
  return { scanId, scope, accountId, region, resourceType, startedAt: finishedAt, finishedAt, resourceCount: 1, changedCount: 0, deletedCount: 0, outcome, message: null, trigger: 'scheduled', ...extra };
};

async function run(t: StatusTarget, json = false): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const { code } = await status(t, { json }, { out: (l) => lines.push(l) });
  return { code, lines };
}

beforeAll(async () => {
  const accountId = randomAccountId();
  clients = await accountClients(accountId);
  infra = await bootstrapLocal(clients, accountId);
  const doc = documentClient(clients);
  ledger = new LedgerStore(doc, infra.tables.ScanLedger);
  summaries = new SummaryStore(doc, infra.tables.DailySummary);
  target = {
    kind: 'local',
    name: 'http://emulator',
    clients,
    outputs: {},
    tables: infra.tables,
    ledger,
    accounts: new AccountStore(doc, infra.tables.Accounts),
    summaries,
    clock: { now: () => new Date('2026-03-02T12:00:00.000Z') },
  };
}, 60_000);

describe('posture status (local runtime)', () => {
  it('with nothing scanned and nothing parked: exit 0, says so', async () => {
    const { code, lines } = await run(target);
    expect(code).toBe(0);
    expect(lines).toEqual([
      'Posture status: local runtime http://emulator (0 account(s) onboarded)',
      'last scan:',
      '  no scheduled scan in the ledger yet',
      'compliance: no daily summary yet',
      'last DailyScan execution: not deployed (the local runtime runs scans in process)',
      'parked messages: Realtime/RealtimeDlq 0, Alerts/DeliveryFailures 0',
      'open alerts: 0',
      'nothing needs attention',
    ]);
  });

  it('an onboarded account without any scan needs attention', async () => {
    const accounts = new AccountStore(documentClient(clients), infra.tables.Accounts);
    await accounts.put(parseAccount({ accountId: member, name: 'payments', externalId: 'x'.repeat(32) }));
    const { code, lines } = await run(target);
    expect(code).toBe(1);
    expect(lines.slice(-2)).toEqual(['needs attention (exit 1):', '  - no scheduled scan in the ledger although 1 account(s) are onboarded']);
  });

  it('reports the newest scheduled scan (not a newer real-time rescan) by outcome with reasons, parked messages and open alerts; exit 1', async () => {
    const old = '2026-03-01-05-00-00-aaaa0001';
    const last = '2026-03-02-05-00-00-aaaa0002';
    for (const t of ['AWS.EC2.Volume', 'AWS.EC2.Instance']) await ledger.record(entry(old, `${member}#eu-west-1#${t}`, 'OK', '2026-03-01T05:20:00.000Z'));
    await ledger.record(entry(last, `${member}#eu-west-1#AWS.EC2.Volume`, 'OK', '2026-03-02T05:01:00.000Z', { startedAt: '2026-03-02T05:00:30.000Z' }));
    await ledger.record(entry(last, `${member}#global#AWS.IAM.User`, 'OK', '2026-03-02T05:02:00.000Z'));
    await ledger.record(entry(last, `${member}#eu-west-1#AWS.EC2.Instance`, 'ACCESS_DENIED', '2026-03-02T05:03:00.000Z', { message: 'AccessDenied: ec2:DescribeInstances' }));
    await ledger.record(entry(last, `${member}#eu-west-1#AWS.KMS.Key`, 'ERROR', '2026-03-02T05:31:00.000Z', { message: 'scan batch failed after its retries: Sandbox.Timedout: Task timed out after 900.00 seconds' }));
    await ledger.record(entry(last, `${member}#eu-west-1#AWS.EC2.Vpc`, 'ERROR', '2026-03-02T05:31:00.000Z', { message: 'scan batch failed after its retries: Sandbox.Timedout: Task timed out after 900.00 seconds' }));
    // A real-time region rescan after it: the newest entry, but not a scheduled scan.
    await ledger.record(entry('rt-1', `${member}#eu-west-1#AWS.EC2.Instance`, 'OK', '2026-03-02T09:00:00.000Z', { trigger: 'realtime:RunInstances' }));

    // The daily summaries of a week ago and of the scan's day (written by the scan's last step).
    const row = (day: string, passing: number, failing: number): SummaryRow => ({ day, accountId: member, policyId: 'AWS.EC2.Volume.Encrypted', severity: 'High', passing, failing, suppressed: 0, error: 0, notEvaluated: 1 });
    await summaries.replaceDay('2026-02-23', [member], [row('2026-02-23', 2, 2)]);
    await summaries.replaceDay('2026-03-02', [member], [row('2026-03-02', 3, 1)]);

    const sqs = clients.get(SQSClient);
    for (const body of ['{"poison":1}', '{"poison":2}']) await sqs.send(new SendMessageCommand({ QueueUrl: infra.queues.deadLetter, MessageBody: body }));
    const doc = documentClient(clients);
    for (const [key, st] of [['a#1', 'OPEN'], ['a#2', 'OPEN'], ['a#3', 'RESOLVED']] as const) {
      await doc.send(new PutCommand({ TableName: infra.tables.Alerts, Item: { alertKey: key, openedAt: '2026-03-02T05:10:00.000Z', status: st } }));
    }

    const { code, lines } = await run(target);
    expect(code).toBe(1);
    expect(lines).toEqual([
      'Posture status: local runtime http://emulator (1 account(s) onboarded)',
      'last scan:',
      `  scan ${last}  started 2026-03-02T05:00:30.000Z  finished 2026-03-02T05:31:00.000Z`,
      '  5 scope(s): 2 OK, 3 not evaluated',
      '    ERROR 2:',
      `      ${member}#eu-west-1#AWS.EC2.Vpc: scan batch failed after its retries: Sandbox.Timedout: Task timed out after 900.00 seconds`,
      `      ${member}#eu-west-1#AWS.KMS.Key: scan batch failed after its retries: Sandbox.Timedout: Task timed out after 900.00 seconds`,
      '    ACCESS_DENIED 1:',
      `      ${member}#eu-west-1#AWS.EC2.Instance: AccessDenied: ec2:DescribeInstances`,
      'compliance: pass rate 75.0% (+25.0 pts vs 7 days ago) on 2026-03-02',
      `  last 30 days: ${'·'.repeat(22)}▅${'·'.repeat(6)}▇`,
      'last DailyScan execution: not deployed (the local runtime runs scans in process)',
      'parked messages: Realtime/RealtimeDlq 2, Alerts/DeliveryFailures 0',
      'open alerts: 2',
      'needs attention (exit 1):',
      '  - 3 scope(s) not evaluated in the last scan (ERROR 2, ACCESS_DENIED 1)',
      '  - 2 message(s) parked (Realtime/RealtimeDlq 2)',
    ]);

    const json = await run(target, true);
    expect(json.code).toBe(1);
    expect(json.lines).toHaveLength(1);
    const report = JSON.parse(json.lines[0]!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(report).toMatchObject({
      ok: false,
      deployed: false,
      lastExecution: null,
      openAlerts: 2,
      accounts: 1,
      lastScan: { scanId: last, scopes: 5, ok: 2, notEvaluated: 3 },
      compliance: {
        latest: {
          day: '2026-03-02',
          counts: { passing: 3, failing: 1, suppressed: 0, error: 0, notEvaluated: 1 },
          passRate: 0.75,
          weekAgo: { day: '2026-02-23', passRate: 0.5 },
          passRateChangePts: 25,
        },
      },
      parked: [
        { queue: 'Realtime/RealtimeDlq', url: infra.queues.deadLetter, messages: 2 },
        { queue: 'Alerts/DeliveryFailures', url: infra.queues.alertDelivery, messages: 0 },
      ],
    });
    expect(report.lastScan.byOutcome).toEqual([
      { outcome: 'ERROR', count: 2, scopes: [expect.objectContaining({ scope: `${member}#eu-west-1#AWS.EC2.Vpc` }), expect.objectContaining({ scope: `${member}#eu-west-1#AWS.KMS.Key` })] },
      { outcome: 'ACCESS_DENIED', count: 1, scopes: [{ scope: `${member}#eu-west-1#AWS.EC2.Instance`, message: 'AccessDenied: ec2:DescribeInstances' }] },
    ]);
    expect(report.attention).toHaveLength(2);
  });
});

describe('posture status (deployed stack)', () => {
  it('reads the last DailyScan execution and the DLQs from the stack outputs; a failed (here aborted) execution needs attention', async () => {
    const sfn = clients.get(SFNClient);
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: `status-test-${Date.now()}`,
        definition: JSON.stringify({ StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } } }),
        roleArn: 'arn:aws:iam::123456789012:role/posture-test-sfn',
      }),
    );
    const sqs = clients.get(SQSClient);
    const dispatchFailures = (await sqs.send(new CreateQueueCommand({ QueueName: 'status-dispatch-failures' }))).QueueUrl!;
    const stackTarget: StatusTarget = {
      ...target,
      kind: 'stack',
      name: 'Posture',
      outputs: {
        DailyScanStateMachineArn: machine.stateMachineArn!,
        DeadLetterQueueUrls: `Alerts/DispatchFailures=${dispatchFailures},Realtime/RealtimeDlq=${infra.queues.deadLetter}`,
      },
    };
    let r = await run(stackTarget, true);
    expect(JSON.parse(r.lines[0]!).lastExecution).toMatchObject({ status: 'NONE' });

    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name: 'daily-1', input: '{}' }));
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn, error: 'Posture.ScanIncomplete', cause: '1 of 4 batches failed; their scopes are recorded as ERROR in the ledger' }));
    r = await run(stackTarget);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe('Posture status: stack Posture (1 account(s) onboarded)');
    expect(r.lines).toContainEqual(expect.stringMatching(/^last DailyScan execution: ABORTED {2}daily-1 {2}started \S+ {2}stopped \S+$/));
    expect(r.lines).toContain('parked messages: Alerts/DispatchFailures 0, Realtime/RealtimeDlq 2');
    // (moto keeps no error or cause for a stopped execution; the rendering of one is below.)
    expect(r.lines).toContain('  - the last DailyScan execution ABORTED');

    // An older stack without the outputs: a one-line error naming the output.
    await expect(run({ ...stackTarget, outputs: {} })).rejects.toThrow(new StatusError('--stack Posture: output DailyScanStateMachineArn is missing; is this a Posture stack?'));
  });
});

describe('renderStatus', () => {
  it('shows a failed execution with its error and cause (what ScanIncomplete leaves)', () => {
    const report: StatusReport = {
      target: 'stack Posture',
      lastScan: null,
      compliance: { points: [], latest: null },
      deployed: true,
      lastExecution: {
        name: 'daily-2',
        arn: 'arn:aws:states:us-east-1:123456789012:execution:DailyScan:daily-2',
        status: 'FAILED',
        startedAt: '2026-03-02T05:00:00.000Z',
        stoppedAt: '2026-03-02T05:42:00.000Z',
        error: 'Posture.ScanIncomplete',
        cause: '1 of 4 batches failed; their scopes are recorded as ERROR in the ledger (scan s-1; posture status)',
      },
      parked: [],
      openAlerts: 0,
      accounts: 0,
      attention: ['the last DailyScan execution FAILED: Posture.ScanIncomplete'],
    };
    expect(renderStatus(report).slice(3)).toEqual([
      'compliance: no daily summary yet',
      'last DailyScan execution: FAILED  daily-2  started 2026-03-02T05:00:00.000Z  stopped 2026-03-02T05:42:00.000Z',
      '  Posture.ScanIncomplete: 1 of 4 batches failed; their scopes are recorded as ERROR in the ledger (scan s-1; posture status)',
      'parked messages: no dead-letter queue found',
      'open alerts: 0',
      'needs attention (exit 1):',
      '  - the last DailyScan execution FAILED: Posture.ScanIncomplete',
    ]);
  });
});

describe('posture status (CLI against a local runtime endpoint)', () => {
  let out: string[] = [];
  let err: string[] = [];

  beforeAll(async () => {
    // What a local runtime creates on its emulator (its default account; idempotent).
    await bootstrapLocal(createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: EMULATOR_CREDENTIALS }), '123456789012');
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  });
  afterAll(() => vi.restoreAllMocks());
  afterEach(() => {
    process.exitCode = 0;
  });

  async function posture(...args: string[]): Promise<number> {
    out = [];
    err = [];
    process.exitCode = 0;
    const program = new Command('posture').exitOverride();
    registerStatus(program);
    await program.parseAsync(['node', 'posture', 'status', ...args]);
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return code;
  }

  it('prints the status as JSON and exits 1 exactly when something needs attention', async () => {
    const code = await posture('--endpoint', motoEndpoint(), '--json');
    expect(out).toHaveLength(1);
    const report = JSON.parse(out[0]!) as { ok: boolean; attention: string[]; target: string; parked: { queue: string }[] };
    expect(report.target).toBe(`local runtime ${new URL(motoEndpoint()).origin}`);
    expect(report.parked.map((p) => p.queue)).toEqual(['Realtime/RealtimeDlq', 'Alerts/DeliveryFailures']);
    // Other test files share the emulator's default account: the verdict must match the report.
    expect(code).toBe(report.attention.length ? 1 : 0);
    expect(report.ok).toBe(code === 0);
  });

  it('exits 2 with one line without exactly one target', async () => {
    expect(await posture()).toBe(2);
    expect(err).toEqual(['posture status: give exactly one target: --stack NAME (a deployed stack) or --endpoint URL (a local runtime)']);
    expect(await posture('--endpoint', 'not a url')).toBe(2);
    expect(err).toEqual(["posture status: --endpoint: 'not a url' is not a URL"]);
  });
});
