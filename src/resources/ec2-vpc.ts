/**
 * AWS.EC2.VPC — regional. DescribeVpcs returns whole VPCs (kept from the listed page); each VPC
 * is enriched as Panther models it: its flow logs, network ACLs, route tables, security groups
 * and stale security groups (whole objects, as documented, with nested `Tags` as maps), plus the
 * IDs of its default security group and default network ACL (what Panther's current VPC
 * policies look up).
 */
import {
  DescribeFlowLogsCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeStaleSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  FlowLog$,
  NetworkAcl$,
  RouteTable$,
  SecurityGroup$,
  StaleSecurityGroup$,
  Vpc$,
  type FlowLog,
  type NetworkAcl,
  type RouteTable,
  type SecurityGroup,
  type StaleSecurityGroup,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { orNull } from './aws-errors.ts';
import { allPages, awsFields, ec2Arn, idsIn, sortedBy, withTagMap } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { NOT_IMPLEMENTED, orNotImplemented } from './not-implemented.ts';
import { shape, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface VpcRef {
  vpcId: string;
}

export const EC2_VPC_TYPE = 'AWS.EC2.VPC';

const cacheKey = (region: string, id: string) => `ec2:vpc:${region}:${id}`;

/** Each item shaped with its Tags as a map, sorted by ID; null when there are none. */
function assembled<T extends { Tags?: { Key?: string; Value?: string }[] }>(
  schema: Parameters<typeof withTagMap>[0],
  items: readonly T[],
  id: (t: T) => string | undefined,
): Record<string, unknown>[] | null {
  return items.length > 0 ? sortedBy(items, id).map((i) => withTagMap(schema, i)) : null;
}

async function staleSecurityGroups(ctx: ScanContext, ec2: EC2Client, VpcId: string): Promise<Record<string, unknown>[] | null> {
  const stale: StaleSecurityGroup[] = [];
  let NextToken: string | undefined;
  do {
    const page = await orNotImplemented(ctx, 'ec2:DescribeStaleSecurityGroups', new DescribeStaleSecurityGroupsCommand({ VpcId, MaxResults: 255, NextToken }), (c) =>
      ec2.send(c),
    );
    // An emulator without the call (moto): unknown, which the model renders as null.
    if (page === NOT_IMPLEMENTED) return null;
    stale.push(...(page.StaleSecurityGroupSet ?? []));
    NextToken = page.NextToken && page.NextToken !== NextToken ? page.NextToken : undefined;
  } while (NextToken);
  return stale.length > 0 ? sortedBy(stale, (g) => g.GroupId).map((g) => shape(StaleSecurityGroup$, g) as Record<string, unknown>) : null;
}

async function model(ctx: ScanContext, vpc: Vpc): Promise<Resource> {
  const VpcId = vpc.VpcId!;
  const arn = ec2Arn(ctx, ctx.accountId, 'vpc', VpcId);
  const ec2 = ctx.clients.get(EC2Client, ctx.region);
  const inVpc = [{ Name: 'vpc-id', Values: [VpcId] }];
  const [flowLogs, acls, routeTables, groups, stale] = await Promise.all([
    allPages<FlowLog>(async (NextToken) => {
      const r = await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [VpcId] }], MaxResults: 1000, NextToken }));
      return { items: r.FlowLogs, next: r.NextToken };
    }),
    allPages<NetworkAcl>(async (NextToken) => {
      const r = await ec2.send(new DescribeNetworkAclsCommand({ Filters: inVpc, MaxResults: 1000, NextToken }));
      return { items: r.NetworkAcls, next: r.NextToken };
    }),
    allPages<RouteTable>(async (NextToken) => {
      const r = await ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc, MaxResults: 100, NextToken }));
      return { items: r.RouteTables, next: r.NextToken };
    }),
    allPages<SecurityGroup>(async (NextToken) => {
      const r = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: inVpc, MaxResults: 1000, NextToken }));
      return { items: r.SecurityGroups, next: r.NextToken };
    }),
    staleSecurityGroups(ctx, ec2, VpcId),
  ]);
  return {
    ResourceId: arn,
    ResourceType: EC2_VPC_TYPE,
    TimeCreated: null,
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: VpcId,
    Name: null,
    Tags: tagMap(vpc.Tags),
    ...awsFields(Vpc$, vpc),
    DefaultNetworkAclId: acls.find((a) => a.IsDefault)?.NetworkAclId ?? null,
    DefaultSecurityGroupId: groups.find((g) => g.GroupName === 'default')?.GroupId ?? null,
    FlowLogs: assembled(FlowLog$, flowLogs, (f) => f.FlowLogId),
    NetworkAcls: assembled(NetworkAcl$, acls, (a) => a.NetworkAclId),
    RouteTables: assembled(RouteTable$, routeTables, (t) => t.RouteTableId),
    SecurityGroups: assembled(SecurityGroup$, groups, (g) => g.GroupId),
    StaleSecurityGroups: stale,
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** VPC IDs an event names: `vpcId` anywhere, and `ResourceId` of CreateFlowLogs / `resourceId`
 *  of CreateTags and DeleteTags (only the vpc-... ones). */
const vpcIds = (d: CloudTrailDetail): VpcRef[] => idsIn(d, ['vpcId', 'resourceId'], 'vpc-').map((vpcId) => ({ vpcId }));
const rescan: EventRule<VpcRef> = { action: 'rescan', refs: vpcIds };
// Changes to a VPC's flow logs, ACLs, route tables and security groups that name only those
// (or, for CreateSecurityGroup, may leave the default VPC implicit): the region's VPCs are
// described again.
const region: EventRule<VpcRef> = { action: 'rescan-region' };

export interface VpcOptions {
  /** DescribeVpcs MaxResults (5–1000). */
  pageSize?: number;
}

export function makeVpcType(opts: VpcOptions = {}): ResourceType<VpcRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: EC2_VPC_TYPE,
    asffType: 'AwsEc2Vpc',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeVpcsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: VpcRef[] = [];
      for (const vpc of page.Vpcs ?? []) {
        if (!vpc.VpcId) continue;
        remember(ctx, cacheKey(ctx.region, vpc.VpcId), vpc);
        refs.push({ vpcId: vpc.VpcId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let vpc = await take<Vpc>(ctx, cacheKey(ctx.region, ref.vpcId));
      if (!vpc) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        const out = await orNull(ec2.send(new DescribeVpcsCommand({ VpcIds: [ref.vpcId] })), 'InvalidVpcID.NotFound');
        vpc = out?.Vpcs?.find((v) => v.VpcId === ref.vpcId);
      }
      return vpc ? model(ctx, vpc) : null;
    },

    resourceId(target: ScanTarget, ref) {
      return ec2Arn(target, target.accountId, 'vpc', ref.vpcId);
    },

    events: {
      CreateVpc: rescan,
      // Recreates the default VPC with its default security group and network ACL.
      CreateDefaultVpc: rescan,
      DeleteVpc: { action: 'delete', refs: vpcIds },
      ModifyVpcTenancy: rescan,
      AssociateVpcCidrBlock: rescan,
      DisassociateVpcCidrBlock: rescan,
      AssociateDhcpOptions: rescan,
      CreateFlowLogs: rescan,
      DeleteFlowLogs: region,
      CreateNetworkAcl: rescan,
      DeleteNetworkAcl: region,
      CreateNetworkAclEntry: region,
      ReplaceNetworkAclEntry: region,
      DeleteNetworkAclEntry: region,
      ReplaceNetworkAclAssociation: region,
      CreateSubnet: region,
      DeleteSubnet: region,
      CreateRouteTable: rescan,
      DeleteRouteTable: region,
      CreateRoute: region,
      ReplaceRoute: region,
      DeleteRoute: region,
      AssociateRouteTable: region,
      DisassociateRouteTable: region,
      ReplaceRouteTableAssociation: region,
      CreateSecurityGroup: region,
      DeleteSecurityGroup: region,
      AuthorizeSecurityGroupIngress: region,
      AuthorizeSecurityGroupEgress: region,
      RevokeSecurityGroupIngress: region,
      RevokeSecurityGroupEgress: region,
      ModifySecurityGroupRules: region,
      UpdateSecurityGroupRuleDescriptionsIngress: region,
      UpdateSecurityGroupRuleDescriptionsEgress: region,
      // Security group rules that reference a peered VPC's groups go stale with the peering.
      DeleteVpcPeeringConnection: region,
      CreateTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit's ec2:Describe* covers DescribeVpcs, DescribeFlowLogs, DescribeNetworkAcls,
    // DescribeRouteTables, DescribeSecurityGroups and DescribeStaleSecurityGroups.
    // DescribeVpcs per page; per VPC DescribeFlowLogs, DescribeNetworkAcls, DescribeRouteTables, DescribeSecurityGroups, DescribeStaleSecurityGroups.
    apiCalls: { perPage: 1, perResource: 5, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'BlockPublicAccessStates', type: '{InternetGatewayBlockMode} | null', description: 'The VPC Block Public Access state of the VPC.' },
      { name: 'CidrBlock', type: 'string', description: 'The primary IPv4 CIDR block.' },
      { name: 'CidrBlockAssociationSet', type: 'list<{AssociationId, CidrBlock, CidrBlockState {State, StatusMessage}}>', description: 'IPv4 CIDR blocks of the VPC.' },
      { name: 'DhcpOptionsId', type: 'string', description: 'The DHCP options set ("default" when none).' },
      { name: 'EncryptionControl', type: 'object | null', description: 'VPC encryption control, as DescribeVpcs reports it.' },
      { name: 'InstanceTenancy', type: 'string', description: 'default, dedicated or host.' },
      { name: 'Ipv6CidrBlockAssociationSet', type: 'list | null', description: 'IPv6 CIDR blocks of the VPC.' },
      { name: 'IsDefault', type: 'boolean', description: 'Whether this is the region\'s default VPC.' },
      { name: 'OwnerId', type: 'string', description: 'The AWS account that owns the VPC.' },
      { name: 'State', type: 'string', description: 'pending or available.' },
      { name: 'VpcId', type: 'string', description: 'The VPC ID (vpc-...).' },
      { name: 'DefaultNetworkAclId', type: 'string | null', description: 'The ID of the VPC\'s default network ACL (ResourceId arn:<p>:ec2:<region>:<acct>:network-acl/<id>).' },
      { name: 'DefaultSecurityGroupId', type: 'string | null', description: 'The ID of the VPC\'s default security group (ResourceId arn:<p>:ec2:<region>:<acct>:security-group/<id>).' },
      { name: 'FlowLogs', type: 'list<FlowLog> | null', description: 'DescribeFlowLogs for the VPC: {CreationTime, DeliverLogsStatus, FlowLogId, FlowLogStatus ("ACTIVE"), LogDestination, LogDestinationType, LogGroupName, ResourceId, TrafficType (ACCEPT, REJECT, ALL), ...}; null when the VPC has none.' },
      { name: 'NetworkAcls', type: 'list<NetworkAcl> | null', description: 'The VPC\'s network ACLs as in AWS.EC2.NetworkACL ({Associations, Entries, IsDefault, NetworkAclId, OwnerId, Tags, VpcId}); null when none.' },
      { name: 'RouteTables', type: 'list<RouteTable> | null', description: 'The VPC\'s route tables: {Associations, OwnerId, PropagatingVgws, RouteTableId, Routes, Tags, VpcId}; null when none.' },
      { name: 'SecurityGroups', type: 'list<SecurityGroup> | null', description: 'The VPC\'s security groups: {Description, GroupId, GroupName, IpPermissions, IpPermissionsEgress, OwnerId, SecurityGroupArn, Tags, VpcId}; null when none.' },
      { name: 'StaleSecurityGroups', type: 'list<StaleSecurityGroup> | null', description: 'DescribeStaleSecurityGroups: groups with rules that reference a deleted group or peering {Description, GroupId, GroupName, StaleIpPermissions, StaleIpPermissionsEgress, VpcId}; null when none, or when the endpoint does not implement the call (moto).' },
    ],
  };
}

export const EC2_VPC: ResourceType<VpcRef> = makeVpcType();
