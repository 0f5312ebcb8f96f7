/**
 * AWS.IAM.Group — global. GetGroup (which also pages the members), inline policies and the
 * attached managed policies' ARNs.
 */
import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  User$,
  type Group,
  type User,
} from '@aws-sdk/client-iam';
import { hasErrorCode } from './aws-errors.ts';
import { allIamPages, inlinePolicyDocuments, orNullList, requestStrings, responseObject } from './iam-paging.ts';
import { iso, shapeList } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface GroupRef {
  groupName: string;
  /** The group ARN (it carries the path); known from listings and CreateGroup, not from most events. */
  arn?: string;
}

export const IAM_GROUP_TYPE = 'AWS.IAM.Group';

/** Groups an event names: `groupName` (and `newGroupName` of UpdateGroup); CreateGroup's
 *  response adds the ARN. */
export function groupRefs(d: CloudTrailDetail): GroupRef[] {
  const created = responseObject(d, 'group');
  return requestStrings(d, 'groupName', 'newGroupName').map((groupName) =>
    created && created.groupName === groupName && typeof created.arn === 'string' ? { groupName, arn: created.arn } : { groupName },
  );
}

const rescan: EventRule<GroupRef> = { action: 'rescan', refs: groupRefs };

export interface IamGroupOptions {
  /** ListGroups MaxItems per page (each group costs ~3 describe calls). */
  pageSize?: number;
}

export function makeIamGroupType(opts: IamGroupOptions = {}): ResourceType<GroupRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: IAM_GROUP_TYPE,
    asffType: 'AwsIamGroup',
    service: 'iam',
    scope: 'global',
    eventSource: 'iam.amazonaws.com',

    async list(ctx, pageToken) {
      const page = await ctx.clients.get(IAMClient).send(new ListGroupsCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs = (page.Groups ?? []).flatMap((g) => (g.GroupName && g.Arn ? [{ groupName: g.GroupName, arn: g.Arn }] : []));
      return { refs, ...(page.IsTruncated && page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const iam = ctx.clients.get(IAMClient);
      const GroupName = ref.groupName;
      try {
        let group: Group | undefined;
        const [users, inline, attached] = await Promise.all([
          allIamPages<User>(async (Marker) => {
            const r = await iam.send(new GetGroupCommand({ GroupName, Marker }));
            group ??= r.Group;
            return { items: r.Users, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
          inlinePolicyDocuments(
            async (Marker) => {
              const r = await iam.send(new ListGroupPoliciesCommand({ GroupName, Marker }));
              return { items: r.PolicyNames, IsTruncated: r.IsTruncated, Marker: r.Marker };
            },
            async (PolicyName) => (await iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument,
          ),
          allIamPages(async (Marker) => {
            const r = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName, Marker }));
            return { items: r.AttachedPolicies, IsTruncated: r.IsTruncated, Marker: r.Marker };
          }),
        ]);
        const g = group as Group | undefined;
        if (!g?.Arn || !g.GroupName) return null;
        const resource: Resource = {
          ResourceId: g.Arn,
          ResourceType: IAM_GROUP_TYPE,
          TimeCreated: iso(g.CreateDate),
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: g.Arn,
          Id: g.GroupId ?? null,
          Name: g.GroupName,
          // IAM groups cannot be tagged.
          Tags: null,
          CreateDate: iso(g.CreateDate),
          GroupId: g.GroupId ?? null,
          GroupName: g.GroupName,
          Path: g.Path ?? null,
          Users: shapeList(User$, users),
          InlinePolicies: inline,
          ManagedPolicyARNs: orNullList(attached.flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : []))),
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
      CreateGroup: rescan,
      DeleteGroup: { action: 'delete', refs: groupRefs },
      // A rename or path change: the new name is rescanned, the old one is reconciled away.
      UpdateGroup: rescan,
      AddUserToGroup: rescan,
      RemoveUserFromGroup: rescan,
      PutGroupPolicy: rescan,
      DeleteGroupPolicy: rescan,
      AttachGroupPolicy: rescan,
      DetachGroupPolicy: rescan,
    },

    // SecurityAudit covers every call (iam:Get*, iam:List*).
    // ListGroups per page; per group GetGroup, ListGroupPolicies, ListAttachedGroupPolicies (+ GetGroupPolicy per inline policy, + GetGroup per further page of members).
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'CreateDate', type: 'timestamp', description: 'When the group was created.' },
      { name: 'GroupId', type: 'string', description: 'The stable unique group ID (AGPA...).' },
      { name: 'GroupName', type: 'string', description: 'The group name.' },
      { name: 'Path', type: 'string', description: 'The group path.' },
      { name: 'Users', type: 'list<User> | null', description: 'The members (GetGroup Users: {Arn, CreateDate, PasswordLastUsed, Path, PermissionsBoundary, Tags, UserId, UserName}, every member present); null when the group is empty.' },
      { name: 'InlinePolicies', type: 'map<string, string> | null', description: 'Inline policy name → policy document (decoded JSON string); null when none.' },
      { name: 'ManagedPolicyARNs', type: 'list<string> | null', description: 'ARNs of the attached managed policies; null when none.' },
    ],
  };
}

export const IAM_GROUP: ResourceType<GroupRef> = makeIamGroupType();
