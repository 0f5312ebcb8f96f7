/**
 * `posture scan` as a user runs it: the CLI in a subprocess, scanning the shared moto server
 * (AWS_ENDPOINT_URL) with test credentials, its own state in an embedded store. Resources are
 * seeded in moto's default account (123456789012, the caller) under names unique to this run;
 * a second account is reached by role assumption.
 */
import { chmod, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.ts';
import { CSV_COLUMNS } from '../../src/compliance/finding-formats.ts';
import { parseScanOptions, ScanUsageError, type ScanCliOptions } from '../../src/cli/scan.ts';
import { pythonExecutable } from '../../src/core/paths.ts';
import { startFaultProxy } from '../helpers/fault-proxy.ts';
import { accountClients, motoEndpoint, randomAccountId } from '../helpers/moto.ts';
import { runPosture, type CliRun } from '../helpers/cli.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../src/local/emulator-retry.ts';

const CALLER = '123456789012';
const run = Math.random().toString(36).slice(2, 8);
const names = { public: `psc-${run}-public`, skipped: `psc-${run}-skipped`, ssh: `psc-${run}-ssh`, west: `psc-${run}-west`, member: `psc-${run}-member` };
const member = randomAccountId();
const unassumable = randomAccountId();

type Run = CliRun;

function posture(args: string[], endpoint = motoEndpoint(), extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    ...extraEnv,
  };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  return runPosture(['scan', ...args], env);
}

const errorLines = (r: Run) => r.stderr.split('\n').filter((l) => l.startsWith('posture scan:'));

async function seedCaller(): Promise<void> {
  const clients = createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
  const s3 = clients.get(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: names.public }));
  await s3.send(new PutBucketAclCommand({ Bucket: names.public, ACL: 'public-read' }));
  await s3.send(new CreateBucketCommand({ Bucket: names.skipped }));
  const sg = async (region: string, name: string) => {
    const ec2 = clients.get(EC2Client, region);
    const g = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'posture scan cli test' }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    return g.GroupId!;
  };
  await sg('eu-west-1', names.ssh);
  await sg('us-west-2', names.west);
  // A second account, reached through --role-name (moto switches account state on AssumeRole).
  const m = await accountClients(member);
  await m.get(S3Client).send(new CreateBucketCommand({ Bucket: names.member }));
}

/** A custom pack: one policy with passing tests (FAILs buckets of this run), and a broken copy.
 *  The good one also overrides a built-in policy (same PolicyID): buckets without a TLS-only policy pass it. */
async function customPolicies(root: string): Promise<{ good: string; bad: string }> {
  const spec = (expected: boolean) => `AnalysisType: policy
Filename: psc_bucket.py
PolicyID: Custom.PSC.Bucket
DisplayName: Test buckets of the scan CLI test
Enabled: true
ResourceTypes: [AWS.S3.Bucket]
Severity: Info
Tests:
  - Name: a test bucket
    ExpectedResult: ${expected ? 'true' : 'false'}
    Resource: { Name: psc-x-y, ResourceType: AWS.S3.Bucket }
  - Name: another bucket
    ExpectedResult: true
    Resource: { Name: data, ResourceType: AWS.S3.Bucket }
`;
  const py = `def policy(resource):\n    return not str(resource.get("Name") or "").startswith("psc-")\n`;
  const good = join(root, 'good', 'custom_policies');
  const bad = join(root, 'bad', 'custom_policies');
  for (const [dir, expected] of [
    [good, false],
    [bad, true],
  ] as const) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'psc_bucket.yml'), spec(expected));
    await writeFile(join(dir, 'psc_bucket.py'), py);
  }
  await writeFile(join(good, 'lenient_tls.py'), 'def policy(resource):\n    return True\n');
  await writeFile(
    join(good, 'lenient_tls.yml'),
    'AnalysisType: policy\nFilename: lenient_tls.py\nPolicyID: AWS.S3.Bucket.SecureTransport\nEnabled: true\nResourceTypes: [AWS.S3.Bucket]\nSeverity: Info\n' +
      'Tests:\n  - Name: any bucket\n    ExpectedResult: true\n    Resource: { Name: data, ResourceType: AWS.S3.Bucket }\n',
  );
  return { good, bad };
}

interface Finding {
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: string;
  policyId: string;
  severity: string;
  status: string;
}

