/**
 * The Cloud Resources API (src/console/routes/resources.ts, src/console/resources.ts) on the real
 * stores on moto: the list walks the Resources indexes page by page (every live resource once, in
 * order, whatever the page size), filters by type, account, region and compliance, refuses a bad
 * filter or cursor with a 400 naming the field; a resource comes back whole (an offloaded body
 * too) with its verdicts and last verification; a verdict becomes a unit test, an errored one is a
 * 409; a resource's history pages newest first (diffs and causes, no attributes), narrowed by
 * `since`. Every route is a read: a viewer may call each of them.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApp, type ConsoleApp } from '../../src/console/app.ts';
import { resourceDetailSchema, resourceHistorySchema, resourcePageSchema, unitTestSchema, type ResourceRow } from '../../src/console/contract/resources.ts';
import type { HistoryRecord } from '../../src/core/history.ts';
import type { Actor } from '../../src/core/provenance.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import type { Resource } from '../../src/core/resource.ts';
import { scopeKey, type PolicyResult, type Status } from '../../src/core/types.ts';
import { ensureTables } from '../../src/local/bootstrap.ts';
import { AccountStore } from '../../src/store/account-store.ts';
import { S3BlobStore } from '../../src/store/blob-store.ts';
import { ComplianceStore } from '../../src/store/compliance-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { HistoryStore } from '../../src/store/history-store.ts';
import { LedgerStore } from '../../src/store/ledger-store.ts';
import { ResourceStore } from '../../src/store/resource-store.ts';
import { accountClients, randomAccountId } from '../helpers/moto.ts';

const A1 = '111111111111';
const A2 = '222222222222';
const NOW = new Date('2026-02-01T12:00:00Z');
const BUCKET = 'AWS.S3.Bucket';
const SG = 'AWS.EC2.SecurityGroup';

let app: ConsoleApp;
let resources: ResourceStore;
/** A resource with a history (created, changed by a caller with a verdict moved, deleted), oldest first as stored. */
let histId: string;
let histRecords: HistoryRecord[];
/** Every live resource stored, with the compliance the API must report. */
const stored: { id: string; type: string; account: string; region: string; compliance: ResourceRow['compliance'] }[] = [];

function resource(type: string, account: string, region: string, name: string, extra: Record<string, unknown> = {}): Resource {
  const id = `arn:aws:test:${region}:${account}:${type}/${name}`;
  return { ResourceId: id, ResourceType: type, TimeCreated: null, AccountId: account, Region: region, Arn: id, Id: null, Name: name, Tags: null, ...extra };
}

