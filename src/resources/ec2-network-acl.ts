/**
 * AWS.EC2.NetworkACL — regional. DescribeNetworkAcls returns whole ACLs, so `list` keeps each
 * page's ACLs for `describe`, which calls the API only for refs from elsewhere (real time).
 */
import { DescribeNetworkAclsCommand, EC2Client, NetworkAcl$, type NetworkAcl } from '@aws-sdk/client-ec2';
import { orNull } from './aws-errors.ts';
import { awsFields, ec2Arn, idsIn } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface NetworkAclRef {
  networkAclId: string;
}

export const EC2_NETWORK_ACL_TYPE = 'AWS.EC2.NetworkACL';

const cacheKey = (region: string, id: string) => `ec2:network-acl:${region}:${id}`;

function model(ctx: ScanContext, acl: NetworkAcl): Resource {
  const id = acl.NetworkAclId!;
  const arn = ec2Arn(ctx, ctx.accountId, 'network-acl', id);
  return {
    ResourceId: arn,
    ResourceType: EC2_NETWORK_ACL_TYPE,
    TimeCreated: null,
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: id,
    Name: null,
    Tags: tagMap(acl.Tags),
    ...awsFields(NetworkAcl$, acl),
  };
}

const aclIds = (d: CloudTrailDetail): NetworkAclRef[] => idsIn(d, ['networkAclId'], 'acl-').map((networkAclId) => ({ networkAclId }));
const taggedAcls = (d: CloudTrailDetail): NetworkAclRef[] => idsIn(d, ['resourceId'], 'acl-').map((networkAclId) => ({ networkAclId }));
const rescan: EventRule<NetworkAclRef> = { action: 'rescan', refs: aclIds };
// Association changes that do not name the ACL losing the subnet, and VPCs that come with (and
// take along) their default ACL.
const region: EventRule<NetworkAclRef> = { action: 'rescan-region' };

export interface NetworkAclOptions {
  /** DescribeNetworkAcls MaxResults (5–1000). */
  pageSize?: number;
}

export function makeNetworkAclType(opts: NetworkAclOptions = {}): ResourceType<NetworkAclRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: EC2_NETWORK_ACL_TYPE,
    asffType: 'AwsEc2NetworkAcl',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeNetworkAclsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: NetworkAclRef[] = [];
      for (const acl of page.NetworkAcls ?? []) {
        if (!acl.NetworkAclId) continue;
        remember(ctx, cacheKey(ctx.region, acl.NetworkAclId), acl);
        refs.push({ networkAclId: acl.NetworkAclId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let acl = await take<NetworkAcl>(ctx, cacheKey(ctx.region, ref.networkAclId));
      if (!acl) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        // AWS answers a missing ACL with InvalidNetworkAclID.NotFound; moto with
        // InvalidRouteTableID.NotFound (a code DescribeNetworkAcls has no other use for).
        const out = await orNull(
          ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [ref.networkAclId] })),
          'InvalidNetworkAclID.NotFound',
          'InvalidRouteTableID.NotFound',
        );
        acl = out?.NetworkAcls?.find((a) => a.NetworkAclId === ref.networkAclId);
      }
      return acl ? model(ctx, acl) : null;
    },

    resourceId(target: ScanTarget, ref) {
      return ec2Arn(target, target.accountId, 'network-acl', ref.networkAclId);
    },

    events: {
      CreateNetworkAcl: rescan,
      DeleteNetworkAcl: { action: 'delete', refs: aclIds },
      CreateNetworkAclEntry: rescan,
      ReplaceNetworkAclEntry: rescan,
      DeleteNetworkAclEntry: rescan,
      ReplaceNetworkAclAssociation: region,
      CreateSubnet: region,
      DeleteSubnet: region,
      CreateVpc: region,
      CreateDefaultVpc: region,
      DeleteVpc: region,
      CreateTags: { action: 'rescan', refs: taggedAcls },
      DeleteTags: { action: 'rescan', refs: taggedAcls },
    },

    // ec2:DescribeNetworkAcls is covered by SecurityAudit's ec2:Describe*.
    // DescribeNetworkAcls per page; ACLs are described from the listed page.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Associations', type: 'list<{NetworkAclAssociationId, NetworkAclId, SubnetId}>', description: 'The subnets the ACL is associated with.' },
      { name: 'Entries', type: 'list<NetworkAclEntry>', description: 'Rules: {CidrBlock, Egress, IcmpTypeCode, Ipv6CidrBlock, PortRange {From, To}, Protocol ("-1" = all), RuleAction, RuleNumber}, every member present (null when unset).' },
      { name: 'IsDefault', type: 'boolean', description: 'Whether this is the default ACL of its VPC.' },
      { name: 'NetworkAclId', type: 'string', description: 'The ACL ID (acl-...).' },
      { name: 'OwnerId', type: 'string', description: 'The AWS account that owns the ACL.' },
      { name: 'VpcId', type: 'string', description: 'The VPC of the ACL.' },
    ],
  };
}

export const EC2_NETWORK_ACL: ResourceType<NetworkAclRef> = makeNetworkAclType();
