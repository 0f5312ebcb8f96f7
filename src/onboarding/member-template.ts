/**
 * The member-account templates — CloudFormation, the Organization StackSet and the Terraform
 * module — rendered from ONE model: the audit role of audit-role.ts (trust policy, SecurityAudit,
 * the registry's extra read actions) and the member EventBridge rules derived from the registry's
 * memberEventPattern(). `npm run templates` writes the checked-in files; `posture templates`
 * prints them with the parameters filled in. Nothing here is written twice.
 */
import { stringify } from 'yaml';
import { AUDIT_ROLE_NAME_PATTERN, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { REGISTRY, type AnyResourceType } from '#resources/index.ts';
import { EVENT_PATTERN_MAX, packMemberRules, type MemberRule } from '#resources/member-rules.ts';
import { CANARY_SOURCE } from '#events/envelope.ts';
import { auditRoleExtraPolicy, auditRoleTrustPolicy, SECURITY_AUDIT_POLICY } from './audit-role.ts';

export const EXTRA_POLICY_NAME = 'PostureExtraReadActions';
export const MEMBER_RULE_PREFIX = 'posture-member-events';
export const MEMBER_TARGET_ID = 'posture-central-bus';
export const MEMBER_STACK_NAME = 'posture-member';
export const MEMBER_STACKSET_NAME = 'posture-member';
/** Key prefix of published member templates (the templates bucket admits member accounts to it). */
export const MEMBER_TEMPLATES_PREFIX = 'templates/';
/**
 * The member rules: the registry's events packed to fit EventBridge's pattern quota
 * (src/resources/member-rules.ts), each also matching the verify canary's source.
 */
export function memberEventRules(registry: readonly AnyResourceType[] = REGISTRY, max = EVENT_PATTERN_MAX): MemberRule[] {
  return packMemberRules(registry, { prefix: MEMBER_RULE_PREFIX, extraSources: [CANARY_SOURCE], max });
}

/** The audit role's inline policy: exactly the registry's extra actions (null when none). */
export function extraActionsPolicy(): Record<string, unknown> | null {
  const p = auditRoleExtraPolicy();
  return p ? (JSON.parse(p) as Record<string, unknown>) : null;
}

const EVENTS_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const forwarderPolicy = (busArn: unknown) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }] });

const ROLE_DESCRIPTION = 'Posture read-only audit role: the security account scans this account with it (ExternalId required).';
const MANAGEMENT_NOTE =
  'Service-managed StackSets never deploy to the Organization management account: deploy member.yml there as a plain stack (or the Terraform module) if it is to be scanned.';

// ---------------------------------------------------------------- CloudFormation

/** Replaces `${Name}` placeholders with CloudFormation intrinsics (`Ref` when the whole string is one). */
function cfnSubstitute(v: unknown): unknown {
  if (typeof v === 'string') {
    if (!v.includes('${')) return v;
    const whole = /^\$\{([\w:]+)\}$/.exec(v);
    return whole ? { Ref: whole[1] } : { 'Fn::Sub': v };
  }
  if (Array.isArray(v)) return v.map(cfnSubstitute);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cfnSubstitute(x)]));
  return v;
}

/** Parameter defaults filled into a template (`posture templates`, the published template); absent: none (the role name: DEFAULT_AUDIT_ROLE_NAME). */
export interface FilledParameters {
  securityAccountId?: string;
  externalId?: string;
  eventBusArn?: string;
  /** The audit role's name: the deployment's `-c auditRoleName` or the account's `--role-name`. */
  auditRoleName?: string;
}

const ROLE_NAME_DESCRIPTION =
  "Name of the audit role: the stack's AuditRoleName output (-c auditRoleName), or the account's own name given to posture accounts add --role-name.";

/** The role name a template creates by default. */
function roleNameDefault(filled?: FilledParameters): string {
  const name = filled?.auditRoleName ?? DEFAULT_AUDIT_ROLE_NAME;
  if (!AUDIT_ROLE_NAME_PATTERN.test(name)) throw new Error(`audit role name '${name}' is not an IAM role name (up to 64 letters, digits and _+=,.@-, no path)`);
  return name;
}

