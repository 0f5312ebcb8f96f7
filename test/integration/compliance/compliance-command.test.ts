/**
 * `posture compliance` on a local runtime after a real scan on moto (built-in pack, foundation
 * types): the CIS v3.0 control table with its failing resources, the PCI DSS v4.0.1 and NIST 800-53
 * r5 tables, the overview, the exports, the account filter and the framework errors. The catalog is read by the Python engine from policies/
 * (no bundle uploaded), as for the demo.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplianceUsageError, runCompliance, type ComplianceOptions } from '../../../src/cli/commands/compliance.ts';
import type { Target } from '../../../src/cli/target.ts';
import { projectRoot } from '../../../src/core/paths.ts';
import type { FrameworkStatus } from '../../../src/compliance/frameworks/status.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { localTarget } from '../../helpers/local-target.ts';

let rt: LocalRuntime;
let member: Member;
let target: Target;
let groupId: string;
const CIS = 'CIS AWS Foundations Benchmark v3.0';

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  rt.deps.registry = FOUNDATION_TYPES;
  member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1');
  await rt.deps.accounts.put(member.account);
  const ec2 = member.clients.get(EC2Client);
  groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'bastion' }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `cmp-${member.account.accountId}` }));
  await rt.scan({ accountIds: [member.account.accountId] });
  target = localTarget(rt, securityAccountId);
}, 180_000);

afterAll(async () => {
  await rt?.close();
});

const run = (opts: Partial<ComplianceOptions>) => runCompliance(target, { format: 'table', ...opts });

describe('posture compliance', () => {
  it('prints the CIS v3.0 control table with the failing resources and the policies behind each control', async () => {
    const { out } = await run({ framework: CIS });
    const lines = out.split('\n');
    expect(lines[0]).toBe(`CIS AWS Foundations Benchmark v3.0.0 (1 account(s), the built-in pack)`);
    expect(lines[1]).toMatch(/^CIS AWS Foundations Benchmark v3\.0\.0: 62 controls, \d+ passing, \d+ failing, \d+ not evaluated, \d+ not automatable$/);
    expect(lines[2]).toMatch(/^Results of its policies, last 30 days: pass rate \d+\.\d% \(no summary from 7 days ago yet\) on \d{4}-\d\d-\d\d {2}·+[▁▂▃▄▅▆▇█]$/);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `))!;
    expect(row('5.2')).toMatch(/^5\.2\s+Failing\s+1 failing, 0 passing of 1\s+1\s+.*AWS\.EC2\.SecurityGroup\.SSHOpenToWorld/);
    expect(row('2.1.4')).toMatch(/Failing/);
    // No VPC was scanned (foundation types only): no verdict, so not evaluated, never passing.
    expect(row('3.7')).toMatch(/Not evaluated.*no verdict/);
    expect(row('4.1')).toMatch(/^4\.1\s+Not automatable\s+0\s+.*metric filter/);
    expect(row('1.1')).toMatch(/Not automatable \(manual\)/);
    // 1.19 is automated in the benchmark; Posture does not collect IAM server certificates yet: not automatable, not "manual".
    expect(row('1.19')).toMatch(/^1\.19\s+Not automatable\s+0\s+.*not collected yet/);
    // 1.20 has a policy now (the Access Analyzer Meta type), which this foundation-only scan did not read: not evaluated.
    expect(row('1.20')).toMatch(/^1\.20\s+Not evaluated\s+.*no verdict/);
    expect(out).toContain('Failing resources:');
    expect(out).toMatch(new RegExp(`FAIL arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${groupId} \\(${member.account.accountId} us-east-1\\) AWS\\.EC2\\.SecurityGroup\\.SSHOpenToWorld`));
  });

  it('JSON gives every control with its status per account and its evidence', async () => {
    const doc = JSON.parse((await run({ framework: 'cis-3.0', format: 'json' })).out) as { pack: string; accounts: string[]; framework: FrameworkStatus };
    expect(doc.accounts).toEqual([member.account.accountId]);
    const c = (id: string) => doc.framework.controls.find((x) => x.id === id)!;
    expect(c('5.2')).toMatchObject({ status: 'FAILING', accounts: { [member.account.accountId]: 'FAILING' } });
    expect(c('5.2').policies).toEqual(['AWS.EC2.SecurityGroup.AllPortsOpenToWorld', 'AWS.EC2.SecurityGroup.RDPOpenToWorld', 'AWS.EC2.SecurityGroup.SSHOpenToWorld']);
    expect(c('5.2').evidence.map((e) => e.resourceId)).toContain(`arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${groupId}`);
    expect(c('1.8').status).toBe('FAILING'); // no password policy: IAM accepts 8-character passwords
    expect(c('2.1.1').counts.fail).toBeGreaterThan(0);
    expect(doc.framework.totals.NOT_AUTOMATABLE).toBe(doc.framework.controls.filter((x) => x.status === 'NOT_AUTOMATABLE').length);
    // The scan wrote today's daily summary: the framework's policies have a trend point today,
    // counted like the findings, and no summary from a week ago yet.
    const today = doc.framework.trend!.latest!;
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    const failing = new Set(doc.framework.controls.flatMap((x) => x.evidence.filter((e) => e.status === 'FAIL').map((e) => `${e.resourceId} ${e.policyId}`)));
    expect(today.counts!.failing).toBe(failing.size);
    expect(today.counts!.failing).toBeGreaterThan(0);
    expect(today.weekAgo).toBeNull();
    expect(doc.framework.trend!.points).toHaveLength(30);
  });

  it('without --framework prints one line per framework; csv and html carry the same controls', async () => {
    const { out } = await run({});
    expect(out).toMatch(/CIS AWS Foundations Benchmark v3\.0\.0\s+cis-3\.0\s+62\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+complete/);
    expect(out).toMatch(/AWS Foundational Security Best Practices v1\.0\.0\s+fsbp\s+\d+/);
    expect(out).toMatch(/PCI DSS v4\.0\.1\s+pci-4\.0\s+\d{2}\s+\d+\s+[1-9]\d*\s+\d+\s+\d+\s+\S+\s+mapped controls only/);
    expect(out).toMatch(/NIST SP 800-53 Revision 5\s+nist-800-53-r5\s+\d{3}\s+\d+\s+[1-9]\d*\s+\d+\s+\d+\s+\S+\s+mapped controls only/);
    const csv = (await run({ framework: 'CIS-3.0', format: 'csv' })).out.split('\r\n');
    expect(csv[0]).toBe('framework,control,title,section,assessment,status,reason,policies,accounts,pass,fail,error,suppressed,failingResources');
    expect(csv.filter((l) => l).length).toBe(63);
    expect(csv.find((l) => l.startsWith('CIS AWS Foundations Benchmark v3.0.0,5.2,'))).toContain(',FAILING,');
    const html = (await run({ framework: 'fsbp', format: 'html' })).out;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="framework-fsbp"');
    // ARNs break only after : and / (each part a <span>, a <wbr> after each separator).
    expect(html).toContain(`<span>security-group</span>/<wbr><span>${groupId}</span>`);
  });

  it('prints the PCI DSS v4.0.1 and NIST SP 800-53 r5 tables from the same verdicts, through the FSBP controls AWS maps them to', async () => {
    const sg = new RegExp(`FAIL arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${groupId} .*AWS\\.EC2\\.SecurityGroup\\.SSHOpenToWorld`);
    const pci = (await run({ framework: 'pci-4.0' })).out;
    const pciLines = pci.split('\n');
    expect(pciLines[0]).toBe('PCI DSS v4.0.1 (1 account(s), the built-in pack)');
    expect(pciLines[1]).toMatch(/^PCI DSS v4\.0\.1: \d+ controls, \d+ passing, [1-9]\d* failing, \d+ not evaluated, \d+ not automatable$/);
    // The table says what the list is: AWS's mappings of automated checks, not the whole standard.
    expect(pciLines[2]).toMatch(/^The PCI DSS v4\.0\.1 requirements that AWS Security Hub maps to the Security Hub controls .*not the whole standard/);
    // EC2.13 (SSH from anywhere) is PCI DSS v4.0.1 1.3.1 in Security Hub's mapping.
    expect(pciLines.find((l) => l.startsWith('1.3.1 '))).toMatch(/^1\.3\.1\s+Failing\s+1 failing, 0 passing of 1\s+1\s+.*AWS\.EC2\.SecurityGroup\.SSHOpenToWorld/);
    expect(pci).toMatch(sg);
    const nist = (await run({ framework: 'NIST SP 800-53 Rev. 5' })).out;
    const nistLines = nist.split('\n');
    expect(nistLines[0]).toBe('NIST SP 800-53 Revision 5 (1 account(s), the built-in pack)');
    // EC2.13 maps to SC-7 among others (SC-7 gathers dozens of policies; the table cuts their list).
    expect(nistLines.find((l) => l.startsWith('SC-7 '))).toMatch(/^SC-7\s+Failing\s+1 failing, 0 passing of 1\s/);
    expect(nist).toMatch(sg);
    const doc = JSON.parse((await run({ framework: 'nist-800-53-r5', format: 'json' })).out) as { framework: FrameworkStatus };
    expect(doc.framework.coverage).toBe('mapped');
    expect(doc.framework.scope).toMatch(/not the whole catalog/);
    const sc7 = doc.framework.controls.find((c) => c.id === 'SC-7')!;
    expect(sc7.policies).toContain('AWS.EC2.SecurityGroup.SSHOpenToWorld');
    expect(sc7.evidence.filter((e) => e.status === 'FAIL').map((e) => e.resourceId)).toContain(`arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${groupId}`);
    expect(doc.framework.controls.find((c) => c.id === 'AC-2(1)')!.title).toBe('Account Management | Automated System Account Management');
  });

  it('--accounts restricts the accounts: an account with no verdicts evaluates nothing', async () => {
    const doc = JSON.parse((await run({ framework: CIS, format: 'json', accounts: ['000000000000'] })).out) as { framework: FrameworkStatus };
    expect(doc.framework.totals.FAILING).toBe(0);
    expect(doc.framework.totals.PASSING).toBe(0);
    expect(doc.framework.controls.find((c) => c.id === '5.2')!.accounts).toEqual({ '000000000000': 'NOT_EVALUATED' });
  });

  it('an unknown framework is a one-line error naming the known ones', async () => {
    await expect(run({ framework: 'SOC 2' })).rejects.toThrow(ComplianceUsageError);
    await expect(run({ framework: 'SOC 2' })).rejects.toThrow(/^--framework: 'SOC 2' is not a known framework; known: cis-3\.0 \(CIS AWS Foundations Benchmark v3\.0\.0\), fsbp/);
    const cli = spawnSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'bin', 'cli.ts'), 'compliance', '--framework', 'SOC 2', '--endpoint', 'http://127.0.0.1:1'], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toMatch(/^posture compliance: --framework: 'SOC 2' is not a known framework; known: /);
    const help = spawnSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'bin', 'cli.ts'), 'compliance', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('--framework <name>');
    // Commander wraps the description: compare its words.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('cis-3.0, fsbp, securityhub, pci-4.0, nist-800-53-r5');
  });
});
