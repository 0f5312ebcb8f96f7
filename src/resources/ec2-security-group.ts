/**
 * AWS.EC2.SecurityGroup — regional. DescribeSecurityGroups already returns the whole group, so
 * `list` keeps each page's groups in the scope cache and `describe` only calls the API for refs
 * that did not come from this scope's listing (real-time rescans).
 */
import { DescribeSecurityGroupsCommand, EC2Client, IpPermission$, type SecurityGroup } from '@aws-sdk/client-ec2';
import { orNull } from './aws-errors.ts';
import { shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface SecurityGroupRef {
  groupId: string;
  /** The owning account; defaults to the scanned account. */
  ownerId?: string;
}

export const SECURITY_GROUP_TYPE = 'AWS.EC2.SecurityGroup';

const cacheKey = (region: string, groupId: string) => `ec2:security-group:${region}:${groupId}`;

function groupArn(target: ScanTarget, ownerId: string, groupId: string): string {
  return `arn:${target.partition}:ec2:${target.region}:${ownerId}:security-group/${groupId}`;
}

function model(ctx: ScanContext, sg: SecurityGroup): Resource {
  const groupId = sg.GroupId!;
  const ownerId = sg.OwnerId ?? ctx.accountId;
  const arn = groupArn(ctx, ownerId, groupId);
  return {
    ResourceId: arn,
    ResourceType: SECURITY_GROUP_TYPE,
    TimeCreated: null,
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: groupId,
    Name: sg.GroupName ?? null,
    Tags: tagMap(sg.Tags),
    Description: sg.Description ?? null,
    GroupId: groupId,
    GroupName: sg.GroupName ?? null,
    // Rule lists are AWS fields, not assembled collections: a group without rules has [].
    IpPermissions: shapeList(IpPermission$, sg.IpPermissions) ?? [],
    IpPermissionsEgress: shapeList(IpPermission$, sg.IpPermissionsEgress) ?? [],
    OwnerId: ownerId,
    VpcId: sg.VpcId ?? null,
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const sgId = (v: unknown): string | undefined => (typeof v === 'string' && v.startsWith('sg-') ? v : undefined);

/** `{items: [...]}` (CloudTrail's rendering of EC2 lists) or a plain list, as a list. */
function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObj(v) && Array.isArray(v.items)) return v.items;
  return [];
}

/** Group IDs an event names: request `groupId` (also inside a `<Action>Request` wrapper, as
 *  CloudTrail records newer APIs), response `groupId`, and the `groupId` of returned rules
 *  (AuthorizeSecurityGroup* answers with the created rules, which names the group also when
 *  the request named it by `groupName`). */
export function groupIdsOf(d: CloudTrailDetail): SecurityGroupRef[] {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    const id = sgId(v);
    if (id) ids.add(id);
  };
  const req = d.requestParameters ?? {};
  add(req.groupId);
  for (const v of Object.values(req)) if (isObj(v)) add(v.GroupId ?? v.groupId);
  const res = d.responseElements ?? {};
  add(res.groupId);
  for (const key of ['securityGroupRuleSet', 'revokedSecurityGroupRuleSet']) {
    for (const rule of items(res[key])) if (isObj(rule)) add(rule.groupId);
  }
  return [...ids].map((groupId) => ({ groupId }));
}

/** CreateTags/DeleteTags name any EC2 resources; keep the security groups. */
function taggedGroups(d: CloudTrailDetail): SecurityGroupRef[] {
  const ids = new Set<string>();
  for (const r of items(d.requestParameters?.resourcesSet)) {
    const id = isObj(r) ? sgId(r.resourceId) : undefined;
    if (id) ids.add(id);
  }
  return [...ids].map((groupId) => ({ groupId }));
}

const rescan: EventRule<SecurityGroupRef> = { action: 'rescan', refs: groupIdsOf };

export interface SecurityGroupOptions {
  /** DescribeSecurityGroups MaxResults (5–1000). */
  pageSize?: number;
}

export function makeSecurityGroupType(opts: SecurityGroupOptions = {}): ResourceType<SecurityGroupRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: SECURITY_GROUP_TYPE,
    asffType: 'AwsEc2SecurityGroup',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: SecurityGroupRef[] = [];
      for (const sg of page.SecurityGroups ?? []) {
        if (!sg.GroupId) continue;
        remember(ctx, cacheKey(ctx.region, sg.GroupId), sg);
        refs.push({ groupId: sg.GroupId, ...(sg.OwnerId ? { ownerId: sg.OwnerId } : {}) });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const listed = await take<SecurityGroup>(ctx, cacheKey(ctx.region, ref.groupId));
      if (listed) return model(ctx, listed);
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const out = await orNull(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [ref.groupId] })), 'InvalidGroup.NotFound');
      const sg = out?.SecurityGroups?.find((g) => g.GroupId === ref.groupId);
      return sg ? model(ctx, sg) : null;
    },

    resourceId(target, ref) {
      return groupArn(target, ref.ownerId ?? target.accountId, ref.groupId);
    },

    events: {
      CreateSecurityGroup: rescan,
      DeleteSecurityGroup: { action: 'delete', refs: groupIdsOf },
      AuthorizeSecurityGroupIngress: rescan,
      AuthorizeSecurityGroupEgress: rescan,
      RevokeSecurityGroupIngress: rescan,
      RevokeSecurityGroupEgress: rescan,
      ModifySecurityGroupRules: rescan,
      UpdateSecurityGroupRuleDescriptionsIngress: rescan,
      UpdateSecurityGroupRuleDescriptionsEgress: rescan,
      CreateTags: { action: 'rescan', refs: taggedGroups },
      DeleteTags: { action: 'rescan', refs: taggedGroups },
      // A VPC comes with a default security group and takes it along when deleted; neither is
      // named in the event.
      CreateVpc: { action: 'rescan-region' },
      CreateDefaultVpc: { action: 'rescan-region' },
      DeleteVpc: { action: 'rescan-region' },
    },

    // ec2:DescribeSecurityGroups is covered by SecurityAudit's ec2:Describe*.
    // DescribeSecurityGroups per page; groups are described from the listed page.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Description', type: 'string', description: 'The group description.' },
      { name: 'GroupId', type: 'string', description: 'The group ID (sg-...).' },
      { name: 'GroupName', type: 'string', description: 'The group name.' },
      { name: 'IpPermissions', type: 'list<IpPermission>', description: 'Inbound rules: {FromPort, IpProtocol, IpRanges, Ipv6Ranges, PrefixListIds, ToPort, UserIdGroupPairs}, every member present (null when unset).' },
      { name: 'IpPermissionsEgress', type: 'list<IpPermission>', description: 'Outbound rules, same shape as IpPermissions.' },
      { name: 'OwnerId', type: 'string', description: 'The AWS account that owns the group.' },
      { name: 'VpcId', type: 'string | null', description: 'The VPC of the group.' },
    ],
  };
}

export const EC2_SECURITY_GROUP: ResourceType<SecurityGroupRef> = makeSecurityGroupType();
