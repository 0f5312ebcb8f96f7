/** The member templates: current with their source, cfn-lint clean, Terraform equivalent to the CloudFormation, actions and patterns from the registry. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { memberEventRules, renderCloudFormation, renderStackSet, renderTerraform, templateFiles } from '../../src/onboarding/member-template.ts';
import { EVENT_PATTERN_MAX } from '../../src/resources/member-rules.ts';
import { DEFAULT_AUDIT_ROLE_NAME } from '../../src/accounts/account.ts';
import { CANARY_SOURCE } from '../../src/events/envelope.ts';
import { iamActions, memberEventPattern } from '../../src/resources/index.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cfn = parse(read('templates/cloudformation/member.yml')) as Json;
const resourcesOf = (t: Json, type: string) => Object.values(t.Resources as Json).filter((r: Json) => r.Type === type) as Json[];

/** The parsed Terraform module (python-hcl2 keeps string quotes and heredoc markers; undo both). */
function terraform(): Json {
  const files = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'].map((f) => `templates/terraform/${f}`);
  const r = spawnSync(join(root, '.venv/bin/python'), [join(root, 'test/helpers/hcl2json.py'), ...files], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Json;
}
const unquote = (s: string): string => {
  const heredoc = /^"<<-JSON\n([\s\S]*)\n\s*JSON"$/.exec(s);
  return heredoc ? heredoc[1]! : (JSON.parse(s) as string);
};
const tfResource = (main: Json, type: string, name: string): Json => {
  for (const block of main.resource as Json[]) {
    const r = block[`"${type}"`]?.[`"${name}"`];
    if (r) return r as Json;
  }
  throw new Error(`no resource ${type}.${name}`);
};

describe('member templates', () => {
  it('the checked-in files are what npm run templates writes', () => {
    for (const [path, content] of Object.entries(templateFiles())) expect(read(path), `${path} is stale: run npm run templates`).toBe(content);
  });

  it('cfn-lint passes on the CloudFormation templates', () => {
    const r = spawnSync(join(root, '.venv/bin/cfn-lint'), ['templates/cloudformation/member.yml', 'templates/cloudformation/member-stackset.yml'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the audit role has the ExternalId trust, SecurityAudit and exactly the registry extra actions', () => {
    const [role] = resourcesOf(cfn, 'AWS::IAM::Role').filter((r) => r.Properties.RoleName?.Ref === 'AuditRoleName');
    expect(role!.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    expect(role!.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/SecurityAudit' }]);
    const actions = (role!.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement.flatMap((s: Json) => s.Action));
    expect(actions).toEqual(iamActions());
    expect(cfn.Parameters.ExternalId.NoEcho).toBe(true);
  });

  it('the rules cover exactly the registry pattern, each within the pattern-size quota, targeting the central bus through a role', () => {
    const full = memberEventPattern() as Json;
    const rules = resourcesOf(cfn, 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.Name)).toEqual(memberEventRules().map((r) => r.name));
    const union = (f: (p: Json) => string[]) => [...new Set(rules.flatMap((r) => f(r.Properties.EventPattern as Json)))].sort();
    expect(union((p) => p.source).filter((s) => s !== CANARY_SOURCE)).toEqual(full.source);
    expect(union((p) => p.detail.eventSource)).toEqual(full.detail.eventSource);
    expect(union((p) => p.detail.eventName)).toEqual(full.detail.eventName);
    for (const r of rules) {
      const p = r.Properties.EventPattern as Json;
      // Spaced form (`", "`, `": "`), as some serializers write it: still within the quota.
      expect(JSON.stringify(p).replace(/([,:])/g, '$1 ').length).toBeLessThanOrEqual(EVENT_PATTERN_MAX);
      expect(p['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(p.detail.errorCode).toEqual([{ exists: false }]);
      expect(r.Properties.Targets).toEqual([{ Id: 'posture-central-bus', Arn: { Ref: 'CentralEventBusArn' }, RoleArn: { 'Fn::GetAtt': ['EventForwarderRole', 'Arn'] } }]);
    }
  });

  it('the Terraform module parses and declares the same role, trust condition, actions and event patterns', () => {
    const tf = terraform();
    const main = tf['templates/terraform/main.tf'] as Json;
    const role = tfResource(main, 'aws_iam_role', 'audit');
    expect(role.name).toBe('${var.audit_role_name}');
    // Substitute the variables and compare with the CloudFormation after its intrinsics are substituted the same way.
    const vars = { '${var.security_account_id}': '111122223333', '${var.external_id}': 'ext-1', '${data.aws_partition.current.partition}': 'aws' };
    const sub = (s: string) => Object.entries(vars).reduce((acc, [k, v]) => acc.split(k).join(v), s);
    const tfTrust = JSON.parse(sub(unquote(role.assume_role_policy as string))) as Json;
    const cfnRole = resourcesOf(cfn, 'AWS::IAM::Role').find((r) => r.Properties.RoleName?.Ref === 'AuditRoleName')!;
    const cfnTrust = JSON.parse(
      JSON.stringify(cfnRole.Properties.AssumeRolePolicyDocument)
        .replace('{"Fn::Sub":"arn:${AWS::Partition}:iam::${SecurityAccountId}:root"}', '"arn:aws:iam::111122223333:root"')
        .replace('{"Ref":"ExternalId"}', '"ext-1"'),
    ) as Json;
    expect(tfTrust).toEqual(cfnTrust);
    expect(tfTrust.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'ext-1' } });

    expect(sub(unquote(tfResource(main, 'aws_iam_role_policy_attachment', 'security_audit').policy_arn as string))).toBe('arn:aws:iam::aws:policy/SecurityAudit');
    const extra = JSON.parse(unquote(tfResource(main, 'aws_iam_role_policy', 'extra_read_actions').policy as string)) as Json;
    expect(extra).toEqual(cfnRole.Properties.Policies[0].PolicyDocument);
    expect(extra.Statement[0].Action).toEqual(iamActions());

    const patterns = Object.fromEntries(
      Object.entries((main.locals as Json[])[0]!.event_patterns as Json).map(([k, v]) => [JSON.parse(k) as string, JSON.parse(unquote(v as string)) as Json]),
    );
    const cfnPatterns = Object.fromEntries(resourcesOf(cfn, 'AWS::Events::Rule').map((r) => [r.Properties.Name as string, r.Properties.EventPattern as Json]));
    expect(patterns).toEqual(cfnPatterns);
    const target = tfResource(main, 'aws_cloudwatch_event_target', 'central_bus');
    expect(target.arn).toBe('${var.central_event_bus_arn}');
    expect(target.role_arn).toBe('${aws_iam_role.event_forwarder.arn}');

    const variables = (tf['templates/terraform/variables.tf'] as Json).variable as Json[];
    const names = variables.flatMap((v) => Object.keys(v).map((k) => JSON.parse(k) as string));
    expect(names).toEqual(expect.arrayContaining(['security_account_id', 'external_id', 'central_event_bus_arn', 'audit_role_name', 'create_audit_role']));
    expect(unquote(variables.find((v) => v['"audit_role_name"'])!['"audit_role_name"'].default as string)).toBe(DEFAULT_AUDIT_ROLE_NAME);
    expect(variables.find((v) => v['"external_id"'])!['"external_id"'].sensitive).toBe(true);
  });

  it('the audit role name is a parameter (default PostureAuditRole) of the CloudFormation, the StackSet and the Terraform module', () => {
    expect(cfn.Parameters.AuditRoleName).toMatchObject({ Type: 'String', Default: DEFAULT_AUDIT_ROLE_NAME, AllowedPattern: '^[\\w+=,.@-]{1,64}$' });
    const set = parse(renderStackSet()) as Json;
    expect(set.Parameters.AuditRoleName.Default).toBe(DEFAULT_AUDIT_ROLE_NAME);
    const passed = set.Resources.MemberStackSet.Properties.Parameters as Json[];
    expect(passed).toContainEqual({ ParameterKey: 'AuditRoleName', ParameterValue: { Ref: 'AuditRoleName' } });
    // A deployment's (or an account's) own name becomes the default; nothing else changes.
    const custom = parse(renderCloudFormation({ auditRoleName: 'OrgSecurityAudit' })) as Json;
    expect(custom.Parameters.AuditRoleName.Default).toBe('OrgSecurityAudit');
    expect({ ...custom, Parameters: { ...custom.Parameters, AuditRoleName: cfn.Parameters.AuditRoleName } }).toEqual(cfn);
    const tf = renderTerraform({ auditRoleName: 'OrgSecurityAudit' });
    expect(tf['variables.tf']).toContain('variable "audit_role_name" {');
    expect(tf['variables.tf']).toContain('default     = "OrgSecurityAudit"');
    expect(tf['main.tf']).toBe(renderTerraform()['main.tf']);
    expect(() => renderCloudFormation({ auditRoleName: 'path/Name' })).toThrow(/'path\/Name' is not an IAM role name/);
  });

  it('the onboarding guide explains every extra action of the audit role', () => {
    const guide = read('docs/onboarding.md');
    for (const action of iamActions()) expect(guide, `docs/onboarding.md: add ${action} to the permissions table`).toContain(`| \`${action}\` |`);
  });

  it('the StackSet deploys member.yml service-managed, and notes the management account', () => {
    const set = parse(read('templates/cloudformation/member-stackset.yml')) as Json;
    const [stackSet] = resourcesOf(set, 'AWS::CloudFormation::StackSet');
    expect(stackSet!.Properties.PermissionModel).toBe('SERVICE_MANAGED');
    expect(stackSet!.Properties.AutoDeployment.Enabled).toBe(true);
    expect(stackSet!.Properties.TemplateBody).toBe(read('templates/cloudformation/member.yml'));
    expect(set.Description).toMatch(/management account/);
  });
});
