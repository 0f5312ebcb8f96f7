/**
 * AWS.EC2.Snapshot — regional: the EBS snapshots the account owns. DescribeSnapshots pages return
 * whole snapshots, kept in the scope cache; `describe` adds the snapshot's CreateVolumePermissions
 * (DescribeSnapshotAttribute: who may create a volume from it; `{"Group": "all"}` is public).
 */
import {
  CreateVolumePermission$,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  Snapshot$,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { awsFields, ec2Arn, idsIn } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface SnapshotRef {
  snapshotId: string;
}

export const EC2_SNAPSHOT_TYPE = 'AWS.EC2.Snapshot';

const NOT_FOUND = 'InvalidSnapshot.NotFound';
const cacheKey = (region: string, id: string) => `ec2:snapshot:${region}:${id}`;

async function model(ctx: ScanContext, snapshot: Snapshot): Promise<Resource | null> {
  const SnapshotId = snapshot.SnapshotId!;
  const ec2 = ctx.clients.get(EC2Client, ctx.region);
  // Deleted after it was listed: DescribeSnapshotAttribute answers InvalidSnapshot.NotFound.
  const attr = await orNull(ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' })), NOT_FOUND);
  if (!attr) return null;
  const arn = ec2Arn(ctx, snapshot.OwnerId ?? ctx.accountId, 'snapshot', SnapshotId);
  return {
    ResourceId: arn,
    ResourceType: EC2_SNAPSHOT_TYPE,
    TimeCreated: iso(snapshot.StartTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: SnapshotId,
    Name: snapshot.Tags?.find((t) => t.Key === 'Name')?.Value ?? null,
    Tags: tagMap(snapshot.Tags),
    ...awsFields(Snapshot$, snapshot),
    CreateVolumePermissions: shapeList(CreateVolumePermission$, attr.CreateVolumePermissions),
  };
}

const snapshotIds = (d: CloudTrailDetail): SnapshotRef[] => idsIn(d, ['snapshotId'], 'snap-').map((snapshotId) => ({ snapshotId }));
const taggedSnapshots = (d: CloudTrailDetail): SnapshotRef[] => idsIn(d, ['resourceId'], 'snap-').map((snapshotId) => ({ snapshotId }));
const rescan: EventRule<SnapshotRef> = { action: 'rescan', refs: snapshotIds };

export interface Ec2SnapshotOptions {
  /** DescribeSnapshots MaxResults per page (5–1000). */
  pageSize?: number;
}

export function makeEc2SnapshotType(opts: Ec2SnapshotOptions = {}): ResourceType<SnapshotRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: EC2_SNAPSHOT_TYPE,
    // ASFF has no EBS snapshot resource type: findings name it Other.
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: pageSize, NextToken: pageToken }));
      const refs: SnapshotRef[] = [];
      for (const s of page.Snapshots ?? []) {
        if (!s.SnapshotId) continue;
        remember(ctx, cacheKey(ctx.region, s.SnapshotId), s);
        refs.push({ snapshotId: s.SnapshotId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let snapshot = await take<Snapshot>(ctx, cacheKey(ctx.region, ref.snapshotId));
      if (!snapshot) {
        const out = await orNull(ctx.clients.get(EC2Client, ctx.region).send(new DescribeSnapshotsCommand({ SnapshotIds: [ref.snapshotId] })), NOT_FOUND);
        snapshot = out?.Snapshots?.find((s) => s.SnapshotId === ref.snapshotId);
      }
      // Only the account's own snapshots are modeled (a public one of another owner is not).
      if (!snapshot?.SnapshotId || (snapshot.OwnerId && snapshot.OwnerId !== ctx.accountId)) return null;
      try {
        return await model(ctx, snapshot);
      } catch (e) {
        if (hasErrorCode(e, NOT_FOUND)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return ec2Arn(target, target.accountId, 'snapshot', ref.snapshotId);
    },

    events: {
      CreateSnapshot: rescan,
      CreateSnapshots: rescan,
      CopySnapshot: rescan,
      DeleteSnapshot: { action: 'delete', refs: snapshotIds },
      ModifySnapshotAttribute: rescan,
      ResetSnapshotAttribute: rescan,
      ModifySnapshotTier: rescan,
      RestoreSnapshotTier: rescan,
      LockSnapshot: rescan,
      UnlockSnapshot: rescan,
      ImportSnapshot: { action: 'rescan-region' },
      CreateTags: { action: 'rescan', refs: taggedSnapshots },
      DeleteTags: { action: 'rescan', refs: taggedSnapshots },
    },

    // SecurityAudit's ec2:Describe* covers DescribeSnapshots and DescribeSnapshotAttribute.
    // DescribeSnapshots per page; per snapshot DescribeSnapshotAttribute.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      ...schemaAttributeDocs(Snapshot$, 'DescribeSnapshots', {
        SnapshotId: ['string', 'The snapshot ID (also Id).'],
        VolumeId: ['string', 'The volume the snapshot was taken from (an arbitrary ID for copies).'],
        State: ['string', 'pending, completed, error, recoverable, recovering.'],
        StartTime: ['timestamp', 'When the snapshot was started (also TimeCreated).'],
        Progress: ['string', 'Completion percentage.'],
        OwnerId: ['string', 'The owning account.'],
        OwnerAlias: 'The AWS owner alias (amazon, self) of the snapshot.',
        Description: 'The snapshot description.',
        VolumeSize: ['integer', 'Size of the volume in GiB.'],
        Encrypted: ['boolean', 'The snapshot is encrypted.'],
        KmsKeyId: 'The KMS key of an encrypted snapshot.',
        StorageTier: 'standard or archive.',
        RestoreExpiryTime: 'When a temporarily restored archived snapshot returns to the archive tier.',
        SseType: 'sse-ebs or sse-kms for server-side encryption.',
      }, ['Tags']),
      { name: 'CreateVolumePermissions', type: 'list<{Group, UserId}> | null', description: 'DescribeSnapshotAttribute createVolumePermission: {"Group": "all"} makes the snapshot public, a UserId shares it with that account; null when private.' },
    ],
  };
}

export const EC2_SNAPSHOT: ResourceType<SnapshotRef> = makeEc2SnapshotType();
