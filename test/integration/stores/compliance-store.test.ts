/** Compliance transitions on moto's DynamoDB and the one-shot in-memory store: writes only on change, one alert per transition. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import type { PolicyResult } from '../../../src/core/types.ts';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';
import { serializeTransactWrites } from '../../../src/local/serialized-transactions.ts';

describe.each(STORE_BACKENDS)('on $name', (backend) => {
  let store: ComplianceStore;
  const resource = { resourceId: 'arn:aws:s3:::bucket-a', resourceType: 'AWS.S3.Bucket', accountId: '111111111111', region: 'us-east-1', scope: '111111111111#global#AWS.S3.Bucket' };
  const result = (status: PolicyResult['status'], extra: Partial<PolicyResult> = {}): PolicyResult => ({
    policyId: 'AWS.S3.Bucket.Encryption',
    resourceId: resource.resourceId,
    resourceType: resource.resourceType,
    status,
    errorMessage: null,
    severity: 'High',
    title: status === 'FAIL' ? 'Bucket not encrypted' : null,
    dedup: null,
    suppressed: false,
    ...extra,
  });

  beforeAll(async () => {
    const clients = await backend.clients();
    const tables = await ensureTables(clients, 'cmp');
    // Serialized emulator transactions (moto's are not thread-safe); the writers still race on the version.
    store = new ComplianceStore(serializeTransactWrites(documentClient(clients)), { compliance: tables.Compliance, alerts: tables.Alerts });
  });

  describe('ComplianceStore', () => {
    it('writes only on change, opens on FAIL, resolves on PASS', async () => {
      const t0 = new Date('2026-01-01T00:00:00Z');
      const first = await store.apply(resource, [result('FAIL')], 'scheduled', t0);
      expect(first.changed).toBe(1);
      expect(first.opened).toHaveLength(1);
      expect(first.opened[0]).toMatchObject({ status: 'OPEN', title: 'Bucket not encrypted', trigger: 'scheduled', severity: 'High' });

      const again = await store.apply(resource, [result('FAIL')], 'scheduled', new Date('2026-01-02T00:00:00Z'));
      expect(again).toEqual({ changed: 0, stale: 0, opened: [], resolved: [] });

      const fixed = await store.apply(resource, [result('PASS')], 'realtime:PutBucketEncryption', new Date('2026-01-03T00:00:00Z'));
      expect(fixed.resolved).toHaveLength(1);
      expect(fixed.resolved[0]).toMatchObject({ status: 'RESOLVED', resolvedBy: 'realtime:PutBucketEncryption' });
      expect(await store.alerts('OPEN')).toHaveLength(0);
      const items = await store.forResource(resource.resourceId);
      expect(items.get('AWS.S3.Bucket.Encryption')).toMatchObject({ status: 'PASS', trigger: 'realtime:PutBucketEncryption', version: 2 });
    });

    it("a complete evaluation removes the pairs of policies that no longer run, resolving their alerts — never a newer verdict", async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-policy-gone' };
      const other = (status: PolicyResult['status']) => result(status, { resourceId: r.resourceId, policyId: 'AWS.S3.Bucket.Versioning', title: 'No versioning' });
      const t = (s: number) => new Date(Date.UTC(2026, 0, 10, 0, 0, s));
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId }), other('FAIL')], 'scheduled', t(1), { observedAt: t(1), complete: true });
      expect((await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId)).toHaveLength(2);
      // Versioning was deselected (or disabled, or removed): the next evaluation has no result for it.
      const next = await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', t(2), { observedAt: t(2), complete: true });
      expect(next.resolved.map((a) => [a.policyId, a.resolvedBy])).toEqual([['AWS.S3.Bucket.Versioning', 'policy-not-run']]);
      expect([...(await store.forResource(r.resourceId)).keys()]).toEqual(['AWS.S3.Bucket.Encryption']);
      // Without `complete` (a single re-evaluated pair, as an exception's), other pairs stay.
      await store.apply(r, [other('PASS')], 'scheduled', t(3), { observedAt: t(3) });
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', t(4), { observedAt: t(4) });
      expect([...(await store.forResource(r.resourceId)).keys()].sort()).toEqual(['AWS.S3.Bucket.Encryption', 'AWS.S3.Bucket.Versioning']);
      // A pair observed after this evaluation stays (no verdict is replaced by an older one).
      const stale = await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', t(5), { observedAt: t(2), complete: true });
      expect(stale.stale).toBeGreaterThan(0);
      expect((await store.forResource(r.resourceId)).has('AWS.S3.Bucket.Versioning')).toBe(true);
    });

    it('never alerts on ERROR or suppressed results, but stores them', async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-b' };
      const err = await store.apply(r, [result('ERROR', { resourceId: r.resourceId, errorMessage: 'KeyError: x' })], 'scheduled', new Date());
      expect(err.opened).toHaveLength(0);
      const sup = await store.apply(r, [result('FAIL', { resourceId: r.resourceId, suppressed: true })], 'scheduled', new Date());
      expect(sup.changed).toBe(1);
      expect(sup.opened).toHaveLength(0);
      expect((await store.forResource(r.resourceId)).get('AWS.S3.Bucket.Encryption')).toMatchObject({ status: 'FAIL', suppressed: true });
    });

    it('opens exactly one alert when concurrent writers see the same transition', async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-race' };
      const writers = Array.from({ length: 6 }, (_, i) =>
        store.apply(r, [result('FAIL', { resourceId: r.resourceId })], i % 2 ? 'scheduled' : 'realtime:PutBucketAcl', new Date()),
      );
      const outcomes = await Promise.all(writers);
      expect(outcomes.reduce((n, o) => n + o.opened.length, 0)).toBe(1);
      const open = (await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId);
      expect(open).toHaveLength(1);
    });

    it('its index reads (byAccount, byPolicy, byScope, alerts byStatus) follow every write it makes: put, transaction, update, deletion', async () => {
      // The emulator answers index reads from partitions it keeps in step with writes (moto_server.py, patch 13).
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-indexes', accountId: '222222222222', scope: '222222222222#global#AWS.S3.Bucket' };
      const mine = <T extends { resourceId: string }>(items: T[]) => items.filter((i) => i.resourceId === r.resourceId);
      const read = async () => ({
        byAccount: mine(await store.forAccount(r.accountId)).map((i) => i.statusKey),
        byPolicy: mine(await store.forPolicy('AWS.S3.Bucket.Encryption')).map((i) => i.status),
        byScope: [...((await store.forScope(r.scope)).get(r.resourceId)?.values() ?? [])].map((i) => i.status),
        open: mine(await store.alerts('OPEN')).length,
        resolved: mine(await store.alerts('RESOLVED')).length,
      });
      await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'scheduled', new Date('2026-02-01T00:00:00Z')); // a single Put
      expect(await read()).toEqual({ byAccount: ['PASS#AWS.S3.Bucket.Encryption'], byPolicy: ['PASS'], byScope: ['PASS'], open: 0, resolved: 0 });
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', new Date('2026-02-02T00:00:00Z')); // a transaction opening an alert
      expect(await read()).toEqual({ byAccount: ['FAIL#AWS.S3.Bucket.Encryption'], byPolicy: ['FAIL'], byScope: ['FAIL'], open: 1, resolved: 0 });
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'realtime:PutBucketAcl', new Date('2026-02-03T00:00:00Z'), { touch: true }); // an update of the observation only
      expect(await read()).toEqual({ byAccount: ['FAIL#AWS.S3.Bucket.Encryption'], byPolicy: ['FAIL'], byScope: ['FAIL'], open: 1, resolved: 0 });
      await store.resourceDeleted(r.resourceId, new Date('2026-02-04T00:00:00Z')); // deletion resolving the alert
      expect(await read()).toEqual({ byAccount: [], byPolicy: [], byScope: [], open: 0, resolved: 1 });
    });

    it('reads a scope in one query and uses it instead of a per-resource read', async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-scope' };
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', new Date());
      const index = await store.forScope(resource.scope);
      expect(index.get(r.resourceId)?.get('AWS.S3.Bucket.Encryption')).toMatchObject({ status: 'FAIL', scope: resource.scope });
      const stale = new Map(index.get(r.resourceId));
      // A real-time rescan moves the pair after the scan read its scope…
      const fixed = await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'realtime:PutBucketEncryption', new Date());
      expect(fixed.resolved).toHaveLength(1);
      // …so the scan's write against the stale index fails its version condition, re-reads and decides again.
      const scan = await store.apply(r, [result('ERROR', { resourceId: r.resourceId, errorMessage: 'KeyError: x' })], 'scheduled', new Date(), { current: stale });
      expect(scan.changed).toBe(1);
      expect((await store.forResource(r.resourceId)).get('AWS.S3.Bucket.Encryption')).toMatchObject({ status: 'ERROR', version: 3 });
    });

    it('writes every changed pair of a resource, across transactions of at most 100 actions', async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-many' };
      const many = Array.from({ length: 70 }, (_, i) => result('FAIL', { resourceId: r.resourceId, policyId: `P${i}` }));
      const out = await store.apply(r, many, 'scheduled', new Date());
      expect(out.changed).toBe(70);
      expect(out.opened).toHaveLength(70);
      expect((await store.forResource(r.resourceId)).size).toBe(70);
    });

    it('resolves alerts and removes compliance when the resource is deleted', async () => {
      const r = { ...resource, resourceId: 'arn:aws:s3:::bucket-gone' };
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', new Date());
      const { resolved } = await store.resourceDeleted(r.resourceId, new Date());
      expect(resolved).toEqual([expect.objectContaining({ status: 'RESOLVED', resolvedBy: 'deleted', resourceId: r.resourceId })]);
      expect((await store.forResource(r.resourceId)).size).toBe(0);
    });
  });

  describe('ComplianceStore: a verdict is never older than the one it replaces', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 4, 1, 0, 0, s));
    const ref = (name: string) => ({ ...resource, resourceId: `arn:aws:s3:::${name}` });
    const status = async (id: string) => (await store.forResource(id)).get('AWS.S3.Bucket.Encryption');

    it('a slow scan page (observed before real-time rescans) does not re-open the alert they resolved', async () => {
      const r = ref('race-reopen');
      await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'scheduled', at(0), { observedAt: at(0) });
      // The scan page reads its scope, then observes the bucket unencrypted at t=10…
      const snapshot = new Map((await store.forScope(r.scope)).get(r.resourceId));
      // …real-time rescans observe the change at t=12 (alert opens) and the fix at t=20 (alert resolves)…
      expect((await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'realtime:DeleteBucketEncryption', at(13), { observedAt: at(12), touch: true })).opened).toHaveLength(1);
      expect((await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'realtime:PutBucketEncryption', at(21), { observedAt: at(20), touch: true })).resolved).toHaveLength(1);
      // …and the page's FAIL, observed at t=10, arrives last: its version check fails, and on re-reading it is older.
      const late = await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', at(30), { current: snapshot, observedAt: at(10) });
      expect(late).toEqual({ changed: 0, stale: 1, opened: [], resolved: [] });
      expect(await status(r.resourceId)).toMatchObject({ status: 'PASS', trigger: 'realtime:PutBucketEncryption', observedAt: at(20).toISOString() });
      expect((await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId)).toHaveLength(0);
    });

    it('a real-time rescan that finds the verdict unchanged still records its newer observation, so an older page cannot replace it', async () => {
      const r = ref('race-touch');
      await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'scheduled', at(0), { observedAt: at(0) });
      const snapshot = new Map((await store.forScope(r.scope)).get(r.resourceId));
      // The page observes FAIL at t=10; the real-time rescan observes PASS again at t=20 (same verdict: no new version).
      const touched = await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'realtime:PutBucketEncryption', at(21), { observedAt: at(20), touch: true });
      expect(touched).toEqual({ changed: 0, stale: 0, opened: [], resolved: [] });
      expect(await status(r.resourceId)).toMatchObject({ status: 'PASS', version: 1, observedAt: at(20).toISOString() });
      // The page's write still matches the version it read, but not the observation: dropped, no alert.
      const late = await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', at(30), { current: snapshot, observedAt: at(10) });
      expect(late).toEqual({ changed: 0, stale: 1, opened: [], resolved: [] });
      expect(await status(r.resourceId)).toMatchObject({ status: 'PASS' });
      expect((await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId)).toHaveLength(0);
    });

    it('a stale PASS does not hide a newer FAIL (the other direction)', async () => {
      const r = ref('race-hide');
      const opened = await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'realtime:PutBucketAcl', at(21), { observedAt: at(20) });
      expect(opened.opened).toHaveLength(1);
      const late = await store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'scheduled', at(30), { observedAt: at(10) });
      expect(late.stale).toBe(1);
      expect(await status(r.resourceId)).toMatchObject({ status: 'FAIL', observedAt: at(20).toISOString() });
      expect((await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId)).toHaveLength(1);
    });

    it('racing writers in both orders and at once always end on the newest observation', async () => {
      for (const [i, order] of (['older first', 'newer first', 'together'] as const).entries()) {
        const r = ref(`race-order-${i}`);
        const older = () => store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'scheduled', at(40), { observedAt: at(10) });
        const newer = () => store.apply(r, [result('PASS', { resourceId: r.resourceId })], 'realtime:PutBucketEncryption', at(40), { observedAt: at(20) });
        if (order === 'older first') {
          await older();
          await newer();
        } else if (order === 'newer first') {
          await newer();
          await older();
        } else await Promise.all([older(), newer()]);
        expect(await status(r.resourceId), order).toMatchObject({ status: 'PASS', observedAt: at(20).toISOString() });
        // Whatever the interleaving, no alert is left open for a resource whose newest verdict is PASS.
        expect((await store.alerts('OPEN')).filter((a) => a.resourceId === r.resourceId), order).toHaveLength(0);
      }
    });

    it('a deletion observed before a newer verdict leaves that verdict (and its alert) in place', async () => {
      const r = ref('race-delete');
      await store.apply(r, [result('FAIL', { resourceId: r.resourceId })], 'realtime:CreateBucket', at(21), { observedAt: at(20) });
      const out = await store.resourceDeleted(r.resourceId, at(30), at(10));
      expect(out).toEqual({ resolved: [], stale: 1 });
      expect(await status(r.resourceId)).toMatchObject({ status: 'FAIL' });
    });
  });
});
