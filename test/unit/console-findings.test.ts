/**
 * The Findings API's reads on moto (real stores, no engine): the filtered pages walk the Compliance
 * indexes so that every matching verdict comes exactly once whatever the page size (page ends on
 * partition ends included), each filter agrees with the domain filter, and the gates hold: 400
 * naming the field (query, body, cursor), 403 for a viewer's exception change with no audit entry.
 * The exception changes themselves need the engine: test/e2e/console-findings.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PolicyCatalog } from '../../src/compliance/catalog.ts';
import { filterFindings } from '../../src/compliance/finding-filter.ts';
import { collectFindings } from '../../src/compliance/findings.ts';
import { createConsoleApp, type ConsoleApp } from '../../src/console/app.ts';
import { ROLES, type Role } from '../../src/console/auth.ts';
import { findingsPageSchema } from '../../src/console/contract/findings.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import type { PolicyResult, Severity, Status } from '../../src/core/types.ts';
import { ensureTables } from '../../src/local/bootstrap.ts';
import { AccountStore } from '../../src/store/account-store.ts';
import { AuditStore } from '../../src/store/audit-store.ts';
import { ComplianceStore } from '../../src/store/compliance-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { ExceptionStore } from '../../src/store/exception-store.ts';
import { LedgerStore } from '../../src/store/ledger-store.ts';
import { accountClients, randomAccountId } from '../helpers/moto.ts';

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const POLICIES: { policyId: string; severity: Severity; cis: boolean }[] = [
  { policyId: 'Test.Bucket.Encryption', severity: 'High', cis: true },
  { policyId: 'Test.Bucket.Logging', severity: 'Low', cis: false },
  { policyId: 'Test.Bucket.Versioning', severity: 'Medium', cis: true },
];
const catalog: PolicyCatalog = {
  source: 'test',
  policies: POLICIES.map((p) => ({
    policyId: p.policyId,
    displayName: `${p.policyId} title`,
    severity: p.severity,
    resourceTypes: ['AWS.S3.Bucket'],
    enabled: true,
    reports: (p.cis ? { 'CIS AWS Foundations Benchmark v3.0.0': ['2.1.1'] } : {}) as Record<string, string[]>,
    description: null,
    runbook: null,
    reference: null,
  })),
};

let app: ConsoleApp;
let ports: ConsolePorts;

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'cfind');
  const doc = documentClient(clients);
  const compliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts });
  const accounts = new AccountStore(doc, tables.Accounts);
  const now = new Date('2026-02-01T12:00:00Z');
  for (const accountId of ACCOUNTS) {
    await accounts.put({ accountId, name: `acct-${accountId.slice(0, 1)}`, externalId: 'ext-id-123', enabled: true, excludeRegions: [], excludeTypes: [], excludeResources: [] });
    for (const region of REGIONS) {
      for (let i = 0; i < 6; i++) {
        const resourceId = `arn:aws:s3:::b-${accountId.slice(0, 1)}-${region}-${i}`;
        const scope = `${accountId}#${region}#AWS.S3.Bucket`;
        const results: PolicyResult[] = POLICIES.map((p, j) => {
          const status: Status = (i + j) % 3 === 0 ? 'PASS' : (i + j) % 3 === 1 ? 'FAIL' : i === 5 ? 'ERROR' : 'FAIL';
          return { policyId: p.policyId, resourceId, resourceType: 'AWS.S3.Bucket', status, errorMessage: status === 'ERROR' ? 'boom' : null, severity: p.severity, title: null, dedup: null, suppressed: status === 'FAIL' && i === 4 };
        });
        await compliance.apply({ resourceId, resourceType: 'AWS.S3.Bucket', accountId, region, scope }, results, 'scheduled', now);
      }
    }
  }
  ports = {
    accounts,
    compliance,
    ledger: new LedgerStore(doc, tables.ScanLedger),
    exceptions: new ExceptionStore(doc, tables.Exceptions),
    audit: new AuditStore(doc, tables.ConsoleAudit),
    catalog: async () => catalog,
    clock: { now: () => now },
    partition: 'aws',
    region: 'us-east-1',
    securityAccountId: randomAccountId(),
  } as Partial<ConsolePorts> as ConsolePorts;
  app = createConsoleApp(ports, async (req) => {
    const role = req.headers.get('x-role');
    return role && (ROLES as readonly string[]).includes(role) ? { id: `local:${role}`, name: role, role: role as Role } : null;
  });
}, 120_000);

const get = (path: string, role: Role = 'viewer') => app.request(`/api${path}`, { headers: { 'x-role': role } });

async function walk(query: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const r = await get(`/findings?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    const page = findingsPageSchema.parse(await r.json());
    expect(page.findings.length).toBeLessThanOrEqual(limit);
    out.push(...page.findings.map((f) => `${f.policyId} ${f.resourceId}`));
    cursor = page.next;
    if (!cursor) return out;
  }
  throw new Error('no last page');
}

describe('GET /api/findings', () => {
  it('returns every matching verdict exactly once, whatever the page size, for each filter', async () => {
    const all = await collectFindings({ accounts: ports.accounts, compliance: ports.compliance });
    const cases: [string, Parameters<typeof filterFindings>[1]][] = [
      ['', {}],
      ['status=FAIL', { status: ['FAIL'] }],
      ['status=SUPPRESSED', { status: ['SUPPRESSED'] }],
      ['status=ERROR&severity=Medium', { status: ['ERROR'], severity: 'Medium' }],
      ['account=222222222222', { account: ['222222222222'] }],
      ['account=111111111111&region=eu-west-1&resourceType=AWS.S3.Bucket', { account: ['111111111111'], region: ['eu-west-1'], resourceType: ['AWS.S3.Bucket'] }],
      ['policy=Test.Bucket.Logging&status=FAIL', { policy: ['Test.Bucket.Logging'], status: ['FAIL'] }],
      ['framework=cis-3.0', { frameworkPolicies: new Set(['Test.Bucket.Encryption', 'Test.Bucket.Versioning']) }],
      ['text=EU-WEST-1-3', { text: 'eu-west-1-3' }],
    ];
    for (const [query, filter] of cases) {
      const expected = filterFindings(all, filter).map((f) => `${f.policyId} ${f.resourceId}`).sort();
      expect(expected.length, query).toBeGreaterThan(0);
      for (const limit of [2, 6, 100]) {
        const got = await walk(query, limit);
        expect(new Set(got).size, `${query} limit ${limit}`).toBe(got.length);
        expect(got.sort(), `${query} limit ${limit}`).toEqual(expected);
      }
    }
  }, 120_000);

  it('joins the catalog: titles and framework requirements', async () => {
    const page = findingsPageSchema.parse(await (await get('/findings?policy=Test.Bucket.Encryption&limit=1')).json());
    expect(page.findings[0]).toMatchObject({ title: 'Test.Bucket.Encryption title', requirements: [{ frameworkId: 'cis-3.0', control: '2.1.1' }] });
  });

  it('answers 400 naming the field: a bad severity, a framework Posture does not model, a forged cursor', async () => {
    for (const [path, error] of [
      ['/findings?severity=Huge', /^severity: /],
      ['/findings?limit=0', /^limit: /],
      ['/findings?framework=nope', /^framework: 'nope' is not one of cis-3.0/],
      ['/findings?cursor=bm90LWpzb24', /^cursor: /],
      ['/findings/detail?resourceId=x', /^policyId: /],
      ['/findings/export?format=xlsx', /^format: /],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(((await r.json()) as { error: string }).error, path).toMatch(error);
    }
    expect((await get('/findings/detail?resourceId=x&policyId=y')).status).toBe(404);
  });

  it('exports the filtered view as CSV, OCSF lines and ASFF', async () => {
    const csv = await get('/findings/export?format=csv&status=ERROR');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="posture-findings-2026-02-01.csv"');
    const rows = Number(csv.headers.get('x-posture-rows'));
    expect(rows).toBeGreaterThan(0);
    expect((await csv.text()).trim().split('\n')).toHaveLength(rows + 1);
    const ocsf = await (await get('/findings/export?format=ocsf&status=ERROR')).text();
    expect(ocsf.trim().split('\n')).toHaveLength(rows);
    const asff = JSON.parse(await (await get('/findings/export?format=asff&status=ERROR')).text()) as unknown[];
    expect(asff).toHaveLength(rows);
  });
});

describe('exceptions routes: the gates', () => {
  const body = (over: Record<string, unknown> = {}) => JSON.stringify({ exceptions: [{ policyId: 'Test.Bucket.Logging', resourcePattern: 'arn:aws:s3:::b-1-*', owner: 'o', reason: 'r', expires: '2099-01-01', ...over }] });
  const post = (role: Role, b: string) => app.request('/api/exceptions', { method: 'POST', headers: { 'x-role': role, 'content-type': 'application/json' }, body: b });

  it('refuses a viewer (403) and writes no audit entry; an invalid body is a 400 naming the field', async () => {
    const r = await post('viewer', body());
    expect(r.status).toBe(403);
    expect((await app.request('/api/exceptions/exc-00000000', { method: 'DELETE', headers: { 'x-role': 'viewer' } })).status).toBe(403);
    const missing = await post('analyst', JSON.stringify({ exceptions: [{ policyId: 'P' }] }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/^exceptions\.0\.resourcePattern: /);
    expect((await post('analyst', JSON.stringify({ exceptions: [] }))).status).toBe(400);
    expect((await ports.audit.list({ limit: 10 })).entries).toEqual([]);
    expect((await (await get('/exceptions')).json()) as unknown).toEqual({ exceptions: [] });
  });
});