describe('posture scan', () => {
  let tmp: string;
  let policies: { good: string; bad: string };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'posture-scan-cli-'));
    policies = await customPolicies(tmp);
    await seedCaller();
  });

  it.concurrent('scans the caller account: files, --types/--regions filtering, exclusions, csv export, --fail-on', { timeout: 180_000 }, async () => {
    const out = join(tmp, 'caller');
    const r = await posture([
      '--regions', 'us-east-1,eu-west-1',
      '--types', 'AWS.S3.Bucket,AWS.EC2.SecurityGroup',
      '--exclude-resources', `${names.skipped}$`,
      '--out', out,
      '--format', 'csv,ocsf,asff',
      '--fail-on', 'critical',
    ]);
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(1); // the public-read bucket is a Critical FAIL

    const resources = (await readFile(join(out, 'resources.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(resources.map((x) => x.ResourceType))).toEqual(new Set(['AWS.S3.Bucket', 'AWS.EC2.SecurityGroup']));
    expect(resources.every((x) => x.AccountId === CALLER && ['us-east-1', 'eu-west-1'].includes(String(x.Region)))).toBe(true);
    const names_ = resources.map((x) => x.Name);
    expect(names_).toEqual(expect.arrayContaining([names.public, names.ssh]));
    expect(names_).not.toContain(names.west); // us-west-2: not in --regions
    expect(names_).not.toContain(names.skipped); // --exclude-resources

    const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as Finding[];
    const publicBucket = resources.find((x) => x.Name === names.public)!.ResourceId;
    const ssh = resources.find((x) => x.Name === names.ssh)!.ResourceId;
    expect(findings).toContainEqual(expect.objectContaining({ resourceId: publicBucket, policyId: 'AWS.S3.Bucket.PublicACL', status: 'FAIL', severity: 'Critical' }));
    expect(findings).toContainEqual(expect.objectContaining({ resourceId: ssh, policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld', status: 'FAIL', region: 'eu-west-1' }));
    expect(new Set(findings.map((f) => f.resourceType))).toEqual(new Set(['AWS.S3.Bucket', 'AWS.EC2.SecurityGroup']));

    const csv = (await readFile(join(out, 'findings.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.filter(Boolean)).toHaveLength(findings.length + 1);
    const ocsf = (await readFile(join(out, 'findings.ocsf.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { class_uid: number });
    expect(ocsf).toHaveLength(findings.length);
    expect(ocsf.every((o) => o.class_uid === 2003)).toBe(true);
    const asff = JSON.parse(await readFile(join(out, 'findings.asff.json'), 'utf8')) as { AwsAccountId: string; Compliance: { Status: string } }[];
    expect(asff).toHaveLength(findings.length);
    expect(asff.filter((a) => a.Compliance.Status === 'FAILED').length).toBe(findings.filter((f) => f.status === 'FAIL').length);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`account ${CALLER}`);
    expect(html).toContain(names.public);

    // The summary: by severity, account and policy; progress lines go to stderr (not a TTY).
    expect(r.stdout).toMatch(/SEVERITY\s+FAILING/);
    expect(r.stdout).toMatch(new RegExp(`${CALLER}\\s+\\d+\\s+\\d+`));
    // Each failing policy by its name (not the title of its first failing resource).
    expect(r.stdout).toMatch(/AWS\.S3\.Bucket\.PublicACL\s+Critical\s+\d+\s+S3 Bucket ACL Grants Public Access\n/);
    expect(r.stdout).toContain('FAIL: findings at or above Critical (exit 1)');
    expect(r.stderr).toMatch(/scan: \d+\/\d+ scopes/);
  });

  it.concurrent('scans two accounts through --role-name with a custom policy pack, past denied and throttled calls; --json prints only the result', { timeout: 180_000 }, async () => {
    const out = join(tmp, 'multi');
    // KMS is denied to the scan's credentials; S3 throttles a few calls (absorbed by the SDK's
    // retries); the role cannot be assumed in a third account.
    const proxy = await startFaultProxy(motoEndpoint(), [
      { kind: 'deny', service: 'kms' },
      { kind: 'throttle', service: 's3', times: 3 },
      { kind: 'deny', service: 'sts', body: new RegExp(`^(?=.*Action=AssumeRole)(?=.*${unassumable})`, 's') },
    ]);
    const r = await posture(
      [
        '--accounts', `${CALLER},${member},${unassumable}`,
        '--role-name', 'PostureScanRole',
        '--external-id', 'ext-scan-test',
        '--regions', 'us-east-1',
        '--types', 'AWS.S3.Bucket,AWS.KMS.Key',
        '--exclude-resources', `${names.public}$`,
        '--policies', policies.good,
        '--fail-on', 'Critical',
        '--format', 'json',
        '--json',
        '--out', out,
      ],
      proxy.endpoint,
    ).finally(() => proxy.close());
    expect(r.stderr.trim()).toBe('');
    // No Critical FAIL (the public-ACL bucket is excluded), but denied scopes: incomplete, exit 3.
    expect(r.code).toBe(3);
    expect(proxy.stats.injected).toMatchObject({ deny: expect.any(Number), throttle: 3 });
    const doc = JSON.parse(r.stdout) as {
      accounts: string[];
      exitCode: number;
      failOn: string;
      notEvaluated: { accountId: string; region: string; resourceType: string; outcome: string; message: string }[];
      completeness: { complete: boolean; notEvaluated: number; byOutcome: { outcome: string; count: number }[]; engineErrors: string[]; allowed: boolean };
      summary: { byAccount: { accountId: string; resources: number }[]; byPolicy: { policyId: string; title: string | null }[] };
      failingFindings: Finding[];
    };
    expect(doc.accounts).toEqual([CALLER, member, unassumable]);
    expect(doc).toMatchObject({ exitCode: 3, failOn: 'Critical' });
    expect(doc.completeness).toMatchObject({ complete: false, notEvaluated: 3, byOutcome: [{ outcome: 'ACCESS_DENIED', count: 3 }], engineErrors: [], allowed: false });
    // The denied service and the unassumable account are reported with their reasons; the rest of the scan went on.
    expect(doc.notEvaluated.map((e) => `${e.accountId} ${e.region} ${e.resourceType} ${e.outcome}`).sort()).toEqual(
      [`${CALLER} us-east-1 AWS.KMS.Key ACCESS_DENIED`, `${member} us-east-1 AWS.KMS.Key ACCESS_DENIED`, `${unassumable} * * ACCESS_DENIED`].sort(),
    );
    for (const e of doc.notEvaluated) expect(e.message).toMatch(/AccessDenied/);
    expect(doc.notEvaluated.find((e) => e.accountId === unassumable)!.message).toContain(`cannot assume arn:aws:iam::${unassumable}:role/PostureScanRole`);
    expect(doc.summary.byAccount.find((a) => a.accountId === member)?.resources).toBe(1);
    // byPolicy titles are the policies' names, from the layered pack too.
    expect(doc.summary.byPolicy.find((p) => p.policyId === 'Custom.PSC.Bucket')?.title).toBe('Test buckets of the scan CLI test');
    expect(doc.summary.byPolicy.find((p) => p.policyId === 'AWS.S3.Bucket.PublicAccessBlock')?.title).toBe('S3 Bucket Does Not Block Public Access');

    const resources = (await readFile(join(out, 'resources.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(resources).toContainEqual(expect.objectContaining({ Name: names.member, AccountId: member, ResourceType: 'AWS.S3.Bucket' }));
    expect(resources).toContainEqual(expect.objectContaining({ Name: names.skipped, AccountId: CALLER }));
    // The custom pack is evaluated with the built-in one.
    expect(doc.failingFindings).toContainEqual(expect.objectContaining({ accountId: member, policyId: 'Custom.PSC.Bucket', status: 'FAIL' }));
    const exported = JSON.parse(await readFile(join(out, 'scan.json'), 'utf8')) as { findings: Finding[] };
    expect(exported.findings.some((f) => f.policyId === 'AWS.S3.Bucket.PublicAccessBlock' && f.accountId === member)).toBe(true);
    // The pack's SecureTransport overrides the built-in one (which fails a bucket with no policy), as an upload would.
    const tls = exported.findings.filter((f) => f.policyId === 'AWS.S3.Bucket.SecureTransport');
    expect(tls.length).toBeGreaterThan(0);
    expect(tls.every((f) => f.status === 'PASS' && f.severity === 'Info')).toBe(true);
  });

  it.concurrent('rejects a bad --policies directory, a usage error and unusable credentials with one line and exit 2', { timeout: 180_000 }, async () => {
    const denied = await startFaultProxy(motoEndpoint(), [{ kind: 'deny', service: 'sts' }]);
    const [failing, option, credentials] = await Promise.all([
      posture(['--policies', policies.bad, '--out', join(tmp, 'y')]),
      posture(['--no-such-flag']),
      posture(['--out', join(tmp, 'z')], denied.endpoint).finally(() => denied.close()),
    ]);
    expect(credentials.code).toBe(2);
    expect(errorLines(credentials)).toEqual([expect.stringMatching(/^posture scan: credentials: no usable AWS credentials from the default credential chain at http:\/\/127\.0\.0\.1:\d+: AccessDenied/)]);
    expect(existsSync(join(tmp, 'z'))).toBe(false);
    expect(failing.code).toBe(2);
    expect(errorLines(failing)).toHaveLength(1);
    expect(errorLines(failing)[0]).toMatch(/^posture scan: --policies .*custom_policies: Custom\.PSC\.Bucket test 'a test bucket' failed: expected compliant/);
    expect(existsSync(join(tmp, 'y'))).toBe(false);
    expect(option.code).toBe(2);
  });

  it.concurrent('an unreadable estate is never green: every scope ACCESS_DENIED exits 3 with or without --fail-on, 0 with --allow-incomplete', { timeout: 180_000 }, async () => {
    // The scan's credentials may call STS and EC2 (regions) but neither S3 nor KMS: nothing is read.
    const proxy = await startFaultProxy(motoEndpoint(), [
      { kind: 'deny', service: 's3' },
      { kind: 'deny', service: 'kms' },
    ]);
    const args = (out: string) => ['--regions', 'us-east-1', '--types', 'AWS.S3.Bucket,AWS.KMS.Key', '--out', join(tmp, out)];
    const [gated, plain, allowed] = await Promise.all([
      posture([...args('denied-gated'), '--fail-on', 'Low'], proxy.endpoint),
      posture([...args('denied-plain'), '--json'], proxy.endpoint),
      posture([...args('denied-allowed'), '--fail-on', 'Low', '--allow-incomplete'], proxy.endpoint),
    ]).finally(() => proxy.close());
    for (const r of [gated, plain, allowed]) expect(errorLines(r)).toEqual([]);
    expect(proxy.stats.injected.deny).toBeGreaterThan(0);

    expect(gated.code).toBe(3);
    // The summary names the scopes, grouped by outcome, with the reasons.
    const line = gated.stdout.split('\n').find((l) => l.startsWith('INCOMPLETE: 2 scopes not evaluated: '));
    expect(line).toMatch(new RegExp(`^INCOMPLETE: 2 scopes not evaluated: ACCESS_DENIED ×2 \\(${CALLER} global AWS\\.S3\\.Bucket: AccessDenied: .*; ${CALLER} us-east-1 AWS\\.KMS\\.Key: AccessDeniedException: .*\\)$`));
    expect(gated.stdout).toContain('No unsuppressed FAIL at or above Low among what was evaluated.');
    expect(gated.stdout).toContain('INCOMPLETE scan (exit 3)');
    expect(gated.stdout).toMatch(/Not evaluated \(2 scopes\):/);

    expect(plain.code).toBe(3);
    const doc = JSON.parse(plain.stdout) as { exitCode: number; resources: number; completeness: { complete: boolean; notEvaluated: number; byOutcome: { outcome: string; count: number; scopes: { accountId: string; region: string; resourceType: string; message: string }[] }[] } };
    expect(doc).toMatchObject({ exitCode: 3, resources: 0, completeness: { complete: false, notEvaluated: 2 } });
    expect(doc.completeness.byOutcome).toEqual([
      {
        outcome: 'ACCESS_DENIED',
        count: 2,
        scopes: [
          expect.objectContaining({ accountId: CALLER, region: 'global', resourceType: 'AWS.S3.Bucket', message: expect.stringMatching(/^AccessDenied: /) }),
          expect.objectContaining({ accountId: CALLER, region: 'us-east-1', resourceType: 'AWS.KMS.Key', message: expect.stringMatching(/^AccessDeniedException: /) }),
        ],
      },
    ]);

    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('INCOMPLETE: 2 scopes not evaluated: ACCESS_DENIED ×2');
    expect(allowed.stdout).toContain('Incomplete scan allowed by --allow-incomplete.');
  });

  it.concurrent('a policy engine that dies leaves its scopes ERROR: exit 3, even with the Critical FAIL it never saw', { timeout: 180_000 }, async () => {
    // The interpreter every engine run uses, except that the policy worker says it is ready and dies
    // (the embedded store's emulator still runs on the real one).
    const python = join(tmp, 'dying-worker-python');
    await writeFile(
      python,
      `#!/bin/sh\ncase " $* " in\n  *" posture_engine.worker "*) echo '{"ready": true, "policies": ["AWS.S3.Bucket.PublicACL"], "errors": []}'; exit 0;;\nesac\nexec ${pythonExecutable()} "$@"\n`,
    );
    await chmod(python, 0o755);
    const r = await posture(['--regions', 'us-east-1', '--types', 'AWS.S3.Bucket', '--fail-on', 'Critical', '--json', '--out', join(tmp, 'dead-engine')], motoEndpoint(), { POSTURE_PYTHON: python });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { exitCode: number; resources: number; failingFindings: unknown[]; completeness: { byOutcome: { outcome: string; scopes: { resourceType: string; message: string }[] }[] } };
    expect(doc.exitCode).toBe(3);
    expect(doc.resources).toBeGreaterThan(0); // read and stored, never evaluated
    expect(doc.failingFindings).toEqual([]);
    expect(doc.completeness.byOutcome).toEqual([
      { outcome: 'ERROR', count: 1, scopes: [expect.objectContaining({ resourceType: 'AWS.S3.Bucket', message: expect.stringMatching(/policy engine exited/) })] },
    ]);
  });

  it.concurrent('a policy engine that stops reading mid-scan: one line and exit 3, never the crash code 1', { timeout: 180_000 }, async () => {
    // The worker says it is ready, closes its stdin and hangs: the scan's next request hits EPIPE.
    const python = join(tmp, 'deaf-worker-python');
    await writeFile(
      python,
      `#!/bin/sh\ncase " $* " in\n  *" posture_engine.worker "*) echo '{"ready": true, "policies": [], "errors": []}'; exec 0<&-; exec sleep 60;;\nesac\nexec ${pythonExecutable()} "$@"\n`,
    );
    await chmod(python, 0o755);
    const r = await posture(['--regions', 'us-east-1', '--types', 'AWS.S3.Bucket', '--fail-on', 'Critical', '--json', '--out', join(tmp, 'deaf-engine')], motoEndpoint(), { POSTURE_PYTHON: python });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^posture scan: the scan did not finish: write EPIPE$/);
    expect(r.stdout).toBe('');
  });

  it.concurrent('checks --out before the scan starts: exit 2, one line, no AWS call', { timeout: 60_000 }, async () => {
    const file = join(tmp, 'out-is-a-file');
    await writeFile(file, 'x');
    const proxy = await startFaultProxy(motoEndpoint());
    const [isFile, underFile] = await Promise.all([posture(['--out', file], proxy.endpoint), posture(['--out', join(file, 'scan')], proxy.endpoint)]).finally(() => proxy.close());
    expect(isFile.code).toBe(2);
    expect(isFile.stderr.trim()).toBe(`posture scan: --out: ${file} is a file, not a directory`);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr.trim()).toBe(`posture scan: --out: ${join(file, 'scan')} cannot be created: ${file} is a file, not a directory`);
    expect(proxy.stats.byService).toEqual({}); // not even the credentials check
    expect(isFile.stdout + underFile.stdout).toBe('');
  });

  it('validates every option before anything starts', () => {
    const usage = (o: Partial<ScanCliOptions>) => () => parseScanOptions({ out: 'out', ...o });
    expect(usage({ policies: [join(tmp, 'nope_policies')] })).toThrow(new ScanUsageError(`--policies ${join(tmp, 'nope_policies')}: no such directory`));
    expect(usage({ types: 'AWS.S3.Bucket,AWS.Nope' })).toThrow(/^--types: unknown resource type 'AWS.Nope'/);
    expect(usage({ regions: 'us-east-1,Europe' })).toThrow("--regions: 'Europe' is not a region name like eu-west-1");
    expect(usage({ failOn: 'severe' })).toThrow("--fail-on: 'severe' is not one of Info, Low, Medium, High, Critical");
    expect(usage({ format: 'csv,xml' })).toThrow("--format: 'xml' is not one of table, json, csv, ocsf, asff");
    expect(usage({ accounts: '12345' })).toThrow("--accounts: '12345' is not a 12-digit AWS account ID");
    expect(usage({ organization: true })).toThrow('--organization needs --role-name');
    expect(usage({ accounts: CALLER, organization: true, roleName: 'R' })).toThrow('give either --accounts or --organization, not both');
    expect(usage({ externalId: 'x-1' })).toThrow('--external-id needs --role-name');
    expect(usage({ excludeResources: ['(unclosed'] })).toThrow(/^--exclude-resources: '\(unclosed' is not a valid regular expression/);
    expect(usage({ out: join(tmp, 'nope', 'deeper', 'still') })).not.toThrow();
    expect(existsSync(join(tmp, 'nope'))).toBe(false); // checked, not created
    expect(parseScanOptions({ out: 'o', failOn: 'HIGH', types: 'AWS.S3.Bucket', regions: 'eu-west-1' })).toMatchObject({ failOn: 'High', types: ['AWS.S3.Bucket'], regions: ['eu-west-1'], formats: ['table'] });
  });
});
