/**
 * A DailyScan batch that failed after its retries (issue #11 item 3, deployed half): the batch's
 * scopes without a ledger entry in this scan get ERROR entries with the failure's cause, scopes
 * that already have one keep it, and they then read as not evaluated. The domain function on
 * moto's DynamoDB, then lambdas/record-batch-failure.ts with the input the state machine's Catch
 * gives it (ScanScope's input + `failure`), its ports built from the Lambda environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { scopeKey, type Scope } from '../../../src/core/types.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import { failureMessage, recordBatchFailure, type BatchFailureOutcome } from '../../../src/scan/batch-failure.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { LedgerStore } from '../../../src/store/ledger-store.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';
import { setLambdaEnvironment } from '../../helpers/lambda-env.ts';

let infra: LocalInfra;
let ledger: LedgerStore;
const member = '210987654321';
const scope = (resourceType: string, region = 'eu-west-1'): Scope => ({ accountId: member, region, resourceType });
const clock = { now: () => new Date('2026-03-02T05:30:00.000Z') };
const lambdaTimeout = {
  Error: 'Sandbox.Timedout',
  Cause: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: 1f2e Error: Task timed out after 900.00 seconds' }),
};

const entry = (scanId: string, s: Scope, outcome: LedgerEntry['outcome'], finishedAt: string): LedgerEntry => ({
  scanId,
  scope: scopeKey(s),
  accountId: s.accountId,
  region: s.region,
  resourceType: s.resourceType,
  startedAt: finishedAt,
  finishedAt,
  resourceCount: 3,
  changedCount: 0,
  deletedCount: 0,
  outcome,
  message: null,
  trigger: 'scheduled',
});

beforeAll(async () => {
  const accountId = randomAccountId();
  const clients = await accountClients(accountId);
  infra = await bootstrapLocal(clients, accountId, 'bfail');
  ledger = new LedgerStore(documentClient(clients), infra.tables.ScanLedger);

  await setLambdaEnvironment(infra, accountId);
}, 60_000);

afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
});

describe('recordBatchFailure', () => {
  it('gives the failed batch\'s scopes ERROR entries with the cause; a scope already recorded in this scan keeps its entry', async () => {
    const scanId = '2026-03-02-05-00-00-aaaa1111';
    const [done, denied, inProgress, notReached] = [scope('AWS.EC2.Volume'), scope('AWS.EC2.Instance'), scope('AWS.S3.Bucket', 'global'), scope('AWS.EC2.Vpc')];
    // Yesterday every scope passed; today the batch finished two scopes before its invocation failed for good.
    for (const s of [done, denied, inProgress, notReached]) await ledger.record(entry('2026-03-01-05-00-00-bbbb2222', s, 'OK', '2026-03-01T05:10:00.000Z'));
    await ledger.record(entry(scanId, done, 'OK', '2026-03-02T05:05:00.000Z'));
    await ledger.record({ ...entry(scanId, denied, 'ACCESS_DENIED', '2026-03-02T05:06:00.000Z'), message: 'AccessDenied: not authorized' });

    const out = await recordBatchFailure({ ledger, clock }, { scanId, scopes: [done, denied, inProgress, notReached], failure: lambdaTimeout });
    expect(out).toEqual({
      scanId,
      recorded: 2,
      kept: 2,
      message: 'scan batch failed after its retries: Sandbox.Timedout: RequestId: 1f2e Error: Task timed out after 900.00 seconds',
    });

    const byScope = new Map((await ledger.forScan(scanId)).map((e) => [e.scope, e]));
    expect(byScope.size).toBe(4);
    expect(byScope.get(scopeKey(done))).toMatchObject({ outcome: 'OK', resourceCount: 3, message: null });
    expect(byScope.get(scopeKey(denied))).toMatchObject({ outcome: 'ACCESS_DENIED', message: 'AccessDenied: not authorized' });
    for (const s of [inProgress, notReached]) {
      expect(byScope.get(scopeKey(s))).toEqual({
        scanId,
        scope: scopeKey(s),
        accountId: member,
        region: s.region,
        resourceType: s.resourceType,
        startedAt: '2026-03-02T05:30:00.000Z',
        finishedAt: '2026-03-02T05:30:00.000Z',
        resourceCount: 0,
        changedCount: 0,
        deletedCount: 0,
        outcome: 'ERROR',
        message: out.message,
        trigger: 'scheduled',
        expiresAt: expect.any(Number),
      });
    }
    // Yesterday's PASSes are no longer what the ledger says about those scopes: they read as not evaluated.
    const notEvaluated = (await ledger.currentlyNotEvaluated([member])).map((e) => [e.scope, e.outcome]);
    expect(notEvaluated).toEqual(expect.arrayContaining([
      [scopeKey(denied), 'ACCESS_DENIED'],
      [scopeKey(inProgress), 'ERROR'],
      [scopeKey(notReached), 'ERROR'],
    ]));
    expect(notEvaluated.map(([s]) => s)).not.toContain(scopeKey(done));
    // Yesterday's entries are untouched.
    expect((await ledger.forScan('2026-03-01-05-00-00-bbbb2222')).every((e) => e.outcome === 'OK')).toBe(true);

    // A retried RecordBatchFailure changes nothing.
    expect(await recordBatchFailure({ ledger, clock: { now: () => new Date('2026-03-02T05:31:00.000Z') } }, { scanId, scopes: [done, denied, inProgress, notReached], failure: { Error: 'X' } })).toMatchObject({
      recorded: 0,
      kept: 4,
    });
    expect((await ledger.forScan(scanId)).find((e) => e.scope === scopeKey(inProgress))!.message).toBe(out.message);
  });

  it('turns a Step Functions failure into one line: Lambda error documents unwrapped, other causes kept, long ones cut', () => {
    expect(failureMessage({ Error: 'States.TaskFailed', Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'ScanScope input: scopes: Required', trace: ['a', 'b'] }) })).toBe(
      'scan batch failed after its retries: States.TaskFailed: Error: ScanScope input: scopes: Required',
    );
    expect(failureMessage({ Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded\nsecond line' })).toBe(
      'scan batch failed after its retries: Lambda.TooManyRequestsException: Rate exceeded',
    );
    expect(failureMessage({})).toBe('scan batch failed after its retries: States.TaskFailed');
    expect(failureMessage({ Error: 'E', Cause: 'x'.repeat(5000) })).toHaveLength(1000);
  });
});

describe('lambdas/record-batch-failure.ts', () => {
  it('records the batch from the Catch output (ScanScope input + failure) and rejects a malformed input', async () => {
    const { handler } = (await import('../../../lambdas/record-batch-failure.ts')) as unknown as {
      handler: (event: unknown, context: Context) => Promise<BatchFailureOutcome>;
    };
    const context = { functionName: 'posture-record-batch-failure', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    const scanId = '2026-03-03-05-00-00-cccc3333';
    const scopes = [scope('AWS.KMS.Key'), scope('AWS.KMS.Key', 'eu-central-1')];
    const out = await handler({ scanId, scopes, cursor: { index: 1, pageToken: 'p2' }, failure: lambdaTimeout }, context);
    expect(out).toMatchObject({ scanId, recorded: 2, kept: 0 });
    expect((await ledger.forScan(scanId)).map((e) => [e.scope, e.outcome]).sort()).toEqual(scopes.map((s) => [scopeKey(s), 'ERROR']).sort());
    await expect(handler({ scanId, scopes: [{ accountId: 'nope' }], failure: {} }, context)).rejects.toThrow(/^RecordBatchFailure input: scopes\.0\.accountId/);
  });
});
