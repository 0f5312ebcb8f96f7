/** Compliance transitions against moto's DynamoDB: writes only on change, one alert per transition. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import type { PolicyResult } from '../../../src/core/types.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

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
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'cmp');
  // Serialized emulator transactions (moto's are not thread-safe); the writers still race on the version.
  store = new ComplianceStore(documentClient(clients), { compliance: tables.Compliance, alerts: tables.Alerts }, { serializeTransactions: true });
});

describe('ComplianceStore', () => {
  it('writes only on change, opens on FAIL, resolves on PASS', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const first = await store.apply(resource, [result('FAIL')], 'scheduled', t0);
    expect(first.changed).toBe(1);
    expect(first.opened).toHaveLength(1);
    expect(first.opened[0]).toMatchObject({ status: 'OPEN', title: 'Bucket not encrypted', trigger: 'scheduled', severity: 'High' });

    const again = await store.apply(resource, [result('FAIL')], 'scheduled', new Date('2026-01-02T00:00:00Z'));
    expect(again).toEqual({ changed: 0, opened: [], resolved: [] });

    const fixed = await store.apply(resource, [result('PASS')], 'realtime:PutBucketEncryption', new Date('2026-01-03T00:00:00Z'));
    expect(fixed.resolved).toHaveLength(1);
    expect(fixed.resolved[0]).toMatchObject({ status: 'RESOLVED', resolvedBy: 'realtime:PutBucketEncryption' });
    expect(await store.alerts('OPEN')).toHaveLength(0);
    const items = await store.forResource(resource.resourceId);
    expect(items.get('AWS.S3.Bucket.Encryption')).toMatchObject({ status: 'PASS', trigger: 'realtime:PutBucketEncryption', version: 2 });
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
    const scan = await store.apply(r, [result('ERROR', { resourceId: r.resourceId, errorMessage: 'KeyError: x' })], 'scheduled', new Date(), stale);
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
    const resolved = await store.resourceDeleted(r.resourceId, new Date());
    expect(resolved).toEqual([expect.objectContaining({ status: 'RESOLVED', resolvedBy: 'deleted', resourceId: r.resourceId })]);
    expect((await store.forResource(r.resourceId)).size).toBe(0);
  });
});
