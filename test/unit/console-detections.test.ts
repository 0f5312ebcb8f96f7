/**
 * The Detections routes (src/console/routes/detections.ts) on the real app, the real stores on moto
 * and the real engine port (src/cli/console-policy-engine.ts) on a target whose active pack is the
 * built-in one: 400 naming the field, 403 for roles without managePolicies, 404 for an unknown
 * policy, the byPolicy counts and byType pages, the template's tests run in the engine (and fail
 * when broken), and a publish whose preview moved is refused (409) and not audited.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { consolePolicyEngine } from '../../src/cli/console-policy-engine.ts';
import type { Target } from '../../src/cli/target.ts';
import { createConsoleApp, type ConsoleApp } from '../../src/console/app.ts';
import { ROLES, type Role } from '../../src/console/auth.ts';
import { liveTestResultsSchema, policyDraftSchema, policyListSchema, testResultsSchema, type PolicyDraft } from '../../src/console/contract/detections.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import type { PolicyResult } from '../../src/core/types.ts';
import { ensureTables } from '../../src/local/bootstrap.ts';
import { AuditStore } from '../../src/store/audit-store.ts';
import { S3BlobStore } from '../../src/store/blob-store.ts';
import { ComplianceStore } from '../../src/store/compliance-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { ResourceStore } from '../../src/store/resource-store.ts';
import { accountClients, randomAccountId } from '../helpers/moto.ts';

let app: ConsoleApp;
let audit: AuditStore;
let template: PolicyDraft;
const POLICY = 'Custom.Test.Tagged';
const NOW = new Date('2026-02-01T12:00:00Z');

const bucketOf = (n: number) => ({ ResourceId: `arn:aws:s3:::b${n}`, ResourceType: 'AWS.S3.Bucket', AccountId: '111122223333', Region: 'us-east-1', TimeCreated: null, Arn: `arn:aws:s3:::b${n}`, Id: null, Name: `b${n}`, Tags: n % 2 ? { owner: 'x' } : null });

beforeAll(async () => {
  const accountId = randomAccountId();
  const clients = await accountClients(accountId);
  const tables = await ensureTables(clients, 'cdet');
  const bucket = `cdet-${accountId}`;
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
  const doc = documentClient(clients);
  audit = new AuditStore(doc, tables.ConsoleAudit);
  const resources = new ResourceStore(doc, tables.Resources, new S3BlobStore(clients, bucket));
  const compliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts });
  // Five stored buckets; POLICY's stored verdicts: 2 PASS, 2 FAIL (one suppressed), 1 ERROR.
  const statuses = ['PASS', 'PASS', 'FAIL', 'FAIL', 'ERROR'] as const;
  for (let n = 0; n < 5; n++) {
    const r = bucketOf(n);
    await resources.putIfChanged(r, `111122223333#us-east-1#AWS.S3.Bucket`, NOW);
    const result: PolicyResult = { policyId: POLICY, resourceId: r.ResourceId, resourceType: r.ResourceType, status: statuses[n]!, errorMessage: statuses[n] === 'ERROR' ? 'boom' : null, severity: 'Medium', title: null, dedup: null, suppressed: n === 3 };
    await compliance.apply({ resourceId: r.ResourceId, resourceType: r.ResourceType, accountId: r.AccountId, region: r.Region, scope: `111122223333#us-east-1#AWS.S3.Bucket` }, [result], 'scheduled', NOW);
  }
  const target = { kind: 'local', name: 'unit', clients, bucket, outputs: {}, tables, resources, compliance } as Partial<Target> as Target;
  const ports = {
    audit,
    resources,
    compliance,
    clock: { now: () => NOW },
    catalog: async () => ({ source: 'test', policies: [{ policyId: POLICY, displayName: 'Tagged', severity: 'Medium' as const, resourceTypes: ['AWS.S3.Bucket'], enabled: true, reports: { 'CIS AWS Foundations 3.0': ['2.1.1'] }, description: null, runbook: null, reference: null }] }),
    policyEngine: consolePolicyEngine(target),
  } as Partial<ConsolePorts> as ConsolePorts;
  app = createConsoleApp(ports, async (req) => {
    const role = req.headers.get('x-role');
    return role && (ROLES as readonly string[]).includes(role) ? { id: `local:${role}`, name: role, role: role as Role } : null;
  });
  template = policyDraftSchema.parse(await (await app.request('/api/policies/template?resourceType=AWS.S3.Bucket', { headers: { 'x-role': 'viewer' } })).json());
});

const call = (role: Role, path: string, body?: unknown) =>
  app.request(`/api${path}`, body === undefined ? { headers: { 'x-role': role } } : { method: 'POST', headers: { 'x-role': role, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Detections routes', () => {
  it('lists the catalog with the byPolicy counts (FAIL excludes suppressed) and the framework names', async () => {
    const list = policyListSchema.parse(await (await call('viewer', '/policies')).json());
    expect(list.policies).toEqual([{ policyId: POLICY, displayName: 'Tagged', enabled: true, severity: 'Medium', resourceTypes: ['AWS.S3.Bucket'], passing: 2, failing: 1, frameworks: ['cis-3.0'] }]);
  });

  it('answers 404 for a policy the active pack does not hold', async () => {
    const r = await call('viewer', '/policies/No.Such.Policy');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'no policy No.Such.Policy in the active pack' });
  });

  it('answers 400 naming the field', async () => {
    const bad = await call('admin', '/policies/test', { draft: { ...template, spec: { ...template.spec, Filename: '../escape.py' } } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('draft.spec.Filename: must be a file name ending in .py, without a folder');
    const hash = await call('admin', '/policies/publish', { draft: template, confirm: { fromHash: 'x', toHash: 'b'.repeat(64) } });
    expect((await hash.json()).error).toBe('confirm.fromHash: must be a content hash');
    const cursor = await call('admin', '/policies/evaluate', { draft: template, cursor: 'bm9wZQ' });
    expect(cursor.status).toBe(400);
    expect((await cursor.json()).error).toMatch(/^cursor: 'bm9wZQ' is not a cursor of AWS\.S3\.Bucket$/);
  });

  it('refuses every draft action to a viewer and an analyst (403)', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      for (const [path, body] of [
        ['/policies/test', { draft: template }],
        ['/policies/evaluate', { draft: template }],
        ['/policies/preview', { draft: template }],
        ['/policies/publish', { draft: template, confirm: { fromHash: 'a'.repeat(64), toHash: 'b'.repeat(64) } }],
      ] as const) {
        const r = await call(role, path, body);
        expect(r.status, `${role} ${path}`).toBe(403);
      }
    }
    expect((await audit.list({ limit: 10 })).entries).toEqual([]);
  });

  it("runs the template's tests in the engine: they pass as given and fail when the code is broken", async () => {
    const ok = testResultsSchema.parse(await (await call('admin', '/policies/test', { draft: template })).json());
    expect(ok).toMatchObject({ passed: 2, failed: 0, errors: [] });
    const broken = testResultsSchema.parse(await (await call('admin', '/policies/test', { draft: { ...template, source: 'def policy(resource):\n    return True\n' } })).json());
    expect(broken.passed).toBe(1);
    expect(broken.failed).toBe(1);
    expect(broken.cases.find((c) => !c.passed)?.name).toBe('Untagged resource fails');
    const invalid = testResultsSchema.parse(await (await call('admin', '/policies/test', { draft: { ...template, spec: { ...template.spec, Severity: 'Urgent' } } })).json());
    expect(invalid.errors.join(' ')).toMatch(/Severity/);
  }, 60_000);

  it('evaluates the draft on one page of stored resources of its type at a time', async () => {
    const first = liveTestResultsSchema.parse(await (await call('admin', '/policies/evaluate', { draft: template, limit: 3 })).json());
    expect(first.results).toHaveLength(3);
    expect(first.next).toBeDefined();
    const second = liveTestResultsSchema.parse(await (await call('admin', '/policies/evaluate', { draft: template, limit: 3, cursor: first.next })).json());
    const all = [...first.results, ...second.results];
    expect(all.map((r) => r.resourceId).sort()).toEqual([0, 1, 2, 3, 4].map((n) => `arn:aws:s3:::b${n}`));
    // The template passes tagged buckets (odd n) and fails the others.
    for (const r of all) expect(r.status, r.resourceId).toBe(Number(r.resourceId.slice(-1)) % 2 ? 'PASS' : 'FAIL');
    const other = await call('admin', '/policies/evaluate', { draft: template, resourceType: 'AWS.EC2.Instance' });
    expect((await other.json()).error).toBe("resourceType: AWS.EC2.Instance is not one of the draft's ResourceTypes");
  }, 60_000);

  it('refuses a publish whose previewed bundles are not the current ones (409), and audits nothing', async () => {
    const r = await call('admin', '/policies/publish', { draft: template, confirm: { fromHash: 'a'.repeat(64), toHash: 'b'.repeat(64) } });
    expect(r.status).toBe(409);
    expect((await r.json()).error).toMatch(/^the bundles are no longer the previewed ones \(aaaaaaaaaaaa → bbbbbbbbbbbb, now [0-9a-f]{12} → [0-9a-f]{12}\); nothing was uploaded; preview again$/);
    expect((await audit.list({ limit: 10 })).entries).toEqual([]);
  }, 60_000);
});
