/**
 * AWS.RDS.Instance — regional. DescribeDBInstances pages already return whole instances (tags
 * included); `list` keeps them in the scope cache and `describe` adds SnapshotAttributes: the
 * DescribeDBSnapshotAttributes of each of the instance's manual snapshots (who may restore them;
 * `restore` = ["all"] is a public snapshot).
 */
import {
  DBInstance$,
  DBSnapshotAttributesResult$,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  type DBInstance,
  type DBSnapshotAttributesResult,
} from '@aws-sdk/client-rds';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface DbInstanceRef {
  /** The DB instance identifier (AWS stores identifiers in lowercase). */
  id: string;
}

export const RDS_INSTANCE_TYPE = 'AWS.RDS.Instance';

const INSTANCE_NOT_FOUND = ['DBInstanceNotFound', 'DBInstanceNotFoundFault'];
const SNAPSHOT_NOT_FOUND = ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'];

const cacheKey = (region: string, id: string) => `rds:db-instance:${region}:${id}`;

export function dbInstanceArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:rds:${target.region}:${target.accountId}:db:${id}`;
}

/** Attributes of the instance's manual snapshots; a snapshot deleted since its listing is left out. */
async function snapshotAttributes(rds: RDSClient, DBInstanceIdentifier: string): Promise<DBSnapshotAttributesResult[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier, SnapshotType: 'manual', MaxRecords: 100, Marker: marker }));
    for (const s of page.DBSnapshots ?? []) if (s.DBSnapshotIdentifier) ids.push(s.DBSnapshotIdentifier);
    marker = page.Marker;
  } while (marker);
  const results = await Promise.all(
    ids.map((DBSnapshotIdentifier) => orNull(rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier })), ...SNAPSHOT_NOT_FOUND)),
  );
  return results.flatMap((r) => (r?.DBSnapshotAttributesResult ? [r.DBSnapshotAttributesResult] : []));
}

async function model(ctx: ScanContext, rds: RDSClient, db: DBInstance): Promise<Resource> {
  const id = db.DBInstanceIdentifier!;
  const arn = db.DBInstanceArn ?? dbInstanceArn(ctx, id);
  const attributes = await snapshotAttributes(rds, id);
  const fields = apiFields(shape(DBInstance$, db), 'LatestRestorableTime');
  return {
    ResourceId: arn,
    ResourceType: RDS_INSTANCE_TYPE,
    TimeCreated: iso(db.InstanceCreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: db.DbiResourceId ?? null,
    Name: id,
    Tags: tagMap(db.TagList),
    ...fields,
    SnapshotAttributes: shapeList(DBSnapshotAttributesResult$, attributes),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The instance identifier of an RDS instance ARN (`…:db:<id>`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'rds' && arn.resource.startsWith('db:') ? arn.resource.slice(3) || undefined : undefined;
};

/** The instances an event names. CloudTrail records RDS parameters as `dBInstanceIdentifier`
 *  and answers flat (the response's own `dBInstanceIdentifier`, also for snapshot calls):
 *  request `dBInstanceIdentifier`, `targetDBInstanceIdentifier` (point-in-time restores),
 *  `newDBInstanceIdentifier` (renames), `resourceName` (tag calls), and the response's
 *  `dBInstanceIdentifier`. */
export function dbInstanceRefsOf(d: CloudTrailDetail): DbInstanceRef[] {
  return distinct(
    [
      req(d, 'dBInstanceIdentifier'),
      req(d, 'targetDBInstanceIdentifier'),
      req(d, 'newDBInstanceIdentifier'),
      idOfArn(req(d, 'resourceName')),
      res(d, 'dBInstanceIdentifier'),
    ].map((v) => v?.toLowerCase()),
  ).map((id) => ({ id }));
}

const rescan: EventRule<DbInstanceRef> = { action: 'rescan', refs: dbInstanceRefsOf };

/** DescribeDBInstances fields (LatestRestorableTime is left out: it moves with the clock and would
 *  make every scan of an instance with backups a change). */
const DB_INSTANCE_DOCS = [
  ['DBInstanceIdentifier', 'string', 'The instance identifier (also Name).'],
  ['DBInstanceArn', 'string', 'The instance ARN (also ResourceId and Arn).'],
  ['DbiResourceId', 'string', 'The region-unique, immutable resource ID (also Id).'],
  ['DBInstanceClass', 'string', 'e.g. "db.t3.micro".'],
  ['Engine', 'string', 'e.g. "postgres", "mysql", "aurora-postgresql".'],
  ['EngineVersion', 'string', 'The engine version.'],
  ['DBInstanceStatus', 'string', 'e.g. "available", "stopped", "creating".'],
  ['MasterUsername', 'string | null', 'The master user name.'],
  ['MasterUserSecret', '{SecretArn, SecretStatus, KmsKeyId} | null', 'The Secrets Manager secret of the master password, when RDS manages it.'],
  ['DBName', 'string | null', 'The initial database name.'],
  ['Endpoint', '{Address, Port, HostedZoneId} | null', 'The connection endpoint.'],
  ['ListenerEndpoint', 'object | null', 'The listener endpoint (SQL Server Multi-AZ).'],
  ['AllocatedStorage', 'integer', 'Storage in GiB.'],
  ['MaxAllocatedStorage', 'integer | null', 'Storage autoscaling limit.'],
  ['InstanceCreateTime', 'timestamp', 'When the instance was created (also TimeCreated).'],
  ['PreferredBackupWindow', 'string | null', 'Daily backup window.'],
  ['BackupRetentionPeriod', 'integer', 'Days automated backups are kept; 0 disables them.'],
  ['BackupTarget', 'string | null', 'Where automated backups go (region or outposts).'],
  ['DBSecurityGroups', 'list | null', 'EC2-Classic DB security groups.'],
  ['VpcSecurityGroups', 'list<{VpcSecurityGroupId, Status}> | null', 'VPC security groups.'],
  ['DBParameterGroups', 'list<{DBParameterGroupName, ParameterApplyStatus}> | null', 'Parameter groups.'],
  ['AvailabilityZone', 'string | null', 'The instance\'s Availability Zone.'],
  ['SecondaryAvailabilityZone', 'string | null', 'The standby\'s Availability Zone (Multi-AZ).'],
  ['DBSubnetGroup', 'DBSubnetGroup | null', 'The subnet group (VpcId, Subnets, …).'],
  ['PreferredMaintenanceWindow', 'string | null', 'Weekly maintenance window.'],
  ['UpgradeRolloutOrder', 'string | null', 'DescribeDBInstances UpgradeRolloutOrder, when RDS reports one.'],
  ['PendingModifiedValues', 'PendingModifiedValues | null', 'Changes not applied yet.'],
  ['MultiAZ', 'boolean', 'Multi-AZ deployment.'],
  ['AutoMinorVersionUpgrade', 'boolean', 'Minor upgrades are applied automatically.'],
  ['ReadReplicaSourceDBInstanceIdentifier', 'string | null', 'The source of a read replica.'],
  ['ReadReplicaDBInstanceIdentifiers', 'list<string> | null', 'Read replicas of the instance.'],
  ['ReadReplicaDBClusterIdentifiers', 'list<string> | null', 'Aurora clusters replicating the instance.'],
  ['ReadReplicaSourceDBClusterIdentifier', 'string | null', 'The source cluster of a read replica.'],
  ['ReplicaMode', 'string | null', 'open-read-only or mounted.'],
  ['LicenseModel', 'string | null', 'The license model.'],
  ['Iops', 'integer | null', 'Provisioned IOPS.'],
  ['StorageThroughput', 'integer | null', 'Storage throughput (gp3).'],
  ['OptionGroupMemberships', 'list<{OptionGroupName, Status}> | null', 'Option groups.'],
  ['CharacterSetName', 'string | null', 'Character set (Oracle, SQL Server).'],
  ['NcharCharacterSetName', 'string | null', 'NCHAR character set (Oracle).'],
  ['PubliclyAccessible', 'boolean', 'The endpoint resolves to a public IP.'],
  ['StatusInfos', 'list | null', 'Read replica status.'],
  ['StorageType', 'string | null', 'gp2, gp3, io1, io2, standard.'],
  ['StorageEncryptionType', 'string | null', 'DescribeDBInstances StorageEncryptionType, when RDS reports one.'],
  ['TdeCredentialArn', 'string | null', 'TDE credential (Oracle, SQL Server).'],
  ['DbInstancePort', 'integer | null', 'Port of a DB instance in a cluster.'],
  ['DBClusterIdentifier', 'string | null', 'The Aurora/Multi-AZ cluster of the instance.'],
  ['StorageEncrypted', 'boolean', 'Storage is encrypted at rest.'],
  ['KmsKeyId', 'string | null', 'The KMS key of encrypted storage.'],
  ['CACertificateIdentifier', 'string | null', 'The server certificate CA, e.g. "rds-ca-rsa2048-g1".'],
  ['CertificateDetails', '{CAIdentifier, ValidTill} | null', 'The server certificate.'],
  ['DomainMemberships', 'list | null', 'Active Directory memberships.'],
  ['CopyTagsToSnapshot', 'boolean', 'Tags are copied to snapshots.'],
  ['MonitoringInterval', 'integer | null', 'Enhanced Monitoring interval in seconds; 0 is off.'],
  ['EnhancedMonitoringResourceArn', 'string | null', 'The Enhanced Monitoring log stream.'],
  ['MonitoringRoleArn', 'string | null', 'The Enhanced Monitoring role.'],
  ['PromotionTier', 'integer | null', 'Aurora failover priority.'],
  ['Timezone', 'string | null', 'Time zone (SQL Server).'],
  ['IAMDatabaseAuthenticationEnabled', 'boolean', 'IAM database authentication is on.'],
  ['DatabaseInsightsMode', 'string | null', 'standard or advanced.'],
  ['PerformanceInsightsEnabled', 'boolean | null', 'Performance Insights is on.'],
  ['PerformanceInsightsKMSKeyId', 'string | null', 'The Performance Insights KMS key.'],
  ['PerformanceInsightsRetentionPeriod', 'integer | null', 'Performance Insights retention in days.'],
  ['EnabledCloudwatchLogsExports', 'list<string> | null', 'Log types exported to CloudWatch Logs.'],
  ['ProcessorFeatures', 'list | null', 'CPU features (Oracle).'],
  ['DeletionProtection', 'boolean', 'Deletion protection is on.'],
  ['AssociatedRoles', 'list<{RoleArn, FeatureName, Status}> | null', 'IAM roles associated with the instance.'],
  ['TagList', 'list<{Key, Value}> | null', 'The tags as DescribeDBInstances answers them (also as the Tags map).'],
  ['AutomationMode', 'string | null', 'RDS Custom automation mode.'],
  ['ResumeFullAutomationModeTime', 'timestamp | null', 'When RDS Custom resumes full automation.'],
  ['CustomerOwnedIpEnabled', 'boolean | null', 'Customer-owned IP (Outposts).'],
  ['NetworkType', 'string | null', 'IPV4 or DUAL.'],
  ['ActivityStreamStatus', 'string | null', 'Database activity stream status.'],
  ['ActivityStreamKmsKeyId', 'string | null', 'The activity stream KMS key.'],
  ['ActivityStreamKinesisStreamName', 'string | null', 'The activity stream Kinesis stream.'],
  ['ActivityStreamMode', 'string | null', 'sync or async.'],
  ['ActivityStreamEngineNativeAuditFieldsIncluded', 'boolean | null', 'Engine-native audit fields are included.'],
  ['ActivityStreamPolicyStatus', 'string | null', 'Activity stream policy status.'],
  ['AwsBackupRecoveryPointArn', 'string | null', 'AWS Backup recovery point.'],
  ['DBInstanceAutomatedBackupsReplications', 'list | null', 'Cross-region automated backup replications.'],
  ['AutomaticRestartTime', 'timestamp | null', 'When a stopped instance restarts.'],
  ['CustomIamInstanceProfile', 'string | null', 'RDS Custom instance profile.'],
  ['DBSystemId', 'string | null', 'Oracle SID.'],
  ['PercentProgress', 'string | null', 'Progress of an operation.'],
  ['MultiTenant', 'boolean | null', 'Multi-tenant configuration.'],
  ['DedicatedLogVolume', 'boolean | null', 'A dedicated log volume is on.'],
  ['IsStorageConfigUpgradeAvailable', 'boolean | null', 'A storage file system upgrade is available.'],
  ['EngineLifecycleSupport', 'string | null', 'open-source-rds-extended-support or its -disabled form.'],
  ['AdditionalStorageVolumes', 'list | null', 'DescribeDBInstances AdditionalStorageVolumes, when RDS reports them.'],
  ['StorageVolumeStatus', 'string | null', 'DescribeDBInstances StorageVolumeStatus, when RDS reports one.'],
  ['StorageOperationStatus', 'string | null', 'DescribeDBInstances StorageOperationStatus, when RDS reports one.'],
  ['StorageOperationPercentProgress', 'integer | null', 'DescribeDBInstances StorageOperationPercentProgress, when RDS reports one.'],
  ['DBCapacityReservationIdentifier', 'string | null', 'DescribeDBInstances DBCapacityReservationIdentifier, when RDS reports one.'],
].map(([name, type, description]) => ({ name: name!, type: type!, description: description! }));

export interface RdsInstanceOptions {
  /** DescribeDBInstances MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeRdsInstanceType(opts: RdsInstanceOptions = {}): ResourceType<DbInstanceRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: RDS_INSTANCE_TYPE,
    asffType: 'AwsRdsDbInstance',
    service: 'rds',
    scope: 'regional',
    eventSource: 'rds.amazonaws.com',

    async list(ctx, pageToken) {
      const rds = ctx.clients.get(RDSClient, ctx.region);
      const page = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: pageSize, Marker: pageToken }));
      const refs: DbInstanceRef[] = [];
      for (const db of page.DBInstances ?? []) {
        if (!db.DBInstanceIdentifier) continue;
        remember(ctx, cacheKey(ctx.region, db.DBInstanceIdentifier), db);
        refs.push({ id: db.DBInstanceIdentifier });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      const rds = ctx.clients.get(RDSClient, ctx.region);
      let db = await take<DBInstance>(ctx, cacheKey(ctx.region, ref.id));
      if (!db) {
        const out = await orNull(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ref.id })), ...INSTANCE_NOT_FOUND);
        db = out?.DBInstances?.[0];
      }
      if (!db?.DBInstanceIdentifier) return null;
      try {
        return await model(ctx, rds, db);
      } catch (e) {
        // Deleted between the instance describe and the snapshot calls.
        if (hasErrorCode(e, ...INSTANCE_NOT_FOUND)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return dbInstanceArn(target, ref.id);
    },

    events: {
      CreateDBInstance: rescan,
      CreateDBInstanceReadReplica: rescan,
      RestoreDBInstanceFromDBSnapshot: rescan,
      RestoreDBInstanceToPointInTime: rescan,
      RestoreDBInstanceFromS3: rescan,
      DeleteDBInstance: { action: 'delete', refs: dbInstanceRefsOf },
      ModifyDBInstance: rescan,
      StartDBInstance: rescan,
      StopDBInstance: rescan,
      PromoteReadReplica: rescan,
      AddRoleToDBInstance: rescan,
      RemoveRoleFromDBInstance: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
      // Snapshots: their instance is named in the request or in the (flat) response.
      CreateDBSnapshot: rescan,
      CopyDBSnapshot: rescan,
      DeleteDBSnapshot: rescan,
      // Sharing a snapshot (restore → all / accounts) is answered with the snapshot alone.
      ModifyDBSnapshotAttribute: { action: 'rescan-region' },
    },

    // SecurityAudit covers every call: rds:Describe* (DescribeDBInstances, DescribeDBSnapshots,
    // DescribeDBSnapshotAttributes).
    // DescribeDBInstances per page (instances are described from it); per instance
    // DescribeDBSnapshots (+ DescribeDBSnapshotAttributes per manual snapshot).
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      ...DB_INSTANCE_DOCS,
      { name: 'SnapshotAttributes', type: 'list<{DBSnapshotIdentifier, DBSnapshotAttributes: list<{AttributeName, AttributeValues}>}> | null', description: 'DescribeDBSnapshotAttributes of each manual snapshot of the instance; a "restore" attribute with "all" is a public snapshot, account IDs are shares; null when the instance has no manual snapshots.' },
    ],
  };
}

export const RDS_INSTANCE: ResourceType<DbInstanceRef> = makeRdsInstanceType();
