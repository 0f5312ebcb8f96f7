/**
 * AWS.Redshift.Cluster — regional. DescribeClusters pages already return whole clusters (tags
 * included); `list` keeps them in the scope cache and `describe` adds LoggingStatus
 * (DescribeLoggingStatus: audit logging to S3 or CloudWatch).
 */
import {
  Cluster$,
  DescribeClustersCommand,
  DescribeLoggingStatusCommand,
  LoggingStatus$,
  RedshiftClient,
  type Cluster,
} from '@aws-sdk/client-redshift';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface RedshiftClusterRef {
  /** The cluster identifier (AWS stores identifiers in lowercase). */
  id: string;
}

export const REDSHIFT_CLUSTER_TYPE = 'AWS.Redshift.Cluster';

const NOT_FOUND = ['ClusterNotFound', 'ClusterNotFoundFault'];

/** Members that move with the clock (the next scheduled snapshot and maintenance window, the
 *  last log delivery) are left out: they would make every scan of an unchanged cluster a change. */
const CLOCK_FIELDS = ['ExpectedNextSnapshotScheduleTime', 'NextMaintenanceWindowStartTime'];

const cacheKey = (region: string, id: string) => `redshift:cluster:${region}:${id}`;

export function redshiftClusterArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:redshift:${target.region}:${target.accountId}:cluster:${id}`;
}

async function model(ctx: ScanContext, redshift: RedshiftClient, cluster: Cluster): Promise<Resource | null> {
  const id = cluster.ClusterIdentifier!;
  let logging;
  try {
    logging = await redshift.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: id }));
  } catch (e) {
    // Deleted between the cluster describe and the logging call.
    if (hasErrorCode(e, ...NOT_FOUND)) return null;
    throw e;
  }
  const arn = redshiftClusterArn(ctx, id);
  return {
    ResourceId: arn,
    ResourceType: REDSHIFT_CLUSTER_TYPE,
    TimeCreated: iso(cluster.ClusterCreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: id,
    Tags: tagMap(cluster.Tags),
    ...apiFields(shape(Cluster$, cluster), 'Tags', ...CLOCK_FIELDS),
    LoggingStatus: apiFields(shape(LoggingStatus$, logging), 'LastSuccessfulDeliveryTime'),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The cluster identifier of a Redshift cluster ARN (`…:cluster:<id>`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'redshift' && arn.resource.startsWith('cluster:') ? arn.resource.slice('cluster:'.length) || undefined : undefined;
};

/** The clusters an event names: request `clusterIdentifier`, `newClusterIdentifier` (renames),
 *  `resourceName` (CreateTags/DeleteTags, an ARN), and the response's `clusterIdentifier`. */
export function redshiftClusterRefsOf(d: CloudTrailDetail): RedshiftClusterRef[] {
  return distinct(
    [req(d, 'clusterIdentifier'), req(d, 'newClusterIdentifier'), idOfArn(req(d, 'resourceName')), res(d, 'clusterIdentifier')].map((v) => v?.toLowerCase()),
  ).map((id) => ({ id }));
}

const rescan: EventRule<RedshiftClusterRef> = { action: 'rescan', refs: redshiftClusterRefsOf };

/** DescribeClusters fields. */
const CLUSTER_DOCS = [
  ['ClusterIdentifier', 'string', 'The cluster identifier (also Name).'],
  ['NodeType', 'string', 'e.g. "ra3.xlplus".'],
  ['ClusterStatus', 'string', 'e.g. "available", "paused", "creating".'],
  ['ClusterAvailabilityStatus', 'string | null', 'Available, Unavailable, Maintenance, Modifying or Failed.'],
  ['ModifyStatus', 'string | null', 'Status of a modify operation.'],
  ['MasterUsername', 'string', 'The admin user name.'],
  ['DBName', 'string | null', 'The initial database.'],
  ['Endpoint', '{Address, Port, VpcEndpoints} | null', 'The connection endpoint.'],
  ['ClusterCreateTime', 'timestamp', 'When the cluster was created (also TimeCreated).'],
  ['AutomatedSnapshotRetentionPeriod', 'integer', 'Days automated snapshots are kept.'],
  ['ManualSnapshotRetentionPeriod', 'integer | null', 'Default retention of manual snapshots (-1: forever).'],
  ['ClusterSecurityGroups', 'list | null', 'EC2-Classic cluster security groups.'],
  ['VpcSecurityGroups', 'list<{VpcSecurityGroupId, Status}> | null', 'VPC security groups.'],
  ['ClusterParameterGroups', 'list | null', 'Parameter groups and their apply status.'],
  ['ClusterSubnetGroupName', 'string | null', 'The subnet group.'],
  ['VpcId', 'string | null', 'The VPC.'],
  ['AvailabilityZone', 'string | null', 'The Availability Zone.'],
  ['PreferredMaintenanceWindow', 'string | null', 'Weekly maintenance window.'],
  ['PendingModifiedValues', 'PendingModifiedValues | null', 'Changes not applied yet.'],
  ['ClusterVersion', 'string | null', 'Engine version.'],
  ['AllowVersionUpgrade', 'boolean', 'Major version upgrades are applied in the maintenance window.'],
  ['NumberOfNodes', 'integer', 'Compute nodes.'],
  ['PubliclyAccessible', 'boolean', 'The cluster is reachable from the internet.'],
  ['Encrypted', 'boolean', 'Data is encrypted at rest.'],
  ['RestoreStatus', 'object | null', 'Progress of a restore from snapshot.'],
  ['DataTransferProgress', 'object | null', 'Progress of a data transfer.'],
  ['HsmStatus', '{HsmClientCertificateIdentifier, HsmConfigurationIdentifier, Status} | null', 'HSM encryption settings.'],
  ['ClusterSnapshotCopyStatus', '{DestinationRegion, RetentionPeriod, ManualSnapshotRetentionPeriod, SnapshotCopyGrantName} | null', 'Cross-region snapshot copy.'],
  ['ClusterPublicKey', 'string | null', 'The cluster\'s public key.'],
  ['ClusterNodes', 'list<{NodeRole, PrivateIPAddress, PublicIPAddress}> | null', 'The nodes.'],
  ['ElasticIpStatus', '{ElasticIp, Status} | null', 'The Elastic IP of a public cluster.'],
  ['ClusterRevisionNumber', 'string | null', 'Cluster revision.'],
  ['KmsKeyId', 'string | null', 'The KMS key that encrypts the cluster.'],
  ['EnhancedVpcRouting', 'boolean | null', 'COPY/UNLOAD traffic goes through the VPC.'],
  ['IamRoles', 'list<{IamRoleArn, ApplyStatus}> | null', 'IAM roles the cluster can use.'],
  ['PendingActions', 'list<string> | null', 'Pending operations.'],
  ['MaintenanceTrackName', 'string | null', 'current or trailing.'],
  ['ElasticResizeNumberOfNodeOptions', 'string | null', 'Node counts an elastic resize allows.'],
  ['DeferredMaintenanceWindows', 'list | null', 'Deferred maintenance windows.'],
  ['SnapshotScheduleIdentifier', 'string | null', 'The snapshot schedule.'],
  ['SnapshotScheduleState', 'string | null', 'MODIFYING, ACTIVE or FAILED.'],
  ['ExpectedNextSnapshotScheduleTimeStatus', 'string | null', 'OnTrack or Pending (the expected time itself moves with the clock and is left out, as is NextMaintenanceWindowStartTime).'],
  ['ResizeInfo', '{ResizeType, AllowCancelResize} | null', 'Resize in progress.'],
  ['AvailabilityZoneRelocationStatus', 'string | null', 'Availability Zone relocation.'],
  ['ClusterNamespaceArn', 'string | null', 'The cluster namespace ARN.'],
  ['TotalStorageCapacityInMegaBytes', 'integer | null', 'Total storage capacity.'],
  ['AquaConfiguration', '{AquaStatus, AquaConfigurationStatus} | null', 'AQUA settings.'],
  ['DefaultIamRoleArn', 'string | null', 'The default IAM role.'],
  ['ReservedNodeExchangeStatus', 'object | null', 'Reserved node exchange.'],
  ['CustomDomainName', 'string | null', 'Custom domain.'],
  ['CustomDomainCertificateArn', 'string | null', 'Custom domain certificate.'],
  ['CustomDomainCertificateExpiryDate', 'timestamp | null', 'When the custom domain certificate expires.'],
  ['MasterPasswordSecretArn', 'string | null', 'The Secrets Manager secret of the admin password.'],
  ['MasterPasswordSecretKmsKeyId', 'string | null', 'The KMS key of that secret.'],
  ['IpAddressType', 'string | null', 'ipv4 or dualstack.'],
  ['MultiAZ', 'string | null', 'Multi-AZ deployment (enabled/disabled).'],
  ['MultiAZSecondary', 'object | null', 'The secondary compute of a Multi-AZ cluster.'],
  ['LakehouseRegistrationStatus', 'string | null', 'DescribeClusters LakehouseRegistrationStatus, when AWS reports one.'],
  ['CatalogArn', 'string | null', 'DescribeClusters CatalogArn, when AWS reports one.'],
  ['ExtraComputeForAutomaticOptimization', 'string | null', 'DescribeClusters ExtraComputeForAutomaticOptimization, when AWS reports one.'],
  ['LoggingPublishStatus', 'object | null', 'DescribeClusters LoggingPublishStatus, when AWS reports one.'],
].map(([name, type, description]) => ({ name: name!, type: type!, description: description! }));

export interface RedshiftClusterOptions {
  /** DescribeClusters MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeRedshiftClusterType(opts: RedshiftClusterOptions = {}): ResourceType<RedshiftClusterRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: REDSHIFT_CLUSTER_TYPE,
    asffType: 'AwsRedshiftCluster',
    service: 'redshift',
    scope: 'regional',
    eventSource: 'redshift.amazonaws.com',

    async list(ctx, pageToken) {
      const redshift = ctx.clients.get(RedshiftClient, ctx.region);
      const page = await redshift.send(new DescribeClustersCommand({ MaxRecords: pageSize, Marker: pageToken }));
      const refs: RedshiftClusterRef[] = [];
      for (const cluster of page.Clusters ?? []) {
        if (!cluster.ClusterIdentifier) continue;
        remember(ctx, cacheKey(ctx.region, cluster.ClusterIdentifier), cluster);
        refs.push({ id: cluster.ClusterIdentifier });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const redshift = ctx.clients.get(RedshiftClient, ctx.region);
      let cluster = await take<Cluster>(ctx, cacheKey(ctx.region, ref.id));
      if (!cluster) {
        const out = await orNull(redshift.send(new DescribeClustersCommand({ ClusterIdentifier: ref.id })), ...NOT_FOUND);
        cluster = out?.Clusters?.[0];
      }
      return cluster?.ClusterIdentifier ? model(ctx, redshift, cluster) : null;
    },

    resourceId(target, ref) {
      return redshiftClusterArn(target, ref.id);
    },

    events: {
      CreateCluster: rescan,
      RestoreFromClusterSnapshot: rescan,
      DeleteCluster: { action: 'delete', refs: redshiftClusterRefsOf },
      ModifyCluster: rescan,
      ModifyClusterIamRoles: rescan,
      ModifyClusterMaintenance: rescan,
      ModifyClusterSnapshotSchedule: rescan,
      ModifyAquaConfiguration: rescan,
      EnableLogging: rescan,
      DisableLogging: rescan,
      EnableSnapshotCopy: rescan,
      DisableSnapshotCopy: rescan,
      ModifySnapshotCopyRetentionPeriod: rescan,
      RotateEncryptionKey: rescan,
      PauseCluster: rescan,
      ResumeCluster: rescan,
      ResizeCluster: rescan,
      CreateTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit covers every call: redshift:Describe* (DescribeClusters, DescribeLoggingStatus).
    // DescribeClusters per page (clusters are described from it); DescribeLoggingStatus per cluster.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      ...CLUSTER_DOCS,
      {
        name: 'LoggingStatus',
        type: '{LoggingEnabled, BucketName, S3KeyPrefix, LastFailureTime, LastFailureMessage, LogDestinationType, LogExports, S3Tables}',
        description: 'DescribeLoggingStatus: whether audit logging is on and where it goes (LastSuccessfulDeliveryTime is left out: it moves with every delivery).',
      },
    ],
  };
}

export const REDSHIFT_CLUSTER: ResourceType<RedshiftClusterRef> = makeRedshiftClusterType();
