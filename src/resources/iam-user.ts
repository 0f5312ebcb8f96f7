/**
 * AWS.IAM.User — global. Enriched with the credential report row, groups, inline and managed
 * policies, the assigned virtual MFA device and (beyond Panther) the access keys.
 */
import { scopeMemo } from './scope-cache.ts';
import { allIamPages, inlinePolicyDocuments, orNullList } from './iam-paging.ts';
import {
  AccessKeyMetadata$,
  AttachedPermissionsBoundary$,
  GetUserCommand,
  GetUserPolicyCommand,
  Group$,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  type AccessKeyMetadata,
  type Group,
} from '@aws-sdk/client-iam';
import { hasErrorCode } from './aws-errors.ts';
import { credentialReport } from './iam-credential-report.ts';
import { IAM_GROUP_TYPE } from './iam-group.ts';
import { IAM_POLICY_TYPE } from './iam-policy.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface UserRef {
  userName: string;
  /** The user ARN (it carries the path); known from listings, not from most events. */
  arn?: string;
}

export const IAM_USER_TYPE = 'AWS.IAM.User';


export interface VirtualMfa {
  EnableDate: string | null;
  SerialNumber: string | null;
}

/** Assigned virtual MFA devices by user ARN, listed once per scope. */
function virtualMfaDevices(ctx: ScanContext): Promise<Map<string, VirtualMfa>> {
  return scopeMemo(ctx, 'iam:virtual-mfa-devices', async () => {
    const iam = ctx.clients.get(IAMClient);
    const devices = await allIamPages(async (Marker) => {
      const r = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', Marker }));
      return { items: r.VirtualMFADevices, IsTruncated: r.IsTruncated, Marker: r.Marker };
    });
    const byArn = new Map<string, VirtualMfa>();
    for (const d of devices) {
      if (d.User?.Arn) byArn.set(d.User.Arn, { EnableDate: iso(d.EnableDate), SerialNumber: d.SerialNumber ?? null });
    }
    return byArn;
  });
}

