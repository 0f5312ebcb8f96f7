/**
 * AWS.RDS.ClusterSnapshot — regional: the account's DB cluster snapshots (Aurora, Multi-AZ clusters, DocumentDB, Neptune), manual and automated.
 * DescribeDBClusterSnapshots pages return whole snapshots (tags included), kept in the scope
 * cache; `describe` adds a manual snapshot's DescribeDBClusterSnapshotAttributes (`restore` =
 * ["all"] is a public snapshot; account IDs are shares). The RDS API answers for DocumentDB and
 * Neptune too (their consoles use it): `Engine` tells them apart.
 */
import {
  DBClusterSnapshot$,
  DBClusterSnapshotAttribute$,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
  type DBClusterSnapshot,
} from '@aws-sdk/client-rds';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { orNull } from './aws-errors.ts';
import { rdsArn, rdsIds } from './rds-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DbClusterSnapshotRef {
  /** The snapshot identifier (lowercase; automated ones are `rds:<cluster>-<date>`). */
  id: string;
}

export const RDS_CLUSTER_SNAPSHOT_TYPE = 'AWS.RDS.ClusterSnapshot';

const NOT_FOUND = ['DBClusterSnapshotNotFoundFault', 'DBClusterSnapshotNotFound'];
const KIND = 'cluster-snapshot';
const cacheKey = (region: string, id: string) => `rds:db-cluster-snapshot:${region}:${id}`;

async function model(ctx: ScanContext, snapshot: DBClusterSnapshot): Promise<Resource | null> {
  const id = snapshot.DBClusterSnapshotIdentifier!;
  const arn = snapshot.DBClusterSnapshotArn ?? rdsArn(ctx, KIND, id);
  let attributes: unknown[] | null = null;
  // Only manual snapshots can be shared; automated ones have no restore attribute to read.
  if (snapshot.SnapshotType === 'manual') {
    const out = await orNull(ctx.clients.get(RDSClient, ctx.region).send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id })), ...NOT_FOUND);
    if (!out) return null;
    attributes = shapeList(DBClusterSnapshotAttribute$, out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes);
  }
  return {
    ResourceId: arn,
    ResourceType: RDS_CLUSTER_SNAPSHOT_TYPE,
    TimeCreated: iso(snapshot.SnapshotCreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: id,
    Name: id,
    Tags: tagMap(snapshot.TagList),
    ...apiFields(shape(DBClusterSnapshot$, snapshot)),
    DBClusterSnapshotAttributes: attributes,
  };
}

/** The snapshots an event names: request `dBClusterSnapshotIdentifier` (create, delete,
 *  modify), `targetDBClusterSnapshotIdentifier` (copies), `resourceName` (tag calls, an ARN), and
 *  the response's `dBClusterSnapshotIdentifier`. */
export function dbClusterSnapshotRefsOf(d: CloudTrailDetail): DbClusterSnapshotRef[] {
  // A tag call on another RDS resource (its ARN of another kind) names no snapshot.
  return rdsIds(KIND, [req(d, 'dBClusterSnapshotIdentifier'), req(d, 'targetDBClusterSnapshotIdentifier'), req(d, 'resourceName'), res(d, 'dBClusterSnapshotIdentifier')]).map((id) => ({ id }));
}
const rescan: EventRule<DbClusterSnapshotRef> = { action: 'rescan', refs: dbClusterSnapshotRefsOf };

export interface RdsClusterSnapshotOptions {
  /** DescribeDBClusterSnapshots MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeRdsClusterSnapshotType(opts: RdsClusterSnapshotOptions = {}): ResourceType<DbClusterSnapshotRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: RDS_CLUSTER_SNAPSHOT_TYPE,
    asffType: 'AwsRdsDbClusterSnapshot',
    service: 'rds',
    scope: 'regional',
    eventSource: 'rds.amazonaws.com',

    async list(ctx, pageToken) {
      const rds = ctx.clients.get(RDSClient, ctx.region);
      const page = await rds.send(new DescribeDBClusterSnapshotsCommand({ MaxRecords: pageSize, Marker: pageToken }));
      const refs: DbClusterSnapshotRef[] = [];
      for (const s of page.DBClusterSnapshots ?? []) {
        if (!s.DBClusterSnapshotIdentifier) continue;
        remember(ctx, cacheKey(ctx.region, s.DBClusterSnapshotIdentifier), s);
        refs.push({ id: s.DBClusterSnapshotIdentifier });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      let snapshot = await take<DBClusterSnapshot>(ctx, cacheKey(ctx.region, ref.id));
      if (!snapshot) {
        const out = await orNull(ctx.clients.get(RDSClient, ctx.region).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: ref.id })), ...NOT_FOUND);
        snapshot = out?.DBClusterSnapshots?.[0];
      }
      return snapshot?.DBClusterSnapshotIdentifier ? model(ctx, snapshot) : null;
    },

    resourceId(target, ref) {
      return rdsArn(target, KIND, ref.id);
    },

    events: {
      CreateDBClusterSnapshot: rescan,
      CopyDBClusterSnapshot: rescan,
      DeleteDBClusterSnapshot: { action: 'delete', refs: dbClusterSnapshotRefsOf },
      ModifyDBClusterSnapshotAttribute: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit's rds:Describe* covers DescribeDBClusterSnapshots and
    // DescribeDBClusterSnapshotAttributes.
    // DescribeDBClusterSnapshots per page; per manual snapshot DescribeDBClusterSnapshotAttributes.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      ...schemaAttributeDocs(DBClusterSnapshot$, 'DescribeDBClusterSnapshots', {
        DBClusterSnapshotIdentifier: ['string', 'The snapshot identifier (also Id and Name).'],
        DBClusterIdentifier: ['string', 'The cluster the snapshot was taken from.'],
        SnapshotCreateTime: ['timestamp', 'When the snapshot was taken (also TimeCreated).'],
        Engine: ['string', 'The database engine: aurora-mysql, aurora-postgresql, mysql, postgres, docdb or neptune.'],
        Status: ['string', 'e.g. "available", "creating".'],
        SnapshotType: ['string', 'manual, automated, shared, public or awsbackup.'],
        StorageEncrypted: ['boolean', 'The snapshot is encrypted.'],
        KmsKeyId: 'The KMS key of an encrypted snapshot.',
        DBClusterSnapshotArn: ['string', 'The snapshot ARN (also ResourceId and Arn).'],
        TagList: 'The tags as DescribeDBClusterSnapshots answers them (also as the Tags map).',
        MasterUsername: 'The master user name of the cluster.',
        IAMDatabaseAuthenticationEnabled: 'IAM database authentication is on for the cluster.',
      }),
      { name: 'DBClusterSnapshotAttributes', type: 'list<{AttributeName, AttributeValues}> | null', description: 'DescribeDBClusterSnapshotAttributes of a manual snapshot: a "restore" attribute with "all" makes it public, account IDs share it; null for automated snapshots.' },
    ],
  };
}

export const RDS_CLUSTER_SNAPSHOT: ResourceType<DbClusterSnapshotRef> = makeRdsClusterSnapshotType();
