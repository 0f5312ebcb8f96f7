/**
 * AWS.ElastiCache.ReplicationGroup — regional. DescribeReplicationGroups pages return whole
 * groups: `list` keeps them in the scope cache, `describe` adds ListTagsForResource. A group is
 * a Valkey/Redis OSS primary with its replicas (or a cluster-mode set of shards); its member
 * nodes are modeled as AWS.ElastiCache.CacheCluster.
 */
import { DescribeReplicationGroupsCommand, ElastiCacheClient, ReplicationGroup$, type ReplicationGroup } from '@aws-sdk/client-elasticache';
import { hasErrorCode } from './aws-errors.ts';
import { elastiCacheArn, elastiCacheIdOfArn, elastiCacheTags } from './elasticache-common.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface ReplicationGroupRef {
  id: string;
}

export const ELASTICACHE_REPLICATION_GROUP_TYPE = 'AWS.ElastiCache.ReplicationGroup';

/** A new group is `creating` for minutes. */
const GROUP_SETTLE_SECONDS = 120;

/** Statuses of a resource on its way out. */
const GONE = ['deleting', 'deleted'];

const cacheKey = (region: string, id: string) => `elasticache:replicationgroup:${region}:${id}`;

/** The groups an event names: request `replicationGroupId`, the ARN `resourceName` of the tag
 *  calls, and the response's group. */
export function replicationGroupRefsOf(d: CloudTrailDetail): ReplicationGroupRef[] {
  return distinct([
    req(d, 'replicationGroupId'),
    elastiCacheIdOfArn(req(d, 'resourceName'), 'replicationgroup'),
    res(d, 'replicationGroupId'),
  ]).map((id) => ({ id }));
}

const rescan: EventRule<ReplicationGroupRef> = { action: 'rescan', refs: replicationGroupRefsOf };

