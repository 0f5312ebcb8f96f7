import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetworkLoadBalancers } from '../../../src/local/estate/coverage-infra.ts';
import { ELBV2_NETWORK_LOAD_BALANCER, makeNetworkLoadBalancerType, type NetworkLoadBalancerRef } from '../../../src/resources/elbv2-network-load-balancer.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'us-east-1';
let ctx: ScanContext;
let arns: { good: string; bad: string };
let subnets: [string, string];

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))).Vpc!.VpcId!;
  subnets = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.2.0/24', AvailabilityZone: `${REGION}b` }))).Subnet!.SubnetId!,
  ];
  const certificateArn = (await ctx.clients.get(ACMClient).send(new RequestCertificateCommand({ DomainName: 'nlb.example.com' }))).CertificateArn!;
  arns = await createNetworkLoadBalancers(ctx.clients, { vpcId, subnets, certificateArn });
  const elb = ctx.clients.get(ElasticLoadBalancingV2Client);
  await elb.send(new CreateLoadBalancerCommand({ Name: 'third-nlb', Type: 'network', Subnets: [subnets[1]] }));
  // An application load balancer is another type's.
  await elb.send(new CreateLoadBalancerCommand({ Name: 'an-alb', Type: 'application', Subnets: subnets }));
});

describe('AWS.ELBV2.NetworkLoadBalancer', () => {
  it('lists network load balancers only, across pages, with resolvable refs', async () => {
    const type = makeNetworkLoadBalancerType({ pageSize: 2 });
    const seen: NetworkLoadBalancerRef[] = [];
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
    expect(seen).toHaveLength(3);
    expect(seen.map((r) => r.arn)).toEqual(expect.arrayContaining([arns.good, arns.bad]));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(ref.arn);
  });

  it('models a configured network load balancer with listeners and attributes', async () => {
    const res = (await ELBV2_NETWORK_LOAD_BALANCER.describe(await scanContext(account, REGION), { arn: arns.good }))!;
    expect(typeKeys(res)).toEqual(ELBV2_NETWORK_LOAD_BALANCER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arns.good,
      ResourceType: 'AWS.ELBV2.NetworkLoadBalancer',
      AccountId: account,
      Region: REGION,
      Arn: arns.good,
      Name: 'shop-nlb',
      Tags: { team: 'shop' },
      Type: 'network',
      Scheme: 'internal',
      Listeners: [expect.objectContaining({ Protocol: 'TLS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' })],
    });
    const attrs = Object.fromEntries((res.Attributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]));
    expect(attrs).toMatchObject({ 'deletion_protection.enabled': 'true', 'load_balancing.cross_zone.enabled': 'true' });
    expect(res.AvailabilityZones).toHaveLength(2);
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('models a bare one, and not an application load balancer', async () => {
    const res = (await ELBV2_NETWORK_LOAD_BALANCER.describe(ctx, { arn: arns.bad }))!;
    expect(res).toMatchObject({ Tags: null, Listeners: [expect.objectContaining({ Protocol: 'TCP', Port: 22 })] });
    expect(Object.fromEntries((res.Attributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]))['deletion_protection.enabled']).toBe('false');
    const alb = (await ctx.clients.get(ElasticLoadBalancingV2Client).send(new CreateLoadBalancerCommand({ Name: 'alb-2', Type: 'application', Subnets: subnets }))).LoadBalancers![0]!.LoadBalancerArn!;
    expect(await ELBV2_NETWORK_LOAD_BALANCER.describe(ctx, { arn: alb })).toBeNull();
  });

  it('returns null for a deleted load balancer and lets other errors propagate', async () => {
    const elb = ctx.clients.get(ElasticLoadBalancingV2Client);
    const gone = (await elb.send(new CreateLoadBalancerCommand({ Name: 'gone', Type: 'network', Subnets: [subnets[0]] }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: gone }));
    expect(await ELBV2_NETWORK_LOAD_BALANCER.describe(ctx, { arn: gone })).toBeNull();
    const between = intercept(ctx, ElasticLoadBalancingV2Client, (cmd) =>
      cmd.constructor.name === 'DescribeListenersCommand' ? Promise.reject(awsError('LoadBalancerNotFoundException', 'gone')) : undefined,
    );
    expect(await ELBV2_NETWORK_LOAD_BALANCER.describe(between, { arn: arns.bad })).toBeNull();
    const throttled = intercept(ctx, ElasticLoadBalancingV2Client, (cmd) =>
      cmd.constructor.name === 'DescribeLoadBalancerAttributesCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(ELBV2_NETWORK_LOAD_BALANCER.describe(throttled, { arn: arns.bad })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to network load balancer refs only', () => {
    const ev = ELBV2_NETWORK_LOAD_BALANCER.events;
    const nlb = `arn:aws:elasticloadbalancing:${REGION}:${account}:loadbalancer/net/n1/0123456789abcdef`;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('elasticloadbalancing.amazonaws.com', name, req, res));
    expect(refs('CreateLoadBalancer', { name: 'n1', type: 'network' }, { loadBalancers: [{ loadBalancerArn: nlb }] })).toEqual([{ arn: nlb }]);
    expect(refs('ModifyLoadBalancerAttributes', { loadBalancerArn: nlb, attributes: [{ key: 'deletion_protection.enabled', value: 'true' }] })).toEqual([{ arn: nlb }]);
    expect(refs('ModifyListener', { listenerArn: `arn:aws:elasticloadbalancing:${REGION}:${account}:listener/net/n1/0123456789abcdef/fedcba9876543210` })).toEqual([{ arn: nlb }]);
    expect(refs('AddTags', { resourceArns: [`arn:aws:elasticloadbalancing:${REGION}:${account}:loadbalancer/app/a1/0123456789abcdef`] })).toEqual([]);
    expect(refs('ModifyLoadBalancerAttributes', { loadBalancerName: 'classic' })).toEqual([]);
    expect(ev.DeleteLoadBalancer!.action).toBe('delete');
  });
});
