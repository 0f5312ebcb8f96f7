import { AutoScalingClient, CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_USER_DATA, createScalingGroups, createWebLaunchTemplates } from '../../../src/local/estate/coverage-infra.ts';
import { AUTOSCALING_GROUP, makeAutoScalingGroupType, type AutoScalingGroupRef } from '../../../src/resources/autoscaling-group.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
let subnets: [string, string];
let templateId: string;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!.VpcId!;
  subnets = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.2.0/24', AvailabilityZone: `${REGION}b` }))).Subnet!.SubnetId!,
  ];
  templateId = (await createWebLaunchTemplates(ctx.clients, subnets[0])).good;
  await createScalingGroups(ctx.clients, { subnets, launchTemplateId: templateId });
  await ctx.clients.get(AutoScalingClient).send(
    new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'third', LaunchTemplate: { LaunchTemplateId: templateId }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: subnets[1] }),
  );
});

describe('AWS.AutoScaling.Group', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeAutoScalingGroupType({ pageSize: 2 });
    const seen: AutoScalingGroupRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.name).sort()).toEqual(['batch', 'third', 'web']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toMatch(new RegExp(`^arn:aws:autoscaling:${REGION}:${account}:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName/${ref.name}$`));
  });

  it('models a group on a launch template', async () => {
    const res = (await AUTOSCALING_GROUP.describe(await scanContext(account, REGION), { name: 'web' }))!;
    expect(typeKeys(res)).toEqual(AUTOSCALING_GROUP.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceType: 'AWS.AutoScaling.Group',
      AccountId: account,
      Region: REGION,
      Name: 'web',
      Tags: { team: 'web' },
      AutoScalingGroupName: 'web',
      LaunchTemplate: expect.objectContaining({ LaunchTemplateId: templateId }),
      LaunchConfigurationName: null,
      LaunchConfiguration: null,
      HealthCheckType: 'ELB',
      MinSize: 0,
      MaxSize: 4,
    });
    expect((res.AvailabilityZones as string[]).sort()).toEqual([`${REGION}a`, `${REGION}b`]);
    expect(res.ResourceId).toBe(res.AutoScalingGroupARN);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(AUTOSCALING_GROUP.volatileAttributes).toEqual(['DesiredCapacity', 'Instances']);
  });

  it('models a group on a launch configuration, its user data redacted', async () => {
    const type = getResourceType('AWS.AutoScaling.Group');
    const res = (await type.describe(ctx, { name: 'batch' }))!;
    expect(res).toMatchObject({
      Tags: null,
      LaunchConfigurationName: 'batch',
      LaunchConfiguration: expect.objectContaining({ LaunchConfigurationName: 'batch', AssociatePublicIpAddress: true, MetadataOptions: expect.objectContaining({ HttpTokens: 'optional' }), UserData: REDACTED }),
      HealthCheckType: 'EC2',
      AvailabilityZones: [`${REGION}a`],
    });
    expect(JSON.stringify(res)).not.toContain(BOOTSTRAP_USER_DATA);
  });

  it('returns null for a deleted group and lets errors propagate', async () => {
    const asg = ctx.clients.get(AutoScalingClient);
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'gone', LaunchTemplate: { LaunchTemplateId: templateId }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: subnets[0] }));
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'gone', ForceDelete: true }));
    expect(await AUTOSCALING_GROUP.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, AutoScalingClient, () => Promise.reject(awsError('Throttling', 'Rate exceeded')));
    await expect(AUTOSCALING_GROUP.describe(throttled, { name: 'web' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs (without a ResourceId: the ARN carries a UUID)', () => {
    const ev = AUTOSCALING_GROUP.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('autoscaling.amazonaws.com', name, req));
    expect(refs('CreateAutoScalingGroup', { autoScalingGroupName: 'g1', minSize: 0, maxSize: 1 })).toEqual([{ name: 'g1' }]);
    expect(refs('UpdateAutoScalingGroup', { autoScalingGroupName: `arn:aws:autoscaling:${REGION}:${account}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-123456789012:autoScalingGroupName/g2` })).toEqual([{ name: 'g2' }]);
    expect(refs('CreateOrUpdateTags', { tags: [{ resourceId: 'g3', resourceType: 'auto-scaling-group', key: 'k', value: 'v', propagateAtLaunch: false }] })).toEqual([{ name: 'g3' }]);
    expect(ev.DeleteAutoScalingGroup!.action).toBe('delete');
    expect(AUTOSCALING_GROUP.resourceId(ctx, { name: 'g1' })).toBeUndefined();
  });
});
