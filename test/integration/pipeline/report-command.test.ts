/**
 * `posture report` against a deployed-stack target on moto: stores seeded through their own
 * classes (accounts, resources, compliance transitions, scan ledger), the verb writing the page.
 * The not-evaluated scopes are each scope's newest ledger entry when it is not OK.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS, tableOutputKey } from '../../../lib/outputs.ts';
import { runReport } from '../../../src/cli/commands/report.ts';
import { DEFAULT_REPORT_FILE } from '../../../src/cli/out-path.ts';
import { FindingsUsageError } from '../../../src/cli/commands/findings.ts';
import { resolveTarget, type Target } from '../../../src/cli/target.ts';
import type { PolicyResult, Severity, Status } from '../../../src/core/types.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { projectRoot } from '../../../src/core/paths.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import { TABLES, type TableId } from '../../../src/store/tables.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const security = randomAccountId();
const prod = randomAccountId();
const dev = randomAccountId();
const gone = randomAccountId();
let target: Target;
let dir: string;
const saved = { ...process.env };

const bucket = (acct: string, name: string) => ({
  ResourceId: `arn:aws:s3:::${name}`,
  ResourceType: 'AWS.S3.Bucket',
  TimeCreated: '2025-01-01T00:00:00Z',
  AccountId: acct,
  Region: 'global',
  Arn: `arn:aws:s3:::${name}`,
  Id: null,
  Name: name,
  Tags: { owner: '<b>team</b>' },
});

async function seedResource(acct: string, name: string, results: [string, Severity, Status][], store = true): Promise<void> {
  const r = bucket(acct, name);
  const scope = `${acct}#global#AWS.S3.Bucket`;
  if (store) await target.resources.putIfChanged(r, scope, new Date('2026-11-20T05:00:00Z'));
  const policyResults: PolicyResult[] = results.map(([policyId, severity, status]) => ({
    policyId,
    resourceId: r.ResourceId,
    resourceType: r.ResourceType,
    status,
    errorMessage: status === 'ERROR' ? 'TypeError: boom' : null,
    severity,
    title: status === 'FAIL' ? `${policyId} fails for ${name}` : null,
    dedup: null,
    suppressed: false,
  }));
  await target.compliance.apply({ resourceId: r.ResourceId, resourceType: r.ResourceType, accountId: acct, region: 'global', scope }, policyResults, 'scheduled', new Date('2026-11-20T05:00:00Z'));
}

const ledger = (scanId: string, accountId: string, region: string, resourceType: string, finishedAt: string, outcome: LedgerEntry['outcome'], message: string | null = null): LedgerEntry => ({
  scanId,
  scope: `${accountId}#${region}#${resourceType}`,
  accountId,
  region,
  resourceType,
  startedAt: finishedAt,
  finishedAt,
  resourceCount: 0,
  changedCount: 0,
  deletedCount: 0,
  outcome,
  message,
  trigger: 'scheduled',
});

beforeAll(async () => {
  const clients = await accountClients(security);
  const tables = await ensureTables(clients, `rep${security.slice(-4)}`);
  const outputs: Record<string, { Value: string }> = { [OUTPUTS.scanBucket]: { Value: 'report-test-bucket' } };
  for (const id of Object.keys(TABLES) as TableId[]) outputs[tableOutputKey(id)] = { Value: tables[id] };
  await clients.get(CloudFormationClient).send(new CreateStackCommand({ StackName: 'PostureReport', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: outputs }) }));
  const creds = await accountCredentials(security);
  Object.assign(process.env, { AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
  target = await resolveTarget({ stack: 'PostureReport', region: 'us-east-1' });
  dir = await mkdtemp(join(tmpdir(), 'posture-report-cmd-'));

  for (const [accountId, name] of [[prod, 'payments-prod'], [dev, 'analytics-dev']] as const) {
    await target.accounts.put({ accountId, name, externalId: 'ext-123456', roleName: 'PostureAuditRole', enabled: true, excludeRegions: [], excludeTypes: [], excludeResources: [] });
  }
  await seedResource(prod, 'prod-logs', [['AWS.S3.Bucket.Encryption', 'High', 'FAIL'], ['AWS.S3.Bucket.PublicACL', 'Critical', 'PASS'], ['AWS.S3.Bucket.MFADelete', 'Low', 'FAIL']]);
  await seedResource(prod, 'prod-assets', [['AWS.S3.Bucket.Encryption', 'High', 'PASS'], ['AWS.S3.Bucket.PublicACL', 'Critical', 'ERROR']]);
  // Compliance without a stored resource (deleted since): the page says so instead of failing.
  await seedResource(dev, 'dev-scratch', [['AWS.S3.Bucket.Encryption', 'High', 'FAIL']], false);

  // prod IAM users: readable once, denied at the newest scan → not evaluated, with the newest message.
  await target.ledger.record(ledger('s1', prod, 'global', 'AWS.IAM.User', '2026-11-20T05:00:00Z', 'OK'));
  await target.ledger.record(ledger('s2', prod, 'global', 'AWS.IAM.User', '2026-11-21T05:00:00Z', 'ACCESS_DENIED', 'AccessDenied: not authorized to perform iam:ListUsers'));
  // prod security groups: throttled once, read at the newest scan → evaluated.
  await target.ledger.record(ledger('s1', prod, 'us-east-1', 'AWS.EC2.SecurityGroup', '2026-11-20T05:00:00Z', 'THROTTLED', 'Rate exceeded'));
  await target.ledger.record(ledger('s2', prod, 'us-east-1', 'AWS.EC2.SecurityGroup', '2026-11-21T05:00:00Z', 'OK'));
  await target.ledger.record(ledger('s2', dev, 'eu-west-1', 'AWS.S3.Bucket', '2026-11-21T05:01:00Z', 'ERROR', 'InternalError: <html>oops</html>'));
  // An opt-in region the account has not enabled: listed apart, not counted as a gap.
  await target.ledger.record(ledger('s2', prod, 'ap-east-1', '*', '2026-11-21T05:00:00Z', 'REGION_DISABLED', 'region ap-east-1 is not enabled'));
  // An account that is no longer onboarded is left out unless asked for.
  await target.ledger.record(ledger('s2', gone, 'global', 'AWS.IAM.User', '2026-11-21T05:00:00Z', 'ACCESS_DENIED', 'denied'));
}, 120_000);

afterAll(async () => {
  process.env = saved;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('posture report', () => {
  it('writes out/report.html without --out, as scan writes out/scan', async () => {
    const file = join(process.cwd(), DEFAULT_REPORT_FILE);
    const before = await readFile(file).catch(() => undefined); // a report the developer wrote stays theirs
    try {
      const r = await runReport(target, { stack: 'PostureReport' }, new Date('2026-11-22T06:00:00Z'));
      expect(DEFAULT_REPORT_FILE).toBe('out/report.html');
      expect(r.file).toBe(DEFAULT_REPORT_FILE);
      expect(await readFile(file, 'utf8')).toContain('<title>Posture report: PostureReport (all accounts)</title>');
    } finally {
      if (before) await writeFile(file, before);
      else await rm(file, { force: true });
    }
  });

  it('writes the charts, the scopes not evaluated now and the failing resources of every onboarded account', async () => {
    const out = join(dir, 'nested', 'all.html');
    const r = await runReport(target, { out, stack: 'PostureReport' }, new Date('2026-11-22T06:00:00Z'));
    expect(r).toMatchObject({ file: out, results: 6, failing: 3, notEvaluated: 2 });
    const html = await readFile(out, 'utf8');
    expect(Buffer.byteLength(html)).toBe(r.bytes);
    expect(html).toContain(`<title>Posture report: PostureReport (all accounts)</title>`);
    for (const id of ['chart-status', 'chart-severity', 'chart-account', 'chart-type', 'chart-policy']) expect(html).toMatch(new RegExp(`<svg xmlns="http://www.w3.org/2000/svg" class="chart [a-z]+" id="${id}" role="img"`));
    expect(html).toContain(`data-label="${prod} (payments-prod)" data-fail="2" data-error="1" data-suppressed="0" data-pass="2" data-total="5"`);
    expect(html).toContain(`data-label="${dev} (analytics-dev)" data-fail="1" data-error="0" data-suppressed="0" data-pass="0" data-total="1"`);
    expect(html).toContain('data-label="AWS.S3.Bucket.Encryption" data-fail="2" data-error="0" data-suppressed="0" data-pass="1" data-total="3"');

    expect(html).toContain('<h2>Scopes not evaluated (2)</h2>');
    // One row per outcome, account and region (here one scope each), with the account's name.
    expect(html).toContain(
      `<tr data-outcome="ACCESS_DENIED"><td class="nw">ACCESS_DENIED</td><td class="nw">${prod}<br><small>payments-prod</small></td><td class="nw">global</td><td class="num">1</td><td class="types"><code>AWS.IAM.User</code></td><td><ul class="reasons"><li>AccessDenied: not authorized to perform iam:ListUsers</li></ul></td></tr>`,
    );
    expect(html).toContain(
      `<tr data-outcome="ERROR"><td class="nw">ERROR</td><td class="nw">${dev}<br><small>analytics-dev</small></td><td class="nw">eu-west-1</td><td class="num">1</td><td class="types"><code>AWS.S3.Bucket</code></td><td><ul class="reasons"><li>InternalError: &lt;html&gt;oops&lt;/html&gt;</li></ul></td></tr>`,
    );
    expect(html).not.toContain('Rate exceeded');
    expect(html).toContain(`<table id="regions-disabled"><thead><tr><th>Account</th><th>Regions</th></tr></thead><tbody><tr><td>${prod}<br><small>payments-prod</small></td><td>ap-east-1</td></tr></tbody></table>`);
    expect(html).not.toContain(gone);

    // The stored resource JSON of a failing finding, escaped; a missing one is named.
    expect(html).toContain('&quot;ResourceId&quot;: &quot;arn:aws:s3:::prod-logs&quot;');
    expect(html).toContain('&quot;owner&quot;: &quot;&lt;b&gt;team&lt;/b&gt;&quot;');
    expect(html).not.toContain('<b>team</b>');
    expect(html).toContain('resource JSON not stored (deleted since the evaluation?)');
    expect(html).toContain('<h2>Failing and errored (4)</h2>');
  });

  it('filters by account and minimum severity, with the scopes of the chosen accounts', async () => {
    const out = join(dir, 'dev.html');
    const dev1 = await runReport(target, { out, accounts: [dev, gone] });
    expect(dev1).toMatchObject({ results: 1, failing: 1, notEvaluated: 2 });
    const html = await readFile(out, 'utf8');
    expect(html).toContain(`(accounts ${dev}, ${gone})</title>`);
    expect(html).toContain(`<td class="nw">${gone}</td>`);
    const high = await runReport(target, { out, minSeverity: 'high' });
    expect(high).toMatchObject({ results: 5, failing: 2 });
    expect(await readFile(out, 'utf8')).not.toContain('AWS.S3.Bucket.MFADelete');
  });

  it('names the bad option in one line and writes nothing', async () => {
    await mkdir(join(dir, 'adir.html'));
    await expect(runReport(target, { out: join(dir, 'adir.html') })).rejects.toThrow(new FindingsUsageError(`--out: '${join(dir, 'adir.html')}' is a directory; name the .html file to write`));
    await expect(runReport(target, { out: join(dir, 'x.txt') })).rejects.toThrow(/^--out: '.*x\.txt' should name an \.html file$/);
    await writeFile(join(dir, 'afile'), 'x');
    await expect(runReport(target, { out: join(dir, 'afile', 'r.html') })).rejects.toThrow(
      new FindingsUsageError(`--out: ${join(dir, 'afile', 'r.html')}: ${join(dir, 'afile')} is a file, not a directory`),
    );
    await expect(runReport(target, { out: join(dir, 'x.html'), minSeverity: 'urgent' })).rejects.toThrow(/^--min-severity: 'urgent' is not one of Info, Low, Medium, High, Critical$/);
    // With the active pack's catalog, a policy ID it lacks is a typo: one line naming the closest ID.
    const entry = { displayName: null, severity: 'High' as const, resourceTypes: ['AWS.S3.Bucket'], enabled: true, reports: {}, description: null, runbook: null, reference: null };
    const catalog = { source: 'test pack', policies: [{ ...entry, policyId: 'AWS.S3.Bucket.Encryption' }, { ...entry, policyId: 'AWS.S3.Bucket.MFADelete' }] };
    await expect(runReport(target, { out: join(dir, 'x.html'), policies: ['AWS.S3.Bucket.Encryptio'] }, new Date(), catalog)).rejects.toThrow(
      new FindingsUsageError("--policies: unknown policy 'AWS.S3.Bucket.Encryptio' in the active pack (test pack); did you mean AWS.S3.Bucket.Encryption?"),
    );
    await expect(readFile(join(dir, 'x.html'))).rejects.toThrow(/ENOENT/);
  });

  it('is a CLI verb: a target that does not answer is one line and exit 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'report', '--out', join(dir, 'cli.html'), '--endpoint', 'http://127.0.0.1:9'], { cwd: projectRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^posture report: --endpoint http:\/\/127\.0\.0\.1:9: cannot reach it \(ECONNREFUSED\); start a local runtime with posture demo --keep-running$/);
  }, 60_000);
});
