/**
 * `posture upload` against a local runtime on moto: the built-in pack scans a member's security
 * groups. One custom policy uploaded alone is added to the active pack (the built-in ones stay);
 * then a modified copy of the pack — SSH policy stricter (also the alternate port 2222),
 * DefaultRestrictsAll removed — is uploaded with --replace. The impact is computed from the stored inventory;
 * a dry run writes nothing; the real upload publishes the bundle, writes the new compliance and
 * opens/resolves the alerts through the compliance path; the running runtime's engine then
 * evaluates with the uploaded bundle; a pack whose tests fail is rejected with nothing uploaded.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, HeadObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { OUTPUTS, tableOutputKey } from '../../../lib/outputs.ts';
import { buildBundle } from '../../../src/cli/commands/bundle.ts';
import { runUpload, type UploadOptions } from '../../../src/cli/commands/upload.ts';
import { resolveTarget, type Target } from '../../../src/cli/target.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { TABLES, type TableId } from '../../../src/store/tables.ts';
import { projectRoot } from '../../../src/core/paths.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { ACTIVE_BUNDLE_KEY } from '../../../src/publish/active-bundle.ts';
import type { Impact } from '../../../src/publish/impact.ts';
import { EC2_SECURITY_GROUP } from '../../../src/resources/ec2-security-group.ts';
import type { AnyResourceType } from '../../../src/resources/index.ts';
import type { AlertItem, ComplianceItem } from '../../../src/compliance/model.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { localTarget } from '../../helpers/local-target.ts';
import { notScannedReason } from '../../../src/resources/panther-types.ts';

const SSH = 'AWS.EC2.SecurityGroup.SSHOpenToWorld';
const DEFAULT_SG = 'AWS.EC2.SecurityGroup.DefaultRestrictsAll';
const SSH_PY = 'aws_ec2_policies/aws_security_group_ssh_open.py';
const CUSTOM = 'Custom.EC2.SecurityGroup.NotAlt';

let rt: LocalRuntime;
let member: Member;
let target: Target;
let work: string;
let stricterPack: string;
let customPack: string;
let brokenPack: string;
let altSshArn: string;
let sshArn: string;
const delivered: AlertPayload[] = [];

async function packCopy(name: string, edit: (root: string) => Promise<void>): Promise<string> {
  const root = join(work, name, 'policies');
  await cp(join(projectRoot, 'policies'), root, { recursive: true });
  await edit(root);
  return root;
}

async function replaceIn(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: '${from}' not found (the built-in policy changed?)`);
  await writeFile(file, text.replace(from, to));
}

interface Ran {
  code: number;
  out: string[];
  err: string[];
}

async function upload(pack: string, opts: Omit<UploadOptions, 'stack' | 'endpoint'> = {}, to: Target = target): Promise<Ran> {
  const ran: Ran = { code: -1, out: [], err: [] };
  ran.code = await runUpload(to, [pack], opts, { out: (l) => ran.out.push(l), err: (l) => ran.err.push(l) }, { onAlerts: rt.deps.onAlerts });
  return ran;
}

/** Every item of the tables an upload may write, and the policy-bundle objects: the "nothing written" check. */
async function snapshot(): Promise<unknown> {
  const doc = documentClient(rt.clients);
  const all = async (table: string) =>
    ((await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []).sort((a, b) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b)),
    );
  const versions = await rt.clients.get(S3Client).send(new ListObjectVersionsCommand({ Bucket: rt.infra.bucket, Prefix: 'policies/' }));
  return { compliance: await all(rt.infra.tables.Compliance), alerts: await all(rt.infra.tables.Alerts), bundles: versions.Versions ?? [] };
}

