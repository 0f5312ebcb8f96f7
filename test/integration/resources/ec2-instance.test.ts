import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebInstance } from '../../../src/local/estate/network.ts';
import { EC2_INSTANCE, makeInstanceType } from '../../../src/resources/ec2-instance.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ap-southeast-2';
let ctx: ScanContext;
let ec2: EC2Client;
let webId: string;
let bareId: string;
let stoppedId: string;
let vpcId: string;
let subnetId: string;
let sgId: string;
let profileArn: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:instance/${id}`;
const run = async (input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}) =>
  (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ...input }))).Instances![0]!.InstanceId!;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.30.1.0/24' }))).Subnet!.SubnetId!;
  sgId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
  ({ instanceId: webId, profileArn } = await createWebInstance(ctx.clients, { subnetId, securityGroupId: sgId }));
  bareId = await run();
  stoppedId = await run();
  await ec2.send(new StopInstancesCommand({ InstanceIds: [stoppedId] }));
});

describe('AWS.EC2.Instance', () => {
  it('lists live instances (stopped included), following NextToken', async () => {
    const terminated = await run();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));
    const asked: Record<string, unknown>[] = [];
    const spy = intercept(ctx, EC2Client, (cmd) => {
      if (cmd instanceof DescribeInstancesCommand) asked.push(cmd.input as Record<string, unknown>);
      return undefined;
    });
    // moto pages DescribeInstances by reservation: one instance per page here.
    const { refs, pages } = await listAll(makeInstanceType({ pageSize: 5 }), spy);
    expect(refs.map((r) => r.instanceId).sort()).toEqual([webId, bareId, stoppedId].sort());
    expect(asked[0]).toMatchObject({ MaxResults: 5, Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }] });
    expect(pages).toBe(1);
    const one = await listAll(makeInstanceType({ pageSize: 1 }), ctx);
    expect(one.pages).toBe(3);
    expect(one.refs.map((r) => r.instanceId).sort()).toEqual([webId, bareId, stoppedId].sort());
    for (const ref of one.refs) expect(EC2_INSTANCE.resourceId(ctx, ref)).toBe(arn(ref.instanceId));
  });

  it('describes listed instances from the page, others with one call', async () => {
    const calls: unknown[] = [];
    const spy = intercept(ctx, EC2Client, (cmd) => {
      calls.push((cmd as { input: unknown }).input);
      return undefined;
    });
    await EC2_INSTANCE.list(spy);
    expect(calls).toHaveLength(1);
    expect((await EC2_INSTANCE.describe(spy, { instanceId: webId }))?.Id).toBe(webId);
    expect(calls).toHaveLength(1);
    expect((await EC2_INSTANCE.describe(spy, { instanceId: webId }))?.Id).toBe(webId);
    expect(calls.slice(1)).toEqual([{ InstanceIds: [webId] }]);
  });

  it('models a configured instance field by field', async () => {
    const res = (await EC2_INSTANCE.describe(await scanContext(account, REGION), { instanceId: webId }))!;
    expectDocumentedKeys(res, EC2_INSTANCE.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(webId),
      ResourceType: 'AWS.EC2.Instance',
      AccountId: account,
      Region: REGION,
      Arn: arn(webId),
      Id: webId,
      Name: null,
      Tags: { Name: 'web-1', env: 'prod' },
      InstanceId: webId,
      ImageId: 'ami-12345678',
      InstanceType: 't3.micro',
      KeyName: 'ops',
      SubnetId: subnetId,
      VpcId: vpcId,
      State: { Code: 16, Name: 'running' },
      SecurityGroups: [{ GroupId: sgId, GroupName: 'web' }],
      IamInstanceProfile: { Arn: profileArn, Id: expect.any(String) },
      Monitoring: { State: 'enabled' },
      MetadataOptions: expect.objectContaining({ HttpTokens: 'required', HttpEndpoint: 'enabled' }),
      Platform: null,
      SpotInstanceRequestId: null,
      InstanceLifecycle: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.LaunchTime).toBe(res.TimeCreated);
    expect(res.Placement).toMatchObject({ AvailabilityZone: expect.stringMatching(new RegExp(`^${REGION}`)), Tenancy: 'default', HostId: null });
    const [eni] = res.NetworkInterfaces as Record<string, unknown>[];
    expect(eni).toMatchObject({ SubnetId: subnetId, VpcId: vpcId, Groups: [{ GroupId: sgId, GroupName: 'web' }], Ipv6Addresses: [] });
    expect(eni).toHaveProperty('Association');
    const [root] = res.BlockDeviceMappings as Record<string, unknown>[];
    expect(root).toMatchObject({ DeviceName: '/dev/sda1', Ebs: expect.objectContaining({ VolumeId: expect.stringMatching(/^vol-/), DeleteOnTermination: true }) });
  });

  it('models a bare and a stopped instance', async () => {
    const bare = (await EC2_INSTANCE.describe(ctx, { instanceId: bareId }))!;
    expectDocumentedKeys(bare, EC2_INSTANCE.attributes);
    expect(bare).toMatchObject({ Id: bareId, Tags: null, KeyName: null, IamInstanceProfile: null, Monitoring: { State: 'disabled' } });
    const stopped = (await EC2_INSTANCE.describe(ctx, { instanceId: stoppedId }))!;
    expect(stopped.State).toEqual({ Code: 80, Name: 'stopped' });
  });

  it('treats terminated and unknown instances as gone', async () => {
    const gone = await run();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    // Still visible to DescribeInstances, as on AWS for about an hour.
    const raw = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [gone] }));
    expect(raw.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
    expect(await EC2_INSTANCE.describe(ctx, { instanceId: gone })).toBeNull();
    expect(await EC2_INSTANCE.describe(ctx, { instanceId: 'i-0123456789abcdef0' })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const detail = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) => trail('ec2.amazonaws.com', name, req, res);
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) => EC2_INSTANCE.events[name]!.refs!(detail(name, req, res));
    // RunInstances names the instances in its response; it settles first (eventual consistency).
    expect(
      refs(
        'RunInstances',
        { instancesSet: { items: [{ imageId: 'ami-11111111', minCount: 2, maxCount: 2 }] }, instanceType: 't3.micro' },
        { reservationId: 'r-1', instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaaa', imageId: 'ami-11111111' }, { instanceId: 'i-0bbbbbbbbbbbbbbbb' }] } },
      ),
    ).toEqual([{ instanceId: 'i-0aaaaaaaaaaaaaaaa' }, { instanceId: 'i-0bbbbbbbbbbbbbbbb' }]);
    expect(EC2_INSTANCE.events.RunInstances!.settleSeconds).toBeGreaterThan(0);
    // Terminate is a rescan: describe sees the terminated state and the resource is tombstoned.
    expect(EC2_INSTANCE.events.TerminateInstances!.action).toBe('rescan');
    expect(
      refs('TerminateInstances', { instancesSet: { items: [{ instanceId: 'i-0ccccccccccccccc1' }] } }, { instancesSet: { items: [{ instanceId: 'i-0ccccccccccccccc1', currentState: { code: 32, name: 'shutting-down' } }] } }),
    ).toEqual([{ instanceId: 'i-0ccccccccccccccc1' }]);
    expect(refs('ModifyInstanceMetadataOptions', { ModifyInstanceMetadataOptionsRequest: { InstanceId: 'i-0ddddddddddddddd1', HttpTokens: 'required' } })).toEqual([
      { instanceId: 'i-0ddddddddddddddd1' },
    ]);
    expect(
      refs('DisassociateIamInstanceProfile', { DisassociateIamInstanceProfileRequest: { AssociationId: 'iip-assoc-1' } }, {
        DisassociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: { instanceId: 'i-0eeeeeeeeeeeeeee1', state: 'disassociating' } },
      }),
    ).toEqual([{ instanceId: 'i-0eeeeeeeeeeeeeee1' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'i-0fffffffffffffff1' }, { resourceId: 'sg-11111111' }] } })).toEqual([{ instanceId: 'i-0fffffffffffffff1' }]);
    expect(refs('ModifyInstanceAttribute', { instanceId: 'not-an-id' })).toEqual([]);
    expect(EC2_INSTANCE.events.ModifyNetworkInterfaceAttribute!.action).toBe('rescan-region');
  });
});
