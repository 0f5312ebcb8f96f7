/** `posture templates`: validated options, one-line errors, filled-in CloudFormation and Terraform; one CLI subprocess smoke test. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { memberTemplateText } from '../../src/cli/commands/templates.ts';

const root = join(import.meta.dirname, '..', '..');

describe('posture templates', () => {
  it('fills the CloudFormation parameters, with the default central bus of the security account', () => {
    const t = parse(memberTemplateText({ securityAccount: '111122223333', externalId: 'ext-abc', region: 'eu-west-1' })) as { Parameters: Record<string, { Default?: string; NoEcho?: boolean }> };
    expect(t.Parameters.SecurityAccountId!.Default).toBe('111122223333');
    expect(t.Parameters.ExternalId!.Default).toBe('ext-abc');
    expect(t.Parameters.ExternalId!.NoEcho).toBe(true);
    expect(t.Parameters.CentralEventBusArn!.Default).toBe('arn:aws:events:eu-west-1:111122223333:event-bus/posture-central');
  });

  it('--role-name becomes the audit role name of the CloudFormation and the Terraform (default PostureAuditRole)', () => {
    type Cfn = { Parameters: Record<string, { Default?: string }>; Resources: { AuditRole: { Properties: { RoleName: unknown } } } };
    const base = { securityAccount: '111122223333', externalId: 'ext-abc' };
    const plain = parse(memberTemplateText(base)) as Cfn;
    expect(plain.Parameters.AuditRoleName!.Default).toBe('PostureAuditRole');
    const named = parse(memberTemplateText({ ...base, roleName: 'OrgSecurityAudit' })) as Cfn;
    expect(named.Parameters.AuditRoleName!.Default).toBe('OrgSecurityAudit');
    expect(named.Resources.AuditRole.Properties.RoleName).toEqual({ Ref: 'AuditRoleName' });
    const tf = memberTemplateText({ ...base, roleName: 'OrgSecurityAudit', format: 'terraform' });
    expect(tf).toMatch(/variable "audit_role_name" \{\n[^}]*default {5}= "OrgSecurityAudit"/);
    expect(tf).toContain('name                 = var.audit_role_name');
  });

  it('fills the Terraform variables', () => {
    const tf = memberTemplateText({ securityAccount: '111122223333', externalId: 'ext-abc', eventBusArn: 'arn:aws:events:us-east-2:111122223333:event-bus/bus', format: 'terraform' });
    expect(tf).toContain('default     = "111122223333"');
    expect(tf).toContain('default     = "arn:aws:events:us-east-2:111122223333:event-bus/bus"');
    expect(tf).toContain('resource "aws_iam_role" "audit"');
  });

  it('rejects bad options with one line naming the option', () => {
    const bad: [Parameters<typeof memberTemplateText>[0], RegExp][] = [
      [{ securityAccount: '1234', externalId: 'ext-abc' }, /^--security-account: must be a 12-digit AWS account ID$/],
      [{ securityAccount: '111122223333', externalId: 'a b' }, /^--external-id: allowed characters/],
      [{ securityAccount: '111122223333', externalId: 'ext-abc', eventBusArn: 'bus' }, /^--event-bus-arn: must be an event bus ARN/],
      [{ securityAccount: '111122223333', externalId: 'ext-abc', format: 'pulumi' as 'terraform' }, /^--format: must be cloudformation or terraform$/],
      [{ securityAccount: '111122223333', externalId: 'ext-abc', roleName: 'team/Audit' }, /^--role-name: must be an IAM role name/],
    ];
    for (const [opts, message] of bad) expect(() => memberTemplateText(opts)).toThrow(message);
  });

  it('the CLI prints the template, and exits 2 with one line on a bad option', () => {
    const cli = (...args: string[]) => spawnSync('npx', ['tsx', 'bin/cli.ts', 'templates', ...args], { cwd: root, encoding: 'utf8' });
    const ok = cli('--security-account', '111122223333', '--external-id', 'ext-abc', '--role-name', 'OrgSecurityAudit', '--format', 'terraform');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('variable "external_id"');
    expect(ok.stdout).toContain('default     = "ext-abc"');
    expect(ok.stdout).toContain('default     = "OrgSecurityAudit"');
    const bad = cli('--security-account', '12', '--external-id', 'ext-abc');
    expect(bad.status).toBe(2);
    const errLines = bad.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
    expect(errLines).toEqual(['posture templates: --security-account: must be a 12-digit AWS account ID']);
  }, 60_000);
});