const verdict = (r: Resource, policyId: string, status: Status, suppressed = false): PolicyResult => ({
  policyId,
  resourceId: r.ResourceId,
  resourceType: r.ResourceType,
  status,
  errorMessage: status === 'ERROR' ? 'KeyError: Grants' : null,
  severity: 'High',
  title: `${policyId} title`,
  dedup: null,
  suppressed,
});

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'cres');
  const doc = documentClient(clients);
  const bucket = `cres-${randomBytes(4).toString('hex')}`;
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
  resources = new ResourceStore(doc, tables.Resources, new S3BlobStore(clients, bucket));
  const compliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts });
  const accounts = new AccountStore(doc, tables.Accounts);
  const ledger = new LedgerStore(doc, tables.ScanLedger);
  for (const accountId of [A1, A2]) await accounts.put({ accountId, name: `acct ${accountId}`, externalId: 'ext-id-1', enabled: true, excludeRegions: [], excludeTypes: [], excludeResources: [] });

  // 2 accounts × 2 regions × 3 buckets, 2 security groups; compliance varied by position.
  const statuses: [Status, boolean][][] = [[['PASS', false]], [['FAIL', false], ['PASS', false]], [['ERROR', false]], [['FAIL', true]], []];
  let n = 0;
  const put = async (r: Resource, results: [Status, boolean][]) => {
    const scope = scopeKey({ accountId: r.AccountId, region: r.Region, resourceType: r.ResourceType });
    await resources.putIfChanged(r, scope, NOW);
    const ref = { resourceId: r.ResourceId, resourceType: r.ResourceType, accountId: r.AccountId, region: r.Region, scope };
    await compliance.apply(ref, results.map(([s, sup], i) => verdict(r, `Test.Policy.${i}`, s, sup)), 'scheduled', NOW);
    const c = results.some(([s, sup]) => s === 'FAIL' && !sup) ? 'failing' : results.some(([s]) => s === 'ERROR') ? 'error' : results.length ? 'passing' : 'none';
    stored.push({ id: r.ResourceId, type: r.ResourceType, account: r.AccountId, region: r.Region, compliance: c });
  };
  for (const account of [A1, A2])
    for (const region of ['us-east-1', 'eu-west-1'])
      for (let i = 0; i < 3; i++) await put(resource(BUCKET, account, region, `b${i}`), statuses[n++ % statuses.length]!);
  for (let i = 0; i < 2; i++) await put(resource(SG, A1, 'us-east-1', `sg${i}`), statuses[n++ % statuses.length]!);
  // A deleted resource is not listed.
  const gone = resource(BUCKET, A1, 'us-east-1', 'gone');
  await resources.putIfChanged(gone, scopeKey({ accountId: A1, region: 'us-east-1', resourceType: BUCKET }), NOW);
  await resources.tombstone(gone.ResourceId, NOW);
  // A resource too large for an item even compressed: its body goes to the bucket.
  const big = resource(SG, A2, 'eu-west-1', 'big', { Blob: randomBytes(420_000).toString('base64') });
  await put(big, [['FAIL', false]]);
  const scope = scopeKey({ accountId: A2, region: 'eu-west-1', resourceType: SG });
  await ledger.record({ scanId: 's1', scope, accountId: A2, region: 'eu-west-1', resourceType: SG, startedAt: '2026-02-01T11:59:00Z', finishedAt: '2026-02-01T12:00:00Z', resourceCount: 1, changedCount: 1, deletedCount: 0, outcome: 'OK', message: null, trigger: 'scheduled' });

  // A security group with a history: created by a scan, opened by a caller (a verdict moves, an alert opens), deleted.
  const history = new HistoryStore(doc, tables.ResourceHistory, 90, new S3BlobStore(clients, bucket));
  const versioned = new ResourceStore(doc, tables.Resources, new S3BlobStore(clients, bucket), history);
  const versionedCompliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts }, history);
  const sg = resource(SG, A1, 'us-east-1', 'hist', { IpPermissions: [] });
  histId = sg.ResourceId;
  const sgScope = scopeKey({ accountId: A1, region: 'us-east-1', resourceType: SG });
  const at = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
  await versioned.putIfChanged(sg, sgScope, at(3));
  await versionedCompliance.apply({ resourceId: sg.ResourceId, resourceType: SG, accountId: A1, region: 'us-east-1', scope: sgScope }, [verdict(sg, 'Test.Policy.SSH', 'PASS')], 'scheduled', at(3));
  const caller: Actor = { eventID: 'ev-1', eventName: 'AuthorizeSecurityGroupIngress', eventSource: 'ec2.amazonaws.com', eventTime: at(2).toISOString(), awsRegion: 'us-east-1', via: 'eventbridge', identityType: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline', principalId: 'AROA:deploy', accountId: '111122223333', sessionIssuer: null, invokedBy: null, sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2' };
  const cause = { trigger: 'realtime:AuthorizeSecurityGroupIngress' as const, provenance: { actors: [caller] } };
  await versioned.putIfChanged({ ...sg, IpPermissions: [{ FromPort: 22, IpRanges: ['0.0.0.0/0'] }] }, sgScope, at(2), undefined, at(2), cause);
  await versionedCompliance.apply({ resourceId: sg.ResourceId, resourceType: SG, accountId: A1, region: 'us-east-1', scope: sgScope }, [verdict(sg, 'Test.Policy.SSH', 'FAIL')], cause.trigger, at(2), { provenance: cause.provenance });
  await versioned.tombstone(sg.ResourceId, at(1));
  histRecords = await history.forResource(sg.ResourceId);

  const ports = { resources, compliance, accounts, ledger, history, clock: { now: () => NOW } } as Partial<ConsolePorts> as ConsolePorts;
  app = createConsoleApp(ports, async () => ({ id: 'local:viewer', name: 'viewer', role: 'viewer' }));
}, 120_000);

const get = (path: string) => app.request(`/api${path}`);