function inlinePolicies(iam: IAMClient, UserName: string): Promise<Record<string, string> | null> {
  return inlinePolicyDocuments(
    async (Marker) => {
      const r = await iam.send(new ListUserPoliciesCommand({ UserName, Marker }));
      return { items: r.PolicyNames, IsTruncated: r.IsTruncated, Marker: r.Marker };
    },
    async (PolicyName) => (await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument,
  );
}

// ---- CloudTrail refs -------------------------------------------------------------------------

function userNames(d: CloudTrailDetail): UserRef[] {
  const refs: UserRef[] = [];
  const req = d.requestParameters ?? {};
  const res = d.responseElements ?? {};
  const created = (res.user ?? null) as { userName?: unknown; arn?: unknown } | null;
  for (const name of [req.userName, req.newUserName]) {
    if (typeof name !== 'string' || !name) continue;
    const arn = created && created.userName === name && typeof created.arn === 'string' ? created.arn : undefined;
    refs.push(arn ? { userName: name, arn } : { userName: name });
  }
  return refs;
}

/** Calls a user makes on itself (ChangePassword) name the user only in userIdentity. */
function callingUser(d: CloudTrailDetail): UserRef[] {
  const id = d.userIdentity ?? {};
  if (id.type !== 'IAMUser' || typeof id.userName !== 'string') return [];
  return [typeof id.arn === 'string' ? { userName: id.userName, arn: id.arn } : { userName: id.userName }];
}

const rescan: EventRule<UserRef> = { action: 'rescan', refs: userNames };

/** Access keys and signing certificates: without `userName`, IAM acts on the calling user. */
const namedOrCallingUser = (d: CloudTrailDetail): UserRef[] => {
  const named = userNames(d);
  return named.length > 0 || typeof d.requestParameters?.userName === 'string' ? named : callingUser(d);
};
const selfService: EventRule<UserRef> = { action: 'rescan', refs: namedOrCallingUser };

export interface IamUserOptions {
  /** ListUsers MaxItems per page (each user costs ~7 describe calls). */
  pageSize?: number;
}

export function makeIamUserType(opts: IamUserOptions = {}): ResourceType<UserRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: IAM_USER_TYPE,
    // AWS.IAM.User.AdminPolicy reads the user's groups and customer-managed policies.
    lookupsFrom: [IAM_GROUP_TYPE, IAM_POLICY_TYPE],
    asffType: 'AwsIamUser',
    service: 'iam',
    scope: 'global',
    eventSource: 'iam.amazonaws.com',

    async list(ctx, pageToken) {
      const iam = ctx.clients.get(IAMClient);
      const page = await iam.send(new ListUsersCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs = (page.Users ?? []).map((u) => ({ userName: u.UserName!, arn: u.Arn! }));
      return { refs, ...(page.IsTruncated && page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const iam = ctx.clients.get(IAMClient);
      const UserName = ref.userName;
      try {
        const { User: user } = await iam.send(new GetUserCommand({ UserName }));
        if (!user?.Arn || !user.UserName) return null;
        const [report, mfa, groups, inline, attached, keys] = await Promise.all([
          credentialReport(ctx),
          virtualMfaDevices(ctx),
          allIamPages<Group>(async (Marker) => {
            const r = await iam.send(new ListGroupsForUserCommand({ UserName, Marker }));
            return { items: r.Groups, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
          inlinePolicies(iam, UserName),
          allIamPages(async (Marker) => {
            const r = await iam.send(new ListAttachedUserPoliciesCommand({ UserName, Marker }));
            return { items: r.AttachedPolicies, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
          allIamPages<AccessKeyMetadata>(async (Marker) => {
            const r = await iam.send(new ListAccessKeysCommand({ UserName, Marker }));
            return { items: r.AccessKeyMetadata, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
        ]);
        const managed = attached.flatMap((p) => (p.PolicyName ? [p.PolicyName] : []));
        const resource: Resource = {
          ResourceId: user.Arn,
          ResourceType: IAM_USER_TYPE,
          TimeCreated: iso(user.CreateDate),
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: user.Arn,
          Id: user.UserId ?? null,
          Name: user.UserName,
          Tags: tagMap(user.Tags),
          CreateDate: iso(user.CreateDate),
          PasswordLastUsed: iso(user.PasswordLastUsed),
          Path: user.Path ?? null,
          PermissionsBoundary: shape(AttachedPermissionsBoundary$, user.PermissionsBoundary),
          UserId: user.UserId ?? null,
          UserName: user.UserName,
          CredentialReport: report.get(user.Arn) ?? null,
          Groups: shapeList(Group$, groups),
          InlinePolicies: inline,
          ManagedPolicyNames: managed.length > 0 ? managed : null,
          ManagedPolicyARNs: orNullList(attached.flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : []))),
          VirtualMFA: mfa.get(user.Arn) ?? null,
          AccessKeys: shapeList(AccessKeyMetadata$, keys),
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
      CreateUser: rescan,
      DeleteUser: { action: 'delete', refs: userNames },
      UpdateUser: rescan,
      AttachUserPolicy: rescan,
      DetachUserPolicy: rescan,
      PutUserPolicy: rescan,
      DeleteUserPolicy: rescan,
      AddUserToGroup: rescan,
      RemoveUserFromGroup: rescan,
      CreateAccessKey: selfService,
      UpdateAccessKey: selfService,
      DeleteAccessKey: selfService,
      CreateLoginProfile: rescan,
      DeleteLoginProfile: rescan,
      UpdateLoginProfile: rescan,
      EnableMFADevice: rescan,
      DeactivateMFADevice: rescan,
      TagUser: rescan,
      UntagUser: rescan,
      PutUserPermissionsBoundary: rescan,
      DeleteUserPermissionsBoundary: rescan,
      UploadSigningCertificate: selfService,
      UpdateSigningCertificate: selfService,
      DeleteSigningCertificate: selfService,
      ChangePassword: { action: 'rescan', refs: callingUser },
    },

    // SecurityAudit covers every call: iam:List*, iam:Get*, iam:GenerateCredentialReport.
    // ListUsers per page; per user GetUser, ListGroupsForUser, ListUserPolicies, ListAttachedUserPolicies, ListAccessKeys (+ GetUserPolicy per inline policy); per scope Generate/GetCredentialReport and ListVirtualMFADevices.
    apiCalls: { perPage: 1, perResource: 5, perScope: 3 },
    // Last-use data moves with every login and API call of an active user, not with configuration.
    volatileAttributes: [
      'PasswordLastUsed',
      'CredentialReport.PasswordLastUsed',
      'CredentialReport.AccessKey1LastUsedDate',
      'CredentialReport.AccessKey1LastUsedRegion',
      'CredentialReport.AccessKey1LastUsedService',
      'CredentialReport.AccessKey2LastUsedDate',
      'CredentialReport.AccessKey2LastUsedRegion',
      'CredentialReport.AccessKey2LastUsedService',
    ],
    iamActions: [],

    attributes: [
      { name: 'Arn', type: 'string', description: 'The user ARN (with path).' },
      { name: 'CreateDate', type: 'timestamp', description: 'When the user was created.' },
      { name: 'PasswordLastUsed', type: 'timestamp | null', description: 'Last console sign-in with the password (GetUser); null when never used or unknown.' },
      { name: 'Path', type: 'string', description: 'The user path.' },
      { name: 'PermissionsBoundary', type: '{PermissionsBoundaryType, PermissionsBoundaryArn} | null', description: 'The permissions boundary; null when none.' },
      { name: 'UserId', type: 'string', description: 'The stable unique user ID (AIDA...).' },
      { name: 'UserName', type: 'string', description: 'The user name.' },
      { name: 'CredentialReport', type: 'CredentialReport | null', description: 'The user\'s IAM credential report row with typed values (booleans; RFC 3339 dates, N/A dates as 0001-01-01T00:00:00Z); null when the report does not list the user yet. AWS refreshes the report at most every 4 hours.' },
      { name: 'Groups', type: 'list<Group> | null', description: 'ListGroupsForUser groups {Arn, CreateDate, GroupId, GroupName, Path}; null when none.' },
      { name: 'InlinePolicies', type: 'map<string, string> | null', description: 'Inline policy name → policy document (decoded JSON string); null when none.' },
      { name: 'ManagedPolicyNames', type: 'list<string> | null', description: 'Names of the attached managed policies; null when none.' },
      { name: 'ManagedPolicyARNs', type: 'list<string> | null', description: 'ARNs of the attached managed policies (as on AWS.IAM.Group; Posture addition, for resource_lookup of customer-managed ones); null when none.' },
      { name: 'VirtualMFA', type: '{EnableDate, SerialNumber} | null', description: 'The virtual MFA device assigned to the user; null when none (hardware devices are not listed here).' },
      { name: 'AccessKeys', type: 'list<AccessKeyMetadata> | null', description: 'Posture addition (not in Panther\'s model): ListAccessKeys metadata {AccessKeyId, CreateDate, Status, UserName}; null when none.' },
    ],
  };
}

export const IAM_USER: ResourceType<UserRef> = makeIamUserType();
