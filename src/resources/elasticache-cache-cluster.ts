/**
 * AWS.ElastiCache.CacheCluster — regional. DescribeCacheClusters pages (with node info) return
 * whole clusters: `list` keeps them in the scope cache, `describe` adds ListTagsForResource.
 * Nodes of a Valkey/Redis OSS replication group are cache clusters too (ReplicationGroupId names
 * their group, which is modeled as AWS.ElastiCache.ReplicationGroup).
 */
import { CacheCluster$, DescribeCacheClustersCommand, ElastiCacheClient, type CacheCluster } from '@aws-sdk/client-elasticache';
import { hasErrorCode } from './aws-errors.ts';
import { elastiCacheArn, elastiCacheIdOfArn, elastiCacheTags } from './elasticache-common.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface CacheClusterRef {
  id: string;
}

export const ELASTICACHE_CACHE_CLUSTER_TYPE = 'AWS.ElastiCache.CacheCluster';

/** A new cluster is `creating` for minutes; its nodes and endpoints appear when it is up. */
const CLUSTER_SETTLE_SECONDS = 120;

/** Statuses of a resource on its way out. */
const GONE = ['deleting', 'deleted'];

const cacheKey = (region: string, id: string) => `elasticache:cluster:${region}:${id}`;

/** The clusters an event names: request `cacheClusterId`, the ARN `resourceName` of the tag
 *  calls, and the member clusters of a replication group the response describes. */
export function cacheClusterRefsOf(d: CloudTrailDetail): CacheClusterRef[] {
  const members = d.responseElements?.memberClusters ?? (d.responseElements?.replicationGroup as Record<string, unknown> | undefined)?.memberClusters;
  return distinct([
    req(d, 'cacheClusterId'),
    elastiCacheIdOfArn(req(d, 'resourceName'), 'cluster'),
    ...(Array.isArray(members) ? members.filter((m): m is string => typeof m === 'string' && m !== '') : []),
  ]).map((id) => ({ id }));
}

const rescan: EventRule<CacheClusterRef> = { action: 'rescan', refs: cacheClusterRefsOf };
const created: EventRule<CacheClusterRef> = { action: 'rescan', refs: cacheClusterRefsOf, settleSeconds: CLUSTER_SETTLE_SECONDS };

