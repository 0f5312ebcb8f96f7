/** `posture demo` end to end: its own emulator, the real engine and policies, the real-time alert, the files. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.ts';
import { launchChromium, openReport } from '../helpers/chromium.ts';

describe('posture demo', () => {
  it('finds FAILs on all four types, follows a change in real time and writes the outputs', async () => {
    const out = await mkdtemp(join(tmpdir(), 'posture-demo-'));
    const lines: string[] = [];
    const result = await runDemo({ outDir: out, print: (l) => lines.push(l) });

    const failTypes = new Set(result.findings.filter((f) => f.status === 'FAIL').map((f) => f.resourceType));
    // The seeded misconfigurations of the four foundation types (the CIS pack finds more, e.g. no CloudTrail).
    expect([...failTypes]).toEqual(expect.arrayContaining(['AWS.EC2.SecurityGroup', 'AWS.IAM.User', 'AWS.PasswordPolicy', 'AWS.S3.Bucket']));
    expect(result.findings.some((f) => f.status === 'ERROR')).toBe(false);
    // The seed's example misconfigurations, each shown in the printed table: a public unencrypted
    // bucket, SSH open to the world, an inline admin policy, a CI access key older than 90 days.
    const fails = (policyId: string, resource: RegExp) => result.findings.find((f) => f.status === 'FAIL' && f.policyId === policyId && resource.test(f.resourceId));
    const shown = [
      fails('AWS.S3.Bucket.PublicACL', /acme-prod-website-111111111111$/),
      fails('AWS.EC2.SecurityGroup.SSHOpenToWorld', /^arn:aws:ec2:eu-west-1:111111111111:security-group\//),
      fails('AWS.IAM.User.AdminPolicy', /:user\/deploy-bot$/),
      fails('AWS.IAM.User.AccessKeyRotation', /^arn:aws:iam::111111111111:user\/ci-runner$/),
    ];
    expect(shown.map((f) => f?.policyId)).toEqual(['AWS.S3.Bucket.PublicACL', 'AWS.EC2.SecurityGroup.SSHOpenToWorld', 'AWS.IAM.User.AdminPolicy', 'AWS.IAM.User.AccessKeyRotation']);
    for (const f of shown) expect(lines.some((l) => l.includes(f!.resourceId.slice(-40)) && l.includes(f!.policyId))).toBe(true);

    // The bastion group was compliant at the scan and fails after the real-time change: SSH open to
    // the world (CIS 5.2) and a port other than 80/443 open to the world (FSBP EC2.18), one alert each.
    expect(result.realtimeAlerts.map((a) => a.policyId).sort()).toEqual(['AWS.EC2.SecurityGroup.SSHOpenToWorld', 'AWS.EC2.SecurityGroup.UnauthorizedPortsOpen']);
    for (const a of result.realtimeAlerts) expect(a).toMatchObject({ kind: 'opened', trigger: 'realtime:AuthorizeSecurityGroupIngress', accountId: '111111111111', resourceId: result.realtimeAlerts[0]!.resourceId });
    const bastion = result.findings.find((f) => f.resourceId === result.realtimeAlerts[0]!.resourceId && f.status === 'FAIL');
    expect(bastion?.trigger).toBe('realtime:AuthorizeSecurityGroupIngress');
    // Each alert and the finding name the caller CloudTrail recorded for the event (the seed's developer session), and the demo prints it.
    const caller = /after arn:aws:sts::111111111111:assumed-role\/Developer\/dev@example\.com called AuthorizeSecurityGroupIngress from 203\.0\.113\.10 at /;
    for (const a of result.realtimeAlerts) expect(a.cause).toMatch(new RegExp(`^opened ${caller.source}`));
    expect(bastion?.cause).toMatch(new RegExp(`^failing ${caller.source}`));
    expect(lines.filter((l) => caller.test(l) && l.trimStart().startsWith('opened after'))).toHaveLength(result.realtimeAlerts.length);

    const written = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as Record<string, unknown>[];
    expect(written.length).toBe(result.findings.length);
    for (const f of written) {
      for (const key of ['accountId', 'region', 'resourceId', 'resourceType', 'policyId', 'severity', 'status', 'trigger']) expect(f).toHaveProperty(key);
      expect(f.trigger === 'scheduled' || String(f.trigger).startsWith('realtime:')).toBe(true);
    }
    const asff = JSON.parse(await readFile(join(out, 'findings.asff.json'), 'utf8')) as { SchemaVersion: string; Id: string; Compliance: { Status: string } }[];
    expect(asff).toHaveLength(result.findings.length);
    expect(new Set(asff.map((f) => f.Id)).size).toBe(asff.length);
    expect(asff.every((f) => f.SchemaVersion === '2018-10-08' && ['PASSED', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status))).toBe(true);
    const ocsf = (await readFile(join(out, 'findings.ocsf.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { class_uid: number });
    expect(ocsf).toHaveLength(result.findings.length);
    expect(ocsf.every((e) => e.class_uid === 2003)).toBe(true);
    // Every export carries the built-in pack's mappings: the bastion's SSH rule is CIS v3.0 5.2 and
    // 5.3, Security Hub's EC2.13 (a control of its CIS / NIST / PCI standards, not FSBP's) and PCI 1.3.1.
    const bastionArn = String(result.realtimeAlerts[0]!.resourceId);
    const sshAsff = (asff as unknown as { GeneratorId: string; Resources: { Id: string }[]; Compliance: { RelatedRequirements?: string[] } }[]).find(
      (f) => f.GeneratorId === 'posture/AWS.EC2.SecurityGroup.SSHOpenToWorld' && f.Resources[0]!.Id === bastionArn,
    )!;
    expect(sshAsff.Compliance.RelatedRequirements).toEqual(expect.arrayContaining(['CIS AWS Foundations Benchmark v3.0.0/5.2', 'CIS AWS Foundations Benchmark v3.0.0/5.3', 'AWS Security Hub controls outside FSBP/EC2.13', 'PCI DSS v4.0.1/1.3.1']));
    const sshOcsf = (ocsf as unknown as { unmapped: { policyId: string }; resources: { uid: string }[]; compliance: { standards: string[]; requirements?: string[]; control: string } }[]).find(
      (e) => e.unmapped.policyId === 'AWS.EC2.SecurityGroup.SSHOpenToWorld' && e.resources[0]!.uid === bastionArn,
    )!;
    expect(sshOcsf.compliance).toMatchObject({ control: '5.2', standards: expect.arrayContaining(['CIS AWS Foundations Benchmark v3.0.0']) });
    const csv = await readFile(join(out, 'findings.csv'), 'utf8');
    expect(csv.split('\r\n')[0]!.endsWith(',runbook,reference,frameworks')).toBe(true);
    expect(csv).toContain(',arn:aws:sts::111111111111:assumed-role/Developer/dev@example.com,AuthorizeSecurityGroupIngress,203.0.113.10,');
    expect(csv).toContain('CIS AWS Foundations Benchmark v3.0.0/5.2; CIS AWS Foundations Benchmark v3.0.0/5.3');
    expect(lines.some((l) => /^\n?CIS AWS Foundations Benchmark v3\.0\.0: \d+ passing, [1-9]\d* failing/.test(l))).toBe(true);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h1>Posture demo report</h1>');
    expect(html).toContain('id="framework-cis-3.0"');
    // The trend from the daily summary the demo's scan wrote: today's pass rate, no week-old day yet.
    expect(html).toMatch(/Results of its policies, last 30 days: pass rate \d+\.\d% \(no summary from 7 days ago yet\)/);
    expect(lines.some((l) => /^ {2}its policies: pass rate \d+\.\d% \(no summary from 7 days ago yet\)/.test(l))).toBe(true);
    expect(html).toContain(String(result.realtimeAlerts[0]!.resourceId));
    // It renders in Chromium: five charts, a row per non-passing result, the bastion's JSON, nothing fetched.
    const browser = await launchChromium();
    try {
      const { page, consoleErrors, external } = await openReport(browser, join(out, 'report.html'));
      await expect(page.locator('svg.chart').count()).resolves.toBe(5);
      await expect(page.locator('#failing tr').count()).resolves.toBe(result.findings.filter((f) => f.status !== 'PASS').length + 1);
      const bastionId = String(result.realtimeAlerts[0]!.resourceId);
      const details = page.locator('#failing tr', { has: page.locator('code', { hasText: bastionId }) }).locator('details.resource-json');
      await details.locator('summary').click();
      expect(JSON.parse((await details.locator('pre').textContent())!)).toMatchObject({ ResourceId: bastionId });
      expect(consoleErrors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(lines.some((l) => l.includes('ALERT OPENED'))).toBe(true);
    // The bastion group's history: created by the scan, changed by the developer's call (diff and caller); the day's digest.
    const history = lines.find((l) => l.startsWith('\nHistory of the bastion group (posture resources history arn:aws:ec2:us-east-1:'));
    expect(history).toBeDefined();
    const block = lines[lines.indexOf(history!) + 1]!;
    expect(block).toMatch(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}created\n/);
    expect(block).toMatch(/\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}changed\n {4}trigger: realtime:AuthorizeSecurityGroupIngress\n {4}cause: {3}after arn:aws:sts::\d{12}:assumed-role\/Developer\/dev@example\.com called AuthorizeSecurityGroupIngress from 203\.0\.113\.10 at /);
    // ... and the transitions the change made, each opening an alert.
    for (const policy of ['AWS.EC2.SecurityGroup.SSHOpenToWorld', 'AWS.EC2.SecurityGroup.UnauthorizedPortsOpen']) {
      expect(block).toContain(`UTC  FINDING ${policy} PASS→FAIL (alert opened)`);
    }
    expect(block).toMatch(/\n {6}\+ IpPermissions\[0\]\.IpRanges\[1\] = \{"CidrIp":"0\.0\.0\.0\/0","Description":"temporary debugging"\}/);
    expect(lines).toContainEqual(expect.stringMatching(/^posture changes: \d+ resources changed since .* UTC, \d+ findings opened, 0 resolved, by 1 actor$/));
  }, 120_000);
});
