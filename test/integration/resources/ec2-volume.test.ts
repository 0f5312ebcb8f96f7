import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  type DescribeVolumesCommandOutput,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDataVolume } from '../../../src/local/estate/network.ts';
import { EC2_VOLUME, makeVolumeType } from '../../../src/resources/ec2-volume.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const other = '210987654321';
const REGION = 'eu-north-1';
const AZ = `${REGION}a`;
let ctx: ScanContext;
let ec2: EC2Client;
let dataId: string;
let bareId: string;
let instanceId: string;
let publicSnap: string;
let sharedSnap: string;
let privateSnap: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:volume/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: AZ } }))).Instances![0]!.InstanceId!;
  ({ volumeId: dataId, publicSnapshotId: publicSnap, sharedSnapshotId: sharedSnap, privateSnapshotId: privateSnap } = await createDataVolume(ctx.clients, {
    instanceId,
    availabilityZone: AZ,
    shareWith: other,
  }));
  bareId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: AZ, Size: 1 }))).VolumeId!;
});

describe('AWS.EC2.Volume', () => {
  it('lists the region\'s volumes, paged, described from the page', async () => {
    const asked: { cmd: string; input: Record<string, unknown> }[] = [];
    // moto ignores MaxResults on DescribeVolumes: the full answer is sliced here.
    const paged = intercept(ctx, EC2Client, (cmd, send) => {
      asked.push({ cmd: cmd.constructor.name, input: cmd.input });
      if (!(cmd instanceof DescribeVolumesCommand) || !cmd.input.MaxResults) return undefined;
      return (async () => {
        const all = (await send(new DescribeVolumesCommand({}))) as DescribeVolumesCommandOutput;
        const { page, next } = sliced(all.Volumes ?? [], cmd.input.MaxResults!, cmd.input.NextToken);
        return { ...all, Volumes: page, NextToken: next };
      })();
    });
    const type = makeVolumeType({ pageSize: 1 });
    const { refs, pages } = await listAll(type, paged);
    const ids = refs.map((r) => r.volumeId);
    // The instance's root volume, the data volume and the bare one.
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(expect.arrayContaining([dataId, bareId]));
    expect(pages).toBe(3);
    for (const ref of refs) expect(EC2_VOLUME.resourceId(ctx, ref)).toBe(arn(ref.volumeId));
    // A listed volume costs DescribeSnapshots (+ one attribute call per snapshot), no DescribeVolumes.
    asked.length = 0;
    await type.describe(paged, { volumeId: bareId });
    expect(asked).toEqual([{ cmd: 'DescribeSnapshotsCommand', input: expect.objectContaining({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [bareId] }] }) }]);
  });

  it('models a volume with its snapshots and their create-volume permissions', async () => {
    const res = (await EC2_VOLUME.describe(ctx, { volumeId: dataId }))!;
    expectDocumentedKeys(res, EC2_VOLUME.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(dataId),
      ResourceType: 'AWS.EC2.Volume',
      AccountId: account,
      Region: REGION,
      Arn: arn(dataId),
      Id: dataId,
      Name: null,
      Tags: { data: 'pii' },
      VolumeId: dataId,
      AvailabilityZone: AZ,
      Size: 50,
      VolumeType: 'gp3',
      Encrypted: true,
      KmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
      State: 'in-use',
      SnapshotId: null,
      OutpostArn: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.Attachments).toEqual([expect.objectContaining({ InstanceId: instanceId, VolumeId: dataId, Device: '/dev/sdf', State: 'attached' })]);
    const snaps = res.Snapshots as Record<string, unknown>[];
    expect(snaps.map((s) => s.SnapshotId)).toEqual([publicSnap, sharedSnap, privateSnap].sort());
    const byId = new Map(snaps.map((s) => [s.SnapshotId, s]));
    expect(byId.get(publicSnap)).toMatchObject({
      VolumeId: dataId,
      Description: 'oops',
      OwnerId: account,
      Encrypted: true,
      State: 'completed',
      Tags: { k: 'v' },
      StartTime: expect.stringMatching(RFC3339),
      OutpostArn: null,
      CreateVolumePermissions: [{ Group: 'all', UserId: null }],
    });
    expect(byId.get(sharedSnap)).toMatchObject({ Tags: null, CreateVolumePermissions: [{ Group: null, UserId: other }] });
    expect(byId.get(privateSnap)).toMatchObject({ CreateVolumePermissions: null });
  });

  it('models a bare volume: no tags, no snapshots', async () => {
    const res = (await EC2_VOLUME.describe(ctx, { volumeId: bareId }))!;
    expectDocumentedKeys(res, EC2_VOLUME.attributes);
    expect(res).toMatchObject({ Id: bareId, Tags: null, Encrypted: false, KmsKeyId: null, Attachments: [], Snapshots: null, State: 'available' });
  });

  it('leaves out a snapshot deleted while it was described', async () => {
    const racing = intercept(ctx, EC2Client, (cmd) =>
      cmd instanceof DescribeSnapshotAttributeCommand && cmd.input.SnapshotId === sharedSnap
        ? Promise.reject(awsError('InvalidSnapshot.NotFound', `The snapshot '${sharedSnap}' does not exist.`))
        : undefined,
    );
    const res = (await EC2_VOLUME.describe(racing, { volumeId: dataId }))!;
    expect((res.Snapshots as { SnapshotId: string }[]).map((s) => s.SnapshotId)).toEqual([publicSnap, privateSnap].sort());
  });

  it('propagates a denied snapshot read instead of reporting no snapshots', async () => {
    const denied = intercept(ctx, EC2Client, (cmd) => (cmd instanceof DescribeSnapshotsCommand ? Promise.reject(awsError('UnauthorizedOperation')) : undefined));
    await expect(EC2_VOLUME.describe(denied, { volumeId: dataId })).rejects.toThrow(/UnauthorizedOperation/);
  });

  it('returns null for a deleted volume', async () => {
    const gone = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: AZ, Size: 1 }))).VolumeId!;
    await ec2.send(new DeleteVolumeCommand({ VolumeId: gone }));
    expect(await EC2_VOLUME.describe(ctx, { volumeId: gone })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      EC2_VOLUME.events[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateVolume', { size: 8, zone: AZ, volumeType: 'gp3' }, { volumeId: 'vol-0aaaaaaaaaaaaaaa1', size: 8, status: 'creating' })).toEqual([
      { volumeId: 'vol-0aaaaaaaaaaaaaaa1' },
    ]);
    expect(EC2_VOLUME.events.DeleteVolume!.action).toBe('delete');
    expect(refs('DeleteVolume', { volumeId: 'vol-11111111' })).toEqual([{ volumeId: 'vol-11111111' }]);
    expect(refs('ModifyVolume', { ModifyVolumeRequest: { VolumeId: 'vol-22222222', Size: 100 } })).toEqual([{ volumeId: 'vol-22222222' }]);
    expect(refs('CreateSnapshot', { volumeId: 'vol-33333333' }, { snapshotId: 'snap-44444444', volumeId: 'vol-33333333' })).toEqual([{ volumeId: 'vol-33333333' }]);
    expect(refs('DetachVolume', { volumeId: 'vol-55555555' }, { volumeId: 'vol-55555555', instanceId: 'i-66666666' })).toEqual([{ volumeId: 'vol-55555555' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'vol-77777777' }, { resourceId: 'snap-88888888' }] } })).toEqual([{ volumeId: 'vol-77777777' }]);
    // Snapshot permission changes name the snapshot only: the region's volumes are rescanned.
    expect(EC2_VOLUME.events.ModifySnapshotAttribute!.action).toBe('rescan-region');
    expect(EC2_VOLUME.events.DeleteSnapshot!.action).toBe('rescan-region');
  });
});
