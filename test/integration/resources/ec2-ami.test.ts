import {
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  type DescribeImagesCommandOutput,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGoldenImage } from '../../../src/local/estate/network.ts';
import { EC2_AMI, makeAmiType } from '../../../src/resources/ec2-ami.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-2';
let ctx: ScanContext;
let ec2: EC2Client;
let goldenId: string;
let bareId: string;
let instanceId: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:image/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  // moto runs with MOTO_EC2_LOAD_DEFAULT_AMIS=false: images come from an instance of our own.
  instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }))).Instances![0]!.InstanceId!;
  goldenId = await createGoldenImage(ctx.clients, instanceId);
  bareId = (await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'bare' }))).ImageId!;
});

describe('AWS.EC2.AMI', () => {
  it('lists the images the account owns, with resolvable refs', async () => {
    const page = await EC2_AMI.list(ctx);
    expect(page.nextPageToken).toBeUndefined();
    expect(page.refs.map((r) => r.imageId).sort()).toEqual([goldenId, bareId].sort());
    for (const ref of page.refs) expect(EC2_AMI.resourceId(ctx, ref)).toBe(arn(ref.imageId));
  });

  it('asks for owned images by page and follows NextToken (moto ignores MaxResults: paged here)', async () => {
    const asked: Record<string, unknown>[] = [];
    const paged = intercept(ctx, EC2Client, (cmd, send) => {
      if (!(cmd instanceof DescribeImagesCommand)) return undefined;
      asked.push(cmd.input as Record<string, unknown>);
      if (!cmd.input.MaxResults) return undefined;
      return (async () => {
        const all = (await send(new DescribeImagesCommand({ Owners: ['self'] }))) as DescribeImagesCommandOutput;
        const { page, next } = sliced(all.Images ?? [], cmd.input.MaxResults!, cmd.input.NextToken);
        return { ...all, Images: page, NextToken: next };
      })();
    });
    const type = makeAmiType({ pageSize: 1 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.imageId).sort()).toEqual([goldenId, bareId].sort());
    expect(asked.every((i) => (i.Owners as string[])[0] === 'self' && i.MaxResults === 1 && i.IncludeDisabled === true)).toBe(true);
    // Listed images are described from the page; a second describe asks AWS.
    const calls = asked.length;
    expect((await type.describe(paged, { imageId: goldenId }))?.Name).toBe('golden-2026');
    expect(asked).toHaveLength(calls);
    expect((await type.describe(paged, { imageId: goldenId }))?.Name).toBe('golden-2026');
    expect(asked.slice(calls)).toEqual([{ ImageIds: [goldenId], Owners: ['self'], IncludeDisabled: true }]);
  });

  it('models a tagged public image field by field', async () => {
    const res = (await EC2_AMI.describe(await scanContext(account, REGION), { imageId: goldenId }))!;
    expectDocumentedKeys(res, EC2_AMI.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(goldenId),
      ResourceType: 'AWS.EC2.AMI',
      AccountId: account,
      Region: REGION,
      Arn: arn(goldenId),
      Id: goldenId,
      Name: 'golden-2026',
      Tags: { team: 'platform', Name: 'golden' },
      ImageId: goldenId,
      Description: 'hardened base image',
      OwnerId: account,
      Public: true,
      State: 'available',
      ImageType: 'machine',
      Architecture: 'x86_64',
      SourceInstanceId: instanceId,
      // Unset members are present as null.
      Platform: null,
      KernelId: null,
      ImageOwnerAlias: null,
      DeprecationTime: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(new Date(res.TimeCreated!).getTime()).toBe(new Date(res.CreationDate as string).getTime());
    const [root] = res.BlockDeviceMappings as Record<string, unknown>[];
    expect(root).toEqual({ DeviceName: '/dev/sda1', VirtualName: null, NoDevice: null, Ebs: expect.objectContaining({ SnapshotId: expect.stringMatching(/^snap-/), Encrypted: null, KmsKeyId: null }) });
  });

  it('models a bare private image', async () => {
    const res = (await EC2_AMI.describe(ctx, { imageId: bareId }))!;
    expectDocumentedKeys(res, EC2_AMI.attributes);
    // (moto answers an empty Description where AWS leaves it out.)
    expect(res).toMatchObject({ ResourceId: arn(bareId), Name: 'bare', Tags: null, Public: false, KernelId: null, ProductCodes: [] });
  });

  it('returns null for a deregistered or unknown image', async () => {
    const gone = (await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'gone' }))).ImageId!;
    await ec2.send(new DeregisterImageCommand({ ImageId: gone }));
    expect(await EC2_AMI.describe(ctx, { imageId: gone })).toBeNull();
    expect(await EC2_AMI.describe(ctx, { imageId: 'ami-0123456789abcdef0' })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      EC2_AMI.events[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateImage', { instanceId: 'i-0abc12345678def01', name: 'x' }, { imageId: 'ami-0abc12345678def01' })).toEqual([{ imageId: 'ami-0abc12345678def01' }]);
    expect(refs('CopyImage', { sourceImageId: 'ami-11111111', sourceRegion: 'us-east-1' }, { imageId: 'ami-22222222' })).toEqual([{ imageId: 'ami-22222222' }]);
    expect(EC2_AMI.events.DeregisterImage!.action).toBe('delete');
    expect(refs('DeregisterImage', { imageId: 'ami-33333333' })).toEqual([{ imageId: 'ami-33333333' }]);
    expect(refs('ModifyImageAttribute', { imageId: 'ami-44444444', launchPermission: { add: { items: [{ group: 'all' }] } }, attributeType: 'launchPermission' })).toEqual([
      { imageId: 'ami-44444444' },
    ]);
    expect(refs('EnableImageDeprecation', { EnableImageDeprecationRequest: { ImageId: 'ami-55555555', DeprecateAt: '2027-01-01' } })).toEqual([{ imageId: 'ami-55555555' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'ami-66666666' }, { resourceId: 'i-77777777' }] }, tagSet: { items: [] } })).toEqual([
      { imageId: 'ami-66666666' },
    ]);
    expect(refs('DeleteTags', { resourcesSet: { items: [{ resourceId: 'vol-88888888' }] } })).toEqual([]);
  });
});