export interface ReplicationGroupOptions {
  /** DescribeReplicationGroups MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeReplicationGroupType(opts: ReplicationGroupOptions = {}): ResourceType<ReplicationGroupRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ELASTICACHE_REPLICATION_GROUP_TYPE,
    asffType: 'AwsElastiCacheReplicationGroup',
    service: 'elasticache',
    scope: 'regional',
    eventSource: 'elasticache.amazonaws.com',

    async list(ctx, pageToken) {
      const ec = ctx.clients.get(ElastiCacheClient, ctx.region);
      const page = await ec.send(new DescribeReplicationGroupsCommand({ MaxRecords: pageSize, Marker: pageToken }));
      const refs: ReplicationGroupRef[] = [];
      for (const g of page.ReplicationGroups ?? []) {
        if (!g.ReplicationGroupId) continue;
        remember(ctx, cacheKey(ctx.region, g.ReplicationGroupId), g);
        refs.push({ id: g.ReplicationGroupId });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const ec = ctx.clients.get(ElastiCacheClient, ctx.region);
      try {
        let group = await take<ReplicationGroup>(ctx, cacheKey(ctx.region, ref.id));
        if (!group) group = (await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: ref.id }))).ReplicationGroups?.[0];
        // A group being deleted cannot come back: it is modeled as gone.
        if (!group?.ReplicationGroupId || GONE.includes(group.Status ?? '')) return null;
        const arn = group.ARN ?? elastiCacheArn(ctx, 'replicationgroup', group.ReplicationGroupId);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: ELASTICACHE_REPLICATION_GROUP_TYPE,
          TimeCreated: iso(group.ReplicationGroupCreateTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: group.ReplicationGroupId,
          Name: group.ReplicationGroupId,
          Tags: await elastiCacheTags(ec, arn),
          ...apiFields(shape(ReplicationGroup$, group)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ReplicationGroupNotFoundFault', 'ReplicationGroupNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return elastiCacheArn(target, 'replicationgroup', ref.id);
    },

    events: {
      CreateReplicationGroup: { action: 'rescan', refs: replicationGroupRefsOf, settleSeconds: GROUP_SETTLE_SECONDS },
      DeleteReplicationGroup: { action: 'delete', refs: replicationGroupRefsOf },
      ModifyReplicationGroup: rescan,
      ModifyReplicationGroupShardConfiguration: rescan,
      IncreaseReplicaCount: rescan,
      DecreaseReplicaCount: rescan,
      TestFailover: rescan,
      // A cluster created into a group joins its MemberClusters.
      CreateCacheCluster: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit covers every call: elasticache:Describe* (DescribeReplicationGroups), elasticache:ListTagsForResource.
    // DescribeReplicationGroups per page (groups are described from it); ListTagsForResource per group.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'ReplicationGroupId', type: 'string', description: 'The group ID (also Id and Name).' },
      { name: 'ARN', type: 'string', description: 'The group ARN (also ResourceId and Arn).' },
      { name: 'Description', type: 'string', description: 'The group description.' },
      { name: 'GlobalReplicationGroupInfo', type: '{GlobalReplicationGroupId, GlobalReplicationGroupMemberRole} | null', description: 'The global datastore the group belongs to.' },
      { name: 'Status', type: 'string', description: 'creating, available, modifying, create-failed or snapshotting (a deleting group is modeled as deleted).' },
      { name: 'PendingModifiedValues', type: 'ReplicationGroupPendingModifiedValues | null', description: 'Changes being applied.' },
      { name: 'MemberClusters', type: 'list<string> | null', description: 'IDs of the member cache clusters.' },
      { name: 'NodeGroups', type: 'list<NodeGroup> | null', description: 'Shards {NodeGroupId, Status, PrimaryEndpoint, ReaderEndpoint, Slots, NodeGroupMembers}.' },
      { name: 'SnapshottingClusterId', type: 'string | null', description: 'The member used for daily snapshots.' },
      { name: 'AutomaticFailover', type: 'string | null', description: 'enabled, disabled, enabling or disabling.' },
      { name: 'MultiAZ', type: 'string | null', description: 'enabled or disabled.' },
      { name: 'ConfigurationEndpoint', type: '{Address, Port, IPv6Address} | null', description: 'The configuration endpoint (cluster mode enabled).' },
      { name: 'SnapshotRetentionLimit', type: 'integer | null', description: 'Days automatic snapshots are kept; 0 turns automatic backups off.' },
      { name: 'SnapshotWindow', type: 'string | null', description: 'Daily snapshot window (UTC).' },
      { name: 'ClusterEnabled', type: 'boolean | null', description: 'Whether cluster mode (sharding) is on.' },
      { name: 'CacheNodeType', type: 'string | null', description: 'Node type of the members.' },
      { name: 'AuthTokenEnabled', type: 'boolean | null', description: 'Whether AUTH is required (the token itself is never returned).' },
      { name: 'AuthTokenLastModifiedDate', type: 'timestamp | null', description: 'When the AUTH token last changed.' },
      { name: 'TransitEncryptionEnabled', type: 'boolean | null', description: 'Whether in-transit encryption (TLS) is on.' },
      { name: 'AtRestEncryptionEnabled', type: 'boolean | null', description: 'Whether at-rest encryption is on.' },
      { name: 'MemberClustersOutpostArns', type: 'list<string> | null', description: 'Outposts of the members.' },
      { name: 'KmsKeyId', type: 'string | null', description: 'The customer-managed KMS key of at-rest encryption; null for the AWS-owned key.' },
      { name: 'StorageEncryptionType', type: 'string | null', description: 'The at-rest encryption type, when AWS reports one.' },
      { name: 'UserGroupIds', type: 'list<string> | null', description: 'RBAC user groups of the group.' },
      { name: 'LogDeliveryConfigurations', type: 'list<LogDeliveryConfiguration> | null', description: 'Slow and engine log delivery {LogType, DestinationType, DestinationDetails, LogFormat, Status, Message}.' },
      { name: 'ReplicationGroupCreateTime', type: 'timestamp | null', description: 'When the group was created (also TimeCreated).' },
      { name: 'DataTiering', type: 'string | null', description: 'enabled or disabled (r6gd nodes).' },
      { name: 'AutoMinorVersionUpgrade', type: 'boolean | null', description: 'Whether minor engine upgrades are applied automatically.' },
      { name: 'NetworkType', type: 'string | null', description: 'ipv4, ipv6 or dual_stack.' },
      { name: 'IpDiscovery', type: 'string | null', description: 'ipv4 or ipv6.' },
      { name: 'TransitEncryptionMode', type: 'string | null', description: 'preferred or required.' },
      { name: 'ClusterMode', type: 'string | null', description: 'enabled, disabled or compatible.' },
      { name: 'Engine', type: 'string | null', description: 'redis or valkey.' },
      { name: 'Durability', type: 'string | null', description: 'The durability setting, when AWS reports one.' },
      { name: 'EffectiveDurability', type: 'string | null', description: 'The durability in effect, when AWS reports one.' },
    ],
  };
}

export const ELASTICACHE_REPLICATION_GROUP: ResourceType<ReplicationGroupRef> = makeReplicationGroupType();
