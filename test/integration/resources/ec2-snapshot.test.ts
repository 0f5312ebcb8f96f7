import { CreateSnapshotCommand, CreateVolumeCommand, DeleteSnapshotCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVolumeSnapshots } from '../../../src/local/estate/coverage-infra.ts';
import { EC2_SNAPSHOT, makeEc2SnapshotType, type SnapshotRef } from '../../../src/resources/ec2-snapshot.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
let ids: { good: string; bad: string };

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:snapshot/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ids = await createVolumeSnapshots(ctx.clients, `${REGION}a`);
  const ec2 = ctx.clients.get(EC2Client);
  const vol = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }))).VolumeId!;
  for (let i = 0; i < 4; i++) await ec2.send(new CreateSnapshotCommand({ VolumeId: vol }));
});

describe('AWS.EC2.Snapshot', () => {
  it('lists the account\'s own snapshots across pages with resolvable refs', async () => {
    const type = makeEc2SnapshotType({ pageSize: 5 });
    // moto answers DescribeSnapshots in one page: paged here as EC2 pages it.
    const paged = pagedBy(ctx, EC2Client, { command: 'DescribeSnapshotsCommand', items: 'Snapshots', size: 'MaxResults', tokenIn: 'NextToken' });
    const seen: SnapshotRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(5);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(seen.map((r) => r.snapshotId)).toEqual(expect.arrayContaining([ids.good, ids.bad]));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.snapshotId));
  });

  it('models a private snapshot', async () => {
    const res = (await EC2_SNAPSHOT.describe(await scanContext(account, REGION), { snapshotId: ids.good }))!;
    expect(typeKeys(res)).toEqual(EC2_SNAPSHOT.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn(ids.good),
      ResourceType: 'AWS.EC2.Snapshot',
      AccountId: account,
      Region: REGION,
      Id: ids.good,
      Name: 'nightly',
      Tags: { Name: 'nightly' },
      SnapshotId: ids.good,
      OwnerId: account,
      Encrypted: true,
      VolumeSize: 8,
      Description: 'nightly',
      CreateVolumePermissions: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.StartTime);
  });

  it('models a public snapshot', async () => {
    const res = (await EC2_SNAPSHOT.describe(ctx, { snapshotId: ids.bad }))!;
    expect(res).toMatchObject({ Name: null, Tags: null, CreateVolumePermissions: [{ Group: 'all', UserId: null }] });
  });

  it('returns null for a deleted snapshot and lets other errors propagate', async () => {
    const ec2 = ctx.clients.get(EC2Client);
    const vol = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }))).VolumeId!;
    const gone = (await ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: gone }));
    expect(await EC2_SNAPSHOT.describe(ctx, { snapshotId: gone })).toBeNull();
    const between = intercept(ctx, EC2Client, (cmd) =>
      cmd.constructor.name === 'DescribeSnapshotAttributeCommand' ? Promise.reject(awsError('InvalidSnapshot.NotFound', 'gone')) : undefined,
    );
    expect(await EC2_SNAPSHOT.describe(between, { snapshotId: ids.good })).toBeNull();
    const denied = intercept(ctx, EC2Client, (cmd) =>
      cmd.constructor.name === 'DescribeSnapshotAttributeCommand' ? Promise.reject(awsError('UnauthorizedOperation', 'denied')) : undefined,
    );
    await expect(EC2_SNAPSHOT.describe(denied, { snapshotId: ids.good })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = EC2_SNAPSHOT.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateSnapshot', { volumeId: 'vol-0123456789abcdef0' }, { snapshotId: 'snap-0123456789abcdef0', volumeId: 'vol-0123456789abcdef0' })).toEqual([{ snapshotId: 'snap-0123456789abcdef0' }]);
    expect(refs('CreateSnapshots', { instanceSpecification: { instanceId: 'i-0123456789abcdef0' } }, { snapshotSet: { items: [{ snapshotId: 'snap-0aaaaaaaaaaaaaaa1' }, { snapshotId: 'snap-0aaaaaaaaaaaaaaa2' }] } })).toEqual([
      { snapshotId: 'snap-0aaaaaaaaaaaaaaa1' },
      { snapshotId: 'snap-0aaaaaaaaaaaaaaa2' },
    ]);
    expect(refs('ModifySnapshotAttribute', { snapshotId: 'snap-0123456789abcdef1', createVolumePermission: { add: { items: [{ groups: 'all' }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' })).toEqual([{ snapshotId: 'snap-0123456789abcdef1' }]);
    expect(refs('CopySnapshot', { sourceSnapshotId: 'snap-0123456789abcdef2', sourceRegion: 'us-east-1' }, { snapshotId: 'snap-0123456789abcdef3' })).toEqual([{ snapshotId: 'snap-0123456789abcdef3' }]);
    expect(ev.DeleteSnapshot!.action).toBe('delete');
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'snap-0123456789abcdef4' }, { resourceId: 'vol-0123456789abcdef4' }] }, tagSet: { items: [] } })).toEqual([{ snapshotId: 'snap-0123456789abcdef4' }]);
  });
});
