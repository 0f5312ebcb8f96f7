/**
 * AWS.IAM.Role — global. GetRole (ListRoles omits tags, the permissions boundary and last use),
 * inline policies and the attached managed policies' names.
 */
import {
  AttachedPermissionsBoundary$,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  RoleLastUsed$,
  type RoleLastUsed,
} from '@aws-sdk/client-iam';
import { hasErrorCode } from './aws-errors.ts';
import { allIamPages, decodePolicyDocument, inlinePolicyDocuments, orNullList, requestStrings, responseObject } from './iam-paging.ts';
import { iso, shape, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface RoleRef {
  roleName: string;
  /** The role ARN (it carries the path); known from listings and CreateRole, not from most events. */
  arn?: string;
}

export const IAM_ROLE_TYPE = 'AWS.IAM.Role';

/** Roles an event names: `roleName`; CreateRole / CreateServiceLinkedRole answer with the ARN. */
export function roleRefs(d: CloudTrailDetail): RoleRef[] {
  const created = responseObject(d, 'role');
  const names = requestStrings(d, 'roleName');
  if (names.length === 0 && typeof created?.roleName === 'string') names.push(created.roleName);
  return names.map((roleName) =>
    created && created.roleName === roleName && typeof created.arn === 'string' ? { roleName, arn: created.arn } : { roleName },
  );
}

const rescan: EventRule<RoleRef> = { action: 'rescan', refs: roleRefs };

/** RoleLastUsed as GetRole reports it. Every assumption of a role moves it — the audit role's own
 *  on every scan — so it is declared volatile: it does not make the role a changed resource. */
export function roleLastUsed(used: RoleLastUsed | undefined): unknown {
  return shape(RoleLastUsed$, used);
}

export interface IamRoleOptions {
  /** ListRoles MaxItems per page (each role costs ~3 describe calls). */
  pageSize?: number;
}

export function makeIamRoleType(opts: IamRoleOptions = {}): ResourceType<RoleRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: IAM_ROLE_TYPE,
    asffType: 'AwsIamRole',
    service: 'iam',
    scope: 'global',
    eventSource: 'iam.amazonaws.com',

    async list(ctx, pageToken) {
      const page = await ctx.clients.get(IAMClient).send(new ListRolesCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs = (page.Roles ?? []).flatMap((r) => (r.RoleName && r.Arn ? [{ roleName: r.RoleName, arn: r.Arn }] : []));
      return { refs, ...(page.IsTruncated && page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const iam = ctx.clients.get(IAMClient);
      const RoleName = ref.roleName;
      try {
        const [{ Role: role }, inline, attached] = await Promise.all([
          iam.send(new GetRoleCommand({ RoleName })),
          inlinePolicyDocuments(
            async (Marker) => {
              const r = await iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
              return { items: r.PolicyNames, IsTruncated: r.IsTruncated, Marker: r.Marker };
            },
            async (PolicyName) => (await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument,
          ),
          allIamPages(async (Marker) => {
            const r = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, Marker }));
            return { items: r.AttachedPolicies, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
        ]);
        if (!role?.Arn || !role.RoleName) return null;
        const resource: Resource = {
          ResourceId: role.Arn,
          ResourceType: IAM_ROLE_TYPE,
          TimeCreated: iso(role.CreateDate),
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: role.Arn,
          Id: role.RoleId ?? null,
          Name: role.RoleName,
          Tags: tagMap(role.Tags),
          AssumeRolePolicyDocument: role.AssumeRolePolicyDocument ? decodePolicyDocument(role.AssumeRolePolicyDocument) : null,
          CreateDate: iso(role.CreateDate),
          Description: role.Description ?? null,
          MaxSessionDuration: role.MaxSessionDuration ?? null,
          Path: role.Path ?? null,
          PermissionsBoundary: shape(AttachedPermissionsBoundary$, role.PermissionsBoundary),
          RoleId: role.RoleId ?? null,
          RoleLastUsed: roleLastUsed(role.RoleLastUsed),
          RoleName: role.RoleName,
          InlinePolicies: inline,
          ManagedPolicyNames: orNullList(attached.flatMap((p) => (p.PolicyName ? [p.PolicyName] : []))),
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
      CreateRole: rescan,
      DeleteRole: { action: 'delete', refs: roleRefs },
      CreateServiceLinkedRole: rescan,
      // Deletion of a service-linked role is an asynchronous task that fails while the role is in
      // use: rescan once it had time to finish instead of assuming it is gone.
      DeleteServiceLinkedRole: { action: 'rescan', refs: roleRefs, settleSeconds: 60 },
      UpdateRole: rescan,
      UpdateRoleDescription: rescan,
      UpdateAssumeRolePolicy: rescan,
      PutRolePolicy: rescan,
      DeleteRolePolicy: rescan,
      AttachRolePolicy: rescan,
      DetachRolePolicy: rescan,
      PutRolePermissionsBoundary: rescan,
      DeleteRolePermissionsBoundary: rescan,
      TagRole: rescan,
      UntagRole: rescan,
    },

    // SecurityAudit covers every call (iam:Get*, iam:List*).
    // ListRoles per page; per role GetRole, ListRolePolicies, ListAttachedRolePolicies (+ GetRolePolicy per inline policy).
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    volatileAttributes: ['RoleLastUsed'],
    iamActions: [],

    attributes: [
      { name: 'AssumeRolePolicyDocument', type: 'string | null', description: 'The trust policy (decoded JSON string).' },
      { name: 'CreateDate', type: 'timestamp', description: 'When the role was created.' },
      { name: 'Description', type: 'string | null', description: 'The role description; null when none.' },
      { name: 'MaxSessionDuration', type: 'integer', description: 'Maximum session duration in seconds (3600–43200).' },
      { name: 'Path', type: 'string', description: 'The role path (service-linked roles: /aws-service-role/<service>/).' },
      { name: 'PermissionsBoundary', type: '{PermissionsBoundaryType, PermissionsBoundaryArn} | null', description: 'The permissions boundary; null when none.' },
      { name: 'RoleId', type: 'string', description: 'The stable unique role ID (AROA...).' },
      { name: 'RoleLastUsed', type: '{LastUsedDate, Region} | null', description: 'Last use of the role (GetRole; AWS tracks the trailing 400 days); both members null when not used in that window. Volatile: a change of it alone does not rewrite the stored resource.' },
      { name: 'RoleName', type: 'string', description: 'The role name.' },
      { name: 'InlinePolicies', type: 'map<string, string> | null', description: 'Inline policy name → policy document (decoded JSON string); null when none.' },
      { name: 'ManagedPolicyNames', type: 'list<string> | null', description: 'Names of the attached managed policies; null when none.' },
    ],
  };
}

export const IAM_ROLE: ResourceType<RoleRef> = makeIamRoleType();
