/**
 * AWS.MSK.Cluster — regional: Amazon MSK clusters, provisioned and serverless. ListClustersV2
 * pages return whole clusters (tags included), kept in the scope cache so that a scan describes
 * them without another call; a real-time rescan reads DescribeClusterV2. The model is the
 * `Cluster` shape verbatim: `Provisioned` (brokers, encryption, client authentication, enhanced
 * monitoring, logging, public access) or `Serverless` (VPC configs, IAM authentication).
 */
import { Cluster$, DescribeClusterV2Command, KafkaClient, ListClustersV2Command, type Cluster } from '@aws-sdk/client-kafka';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { orNull } from './aws-errors.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface MskClusterRef {
  /** The cluster ARN (`…:cluster/<name>/<uuid>` or `…:serverless-cluster/<name>/<uuid>`). */
  arn: string;
}

export const MSK_CLUSTER_TYPE = 'AWS.MSK.Cluster';

/** A new cluster is CREATING for 15 to 30 minutes; its settings are readable from the start. */
const CLUSTER_SETTLE_SECONDS = 120;

const cacheKey = (region: string, arn: string) => `kafka:cluster:${region}:${arn}`;

/** A cluster that is being deleted is modeled as deleted (its DeleteCluster event tombstones it). */
const gone = (c: Cluster | undefined): boolean => !c?.ClusterArn || c.State === 'DELETING';

