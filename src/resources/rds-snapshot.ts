/**
 * AWS.RDS.Snapshot — regional: the account's DB instance snapshots, manual and automated.
 * DescribeDBSnapshots pages return whole snapshots (tags included), kept in the scope cache;
 * `describe` adds a manual snapshot's DescribeDBSnapshotAttributes (`restore` = ["all"] is a
 * public snapshot; account IDs are shares). Cluster snapshots are AWS.RDS.ClusterSnapshot.
 */
import {
  DBSnapshot$,
  DBSnapshotAttribute$,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  type DBSnapshot,
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

export interface DbSnapshotRef {
  /** The snapshot identifier (lowercase; automated ones are `rds:<instance>-<date>`). */
  id: string;
}

export const RDS_SNAPSHOT_TYPE = 'AWS.RDS.Snapshot';

const NOT_FOUND = ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'];
const KIND = 'snapshot';
const cacheKey = (region: string, id: string) => `rds:db-snapshot:${region}:${id}`;

async function model(ctx: ScanContext, snapshot: DBSnapshot): Promise<Resource | null> {
  const id = snapshot.DBSnapshotIdentifier!;
  const arn = snapshot.DBSnapshotArn ?? rdsArn(ctx, KIND, id);
  let attributes: unknown[] | null = null;
  // Only manual snapshots can be shared; automated ones have no restore attribute to read.
  if (snapshot.SnapshotType === 'manual') {
    const out = await orNull(ctx.clients.get(RDSClient, ctx.region).send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id })), ...NOT_FOUND);
    if (!out) return null;
    attributes = shapeList(DBSnapshotAttribute$, out.DBSnapshotAttributesResult?.DBSnapshotAttributes);
  }
  return {
    ResourceId: arn,
    ResourceType: RDS_SNAPSHOT_TYPE,
    TimeCreated: iso(snapshot.SnapshotCreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: id,
    Name: id,
    Tags: tagMap(snapshot.TagList),
    ...apiFields(shape(DBSnapshot$, snapshot)),
    DBSnapshotAttributes: attributes,
  };
}

/** The snapshots an event names: request `dBSnapshotIdentifier` (create, delete, modify),
 *  `targetDBSnapshotIdentifier` (copies), `resourceName` (tag calls, an ARN), and the
 *  response's `dBSnapshotIdentifier`. */
export function dbSnapshotRefsOf(d: CloudTrailDetail): DbSnapshotRef[] {
  // A tag call on another RDS resource (its ARN of another kind) names no snapshot.
  return rdsIds(KIND, [req(d, 'dBSnapshotIdentifier'), req(d, 'targetDBSnapshotIdentifier'), req(d, 'resourceName'), res(d, 'dBSnapshotIdentifier')]).map((id) => ({ id }));
}
const rescan: EventRule<DbSnapshotRef> = { action: 'rescan', refs: dbSnapshotRefsOf };

export interface RdsSnapshotOptions {
  /** DescribeDBSnapshots MaxRecords per page (20–100). */
  pageSize?: number;
}

export function makeRdsSnapshotType(opts: RdsSnapshotOptions = {}): ResourceType<DbSnapshotRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: RDS_SNAPSHOT_TYPE,
    asffType: 'AwsRdsDbSnapshot',
    service: 'rds',
    scope: 'regional',
    eventSource: 'rds.amazonaws.com',

    async list(ctx, pageToken) {
      const rds = ctx.clients.get(RDSClient, ctx.region);
      const page = await rds.send(new DescribeDBSnapshotsCommand({ MaxRecords: pageSize, Marker: pageToken }));
      const refs: DbSnapshotRef[] = [];
      for (const s of page.DBSnapshots ?? []) {
        if (!s.DBSnapshotIdentifier) continue;
        remember(ctx, cacheKey(ctx.region, s.DBSnapshotIdentifier), s);
        refs.push({ id: s.DBSnapshotIdentifier });
      }
      return { refs, ...(page.Marker ? { nextPageToken: page.Marker } : {}) };
    },

    async describe(ctx, ref) {
      let snapshot = await take<DBSnapshot>(ctx, cacheKey(ctx.region, ref.id));
      if (!snapshot) {
        const out = await orNull(ctx.clients.get(RDSClient, ctx.region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: ref.id })), ...NOT_FOUND);
        snapshot = out?.DBSnapshots?.[0];
      }
      return snapshot?.DBSnapshotIdentifier ? model(ctx, snapshot) : null;
    },

    resourceId(target, ref) {
      return rdsArn(target, KIND, ref.id);
    },

    events: {
      CreateDBSnapshot: rescan,
      CopyDBSnapshot: rescan,
      DeleteDBSnapshot: { action: 'delete', refs: dbSnapshotRefsOf },
      ModifyDBSnapshot: rescan,
      ModifyDBSnapshotAttribute: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit's rds:Describe* covers DescribeDBSnapshots and DescribeDBSnapshotAttributes.
    // DescribeDBSnapshots per page; per manual snapshot DescribeDBSnapshotAttributes.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      ...schemaAttributeDocs(DBSnapshot$, 'DescribeDBSnapshots', {
        DBSnapshotIdentifier: ['string', 'The snapshot identifier (also Id and Name).'],
        DBInstanceIdentifier: ['string', 'The instance the snapshot was taken from.'],
        SnapshotCreateTime: ['timestamp', 'When the snapshot was taken (also TimeCreated).'],
        Engine: ['string', 'The database engine, e.g. "postgres".'],
        Status: ['string', 'e.g. "available", "creating".'],
        SnapshotType: ['string', 'manual, automated, shared, public or awsbackup.'],
        Encrypted: ['boolean', 'The snapshot is encrypted.'],
        KmsKeyId: 'The KMS key of an encrypted snapshot.',
        DBSnapshotArn: ['string', 'The snapshot ARN (also ResourceId and Arn).'],
        TagList: 'The tags as DescribeDBSnapshots answers them (also as the Tags map).',
        MasterUsername: 'The master user name of the instance.',
        IAMDatabaseAuthenticationEnabled: 'IAM database authentication is on for the instance.',
      }),
      { name: 'DBSnapshotAttributes', type: 'list<{AttributeName, AttributeValues}> | null', description: 'DescribeDBSnapshotAttributes of a manual snapshot: a "restore" attribute with "all" makes it public, account IDs share it; null for automated snapshots.' },
    ],
  };
}

export const RDS_SNAPSHOT: ResourceType<DbSnapshotRef> = makeRdsSnapshotType();
