/**
 * AWS.DynamoDB.Table — regional. ListTables, then per table DescribeTable, DescribeTimeToLive,
 * DescribeContinuousBackups and ListTagsOfResource. Auto scaling (Application Auto Scaling
 * scalable targets and their scaling policies in the `dynamodb` namespace) is read once per scope
 * and grouped by table.
 *
 * Real-time: Application Auto Scaling calls are recorded under their own event source
 * (application-autoscaling.amazonaws.com), which a type cannot bind; auto-scaling changes reach
 * the model with the next scan.
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ScalableTarget$,
  ScalingPolicy$,
  type ScalableTarget,
  type ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import {
  ContinuousBackupsDescription$,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TableDescription$,
  TimeToLiveDescription$,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { scopeMemo } from './scope-cache.ts';

export interface TableRef {
  name: string;
}

export const DYNAMODB_TABLE_TYPE = 'AWS.DynamoDB.Table';

/** A new table is CREATING for a while; its backups and TTL settings are read once it is up. */
const TABLE_SETTLE_SECONDS = 60;

/** Not-found codes of the table calls (DescribeContinuousBackups answers TableNotFoundException). */
const NOT_FOUND = ['ResourceNotFound', 'TableNotFound'];

export function tableArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:dynamodb:${target.region}:${target.accountId}:table/${name}`;
}

/** Table name of an Application Auto Scaling ResourceId (`table/<name>` or `table/<name>/index/<index>`). */
const scalingTable = (resourceId: string | undefined) => /^table\/([^/]+)/.exec(resourceId ?? '')?.[1];

type ScalingByTable = Map<string, { target: ScalableTarget; policies: ScalingPolicy[] }[]>;

/** The region's DynamoDB scalable targets with their scaling policies, by table; once per scope. */
function scalingByTable(ctx: ScanContext): Promise<ScalingByTable> {
  // A failed read is not kept: the next describe in the scope tries again.
  return scopeMemo(ctx, `application-autoscaling:dynamodb:${ctx.region}`, async (): Promise<ScalingByTable> => {
    const aas = ctx.clients.get(ApplicationAutoScalingClient, ctx.region);
    const targets: ScalableTarget[] = [];
    const policies: ScalingPolicy[] = [];
    let token: string | undefined;
    do {
      const page = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', MaxResults: 50, NextToken: token }));
      targets.push(...(page.ScalableTargets ?? []));
      token = page.NextToken;
    } while (token);
    do {
      const page = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', MaxResults: 50, NextToken: token }));
      policies.push(...(page.ScalingPolicies ?? []));
      token = page.NextToken;
    } while (token);
    const byTable: ScalingByTable = new Map();
    for (const target of targets) {
      const table = scalingTable(target.ResourceId);
      if (!table) continue;
      const mine = policies.filter((p) => p.ResourceId === target.ResourceId && p.ScalableDimension === target.ScalableDimension);
      byTable.set(table, [...(byTable.get(table) ?? []), { target, policies: mine }]);
    }
    return byTable;
  });
}

async function allTags(ddb: DynamoDBClient, ResourceArn: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let token: string | undefined;
  do {
    const page = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn, NextToken: token }));
    tags.push(...(page.Tags ?? []));
    token = page.NextToken;
  } while (token);
  return tags;
}

/** ContinuousBackupsDescription without LatestRestorableDateTime, which moves with the clock
 *  (it would make every scan of a table with point-in-time recovery a change). */
function continuousBackups(value: unknown): unknown {
  const shaped = shape(ContinuousBackupsDescription$, value) as { PointInTimeRecoveryDescription?: Record<string, unknown> | null } | null;
  const pitr = shaped?.PointInTimeRecoveryDescription;
  if (pitr) delete pitr.LatestRestorableDateTime;
  return shaped;
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** Table name of a table ARN (also of its index and stream ARNs). */
const tableOfArn = (arn: string | undefined) => {
  const parsed = parseArn(arn);
  return parsed?.service === 'dynamodb' ? /^table\/([^/]+)/.exec(parsed.resource)?.[1] : undefined;
};

/** The table an event names: request `tableName`, `targetTableName` (restores),
 *  `tableCreationParameters.tableName` (ImportTable) or `resourceArn` (TagResource/UntagResource). */
export function tableRefsOf(d: CloudTrailDetail): TableRef[] {
  return distinct([
    req(d, 'tableName'),
    req(d, 'targetTableName'),
    req(d, 'tableCreationParameters', 'tableName'),
    tableOfArn(req(d, 'resourceArn')),
  ]).map((name) => ({ name }));
}

/** The table an Application Auto Scaling call names (`resourceId` `table/<name>`, or
 *  `table/<name>/index/<index>` for an index); calls for other services' namespaces name none. */
export function scalingTableRefs(d: CloudTrailDetail): TableRef[] {
  if (req(d, 'serviceNamespace') !== 'dynamodb') return [];
  return distinct([scalingTable(req(d, 'resourceId'))]).map((name) => ({ name }));
}

const rescan: EventRule<TableRef> = { action: 'rescan', refs: tableRefsOf };
const scalingChanged: EventRule<TableRef> = { action: 'rescan', refs: scalingTableRefs };
const created: EventRule<TableRef> = { action: 'rescan', refs: tableRefsOf, settleSeconds: TABLE_SETTLE_SECONDS };

export interface DynamoDbTableOptions {
  /** ListTables Limit per page (1–100). */
  pageSize?: number;
}

export function makeDynamoDbTableType(opts: DynamoDbTableOptions = {}): ResourceType<TableRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: DYNAMODB_TABLE_TYPE,
    asffType: 'AwsDynamoDbTable',
    service: 'dynamodb',
    scope: 'regional',
    eventSource: 'dynamodb.amazonaws.com',

    async list(ctx, pageToken) {
      const ddb = ctx.clients.get(DynamoDBClient, ctx.region);
      const page = await ddb.send(new ListTablesCommand({ Limit: pageSize, ExclusiveStartTableName: pageToken }));
      return {
        refs: (page.TableNames ?? []).map((name) => ({ name })),
        ...(page.LastEvaluatedTableName ? { nextPageToken: page.LastEvaluatedTableName } : {}),
      };
    },

    async describe(ctx, ref) {
      const ddb = ctx.clients.get(DynamoDBClient, ctx.region);
      const TableName = ref.name;
      try {
        const { Table: table } = await ddb.send(new DescribeTableCommand({ TableName }));
        if (!table?.TableName) return null;
        const arn = table.TableArn ?? tableArn(ctx, table.TableName);
        const [ttl, backups, tags, scaling] = await Promise.all([
          ddb.send(new DescribeTimeToLiveCommand({ TableName })),
          ddb.send(new DescribeContinuousBackupsCommand({ TableName })),
          allTags(ddb, arn),
          scalingByTable(ctx),
        ]);
        const autoScaling = (scaling.get(table.TableName) ?? []).map(({ target, policies }) => ({
          ...(shape(ScalableTarget$, target) as Record<string, unknown>),
          ScalingPolicies: shapeList(ScalingPolicy$, policies),
        }));
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: DYNAMODB_TABLE_TYPE,
          TimeCreated: iso(table.CreationDateTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: table.TableId ?? null,
          Name: table.TableName,
          Tags: tagMap(tags),
          ...apiFields(shape(TableDescription$, table)),
          AutoScalingDescriptions: autoScaling.length > 0 ? autoScaling : null,
          TimeToLiveDescription: shape(TimeToLiveDescription$, ttl.TimeToLiveDescription),
          ContinuousBackupsDescription: continuousBackups(backups.ContinuousBackupsDescription),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, ...NOT_FOUND)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return tableArn(target, ref.name);
    },

    events: {
      CreateTable: created,
      RestoreTableFromBackup: created,
      RestoreTableToPointInTime: created,
      ImportTable: created,
      DeleteTable: { action: 'delete', refs: tableRefsOf },
      UpdateTable: rescan,
      UpdateTimeToLive: rescan,
      UpdateContinuousBackups: rescan,
      UpdateTableReplicaAutoScaling: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },
    // Auto scaling of a table is configured through Application Auto Scaling, not DynamoDB.
    relatedEvents: {
      'application-autoscaling.amazonaws.com': {
        RegisterScalableTarget: scalingChanged,
        DeregisterScalableTarget: scalingChanged,
        PutScalingPolicy: scalingChanged,
        DeleteScalingPolicy: scalingChanged,
      },
    },

    // SecurityAudit covers every call: dynamodb:ListTables, DescribeTable, DescribeTimeToLive,
    // DescribeContinuousBackups, ListTagsOfResource; application-autoscaling:Describe*.
    // ListTables per page; per table DescribeTable, DescribeTimeToLive, DescribeContinuousBackups,
    // ListTagsOfResource; per scope DescribeScalableTargets and DescribeScalingPolicies.
    apiCalls: { perPage: 1, perResource: 4, perScope: 2 },
    iamActions: [],

    attributes: [
      { name: 'TableName', type: 'string', description: 'The table name (also Name).' },
      { name: 'TableArn', type: 'string', description: 'The table ARN (also ResourceId and Arn).' },
      { name: 'TableId', type: 'string', description: 'The table\'s unique ID (also Id).' },
      { name: 'TableStatus', type: 'string', description: 'CREATING, UPDATING, DELETING, ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING or ARCHIVED.' },
      { name: 'CreationDateTime', type: 'timestamp', description: 'When the table was created (also TimeCreated).' },
      { name: 'AttributeDefinitions', type: 'list<{AttributeName, AttributeType}>', description: 'Key attribute definitions.' },
      { name: 'KeySchema', type: 'list<{AttributeName, KeyType}>', description: 'The primary key.' },
      { name: 'ProvisionedThroughput', type: 'ProvisionedThroughputDescription | null', description: '{LastIncreaseDateTime, LastDecreaseDateTime, NumberOfDecreasesToday, ReadCapacityUnits, WriteCapacityUnits}.' },
      { name: 'TableSizeBytes', type: 'integer | null', description: 'Approximate size (AWS updates it about every six hours).' },
      { name: 'ItemCount', type: 'integer | null', description: 'Approximate item count (updated about every six hours).' },
      { name: 'BillingModeSummary', type: '{BillingMode, LastUpdateToPayPerRequestDateTime} | null', description: 'PROVISIONED or PAY_PER_REQUEST.' },
      { name: 'LocalSecondaryIndexes', type: 'list<LocalSecondaryIndexDescription> | null', description: 'Local secondary indexes.' },
      { name: 'GlobalSecondaryIndexes', type: 'list<GlobalSecondaryIndexDescription> | null', description: 'Global secondary indexes.' },
      { name: 'StreamSpecification', type: '{StreamEnabled, StreamViewType} | null', description: 'DynamoDB Streams settings.' },
      { name: 'LatestStreamLabel', type: 'string | null', description: 'Label of the latest stream.' },
      { name: 'LatestStreamArn', type: 'string | null', description: 'ARN of the latest stream.' },
      { name: 'GlobalTableVersion', type: 'string | null', description: 'Global tables version of a global table.' },
      { name: 'Replicas', type: 'list<ReplicaDescription> | null', description: 'Replicas of a global table.' },
      { name: 'GlobalTableWitnesses', type: 'list | null', description: 'Witnesses of a multi-Region strongly consistent global table.' },
      { name: 'GlobalTableSettingsReplicationMode', type: 'string | null', description: 'DescribeTable GlobalTableSettingsReplicationMode, when AWS reports one.' },
      { name: 'RestoreSummary', type: '{SourceBackupArn, SourceTableArn, RestoreDateTime, RestoreInProgress} | null', description: 'Where a restored table came from.' },
      { name: 'SSEDescription', type: '{Status, SSEType, KMSMasterKeyArn, InaccessibleEncryptionDateTime} | null', description: 'Server-side encryption with a KMS key; null when the table uses the AWS owned key.' },
      { name: 'ArchivalSummary', type: '{ArchivalDateTime, ArchivalReason, ArchivalBackupArn} | null', description: 'Why and when the table was archived.' },
      { name: 'TableClassSummary', type: '{TableClass, LastUpdateDateTime} | null', description: 'STANDARD or STANDARD_INFREQUENT_ACCESS.' },
      { name: 'DeletionProtectionEnabled', type: 'boolean | null', description: 'Deletion protection is on.' },
      { name: 'DisassociationProtectionEnabled', type: 'boolean | null', description: 'DescribeTable DisassociationProtectionEnabled, when AWS reports it.' },
      { name: 'OnDemandThroughput', type: '{MaxReadRequestUnits, MaxWriteRequestUnits} | null', description: 'Maximum on-demand throughput.' },
      { name: 'WarmThroughput', type: '{ReadUnitsPerSecond, WriteUnitsPerSecond, Status} | null', description: 'Pre-warmed throughput.' },
      { name: 'MultiRegionConsistency', type: 'string | null', description: 'EVENTUAL or STRONG for global tables.' },
      { name: 'VectorIndexes', type: 'list | null', description: 'DescribeTable VectorIndexes, when AWS reports them.' },
      { name: 'AutoScalingDescriptions', type: 'list<ScalableTarget> | null', description: 'Application Auto Scaling targets of the table and its indexes {ServiceNamespace, ResourceId, ScalableDimension, MinCapacity, MaxCapacity, RoleARN, CreationTime, PredictedCapacity, SuspendedState, ScalableTargetARN}, each with (Posture addition) ScalingPolicies: its DescribeScalingPolicies policies or null; null when the table has no auto scaling.' },
      { name: 'TimeToLiveDescription', type: '{TimeToLiveStatus, AttributeName}', description: 'DescribeTimeToLive: TimeToLiveStatus ENABLING, DISABLING, ENABLED or DISABLED.' },
      { name: 'ContinuousBackupsDescription', type: '{ContinuousBackupsStatus, PointInTimeRecoveryDescription}', description: 'DescribeContinuousBackups; PointInTimeRecoveryDescription {PointInTimeRecoveryStatus, RecoveryPeriodInDays, EarliestRestorableDateTime} (LatestRestorableDateTime is left out: it moves with the clock).' },
    ],
  };
}

export const DYNAMODB_TABLE: ResourceType<TableRef> = makeDynamoDbTableType();
