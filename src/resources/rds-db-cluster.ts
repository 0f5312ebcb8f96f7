/**
 * The DB cluster types behind the RDS API's DescribeDBClusters: AWS.RDS.Cluster (Aurora and
 * Multi-AZ DB clusters), AWS.DocDB.Cluster and AWS.Neptune.Cluster. DocumentDB and Neptune are
 * managed through the same API (CloudTrail records their calls as rds.amazonaws.com), so one
 * factory builds the three, each owning the clusters of its engines. DescribeDBClusters pages
 * return whole clusters (tags included), kept in the scope cache.
 *
 * All three share one ARN space (`arn:…:rds:…:cluster:<id>`): a ref from a CloudTrail event that
 * does not say the engine resolves to no ResourceId, so that a type never tombstones a cluster
 * of another engine — when such a describe finds nothing, the real-time path reconciles the
 * type's scope instead.
 */
import { DBCluster$, DescribeDBClustersCommand, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { orNull } from './aws-errors.ts';
import { rdsArn, rdsIds } from './rds-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { req, res } from './trail-fields.ts';
import type { AttributeDoc, CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DbClusterRef {
  /** The cluster identifier (lowercase, as RDS stores it). */
  id: string;
  /** The cluster's engine, when known (always for listed refs). */
  engine?: string;
}

/** Which clusters a type owns: by engine name. */
export interface ClusterEngines {
  /** Engines asked for with DescribeDBClusters' `engine` filter; absent: every engine but `exclude`. */
  include?: readonly string[];
  exclude?: readonly string[];
}

const NOT_FOUND = ['DBClusterNotFoundFault', 'DBClusterNotFound'];
const KIND = 'cluster';

export const owns = (engines: ClusterEngines, engine: string | undefined): boolean =>
  engine !== undefined && (engines.include ? engines.include.includes(engine) : !(engines.exclude ?? []).includes(engine));

/** The clusters an event names: request `dBClusterIdentifier`, `newDBClusterIdentifier`
 *  (renames), `resourceName` (tag calls, an ARN), and the response's `dBClusterIdentifier`
 *  (also answered by instance calls on a cluster member); with the engine when the event names
 *  one (the request's for creates and restores, the response's cluster otherwise). */
export function dbClusterRefsOf(d: CloudTrailDetail): DbClusterRef[] {
  const engine = req(d, 'engine') ?? res(d, 'engine');
  return rdsIds(KIND, [req(d, 'dBClusterIdentifier'), req(d, 'newDBClusterIdentifier'), req(d, 'resourceName'), res(d, 'dBClusterIdentifier')]).map((id) =>
    engine ? { id, engine } : { id },
  );
}

const DOCS: Record<string, string | readonly [string, string]> = {
  DBClusterIdentifier: ['string', 'The cluster identifier (also Name).'],
  DBClusterArn: ['string', 'The cluster ARN (also ResourceId and Arn).'],
  DbClusterResourceId: ['string', 'The region-unique, immutable resource ID (also Id).'],
  ClusterCreateTime: ['timestamp', 'When the cluster was created (also TimeCreated).'],
  Engine: ['string', 'The engine: aurora-mysql, aurora-postgresql, mysql, postgres, docdb or neptune.'],
  EngineVersion: ['string', 'The engine version.'],
  EngineMode: 'provisioned, serverless, parallelquery, global or multimaster (Aurora).',
  Status: ['string', 'e.g. "available", "creating", "stopped".'],
  BackupRetentionPeriod: ['integer', 'Days automated backups are kept (1–35).'],
  PreferredBackupWindow: 'Daily backup window.',
  PreferredMaintenanceWindow: 'Weekly maintenance window.',
  MultiAZ: ['boolean', 'The cluster has instances in more than one Availability Zone.'],
  AvailabilityZones: ['list<string>', 'Zones where instances of the cluster can be created.'],
  StorageEncrypted: ['boolean', 'Storage is encrypted at rest.'],
  KmsKeyId: 'The KMS key of encrypted storage.',
  IAMDatabaseAuthenticationEnabled: 'IAM database authentication is on.',
  DeletionProtection: 'Deletion protection is on.',
  CopyTagsToSnapshot: 'Tags are copied to snapshots of the cluster.',
  AutoMinorVersionUpgrade: 'Minor engine upgrades are applied automatically (Multi-AZ DB clusters; Aurora reports it per instance).',
  EnabledCloudwatchLogsExports: 'Log types exported to CloudWatch Logs, e.g. audit, error, general, slowquery, postgresql, profiler.',
  BacktrackWindow: 'Aurora MySQL backtracking target window in seconds; 0 or null is off.',
  MasterUsername: 'The master user name.',
  MasterUserSecret: 'The Secrets Manager secret of the master password, when RDS manages it {SecretArn, SecretStatus, KmsKeyId}.',
  DBClusterMembers: 'Instances of the cluster {DBInstanceIdentifier, IsClusterWriter, DBClusterParameterGroupStatus, PromotionTier}.',
  VpcSecurityGroups: 'VPC security groups {VpcSecurityGroupId, Status}.',
  PubliclyAccessible: 'The endpoint resolves to a public IP (Multi-AZ DB clusters).',
  EarliestRestorableTime: 'The earliest point-in-time restore time (volatile: left out of the change hash).',
  TagList: 'The tags as DescribeDBClusters answers them (also as the Tags map).',
};

/** The attribute docs of a cluster type: every DescribeDBClusters member but LatestRestorableTime. */
export function dbClusterAttributes(): AttributeDoc[] {
  return schemaAttributeDocs(DBCluster$, 'DescribeDBClusters', DOCS, ['LatestRestorableTime']);
}

export interface DbClusterTypeSpec {
  type: string;
  asffType?: string;
  engines: ClusterEngines;
  /** DescribeDBClusters MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeDbClusterType(spec: DbClusterTypeSpec): ResourceType<DbClusterRef> {
  const pageSize = spec.pageSize ?? 100;
  const filters = spec.engines.include ? [{ Name: 'engine', Values: [...spec.engines.include] }] : undefined;
  const cacheKey = (region: string, id: string) => `rds:db-cluster:${spec.type}:${region}:${id}`;

  function model(ctx: ScanContext, c: DBCluster): Resource {
    const id = c.DBClusterIdentifier!;
    const arn = c.DBClusterArn ?? rdsArn(ctx, KIND, id);
    return {
      ResourceId: arn,
      ResourceType: spec.type,
      TimeCreated: iso(c.ClusterCreateTime),
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: arn,
      Id: c.DbClusterResourceId ?? null,
      Name: id,
      Tags: tagMap(c.TagList),
      // LatestRestorableTime moves with the clock (every scan would be a change).
      ...apiFields(shape(DBCluster$, c), 'LatestRestorableTime'),
    };
  }

  // An event that names another engine's cluster is not this type's.
  const mine = (d: CloudTrailDetail) => dbClusterRefsOf(d).filter((r) => r.engine === undefined || owns(spec.engines, r.engine));
  const byArn = (d: CloudTrailDetail) => rdsIds(KIND, [req(d, 'resourceArn')]).map((id) => ({ id }));
  const rescan: EventRule<DbClusterRef> = { action: 'rescan', refs: mine };
  return {
    type: spec.type,
    ...(spec.asffType ? { asffType: spec.asffType } : {}),
    service: 'rds',
    scope: 'regional',
    eventSource: 'rds.amazonaws.com',

    async list(ctx, pageToken) {
      const rds = ctx.clients.get(RDSClient, ctx.region);
      const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: pageSize, Marker: pageToken, Filters: filters }));
      const refs: DbClusterRef[] = [];
      for (const c of page.DBClusters ?? []) {
        if (!c.DBClusterIdentifier || !owns(spec.engines, c.Engine)) continue;
        remember(ctx, cacheKey(ctx.region, c.DBClusterIdentifier), c);
        refs.push({ id: c.DBClusterIdentifier, engine: c.Engine! });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      let c = await take<DBCluster>(ctx, cacheKey(ctx.region, ref.id));
      if (!c) {
        const out = await orNull(ctx.clients.get(RDSClient, ctx.region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: ref.id })), ...NOT_FOUND);
        c = out?.DBClusters?.[0];
      }
      return c?.DBClusterIdentifier && owns(spec.engines, c.Engine) ? model(ctx, c) : null;
    },

    resourceId(target, ref) {
      return owns(spec.engines, ref.engine) ? rdsArn(target, KIND, ref.id) : undefined;
    },

    events: {
      CreateDBCluster: rescan,
      DeleteDBCluster: { action: 'delete', refs: mine },
      ModifyDBCluster: rescan,
      RestoreDBClusterFromSnapshot: rescan,
      RestoreDBClusterToPointInTime: rescan,
      RestoreDBClusterFromS3: rescan,
      StartDBCluster: rescan,
      StopDBCluster: rescan,
      FailoverDBCluster: rescan,
      PromoteReadReplicaDBCluster: rescan,
      AddRoleToDBCluster: rescan,
      RemoveRoleFromDBCluster: rescan,
      EnableHttpEndpoint: { action: 'rescan', refs: byArn },
      DisableHttpEndpoint: { action: 'rescan', refs: byArn },
      // A member instance joining or leaving changes DBClusterMembers.
      CreateDBInstance: rescan,
      DeleteDBInstance: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit's rds:Describe* covers DescribeDBClusters.
    // DescribeDBClusters per page (clusters are described from it).
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],
    volatileAttributes: ['EarliestRestorableTime'],

    attributes: dbClusterAttributes(),
  };
}