/** Every row of a filter, following the cursor; asserts no page is larger than asked. */
async function walk(filter: Record<string, string>, limit: number): Promise<ResourceRow[]> {
  const rows: ResourceRow[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const q = new URLSearchParams({ ...filter, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const r = await get(`/resources?${q.toString()}`);
    expect(r.status, q.toString()).toBe(200);
    const page = resourcePageSchema.parse(await r.json());
    expect(page.resources.length).toBeLessThanOrEqual(limit);
    rows.push(...page.resources);
    if (!page.next) return rows;
    cursor = page.next;
  }
  throw new Error('no last page after 50 pages');
}

const ids = (rows: { id?: string; resourceId?: string }[]) => rows.map((r) => r.resourceId ?? r.id).sort();

describe('GET /api/resources', () => {
  it('lists every live resource once, whatever the page size, with its compliance', async () => {
    for (const limit of [1, 4, 100]) {
      const rows = await walk({}, limit);
      expect(ids(rows), `limit ${limit}`).toEqual(ids(stored));
      expect(new Set(rows.map((r) => r.resourceId)).size).toBe(rows.length);
    }
    const rows = await walk({}, 100);
    for (const s of stored) expect(rows.find((r) => r.resourceId === s.id)?.compliance, s.id).toBe(s.compliance);
    const first = resourcePageSchema.parse(await (await get('/resources?limit=1')).json());
    expect(first.accounts.map((a) => a.accountId)).toEqual([A1, A2]);
    expect(first.resourceTypes).toContain(BUCKET);
    const failing = rows.find((r) => r.compliance === 'failing' && r.resourceType === BUCKET)!;
    expect(failing.counts).toEqual({ pass: 1, fail: 1, error: 0, suppressed: 0 });
  });

  it('filters by type, account, region and compliance, alone and together', async () => {
    const cases: Record<string, string>[] = [
      { type: SG },
      { account: A2 },
      { region: 'eu-west-1' },
      { compliance: 'failing' },
      { compliance: 'passing' },
      { compliance: 'error' },
      { compliance: 'none' },
      { type: BUCKET, account: A1, region: 'us-east-1' },
      { type: BUCKET, region: 'eu-west-1', compliance: 'failing' },
      { account: A1, compliance: 'passing' },
    ];
    for (const f of cases) {
      const want = stored.filter((s) => (!f.type || s.type === f.type) && (!f.account || s.account === f.account) && (!f.region || s.region === f.region) && (!f.compliance || s.compliance === f.compliance));
      expect(want.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect(ids(await walk(f, 2)), JSON.stringify(f)).toEqual(ids(want));
    }
  });

  it('answers 400 naming the field for a bad filter or cursor', async () => {
    for (const [q, field] of [
      ['account=12', 'account'],
      ['compliance=great', 'compliance'],
      ['limit=0', 'limit'],
      ['type=AWS.No.Such', 'type'],
      ['cursor=not-a-cursor', 'cursor'],
    ] as const) {
      const r = await get(`/resources?${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: string }).error, q).toMatch(new RegExp(`^${field}: `));
    }
  });
});

describe('GET /api/resource', () => {
  it('returns the stored resource whole (an offloaded body too), its verdicts and when its scope was last verified', async () => {
    const big = stored.find((s) => s.id.endsWith('/big'))!;
    const r = resourceDetailSchema.parse(await (await get(`/resource?id=${encodeURIComponent(big.id)}`)).json());
    expect(r.attributes).toEqual((await resources.get(big.id))!.attributes);
    expect((r.attributes.Blob as string).length).toBeGreaterThan(500_000);
    expect(r.results.map((x) => [x.policyId, x.status])).toEqual([['Test.Policy.0', 'FAIL']]);
    expect(r.compliance).toBe('failing');
    expect(r.lastVerified).toEqual({ finishedAt: '2026-02-01T12:00:00Z', trigger: 'scheduled' });
  });

  it('answers 404 for a resource never stored and 400 without an id', async () => {
    const missing = await get('/resource?id=arn%3Aaws%3As3%3A%3A%3Anope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('id: no stored resource arn:aws:s3:::nope');
    expect((await get('/resource')).status).toBe(400);
  });
});

describe('GET /api/resource/unit-test', () => {
  it("turns a verdict into a Tests entry expecting it (the CLI's --as-test entry), 409 for an errored one", async () => {
    const failing = stored.find((s) => s.compliance === 'failing' && s.type === BUCKET)!;
    const q = (policyId: string) => new URLSearchParams({ id: failing.id, policyId, name: 'Real bucket' }).toString();
    const t = unitTestSchema.parse(await (await get(`/resource/unit-test?${q('Test.Policy.0')}`)).json());
    expect(t.expectedResult).toBe(false);
    expect(parse(t.yaml)).toEqual([{ Name: 'Real bucket', ExpectedResult: false, Resource: (await resources.get(failing.id))!.attributes }]);
    const pass = unitTestSchema.parse(await (await get(`/resource/unit-test?${q('Test.Policy.1')}`)).json());
    expect(pass.expectedResult).toBe(true);
    expect((await get(`/resource/unit-test?${q('No.Such.Policy')}`)).status).toBe(404);

    const errored = stored.find((s) => s.compliance === 'error')!;
    const r = await get(`/resource/unit-test?${new URLSearchParams({ id: errored.id, policyId: 'Test.Policy.0' }).toString()}`);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: string }).error).toMatch(/^policyId: the evaluation of Test.Policy.0 errored \(KeyError: Grants\)/);
  });
});

describe('GET /api/resource/history', () => {
  const page = async (q: Record<string, string>) => {
    const r = await get(`/resource/history?${new URLSearchParams({ id: histId, ...q }).toString()}`);
    expect(r.status, JSON.stringify(q)).toBe(200);
    return resourceHistorySchema.parse(await r.json());
  };

  it("pages a resource's records newest first, each with its diff and cause and never the attributes", async () => {
    // A first PASS is not recorded; at one observation the store sorts the transition before the version.
    expect(histRecords.map((r) => (r.kind === 'version' ? r.change : `${r.fromStatus}→${r.toStatus}`))).toEqual(['created', 'PASS→FAIL', 'changed', 'deleted']);
    const whole = await page({});
    expect(whole.next).toBeUndefined();
    expect(whole.records).toEqual([...histRecords].reverse());
    expect(whole.records.some((r) => 'attributes' in r)).toBe(false);
    const changed = whole.records.find((r) => r.kind === 'version' && r.change === 'changed')!;
    expect(changed.kind === 'version' && changed.diff?.added.map((e) => e.path)).toEqual(['IpPermissions[0]']);
    expect(changed.provenance?.actors?.[0]).toMatchObject({ arn: 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline', sourceIPAddress: '203.0.113.7' });
    const opened = whole.records.find((r) => r.kind === 'finding' && r.toStatus === 'FAIL')!;
    expect(opened).toMatchObject({ policyId: 'Test.Policy.SSH', fromStatus: 'PASS', alert: 'opened', trigger: 'realtime:AuthorizeSecurityGroupIngress' });
    // One record a page: every record once, in the same order.
    const walked: unknown[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const p = await page({ limit: '1', ...(cursor ? { cursor } : {}) });
      walked.push(...p.records);
      cursor = p.next;
      if (!cursor) break;
    }
    expect(walked).toEqual(whole.records);
  });

  it('narrows to a window: an ISO time or a duration back from the clock', async () => {
    const iso = await page({ since: '2026-02-01T09:30:00Z' });
    expect(iso.records.map((r) => r.observedAt)).toEqual(['2026-02-01T11:00:00.000Z', '2026-02-01T10:00:00.000Z', '2026-02-01T10:00:00.000Z']);
    expect((await page({ since: '90m' })).records.map((r) => (r.kind === 'version' ? r.change : r.policyId))).toEqual(['deleted']);
    expect((await page({ since: '1m' })).records).toEqual([]);
  });

  it('answers 404 for a resource never stored, 400 naming the field for a bad since, limit or cursor', async () => {
    const missing = await get('/resource/history?id=arn%3Aaws%3As3%3A%3A%3Anope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('id: no stored resource arn:aws:s3:::nope');
    for (const [q, field] of [
      ['since=3w', 'since'],
      ['limit=500', 'limit'],
      ['cursor=bm90LWEta2V5', 'cursor'],
    ] as const) {
      const r = await get(`/resource/history?id=${encodeURIComponent(histId)}&${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: string }).error, q).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('is documented in the OpenAPI document (the record schema renders)', async () => {
    const r = await get('/openapi.json');
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(Object.keys(doc.paths).filter((k) => k.endsWith('/resource/history'))).toEqual(['/api/resource/history']);
    expect(doc.paths['/api/resource/history']!.get!.parameters!.map((p) => p.name).sort()).toEqual(['cursor', 'id', 'limit', 'since']);
  });
});