const complianceOf = async (resourceId: string): Promise<Map<string, ComplianceItem>> => rt.deps.compliance.forResource(resourceId);

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  // Checks for an uploaded bundle on every evaluation, so the pick-up is visible without waiting 30 s.
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId), bundleTtlSeconds: 0, onAlert: (a) => delivered.push(a) });
  rt.deps.registry = [EC2_SECURITY_GROUP] as AnyResourceType[];
  member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1' && !r.startsWith('cn-') && !r.startsWith('us-gov-'));
  await rt.deps.accounts.put(member.account);
  const ec2 = member.clients.get(EC2Client);
  const open = async (name: string, port: number) => {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    return `arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${id}`;
  };
  sshArn = await open('jump-host', 22);
  altSshArn = await open('alt-ssh', 2222);
  await rt.scan({ accountIds: [member.account.accountId] });

  target = localTarget(rt, securityAccountId);

  work = await mkdtemp(join(tmpdir(), 'posture-upload-test-'));
  stricterPack = await packCopy('stricter', async (root) => {
    // Stricter: the alternate SSH port 2222 counts as SSH too.
    await replaceIn(join(root, SSH_PY), 'world_open_ports(resource, [SSH_PORT])', 'world_open_ports(resource, [SSH_PORT, 2222])');
    await rm(join(root, 'aws_ec2_policies/aws_security_group_default_restricts_all.py'));
    await rm(join(root, 'aws_ec2_policies/aws_security_group_default_restricts_all.yml'));
  });
  customPack = join(work, 'custom', 'custom_policies');
  await mkdir(customPack, { recursive: true });
  await writeFile(join(customPack, 'sg_named_alt.py'), "def policy(resource):\n    return resource.get('GroupName') != 'alt-ssh'\n");
  await writeFile(
    join(customPack, 'sg_named_alt.yml'),
    [
      'AnalysisType: policy',
      'Filename: sg_named_alt.py',
      `PolicyID: ${CUSTOM}`,
      'Enabled: true',
      'ResourceTypes: [AWS.EC2.SecurityGroup]',
      'Severity: Low',
      'Tests:',
      '  - Name: alt',
      '    ExpectedResult: false',
      '    Resource: {GroupName: alt-ssh}',
      '  - Name: other',
      '    ExpectedResult: true',
      '    Resource: {GroupName: web}',
      '',
    ].join('\n'),
  );
  brokenPack = await packCopy('broken', async (root) => {
    await replaceIn(join(root, SSH_PY), 'return not open_ssh_sources(resource)', 'return True');
  });
}, 180_000);