export interface CacheClusterOptions {
  /** DescribeCacheClusters MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeCacheClusterType(opts: CacheClusterOptions = {}): ResourceType<CacheClusterRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ELASTICACHE_CACHE_CLUSTER_TYPE,
    asffType: 'AwsElastiCacheCacheCluster',
    service: 'elasticache',
    scope: 'regional',
    eventSource: 'elasticache.amazonaws.com',

    async list(ctx, pageToken) {
      const ec = ctx.clients.get(ElastiCacheClient, ctx.region);
      const page = await ec.send(new DescribeCacheClustersCommand({ MaxRecords: pageSize, Marker: pageToken, ShowCacheNodeInfo: true }));
      const refs: CacheClusterRef[] = [];
      for (const c of page.CacheClusters ?? []) {
        if (!c.CacheClusterId) continue;
        remember(ctx, cacheKey(ctx.region, c.CacheClusterId), c);
        refs.push({ id: c.CacheClusterId });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const ec = ctx.clients.get(ElastiCacheClient, ctx.region);
      try {
        let cluster = await take<CacheCluster>(ctx, cacheKey(ctx.region, ref.id));
        if (!cluster) {
          const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: ref.id, ShowCacheNodeInfo: true }));
          cluster = r.CacheClusters?.[0];
        }
        // A cluster being deleted cannot come back: it is modeled as gone (as a deleted OpenSearch domain is).
        if (!cluster?.CacheClusterId || GONE.includes(cluster.CacheClusterStatus ?? '')) return null;
        const arn = cluster.ARN ?? elastiCacheArn(ctx, 'cluster', cluster.CacheClusterId);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: ELASTICACHE_CACHE_CLUSTER_TYPE,
          TimeCreated: iso(cluster.CacheClusterCreateTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: cluster.CacheClusterId,
          Name: cluster.CacheClusterId,
          Tags: await elastiCacheTags(ec, arn),
          ...apiFields(shape(CacheCluster$, cluster)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'CacheClusterNotFound', 'CacheClusterNotFoundFault')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return elastiCacheArn(target, 'cluster', ref.id);
    },

    events: {
      CreateCacheCluster: created,
      // A replication group creates its member clusters (named in the response).
      CreateReplicationGroup: created,
      DeleteCacheCluster: { action: 'delete', refs: cacheClusterRefsOf },
      ModifyCacheCluster: rescan,
      RebootCacheCluster: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit covers every call: elasticache:Describe* (DescribeCacheClusters), elasticache:ListTagsForResource.
    // DescribeCacheClusters per page (clusters are described from it); ListTagsForResource per cluster.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'CacheClusterId', type: 'string', description: 'The cluster ID (also Id and Name).' },
      { name: 'ARN', type: 'string', description: 'The cluster ARN (also ResourceId and Arn).' },
      { name: 'ConfigurationEndpoint', type: '{Address, Port, IPv6Address} | null', description: 'The configuration endpoint of a Memcached cluster.' },
      { name: 'ClientDownloadLandingPage', type: 'string | null', description: 'Where to download the client library.' },
      { name: 'CacheNodeType', type: 'string', description: 'Node type, e.g. cache.t4g.micro.' },
      { name: 'Engine', type: 'string', description: 'memcached, redis or valkey.' },
      { name: 'EngineVersion', type: 'string', description: 'The engine version, e.g. 7.1.' },
      { name: 'CacheClusterStatus', type: 'string', description: 'available, creating, modifying, rebooting cluster nodes, restore-failed, snapshotting or incompatible-network (a deleting cluster is modeled as deleted).' },
      { name: 'NumCacheNodes', type: 'integer', description: 'Number of cache nodes.' },
      { name: 'PreferredAvailabilityZone', type: 'string | null', description: 'The Availability Zone of the nodes (Multiple for a spread Memcached cluster).' },
      { name: 'PreferredOutpostArn', type: 'string | null', description: 'The Outpost of the nodes, when on one.' },
      { name: 'CacheClusterCreateTime', type: 'timestamp', description: 'When the cluster was created (also TimeCreated).' },
      { name: 'PreferredMaintenanceWindow', type: 'string | null', description: 'Weekly maintenance window, e.g. sun:05:00-sun:06:00.' },
      { name: 'PendingModifiedValues', type: 'PendingModifiedValues | null', description: 'Changes waiting for the next maintenance window or reboot.' },
      { name: 'NotificationConfiguration', type: '{TopicArn, TopicStatus} | null', description: 'SNS topic for cluster events.' },
      { name: 'CacheSecurityGroups', type: 'list<{CacheSecurityGroupName, Status}> | null', description: 'EC2-Classic cache security groups (legacy).' },
      { name: 'CacheParameterGroup', type: '{CacheParameterGroupName, ParameterApplyStatus, CacheNodeIdsToReboot} | null', description: 'The parameter group.' },
      { name: 'CacheSubnetGroupName', type: 'string | null', description: 'The subnet group (`default` is the default VPC\'s).' },
      { name: 'CacheNodes', type: 'list<CacheNode> | null', description: 'The nodes {CacheNodeId, CacheNodeStatus, CacheNodeCreateTime, Endpoint, ParameterGroupStatus, SourceCacheNodeId, CustomerAvailabilityZone, CustomerOutpostArn}.' },
      { name: 'AutoMinorVersionUpgrade', type: 'boolean', description: 'Whether minor engine upgrades are applied automatically.' },
      { name: 'SecurityGroups', type: 'list<{SecurityGroupId, Status}> | null', description: 'VPC security groups.' },
      { name: 'ReplicationGroupId', type: 'string | null', description: 'The replication group the cluster is a member of; null for a standalone cluster.' },
      { name: 'SnapshotRetentionLimit', type: 'integer | null', description: 'Days automatic snapshots are kept (Valkey/Redis OSS); 0 turns automatic backups off.' },
      { name: 'SnapshotWindow', type: 'string | null', description: 'Daily snapshot window (UTC).' },
      { name: 'AuthTokenEnabled', type: 'boolean | null', description: 'Whether Redis AUTH is required (the token itself is never returned).' },
      { name: 'AuthTokenLastModifiedDate', type: 'timestamp | null', description: 'When the AUTH token last changed.' },
      { name: 'TransitEncryptionEnabled', type: 'boolean | null', description: 'Whether in-transit encryption (TLS) is on.' },
      { name: 'AtRestEncryptionEnabled', type: 'boolean | null', description: 'Whether at-rest encryption is on (set on the replication group).' },
      { name: 'ReplicationGroupLogDeliveryEnabled', type: 'boolean | null', description: 'Whether log delivery is configured on the cluster\'s replication group.' },
      { name: 'LogDeliveryConfigurations', type: 'list<LogDeliveryConfiguration> | null', description: 'Slow and engine log delivery {LogType, DestinationType, DestinationDetails, LogFormat, Status, Message}.' },
      { name: 'NetworkType', type: 'string | null', description: 'ipv4, ipv6 or dual_stack.' },
      { name: 'IpDiscovery', type: 'string | null', description: 'ipv4 or ipv6: the addresses the discovery API returns.' },
      { name: 'TransitEncryptionMode', type: 'string | null', description: 'preferred or required.' },
    ],
  };
}

export const ELASTICACHE_CACHE_CLUSTER: ResourceType<CacheClusterRef> = makeCacheClusterType();
