/**
 * What the ledger reports as not evaluated now, on moto's DynamoDB and the one-shot in-memory
 * store: each scope's newest entry, read on keys only (the newest scheduled scan's entries of the
 * account and the byAccount index since it began) — a later real-time rescan overriding the scan,
 * a later OK clearing a failure, other accounts left out, an account never scanned on schedule read
 * from its history alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { LedgerStore } from '../../../src/store/ledger-store.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import type { ScopeOutcome } from '../../../src/core/errors.ts';
import type { Trigger } from '../../../src/core/types.ts';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';

describe.each(STORE_BACKENDS)('LedgerStore: what is not evaluated, and when each scope was last verified, on $name', (backend) => {
  const A = '111111111111';
  const B = '222222222222';
  const C = '333333333333';
  let ledger: LedgerStore;

  const entry = (scanId: string, accountId: string, type: string, at: string, outcome: ScopeOutcome = 'OK', trigger: Trigger = 'scheduled'): LedgerEntry => ({
    scanId,
    scope: `${accountId}#us-east-1#${type}`,
    accountId,
    region: 'us-east-1',
    resourceType: type,
    startedAt: at,
    finishedAt: at,
    resourceCount: 1,
    changedCount: 0,
    deletedCount: 0,
    outcome,
    message: outcome === 'OK' ? null : `${type}: AccessDenied`,
    trigger,
  });
  const notEvaluated = async (ids: string[]) => (await ledger.currentlyNotEvaluated(ids)).map((e) => [e.scope, e.scanId, e.outcome, e.message]);

  beforeAll(async () => {
    const clients = await backend.clients();
    const tables = await ensureTables(clients, 'led');
    ledger = new LedgerStore(documentClient(clients), tables.ScanLedger);
    // Account A: an old scan with a failure the newer scan no longer plans (a type since removed),
    // the newest scheduled scan (S3 failing, Lambda OK), then a real-time rescan of Lambda failing.
    await ledger.record(entry('scan-1', A, 'AWS.EKS.Cluster', '2026-06-01T00:00:00Z', 'ERROR'));
    await ledger.record(entry('scan-2', A, 'AWS.S3.Bucket', '2026-06-02T00:00:05Z', 'ERROR'));
    await ledger.record(entry('scan-2', A, 'AWS.Lambda.Function', '2026-06-02T00:00:01Z'));
    await ledger.record(entry('scan-2', A, 'AWS.KMS.Key', '2026-06-02T00:00:03Z'));
    await ledger.record(entry('rt-1', A, 'AWS.Lambda.Function', '2026-06-02T09:00:00Z', 'ACCESS_DENIED', 'realtime:evt-1'));
    // Account B: its newest scan failed on S3, and a real-time rescan read it since.
    await ledger.record(entry('scan-2', B, 'AWS.S3.Bucket', '2026-06-02T00:00:02Z', 'ERROR'));
    await ledger.record(entry('rt-2', B, 'AWS.S3.Bucket', '2026-06-02T10:00:00Z', 'OK', 'realtime:evt-2'));
    // Account C: only real-time entries.
    await ledger.record(entry('rt-3', C, 'AWS.IAM.Role', '2026-06-02T11:00:00Z', 'ERROR', 'realtime:evt-3'));
  });

  it("reports each scope's newest entry when it is not OK, with its message", async () => {
    expect(await notEvaluated([A])).toEqual([
      [`${A}#us-east-1#AWS.Lambda.Function`, 'rt-1', 'ACCESS_DENIED', 'AWS.Lambda.Function: AccessDenied'],
      [`${A}#us-east-1#AWS.S3.Bucket`, 'scan-2', 'ERROR', 'AWS.S3.Bucket: AccessDenied'],
    ]);
  });

  it('clears a failure a later read of the scope succeeded, and reads only the accounts asked', async () => {
    expect(await notEvaluated([B])).toEqual([]);
    expect(await notEvaluated([A, B]).then((r) => r.map((x) => x[0]))).toEqual([`${A}#us-east-1#AWS.Lambda.Function`, `${A}#us-east-1#AWS.S3.Bucket`]);
    expect(await notEvaluated([])).toEqual([]);
  });

  it('reads the history of an account no scheduled scan covered yet', async () => {
    expect(await notEvaluated([C])).toEqual([[`${C}#us-east-1#AWS.IAM.Role`, 'rt-3', 'ERROR', 'AWS.IAM.Role: AccessDenied']]);
  });

  it("gives each scope's last verification: its newest entry when OK, else its newest OK entry, else none", async () => {
    const scope = (account: string, type: string) => `${account}#us-east-1#${type}`;
    const verified = await ledger.lastVerifiedMany([
      scope(A, 'AWS.KMS.Key'), scope(A, 'AWS.Lambda.Function'), scope(A, 'AWS.S3.Bucket'), scope(A, 'AWS.EKS.Cluster'),
      scope(B, 'AWS.S3.Bucket'), scope(C, 'AWS.IAM.Role'), scope(A, 'AWS.KMS.Key'),
    ]);
    expect(Object.fromEntries([...verified].map(([k, v]) => [k, [v.finishedAt, v.trigger]]))).toEqual({
      [scope(A, 'AWS.KMS.Key')]: ['2026-06-02T00:00:03Z', 'scheduled'],
      // The real-time rescan failed since: the scan before it is the last verification.
      [scope(A, 'AWS.Lambda.Function')]: ['2026-06-02T00:00:01Z', 'scheduled'],
      [scope(B, 'AWS.S3.Bucket')]: ['2026-06-02T10:00:00Z', 'realtime:evt-2'],
    });
    expect(await ledger.lastVerifiedMany([])).toEqual(new Map());
  });
});