afterAll(async () => {
  await rt?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('posture upload', () => {
  it('starts from the built-in pack: SSH fails on port 22 only, the default group fails', async () => {
    expect((await complianceOf(sshArn)).get(SSH)?.status).toBe('FAIL');
    expect((await complianceOf(altSshArn)).get(SSH)?.status).toBe('PASS');
    const defaults = (await rt.deps.compliance.forAccount(member.account.accountId)).filter((c) => c.policyId === DEFAULT_SG && c.status === 'FAIL');
    expect(defaults.length).toBeGreaterThan(0);
  });

  it('rejects a pack whose tests fail, with one clear line, uploading and writing nothing', async () => {
    const before = await snapshot();
    const r = await upload(brokenPack);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['posture upload: the pack is invalid or its tests fail (see above); nothing was uploaded']);
    expect(r.out).toEqual([]);
    expect(await snapshot()).toEqual(before);
    await expect(rt.clients.get(S3Client).send(new HeadObjectCommand({ Bucket: rt.infra.bucket, Key: ACTIVE_BUNDLE_KEY }))).rejects.toThrow();
  }, 120_000);

  it('--dry-run prints the impact per policy and writes nothing', async () => {
    const defaults = (await rt.deps.compliance.forAccount(member.account.accountId)).filter((c) => c.policyId === DEFAULT_SG && c.status === 'FAIL');
    const before = await snapshot();
    const r = await upload(stricterPack, { dryRun: true, replace: true });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^bundle [0-9a-f]{12} \(the built-in pack\) → [0-9a-f]{12}: 0 added, 1 changed, 1 removed$/);
    expect(r.out[1]).toBe(`--replace: the pack replaces the active pack: 1 removed (${DEFAULT_SG}), 0 added`);
    expect(r.out[2]).toMatch(/^re-evaluated \d+ stored resources of 1 type \(no rescans\)$/);
    const table = r.out[3]!.split('\n');
    expect(table[0]).toMatch(/^POLICY\s+CHANGE\s+EVALUATED\s+NEW FAILURES\s+RESOLVED\s+SUPPRESSED BY EXCEPTION\s+NEW ERRORS$/);
    const row = (policy: string) => table.find((l) => l.startsWith(policy))?.split(/\s+/);
    expect(row(SSH)?.slice(1)).toEqual(['changed', expect.stringMatching(/^\d+$/), '1', '0', '0', '0']);
    expect(row(DEFAULT_SG)?.slice(1)).toEqual(['removed', '0', '0', String(defaults.length), '0', '0']);
    expect(r.out).toContain(`total: 1 new failure, ${defaults.length} resolved, 0 suppressed by an exception, 0 new errors`);
    expect(r.out.at(-1)).toBe('dry run: nothing uploaded, nothing written');
    expect(await snapshot()).toEqual(before);

    const json = await upload(stricterPack, { dryRun: true, json: true, replace: true });
    const doc = JSON.parse(json.out.join('\n')) as { dryRun: boolean; impact: Impact; uploaded: unknown; written: unknown };
    expect(doc).toMatchObject({ dryRun: true, uploaded: null, written: null, pack: { mode: 'replace', added: [], removed: { count: 1, policies: [DEFAULT_SG] } } });
    expect(doc.impact.types).toEqual(['AWS.EC2.SecurityGroup']);
    expect(doc.impact.policies.find((p) => p.policyId === SSH)).toMatchObject({ change: 'changed', newFailures: [altSshArn], resolved: [], newErrors: [] });
    expect(doc.impact.policies.find((p) => p.policyId === DEFAULT_SG)?.resolved.sort()).toEqual(defaults.map((d) => d.resourceId).sort());
    expect(await snapshot()).toEqual(before);
  }, 180_000);

  it('publishes the bundle and writes the new compliance: alerts open and resolve as for a scan', async () => {
    const defaults = (await rt.deps.compliance.forAccount(member.account.accountId)).filter((c) => c.policyId === DEFAULT_SG);
    const openDefaults = defaults.filter((c) => c.alertKey);
    expect(openDefaults.length).toBeGreaterThan(0);
    delivered.length = 0;

    const r = await upload(stricterPack, { replace: true });
    expect(r.code).toBe(0);
    // What --replace removes is said before the upload line.
    const said = r.out.indexOf(`--replace: the pack replaces the active pack: 1 removed (${DEFAULT_SG}), 0 added`);
    expect(said).toBeGreaterThan(0);
    expect(said).toBeLessThan(r.out.findIndex((l) => l.startsWith('uploaded ')));
    const head = await rt.clients.get(S3Client).send(new HeadObjectCommand({ Bucket: rt.infra.bucket, Key: ACTIVE_BUNDLE_KEY }));
    const hash = head.Metadata?.['content-hash'];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const trigger = `upload:${hash!.slice(0, 12)}`;
    // The local runtime's bucket is unversioned (the stack's policy bucket is versioned).
    const version = head.VersionId && head.VersionId !== 'null' ? ` (version ${head.VersionId})` : '';
    expect(r.out).toContain(`uploaded s3://${rt.infra.bucket}/${ACTIVE_BUNDLE_KEY}${version}; the engine uses it within a minute`);
    expect(r.out.at(-1)).toMatch(new RegExp(`^wrote 1 compliance change, removed ${defaults.length} results? of policies that no longer apply: 1 alert opened, ${openDefaults.length} resolved$`));

    const alt = (await complianceOf(altSshArn)).get(SSH)!;
    expect(alt).toMatchObject({ status: 'FAIL', trigger });
    expect(alt.alertKey).toBe(`${SSH}#${altSshArn}`);
    for (const d of defaults) expect((await complianceOf(d.resourceId)).has(DEFAULT_SG)).toBe(false);
    expect((await complianceOf(sshArn)).get(SSH)?.trigger).toBe('scheduled'); // unchanged: not rewritten

    const open = await rt.deps.compliance.alerts('OPEN');
    expect(open.filter((a: AlertItem) => a.resourceId === altSshArn && a.policyId === SSH)).toHaveLength(1);
    expect(open.filter((a: AlertItem) => a.policyId === DEFAULT_SG)).toEqual([]);
    const resolved = (await rt.deps.compliance.alerts('RESOLVED')).filter((a: AlertItem) => a.policyId === DEFAULT_SG);
    expect(resolved.map((a) => a.resolvedBy)).toEqual(openDefaults.map(() => trigger));
    // Delivered like any transition: one opened, and the resolutions.
    expect(delivered.filter((a) => a.kind === 'opened').map((a) => [a.policyId, a.resourceId])).toEqual([[SSH, altSshArn]]);
    expect(delivered.filter((a) => a.kind === 'resolved').map((a) => a.policyId)).toEqual(openDefaults.map(() => DEFAULT_SG));
  }, 180_000);

  it('makes the running engine evaluate with the upload: a rescan keeps the new state', async () => {
    const before = await snapshot();
    await rt.scan({ accountIds: [member.account.accountId] });
    // With the built-in pack, 2222 would pass again and the default-group findings would return.
    expect((await complianceOf(altSshArn)).get(SSH)?.status).toBe('FAIL');
    const all = await rt.deps.compliance.forAccount(member.account.accountId);
    expect(all.filter((c) => c.policyId === DEFAULT_SG)).toEqual([]);
    expect((await snapshot() as { alerts: unknown }).alerts).toEqual((before as { alerts: unknown }).alerts);
  }, 180_000);

  it('says so when the pack is the active bundle already, and uploads nothing', async () => {
    const before = await snapshot();
    const r = await upload(stricterPack);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([expect.stringMatching(new RegExp(`^bundle [0-9a-f]{12} is already active \\(s3://${rt.infra.bucket}/policies/active\\.zip\\); nothing to upload$`))]);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('adds one custom policy to the active pack: the active ones stay, the preview says 1 added, 0 removed', async () => {
    const before = await snapshot();
    const dry = await upload(customPack, { dryRun: true, json: true });
    const doc = JSON.parse(dry.out.join('\n')) as { pack: unknown; impact: Impact };
    expect(doc.pack).toEqual({ mode: 'merge', added: [CUSTOM], overridden: [], removed: { count: 0, policies: [] } });
    expect(doc.impact.policies.map((p) => p.policyId)).toEqual([CUSTOM]);
    expect(doc.impact.policies[0]).toMatchObject({ change: 'added', newFailures: [altSshArn], resolved: [], suppressedByException: [] });
    expect(await snapshot()).toEqual(before);

    const r = await upload(customPack);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^bundle [0-9a-f]{12} \(s3:\/\/.+\/policies\/active\.zip\) → [0-9a-f]{12}: 1 added, 0 changed, 0 removed$/);
    expect(r.out[1]).toBe(`the pack adds to the active pack: 1 added (${CUSTOM}), 0 overriding an active policy; 0 removed (--replace would publish the pack alone)`);
    expect((await complianceOf(altSshArn)).get(CUSTOM)).toMatchObject({ status: 'FAIL' });
    expect((await complianceOf(sshArn)).get(CUSTOM)).toMatchObject({ status: 'PASS' });
    // The previously active policies stay, and the running engine keeps evaluating them.
    await rt.scan({ accountIds: [member.account.accountId] });
    expect((await complianceOf(altSshArn)).get(SSH)?.status).toBe('FAIL'); // the stricter SSH policy, still active
    expect((await complianceOf(sshArn)).get(SSH)?.status).toBe('FAIL');
    expect((await complianceOf(altSshArn)).get(CUSTOM)?.status).toBe('FAIL');
  }, 180_000);

  it('accepts a policy on a retired Panther type and says plainly that it is never evaluated', async () => {
    const waf = join(work, 'waf', 'waf_policies');
    await mkdir(waf, { recursive: true });
    await writeFile(join(waf, 'waf_default_block.py'), "def policy(resource):\n    return resource.get('DefaultAction', {}).get('Type') == 'BLOCK'\n");
    await writeFile(
      join(waf, 'waf_default_block.yml'),
      ['AnalysisType: policy', 'Filename: waf_default_block.py', 'PolicyID: Custom.WAF.DefaultBlock', 'ResourceTypes: [AWS.WAF.WebACL]', 'Severity: Low', 'Tests:', '  - Name: allow', '    ExpectedResult: false', '    Resource: {DefaultAction: {Type: ALLOW}}', ''].join('\n'),
    );
    const r = await upload(waf, { dryRun: true });
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.err).toContain('posture upload: note: policy Custom.WAF.DefaultBlock targets AWS.WAF.WebACL, which is not scanned: ' + notScannedReason('AWS.WAF.WebACL'));
  }, 180_000);

  it('a policy that overrides an active one is named so; a finding an exception now covers is the exception\'s, not resolved', async () => {
    const higher = join(work, 'custom-high', 'custom_policies');
    await cp(customPack, higher, { recursive: true });
    await replaceIn(join(higher, 'sg_named_alt.yml'), 'Severity: Low', 'Severity: High');
    expect((await complianceOf(altSshArn)).get(CUSTOM)?.alertKey).toBeDefined();
    // Stored without the CLI, so nothing re-evaluates it: the upload's re-evaluation meets it.
    const e = await target.exceptions.add({ policyId: CUSTOM, resourcePattern: altSshArn, reason: 'lab', owner: 'netops', expires: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) }, new Date());
    try {
      const dry = await upload(higher, { dryRun: true });
      expect(dry.out[1]).toBe(`the pack adds to the active pack: 0 added, 1 overriding an active policy (${CUSTOM}); 0 removed (--replace would publish the pack alone)`);
      const row = dry.out[3]!.split('\n').find((l) => l.startsWith(CUSTOM))?.split(/\s+/);
      expect(row?.slice(1)).toEqual(['changed', expect.stringMatching(/^\d+$/), '0', '0', '1', '0']);
      expect(dry.out).toContain('total: 0 new failures, 0 resolved, 1 suppressed by an exception, 0 new errors');

      const json = JSON.parse((await upload(higher, { dryRun: true, json: true })).out.join('\n')) as { pack: unknown; impact: Impact };
      expect(json.pack).toEqual({ mode: 'merge', added: [], overridden: [CUSTOM], removed: { count: 0, policies: [] } });
      expect(json.impact.policies.find((p) => p.policyId === CUSTOM)).toMatchObject({ resolved: [], suppressedByException: [altSshArn] });
      expect(json.impact.totals).toMatchObject({ resolved: 0, suppressedByException: 1 });

      const r = await upload(higher);
      expect(r.code).toBe(0);
      expect((await complianceOf(altSshArn)).get(CUSTOM)).toMatchObject({ status: 'FAIL', severity: 'High', suppressed: true, suppressedBy: e.exceptionId });
      const resolved = (await rt.deps.compliance.alerts('RESOLVED')).filter((a) => a.policyId === CUSTOM && a.resourceId === altSshArn);
      expect(resolved.map((a) => a.resolvedBy)).toEqual(['suppressed']);
    } finally {
      await target.exceptions.remove(e.exceptionId);
    }
  }, 180_000);

  it('a policy the frameworks chosen leave out loses its results as a disabled one does (the local runtime runs CIS and FSBP)', async () => {
    const pci = join(work, 'custom-pci', 'custom_policies');
    await cp(customPack, pci, { recursive: true });
    await replaceIn(join(pci, 'sg_named_alt.yml'), 'Severity: Low', 'Severity: Low\nReports: {PCI DSS v4.0: ["1.2.1"]}');
    expect((await complianceOf(altSshArn)).has(CUSTOM)).toBe(true);
    const r = await upload(pci);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.at(-1)).toMatch(/removed [1-9]\d* results? of policies that no longer apply/);
    expect((await complianceOf(altSshArn)).has(CUSTOM)).toBe(false);
    expect((await complianceOf(sshArn)).has(CUSTOM)).toBe(false);
    // The running engine leaves it out too: a rescan brings no result back; CIS/FSBP policies still run.
    await rt.scan({ accountIds: [member.account.accountId] });
    expect((await complianceOf(altSshArn)).has(CUSTOM)).toBe(false);
    expect((await complianceOf(altSshArn)).get(SSH)?.status).toBe('FAIL');
  }, 180_000);

  it('as a CLI verb: a failing pack exits 1 and names the problem', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'upload', brokenPack, '--endpoint', motoEndpoint(), '--dry-run'], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\d+ passed, [1-9]\d* failed/);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('posture upload: the pack is invalid or its tests fail (see above); nothing was uploaded');
    expect(r.stdout).toBe('');
  }, 120_000);

  it('against a stack: compares with the built-in bundle of its outputs, then with the upload in its policy bucket', async () => {
    // A stack as resolveTarget reads it: tables, scan bucket, policy bucket and built-in bundle
    // from CloudFormation outputs (moto cannot deploy the real template: Lambda and Step Functions).
    const accountId = randomAccountId();
    const clients = await accountClients(accountId);
    const tables = await ensureTables(clients, `stk${accountId.slice(-4)}`);
    const s3 = clients.get(S3Client);
    const [policyBucket, assets] = [`policies-${accountId}`, `assets-${accountId}`];
    for (const Bucket of [policyBucket, assets]) await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: policyBucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const builtin = join(work, 'builtin.zip');
    expect(buildBundle([join(projectRoot, 'policies')], { out: builtin, report: 'stderr' })).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: assets, Key: 'abc123.zip', Body: await readFile(builtin) }));
    const outputs: Record<string, { Value: string }> = {
      [OUTPUTS.scanBucket]: { Value: assets },
      [OUTPUTS.policyBucket]: { Value: policyBucket },
      [OUTPUTS.builtinPolicyBundle]: { Value: `s3://${assets}/abc123.zip` },
    };
    for (const id of Object.keys(TABLES) as TableId[]) outputs[tableOutputKey(id)] = { Value: tables[id] };
    const cfn = clients.get(CloudFormationClient);
    await cfn.send(new CreateStackCommand({ StackName: 'Posture', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: outputs }) }));
    const { [OUTPUTS.policyBucket]: _dropped, ...older } = outputs;
    await cfn.send(new CreateStackCommand({ StackName: 'PostureOld', TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: older }) }));

    const creds = await accountCredentials(accountId);
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
    // The stack target's clients use the standard credential chain, read when they first sign.
    try {
      await uploadToStack(await resolveTarget({ stack: 'Posture', region: 'us-east-1' }), await resolveTarget({ stack: 'PostureOld', region: 'us-east-1' }));
    } finally {
      process.env = saved;
    }

    async function uploadToStack(stack: Target, old: Target): Promise<void> {
      const dry = await upload(stricterPack, { dryRun: true, replace: true }, stack);
      expect(dry.code).toBe(0);
      expect(dry.out[0]).toMatch(/^bundle [0-9a-f]{12} \(the built-in bundle\) → [0-9a-f]{12}: 0 added, 1 changed, 1 removed$/);
      expect(dry.out[2]).toBe('re-evaluated 0 stored resources of 1 type (no rescans)');
      await expect(s3.send(new HeadObjectCommand({ Bucket: policyBucket, Key: ACTIVE_BUNDLE_KEY }))).rejects.toThrow();

      const real = await upload(stricterPack, { replace: true }, stack);
      expect(real.code).toBe(0);
      const head = await s3.send(new HeadObjectCommand({ Bucket: policyBucket, Key: ACTIVE_BUNDLE_KEY }));
      expect(real.out).toContain(`uploaded s3://${policyBucket}/${ACTIVE_BUNDLE_KEY} (version ${head.VersionId}); the engine uses it within a minute`);
      const again = await upload(stricterPack, { dryRun: true }, stack);
      expect(again.out[0]).toMatch(new RegExp(`^bundle [0-9a-f]{12} is already active \\(s3://${policyBucket}/policies/active\\.zip\\); nothing to upload$`));

      const missing = await upload(stricterPack, { dryRun: true }, old);
      expect(missing.code).toBe(2);
      expect(missing.err).toEqual([`posture upload: --stack PostureOld: output ${OUTPUTS.policyBucket} is missing; deploy this version of the stack first`]);
    }
  }, 180_000);
});
