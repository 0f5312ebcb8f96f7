/**
 * AWS.IAM.Policy — global, customer-managed policies only (ListPolicies Scope=Local). GetPolicy
 * (ListPolicies omits the description and tags), the default version's document and the
 * entities the policy is attached to.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  PolicyGroup$,
  PolicyRole$,
  PolicyUser$,
  type PolicyGroup,
  type PolicyRole,
  type PolicyUser,
} from '@aws-sdk/client-iam';
import { hasErrorCode } from './aws-errors.ts';
import { decodePolicyDocument, requestStrings, responseObject } from './iam-paging.ts';
import { iso, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface PolicyRef {
  arn: string;
}

export const IAM_POLICY_TYPE = 'AWS.IAM.Policy';

/** Customer-managed policy ARNs carry the account ID; AWS-managed ones `aws`. */
const CUSTOMER_POLICY = /^arn:[^:]+:iam::\d{12}:policy\//;

/** Customer-managed policies an event names: request `policyArn`, CreatePolicy's response. */
export function policyRefs(d: CloudTrailDetail): PolicyRef[] {
  const arns = new Set(requestStrings(d, 'policyArn'));
  const created = responseObject(d, 'policy');
  if (typeof created?.arn === 'string') arns.add(created.arn);
  return [...arns].filter((arn) => CUSTOMER_POLICY.test(arn)).map((arn) => ({ arn }));
}

const rescan: EventRule<PolicyRef> = { action: 'rescan', refs: policyRefs };

interface Entities {
  PolicyGroups: unknown[] | null;
  PolicyRoles: unknown[] | null;
  PolicyUsers: unknown[] | null;
}

async function entities(iam: IAMClient, PolicyArn: string): Promise<Entities> {
  const groups: PolicyGroup[] = [];
  const roles: PolicyRole[] = [];
  const users: PolicyUser[] = [];
  let Marker: string | undefined;
  do {
    const r = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn, Marker }));
    groups.push(...(r.PolicyGroups ?? []));
    roles.push(...(r.PolicyRoles ?? []));
    users.push(...(r.PolicyUsers ?? []));
    Marker = r.IsTruncated ? r.Marker : undefined;
  } while (Marker);
  return { PolicyGroups: shapeList(PolicyGroup$, groups), PolicyRoles: shapeList(PolicyRole$, roles), PolicyUsers: shapeList(PolicyUser$, users) };
}

export interface IamPolicyOptions {
  /** ListPolicies MaxItems per page (each policy costs ~3 describe calls). */
  pageSize?: number;
}

export function makeIamPolicyType(opts: IamPolicyOptions = {}): ResourceType<PolicyRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: IAM_POLICY_TYPE,
    asffType: 'AwsIamPolicy',
    service: 'iam',
    scope: 'global',
    eventSource: 'iam.amazonaws.com',

    async list(ctx, pageToken) {
      const page = await ctx.clients.get(IAMClient).send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: pageSize, Marker: pageToken }));
      const refs = (page.Policies ?? []).flatMap((p) => (p.Arn ? [{ arn: p.Arn }] : []));
      return { refs, ...(page.IsTruncated && page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const iam = ctx.clients.get(IAMClient);
      const PolicyArn = ref.arn;
      try {
        const [{ Policy: policy }, attached] = await Promise.all([iam.send(new GetPolicyCommand({ PolicyArn })), entities(iam, PolicyArn)]);
        if (!policy?.Arn || !policy.DefaultVersionId) return null;
        const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.DefaultVersionId }));
        const document = version.PolicyVersion?.Document;
        const resource: Resource = {
          ResourceId: policy.Arn,
          ResourceType: IAM_POLICY_TYPE,
          TimeCreated: iso(policy.CreateDate),
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: policy.Arn,
          Id: policy.PolicyId ?? null,
          Name: policy.PolicyName ?? null,
          Tags: tagMap(policy.Tags),
          AttachmentCount: policy.AttachmentCount ?? null,
          CreateDate: iso(policy.CreateDate),
          DefaultVersionId: policy.DefaultVersionId,
          Description: policy.Description ?? null,
          IsAttachable: policy.IsAttachable ?? null,
          Path: policy.Path ?? null,
          PermissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount ?? null,
          PolicyId: policy.PolicyId ?? null,
          PolicyName: policy.PolicyName ?? null,
          UpdateDate: iso(policy.UpdateDate),
          Entities: attached,
          PolicyDocument: document ? decodePolicyDocument(document) : null,
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NoSuchEntity')) return null;
        throw e;
      }
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreatePolicy: rescan,
      DeletePolicy: { action: 'delete', refs: policyRefs },
      CreatePolicyVersion: rescan,
      DeletePolicyVersion: rescan,
      SetDefaultPolicyVersion: rescan,
      TagPolicy: rescan,
      UntagPolicy: rescan,
      // Attachments change Entities, AttachmentCount and PermissionsBoundaryUsageCount.
      AttachUserPolicy: rescan,
      DetachUserPolicy: rescan,
      AttachGroupPolicy: rescan,
      DetachGroupPolicy: rescan,
      AttachRolePolicy: rescan,
      DetachRolePolicy: rescan,
      PutUserPermissionsBoundary: rescan,
      DeleteUserPermissionsBoundary: rescan,
      PutRolePermissionsBoundary: rescan,
      DeleteRolePermissionsBoundary: rescan,
    },

    // SecurityAudit covers every call (iam:Get*, iam:List*).
    // ListPolicies per page; per policy GetPolicy, GetPolicyVersion, ListEntitiesForPolicy.
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'AttachmentCount', type: 'integer', description: 'Number of users, groups and roles the policy is attached to.' },
      { name: 'CreateDate', type: 'timestamp', description: 'When the policy was created.' },
      { name: 'DefaultVersionId', type: 'string', description: 'The default (effective) version, e.g. "v3".' },
      { name: 'Description', type: 'string | null', description: 'The policy description; null when none.' },
      { name: 'IsAttachable', type: 'boolean', description: 'Whether the policy can be attached.' },
      { name: 'Path', type: 'string', description: 'The policy path.' },
      { name: 'PermissionsBoundaryUsageCount', type: 'integer', description: 'Number of users and roles that use the policy as permissions boundary.' },
      { name: 'PolicyId', type: 'string', description: 'The stable unique policy ID (ANPA...).' },
      { name: 'PolicyName', type: 'string', description: 'The policy name.' },
      { name: 'UpdateDate', type: 'timestamp', description: 'When the policy was last updated (a version created or made default).' },
      { name: 'Entities', type: '{PolicyGroups, PolicyRoles, PolicyUsers}', description: 'ListEntitiesForPolicy: {GroupName, GroupId} / {RoleName, RoleId} / {UserName, UserId} lists, each null when the policy is not attached to any entity of that kind.' },
      { name: 'PolicyDocument', type: 'string', description: 'The default version\'s policy document (decoded JSON string).' },
    ],
  };
}

export const IAM_POLICY: ResourceType<PolicyRef> = makeIamPolicyType();