function model(ctx: ScanContext, cluster: Cluster): Resource {
  const arn = cluster.ClusterArn!;
  return {
    ResourceId: arn,
    ResourceType: MSK_CLUSTER_TYPE,
    TimeCreated: iso(cluster.CreationTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: arn.split('/').pop() ?? null,
    Name: cluster.ClusterName ?? null,
    Tags: cluster.Tags && Object.keys(cluster.Tags).length > 0 ? cluster.Tags : null,
    ...apiFields(shape(Cluster$, cluster), 'Tags'),
  };
}

/** A Kafka cluster ARN (provisioned or serverless); undefined for anything else (a configuration,
 *  a replicator or a VPC connection the tag calls can name too). */
const clusterArn = (value: string | undefined): string | undefined => {
  const arn = parseArn(value);
  return arn?.service === 'kafka' && /^(?:serverless-)?cluster\//.test(arn.resource) ? value : undefined;
};

/** The clusters an event names: request `clusterArn` (every cluster call, DeleteCluster too),
 *  the tag calls' `resourceArn`, and the response `clusterArn` of CreateCluster / CreateClusterV2. */
export function mskClusterRefsOf(d: CloudTrailDetail): MskClusterRef[] {
  return distinct([clusterArn(req(d, 'clusterArn')), clusterArn(req(d, 'resourceArn')), clusterArn(res(d, 'clusterArn'))]).map((arn) => ({ arn }));
}

const rescan: EventRule<MskClusterRef> = { action: 'rescan', refs: mskClusterRefsOf };
const created: EventRule<MskClusterRef> = { action: 'rescan', refs: mskClusterRefsOf, settleSeconds: CLUSTER_SETTLE_SECONDS };

export interface MskClusterOptions {
  /** ListClustersV2 MaxResults per page (1–100). */
  pageSize?: number;
}

export function makeMskClusterType(opts: MskClusterOptions = {}): ResourceType<MskClusterRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: MSK_CLUSTER_TYPE,
    asffType: 'AwsMskCluster',
    service: 'kafka',
    scope: 'regional',
    eventSource: 'kafka.amazonaws.com',

    async list(ctx, pageToken) {
      const kafka = ctx.clients.get(KafkaClient, ctx.region);
      const page = await kafka.send(new ListClustersV2Command({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: MskClusterRef[] = [];
      for (const cluster of page.ClusterInfoList ?? []) {
        if (gone(cluster)) continue;
        remember(ctx, cacheKey(ctx.region, cluster.ClusterArn!), cluster);
        refs.push({ arn: cluster.ClusterArn! });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let cluster = await take<Cluster>(ctx, cacheKey(ctx.region, ref.arn));
      if (!cluster) {
        // Deleted before or during the call: NotFoundException.
        const out = await orNull(ctx.clients.get(KafkaClient, ctx.region).send(new DescribeClusterV2Command({ ClusterArn: ref.arn })), 'NotFoundException');
        cluster = out?.ClusterInfo;
      }
      return !cluster || gone(cluster) ? null : model(ctx, cluster);
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreateCluster: created,
      CreateClusterV2: created,
      DeleteCluster: { action: 'delete', refs: mskClusterRefsOf },
      UpdateSecurity: rescan,
      UpdateConnectivity: rescan,
      UpdateMonitoring: rescan,
      UpdateBrokerCount: rescan,
      UpdateBrokerStorage: rescan,
      UpdateBrokerType: rescan,
      UpdateStorage: rescan,
      UpdateRebalancing: rescan,
      UpdateClusterConfiguration: rescan,
      UpdateClusterKafkaVersion: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: kafka:List* (ListClustersV2), kafka:Describe* (DescribeClusterV2).
    // ListClustersV2 per page returns whole clusters; DescribeClusterV2 only on a real-time rescan.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],

    attributes: schemaAttributeDocs(
      Cluster$,
      'ListClustersV2',
      {
        ActiveOperationArn: 'The ARN of the cluster operation in progress (an update), if any.',
        ClusterType: ['string', 'PROVISIONED or SERVERLESS: which of Provisioned and Serverless is set.'],
        ClusterArn: ['string', 'The cluster ARN (also ResourceId and Arn; its last part, the cluster UUID, is Id).'],
        ClusterName: ['string', 'The cluster name (also Name).'],
        CreationTime: ['timestamp', 'When the cluster was created (also TimeCreated).'],
        CurrentVersion: ['string', 'The version of the cluster configuration each update call must name.'],
        State: ['string', 'ACTIVE, CREATING, UPDATING, HEALING, MAINTENANCE, REBOOTING_BROKER or FAILED (a cluster being deleted is modeled as deleted).'],
        StateInfo: '{Code, Message}: why the cluster is in its state (e.g. a failed creation).',
        Provisioned: [
          'Provisioned | null',
          'A provisioned cluster: BrokerNodeGroupInfo {InstanceType, ClientSubnets, SecurityGroups, StorageInfo, ConnectivityInfo {PublicAccess {Type: DISABLED | SERVICE_PROVIDED_EIPS}, VpcConnectivity}, ZoneIds}, NumberOfBrokerNodes, CurrentBrokerSoftwareInfo {KafkaVersion, ConfigurationArn, ConfigurationRevision}, ClientAuthentication {Sasl {Scram, Iam}, Tls, Unauthenticated {Enabled}}, EncryptionInfo {EncryptionAtRest {DataVolumeKMSKeyId}, EncryptionInTransit {ClientBroker: TLS | TLS_PLAINTEXT | PLAINTEXT, InCluster}}, EnhancedMonitoring (DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER, PER_TOPIC_PER_PARTITION), OpenMonitoring, LoggingInfo {BrokerLogs {CloudWatchLogs, Firehose, S3}}, StorageMode, Rebalancing, ZookeeperConnectString(Tls), CustomerActionStatus; null for a serverless cluster.',
        ],
        Serverless: [
          'Serverless | null',
          'A serverless cluster: VpcConfigs [{SubnetIds, SecurityGroupIds}], ClientAuthentication {Sasl {Iam {Enabled}}}, ConnectivityInfo; null for a provisioned cluster. Serverless clusters always encrypt in transit (TLS) and authenticate clients with IAM.',
        ],
      },
      ['Tags'],
    ),
  };
}

export const MSK_CLUSTER: ResourceType<MskClusterRef> = makeMskClusterType();