export function cloudFormationTemplate(filled?: FilledParameters): Record<string, unknown> {
  const trust = JSON.parse(auditRoleTrustPolicy('${SecurityAccountId}', '${ExternalId}', '${AWS::Partition}')) as unknown;
  const extra = extraActionsPolicy();
  const rules = memberEventRules();
  const resources: Record<string, unknown> = {
    AuditRole: {
      Type: 'AWS::IAM::Role',
      Condition: 'CreateAuditRole',
      Properties: {
        RoleName: { Ref: 'AuditRoleName' },
        Description: ROLE_DESCRIPTION,
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: cfnSubstitute(trust),
        ManagedPolicyArns: [{ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:${SECURITY_AUDIT_POLICY}` }],
        ...(extra ? { Policies: [{ PolicyName: EXTRA_POLICY_NAME, PolicyDocument: extra }] } : {}),
      },
    },
    EventForwarderRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: 'Lets the Posture member rules forward CloudTrail API events to the central event bus.',
        AssumeRolePolicyDocument: EVENTS_TRUST,
        Policies: [{ PolicyName: 'PutEventsToCentralBus', PolicyDocument: forwarderPolicy({ Ref: 'CentralEventBusArn' }) }],
      },
    },
  };
  rules.forEach((rule, i) => {
    resources[`MemberEventsRule${i + 1}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: rule.name,
        Description: 'Posture: CloudTrail write events of the scanned services, forwarded to the central event bus for real-time rescans.',
        EventBusName: 'default',
        State: 'ENABLED',
        EventPattern: rule.pattern,
        Targets: [{ Id: MEMBER_TARGET_ID, Arn: { Ref: 'CentralEventBusArn' }, RoleArn: { 'Fn::GetAtt': ['EventForwarderRole', 'Arn'] } }],
      },
    };
  });
  const def = <T>(v: T | undefined) => (v === undefined ? {} : { Default: v });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Posture member account: the read-only audit role (SecurityAudit + the registry\'s extra read actions, ExternalId required) and, in this region, ' +
      'the EventBridge rules forwarding CloudTrail write events to the central bus. Deploy once per region; in every region but one set DeployAuditRole=false ' +
      '(or use member-stackset.yml / the Terraform module per region). Generated by `npm run templates` - do not edit.',
    Parameters: {
      SecurityAccountId: {
        Type: 'String',
        Description: 'The 12-digit ID of the account Posture is deployed in.',
        AllowedPattern: '^\\d{12}$',
        ConstraintDescription: 'must be a 12-digit AWS account ID',
        ...def(filled?.securityAccountId),
      },
      ExternalId: {
        Type: 'String',
        NoEcho: true,
        Description: 'The ExternalId printed by `posture accounts add` (the security account must present it).',
        MinLength: 2,
        MaxLength: 1224,
        AllowedPattern: '^[\\w+=,.@:/-]+$',
        ...def(filled?.externalId),
      },
      CentralEventBusArn: {
        Type: 'String',
        Description: "ARN of Posture's central event bus (stack output CentralEventBusArn).",
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[\\w.\\-/]+$',
        ...def(filled?.eventBusArn),
      },
      AuditRoleName: {
        Type: 'String',
        Description: ROLE_NAME_DESCRIPTION,
        AllowedPattern: AUDIT_ROLE_NAME_PATTERN.source,
        ConstraintDescription: 'must be an IAM role name (up to 64 letters, digits and _+=,.@-)',
        Default: roleNameDefault(filled),
      },
      DeployAuditRole: {
        Type: 'String',
        Description: "'true' in the one region that creates the (global) audit role; 'false' in every other region, which then gets only the event rules.",
        AllowedValues: ['true', 'false'],
        Default: 'true',
      },
    },
    Conditions: { CreateAuditRole: { 'Fn::Equals': [{ Ref: 'DeployAuditRole' }, 'true'] } },
    Resources: resources,
    Outputs: {
      AuditRoleArn: { Condition: 'CreateAuditRole', Description: 'Give this to nobody: Posture derives it from the account ID.', Value: { 'Fn::GetAtt': ['AuditRole', 'Arn'] } },
      MemberEventRules: { Description: 'The member EventBridge rules in this region.', Value: rules.map((r) => r.name).join(',') },
    },
  };
}

export function renderCloudFormation(filled?: FilledParameters): string {
  return stringify(cloudFormationTemplate(filled), { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

/** The Organization StackSet (service-managed, auto-deployed to new accounts of the OUs). */
export function renderStackSet(): string {
  const memberBody = renderCloudFormation();
  const passed = ['SecurityAccountId', 'ExternalId', 'CentralEventBusArn', 'AuditRoleName'];
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Posture member accounts of an AWS Organization: a service-managed StackSet of member.yml, auto-deployed to every account of the given OUs ' +
      '(the audit role in HomeRegion, the event rules in HomeRegion and OtherRegions). Deploy in the management account or a delegated administrator. ' +
      `NOTE: ${MANAGEMENT_NOTE} Generated by \`npm run templates\` - do not edit.`,
    Metadata: { ManagementAccountNote: MANAGEMENT_NOTE },
    Parameters: {
      SecurityAccountId: { Type: 'String', AllowedPattern: '^\\d{12}$', Description: 'The 12-digit ID of the account Posture is deployed in.' },
      ExternalId: { Type: 'String', NoEcho: true, MinLength: 2, MaxLength: 1224, AllowedPattern: '^[\\w+=,.@:/-]+$', Description: 'The ExternalId shared by the member accounts.' },
      CentralEventBusArn: { Type: 'String', AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[\\w.\\-/]+$', Description: "ARN of Posture's central event bus." },
      AuditRoleName: { Type: 'String', AllowedPattern: AUDIT_ROLE_NAME_PATTERN.source, Default: DEFAULT_AUDIT_ROLE_NAME, Description: ROLE_NAME_DESCRIPTION },
      OrganizationalUnitIds: { Type: 'CommaDelimitedList', Description: 'OUs (or the root, r-xxxx) whose accounts get the member stack.' },
      HomeRegion: { Type: 'String', Default: 'us-east-1', Description: 'The region whose stack instance creates the audit role.' },
      OtherRegions: { Type: 'CommaDelimitedList', Default: '', Description: 'Further regions to scan in real time (event rules only); empty for none.' },
      CallAs: { Type: 'String', AllowedValues: ['SELF', 'DELEGATED_ADMIN'], Default: 'SELF', Description: 'DELEGATED_ADMIN when deployed from a delegated administrator account.' },
    },
    Conditions: { HasOtherRegions: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'OtherRegions' }] }, ''] }] } },
    Resources: {
      MemberStackSet: {
        Type: 'AWS::CloudFormation::StackSet',
        Properties: {
          StackSetName: MEMBER_STACKSET_NAME,
          Description: 'Posture member accounts: audit role and CloudTrail event rules.',
          PermissionModel: 'SERVICE_MANAGED',
          CallAs: { Ref: 'CallAs' },
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
          ManagedExecution: { Active: true },
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          OperationPreferences: { FailureTolerancePercentage: 10, MaxConcurrentPercentage: 25, RegionConcurrencyType: 'PARALLEL' },
          Parameters: passed.map((k) => ({ ParameterKey: k, ParameterValue: { Ref: k } })),
          StackInstancesGroup: [
            { DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } }, Regions: [{ Ref: 'HomeRegion' }] },
            {
              'Fn::If': [
                'HasOtherRegions',
                {
                  DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } },
                  Regions: { Ref: 'OtherRegions' },
                  ParameterOverrides: [{ ParameterKey: 'DeployAuditRole', ParameterValue: 'false' }],
                },
                { Ref: 'AWS::NoValue' },
              ],
            },
          ],
          TemplateBody: memberBody,
        },
      },
    },
  };
  return stringify(template, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

// ---------------------------------------------------------------- Terraform

const hclString = (s: string): string => JSON.stringify(s);
const heredoc = (doc: string, indent: string): string =>
  `<<-JSON\n${doc
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}\n${indent}JSON`;

export const TERRAFORM_FILES = ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf'] as const;

export function renderTerraform(filled?: FilledParameters): Record<(typeof TERRAFORM_FILES)[number], string> {
  const header = '# Posture member account module. Generated by `npm run templates` from src/onboarding/member-template.ts - do not edit.\n';
  const trust = JSON.stringify(JSON.parse(auditRoleTrustPolicy('${var.security_account_id}', '${var.external_id}', '${data.aws_partition.current.partition}')), null, 2);
  const extra = extraActionsPolicy();
  const rules = memberEventRules();
  const dflt = (v: string | undefined) => (v === undefined ? '' : `  default     = ${hclString(v)}\n`);

  const versions = `${header}
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.25"
    }
  }
}
`;
  const variables = `${header}
variable "security_account_id" {
  description = "The 12-digit ID of the account Posture is deployed in."
  type        = string
${dflt(filled?.securityAccountId)}  validation {
    condition     = can(regex("^[0-9]{12}$", var.security_account_id))
    error_message = "security_account_id must be a 12-digit AWS account ID."
  }
}

variable "external_id" {
  description = "The ExternalId printed by posture accounts add (the security account must present it)."
  type        = string
  sensitive   = true
${dflt(filled?.externalId)}  validation {
    condition     = can(regex("^[[:alnum:]_+=,.@:/-]{2,1224}$", var.external_id))
    error_message = "external_id: 2 to 1224 characters, letters, digits and _+=,.@:/-."
  }
}

variable "central_event_bus_arn" {
  description = "ARN of Posture's central event bus (stack output CentralEventBusArn)."
  type        = string
${dflt(filled?.eventBusArn)}}

variable "audit_role_name" {
  description = ${hclString(ROLE_NAME_DESCRIPTION)}
  type        = string
  default     = ${hclString(roleNameDefault(filled))}
  validation {
    condition     = can(regex("^[[:alnum:]_+=,.@-]{1,64}$", var.audit_role_name))
    error_message = "audit_role_name must be an IAM role name (up to 64 letters, digits and _+=,.@-)."
  }
}

variable "create_audit_role" {
  description = "true in the one region (provider) that creates the global audit role; false in every other region, which then gets only the event rules."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
`;
  const patterns = rules.map((r) => `    ${hclString(r.name)} = ${hclString(JSON.stringify(r.pattern))}`).join('\n');
  const main = `${header}
data "aws_partition" "current" {}

locals {
  # The member EventBridge rules: CloudTrail write events of the registry's services, without errorCode.
  event_patterns = {
${patterns}
  }
}

resource "aws_iam_role" "audit" {
  count                = var.create_audit_role ? 1 : 0
  name                 = var.audit_role_name
  description          = ${hclString(ROLE_DESCRIPTION)}
  max_session_duration = 3600
  tags                 = var.tags
  assume_role_policy   = ${heredoc(trust, '  ')}
}

resource "aws_iam_role_policy_attachment" "security_audit" {
  count      = var.create_audit_role ? 1 : 0
  role       = aws_iam_role.audit[0].name
  policy_arn = "arn:\${data.aws_partition.current.partition}:iam::aws:${SECURITY_AUDIT_POLICY}"
}
${
  extra
    ? `
resource "aws_iam_role_policy" "extra_read_actions" {
  count  = var.create_audit_role ? 1 : 0
  name   = ${hclString(EXTRA_POLICY_NAME)}
  role   = aws_iam_role.audit[0].id
  policy = ${heredoc(JSON.stringify(extra, null, 2), '  ')}
}
`
    : ''
}
resource "aws_iam_role" "event_forwarder" {
  name_prefix        = "posture-event-forwarder-"
  description        = "Lets the Posture member rules forward CloudTrail API events to the central event bus."
  tags               = var.tags
  assume_role_policy = ${heredoc(JSON.stringify(EVENTS_TRUST, null, 2), '  ')}
}

resource "aws_iam_role_policy" "event_forwarder" {
  name   = "PutEventsToCentralBus"
  role   = aws_iam_role.event_forwarder.id
  policy = ${heredoc(JSON.stringify(forwarderPolicy('${var.central_event_bus_arn}'), null, 2), '  ')}
}

resource "aws_cloudwatch_event_rule" "member_events" {
  for_each      = local.event_patterns
  name          = each.key
  description   = "Posture: CloudTrail write events of the scanned services, forwarded to the central event bus for real-time rescans."
  event_pattern = each.value
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "central_bus" {
  for_each  = local.event_patterns
  rule      = aws_cloudwatch_event_rule.member_events[each.key].name
  target_id = ${hclString(MEMBER_TARGET_ID)}
  arn       = var.central_event_bus_arn
  role_arn  = aws_iam_role.event_forwarder.arn
}
`;
  const outputs = `${header}
output "audit_role_arn" {
  description = "The audit role (null where create_audit_role is false)."
  value       = var.create_audit_role ? aws_iam_role.audit[0].arn : null
}

output "member_event_rules" {
  description = "The member EventBridge rules in this module's region."
  value       = [for r in aws_cloudwatch_event_rule.member_events : r.name]
}
`;
  return { 'versions.tf': versions, 'variables.tf': variables, 'main.tf': main, 'outputs.tf': outputs };
}

/** Every checked-in template file, by path relative to the repository root. */
export function templateFiles(): Record<string, string> {
  const tf = renderTerraform();
  return {
    'templates/cloudformation/member.yml': renderCloudFormation(),
    'templates/cloudformation/member-stackset.yml': renderStackSet(),
    ...Object.fromEntries(Object.entries(tf).map(([name, body]) => [`templates/terraform/${name}`, body])),
  };
}
