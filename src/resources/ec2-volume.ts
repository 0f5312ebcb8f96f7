/**
 * AWS.EC2.Volume — regional. DescribeVolumes returns whole volumes (kept from the listed page for
 * `describe`); each volume is enriched with its snapshots owned by the account, each with the
 * CreateVolumePermissions of DescribeSnapshotAttribute (who may restore it: `{"Group": "all"}`
 * is a public snapshot).
 */
import {
  CreateVolumePermission$,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  Snapshot$,
  Volume$,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { allPages, awsFields, ec2Arn, idsIn, sortedBy, withTagMap } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface VolumeRef {
  volumeId: string;
}

export const EC2_VOLUME_TYPE = 'AWS.EC2.Volume';

const cacheKey = (region: string, id: string) => `ec2:volume:${region}:${id}`;

/** The volume's snapshots owned by the account, each with its CreateVolumePermissions; null when
 *  there are none. A snapshot deleted in between is left out. */
async function snapshots(ec2: EC2Client, volumeId: string): Promise<Record<string, unknown>[] | null> {
  const found = await allPages<Snapshot>(async (NextToken) => {
    const r = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [volumeId] }], MaxResults: 1000, NextToken }),
    );
    return { items: r.Snapshots, next: r.NextToken };
  });
  const described = await Promise.all(
    sortedBy(found, (s) => s.SnapshotId).map(async (snapshot) => {
      if (!snapshot.SnapshotId) return null;
      try {
        const attr = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshot.SnapshotId, Attribute: 'createVolumePermission' }));
        return { ...withTagMap(Snapshot$, snapshot), CreateVolumePermissions: shapeList(CreateVolumePermission$, attr.CreateVolumePermissions) };
      } catch (e) {
        if (hasErrorCode(e, 'InvalidSnapshot.NotFound')) return null;
        throw e;
      }
    }),
  );
  const present = described.filter((s): s is NonNullable<typeof s> => s !== null);
  return present.length > 0 ? present : null;
}

async function model(ctx: ScanContext, volume: Volume): Promise<Resource> {
  const volumeId = volume.VolumeId!;
  const arn = ec2Arn(ctx, ctx.accountId, 'volume', volumeId);
  const ec2 = ctx.clients.get(EC2Client, ctx.region);
  return {
    ResourceId: arn,
    ResourceType: EC2_VOLUME_TYPE,
    TimeCreated: iso(volume.CreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: volumeId,
    Name: null,
    Tags: tagMap(volume.Tags),
    ...awsFields(Volume$, volume),
    Snapshots: await snapshots(ec2, volumeId),
  };
}

const volumeIds = (d: CloudTrailDetail): VolumeRef[] => idsIn(d, ['volumeId'], 'vol-').map((volumeId) => ({ volumeId }));
const taggedVolumes = (d: CloudTrailDetail): VolumeRef[] => idsIn(d, ['resourceId'], 'vol-').map((volumeId) => ({ volumeId }));
const rescan: EventRule<VolumeRef> = { action: 'rescan', refs: volumeIds };
// Snapshot changes name the snapshot, not its volume: the region's volumes are described again.
const region: EventRule<VolumeRef> = { action: 'rescan-region' };

export interface VolumeOptions {
  /** DescribeVolumes MaxResults (5–500). */
  pageSize?: number;
}

export function makeVolumeType(opts: VolumeOptions = {}): ResourceType<VolumeRef> {
  const pageSize = opts.pageSize ?? 500;
  return {
    type: EC2_VOLUME_TYPE,
    asffType: 'AwsEc2Volume',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeVolumesCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: VolumeRef[] = [];
      for (const volume of page.Volumes ?? []) {
        if (!volume.VolumeId) continue;
        remember(ctx, cacheKey(ctx.region, volume.VolumeId), volume);
        refs.push({ volumeId: volume.VolumeId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let volume = await take<Volume>(ctx, cacheKey(ctx.region, ref.volumeId));
      if (!volume) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        const out = await orNull(ec2.send(new DescribeVolumesCommand({ VolumeIds: [ref.volumeId] })), 'InvalidVolume.NotFound');
        volume = out?.Volumes?.find((v) => v.VolumeId === ref.volumeId);
      }
      // A deleted volume may linger in the "deleted" state.
      return volume && volume.State !== 'deleted' ? model(ctx, volume) : null;
    },

    resourceId(target: ScanTarget, ref) {
      return ec2Arn(target, target.accountId, 'volume', ref.volumeId);
    },

    events: {
      CreateVolume: rescan,
      DeleteVolume: { action: 'delete', refs: volumeIds },
      AttachVolume: rescan,
      DetachVolume: rescan,
      ModifyVolume: rescan,
      CreateSnapshot: rescan,
      CreateSnapshots: rescan,
      DeleteSnapshot: region,
      ModifySnapshotAttribute: region,
      ResetSnapshotAttribute: region,
      CreateTags: { action: 'rescan', refs: taggedVolumes },
      DeleteTags: { action: 'rescan', refs: taggedVolumes },
    },

    // SecurityAudit's ec2:Describe* covers DescribeVolumes, DescribeSnapshots and
    // DescribeSnapshotAttribute.
    // DescribeVolumes per page; per volume DescribeSnapshots (+ DescribeSnapshotAttribute per snapshot).
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Attachments', type: 'list<VolumeAttachment>', description: 'Attachments: {AttachTime, DeleteOnTermination, Device, InstanceId, State, VolumeId, AssociatedResource, InstanceOwningService}.' },
      { name: 'AvailabilityZone', type: 'string', description: 'The availability zone of the volume.' },
      { name: 'AvailabilityZoneId', type: 'string | null', description: 'The availability zone ID.' },
      { name: 'CreateTime', type: 'timestamp', description: 'When the volume was created (also TimeCreated).' },
      { name: 'Encrypted', type: 'boolean', description: 'Whether the volume is encrypted.' },
      { name: 'FastRestored', type: 'boolean | null', description: 'Whether it was created from a fast-restore snapshot.' },
      { name: 'Iops', type: 'integer | null', description: 'Provisioned IOPS.' },
      { name: 'KmsKeyId', type: 'string | null', description: 'The KMS key that encrypts the volume; null when unencrypted.' },
      { name: 'MultiAttachEnabled', type: 'boolean | null', description: 'Whether Multi-Attach is enabled.' },
      { name: 'Operator', type: '{Managed, Principal} | null', description: 'The service provider managing the volume, if any.' },
      { name: 'OutpostArn', type: 'string | null', description: 'The Outpost of the volume.' },
      { name: 'OwnerId', type: 'string | null', description: 'The AWS account that owns the volume.' },
      { name: 'Size', type: 'integer', description: 'Size in GiB.' },
      { name: 'SnapshotId', type: 'string | null', description: 'The snapshot the volume was created from.' },
      { name: 'SourceVolumeId', type: 'string | null', description: 'The volume this one was copied from.' },
      { name: 'SseType', type: 'string | null', description: 'Server-side encryption type, when managed by a service.' },
      { name: 'State', type: 'string', description: 'creating, available, in-use, deleting or error (deleted volumes are treated as gone).' },
      { name: 'Throughput', type: 'integer | null', description: 'Throughput in MiB/s (gp3).' },
      { name: 'VolumeArn', type: 'string | null', description: 'The volume ARN, when DescribeVolumes reports it.' },
      { name: 'VolumeId', type: 'string', description: 'The volume ID (vol-...).' },
      { name: 'VolumeInitializationRate', type: 'integer | null', description: 'The volume initialization rate in MiB/s.' },
      { name: 'VolumeType', type: 'string', description: 'gp2, gp3, io1, io2, st1, sc1 or standard.' },
      { name: 'Snapshots', type: 'list<Snapshot> | null', description: 'The volume\'s snapshots owned by the account (DescribeSnapshots fields: SnapshotId, State, StartTime, Encrypted, KmsKeyId, Description, ...; Tags as a map or null), each with CreateVolumePermissions (DescribeSnapshotAttribute: list of {Group, UserId}, null when none; {"Group": "all", "UserId": null} means public); null when the volume has no snapshots.' },
    ],
  };
}

export const EC2_VOLUME: ResourceType<VolumeRef> = makeVolumeType();
