import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssociateWebACLCommand, CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALB_SSL_POLICY, createWebLoadBalancer } from '../../../src/local/estate/network.ts';
import { ELBV2_APPLICATION_LOAD_BALANCER, loadBalancerArns, makeApplicationLoadBalancerType } from '../../../src/resources/elbv2-application-load-balancer.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
const POLICY = ALB_SSL_POLICY;
let ctx: ScanContext;
let elb: ElasticLoadBalancingV2Client;
let webArn: string;
let bareArn: string;
let nlbArn: string;
let vpcId: string;
let sgId: string;
let subnets: string[];
let certArn: string;
let aclArn: string;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  elb = ctx.clients.get(ElasticLoadBalancingV2Client);
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.80.0.0/16' }))).Vpc!.VpcId!;
  subnets = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.80.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.80.2.0/24', AvailabilityZone: `${REGION}b` }))).Subnet!.SubnetId!,
  ];
  sgId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: vpcId }))).GroupId!;
  certArn = (await ctx.clients.get(ACMClient).send(new RequestCertificateCommand({ DomainName: 'shop.example.com' }))).CertificateArn!;
  webArn = await createWebLoadBalancer(ctx.clients, { subnets, securityGroupId: sgId, certificateArn: certArn });
  const waf = ctx.clients.get(WAFV2Client);
  aclArn = (
    await waf.send(
      new CreateWebACLCommand({
        Name: 'edge',
        Scope: 'REGIONAL',
        DefaultAction: { Block: {} },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'edge' },
      }),
    )
  ).Summary!.ARN!;
  await waf.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: webArn }));
  bareArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bare', Subnets: subnets, Scheme: 'internal' }))).LoadBalancers![0]!.LoadBalancerArn!;
  nlbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'tcp', Subnets: subnets, Type: 'network' }))).LoadBalancers![0]!.LoadBalancerArn!;
});

describe('AWS.ELBV2.ApplicationLoadBalancer', () => {
  it('lists application load balancers only, page by page, with one DescribeTags per page', async () => {
    const asked: string[] = [];
    const spy = intercept(ctx, ElasticLoadBalancingV2Client, (cmd) => {
      asked.push(cmd.constructor.name);
      return undefined;
    });
    // moto pages DescribeLoadBalancers by PageSize.
    const { refs, pages } = await listAll(makeApplicationLoadBalancerType({ pageSize: 2 }), spy);
    expect(refs.map((r) => r.arn).sort()).toEqual([webArn, bareArn].sort());
    expect(refs.map((r) => r.arn)).not.toContain(nlbArn);
    expect(pages).toBe(2);
    expect(asked.filter((c) => c === 'DescribeLoadBalancersCommand')).toHaveLength(2);
    expect(asked.filter((c) => c === 'DescribeTagsCommand').length).toBeLessThanOrEqual(2);
    for (const ref of refs) expect(ELBV2_APPLICATION_LOAD_BALANCER.resourceId(ctx, ref)).toBe(ref.arn);
  });

  it('models a load balancer with TLS and HTTP listeners and a web ACL, field by field', async () => {
    const asked: string[] = [];
    const spy = intercept(ctx, ElasticLoadBalancingV2Client, (cmd) => {
      asked.push(cmd.constructor.name);
      return undefined;
    });
    const type = makeApplicationLoadBalancerType();
    await type.list(spy);
    const res = (await type.describe(spy, { arn: webArn }))!;
    expectDocumentedKeys(res, type.attributes);
    expect(res).toMatchObject({
      ResourceId: webArn,
      ResourceType: 'AWS.ELBV2.ApplicationLoadBalancer',
      AccountId: account,
      Region: REGION,
      Arn: webArn,
      Id: null,
      Name: 'web',
      Tags: { env: 'prod' },
      LoadBalancerArn: webArn,
      LoadBalancerName: 'web',
      Type: 'application',
      Scheme: 'internet-facing',
      VpcId: vpcId,
      SecurityGroups: [sgId],
      IpAddressType: 'ipv4',
      DNSName: expect.stringContaining('elb.amazonaws.com'),
      State: { Code: expect.any(String), Reason: null },
      CustomerOwnedIpv4Pool: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect((res.AvailabilityZones as { SubnetId: string }[]).map((z) => z.SubnetId).sort()).toEqual([...subnets].sort());
    const listeners = res.Listeners as Record<string, unknown>[];
    expect(listeners.map((l) => l.Port)).toEqual([80, 443]);
    expect(listeners[1]).toMatchObject({ Protocol: 'HTTPS', SslPolicy: POLICY, Certificates: [{ CertificateArn: certArn, IsDefault: null }], LoadBalancerArn: webArn, MutualAuthentication: null });
    // (moto names an SSL policy on the HTTP listener too; only HTTPS listeners' policies count.)
    expect(listeners[0]).toMatchObject({ Protocol: 'HTTP', Certificates: null, DefaultActions: [expect.objectContaining({ Type: 'redirect', RedirectConfig: expect.objectContaining({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) })] });
    expect(Object.keys(res.SSLPolicies as object)).toEqual([POLICY]);
    expect((res.SSLPolicies as Record<string, Record<string, unknown>>)[POLICY]).toMatchObject({
      Name: POLICY,
      SslProtocols: expect.arrayContaining(['TLSv1.2', 'TLSv1.3']),
      Ciphers: expect.arrayContaining([{ Name: 'TLS_AES_128_GCM_SHA256', Priority: 1 }]),
    });
    expect(res.WebAcl).toMatchObject({ ARN: aclArn, Name: 'edge', DefaultAction: { Allow: null, Block: { CustomResponse: null } }, Rules: [] });
    // Listed with its tags: describing it asks only for listeners (SSL policies once per scope).
    expect(asked.filter((c) => c === 'DescribeTagsCommand')).toHaveLength(1);
    await type.describe(spy, { arn: webArn });
    expect(asked.filter((c) => c === 'DescribeSSLPoliciesCommand')).toHaveLength(1);
    expect(asked.filter((c) => c === 'DescribeTagsCommand')).toHaveLength(2);
  });

  it('models a bare internal load balancer: no listeners, policies, web ACL or tags', async () => {
    const res = (await ELBV2_APPLICATION_LOAD_BALANCER.describe(ctx, { arn: bareArn }))!;
    expectDocumentedKeys(res, ELBV2_APPLICATION_LOAD_BALANCER.attributes);
    expect(res).toMatchObject({ Name: 'bare', Scheme: 'internal', Tags: null, Listeners: null, SSLPolicies: null, WebAcl: null });
  });

  it('does not model a network load balancer', async () => {
    expect(await ELBV2_APPLICATION_LOAD_BALANCER.describe(ctx, { arn: nlbArn })).toBeNull();
  });

  it('returns null for a deleted load balancer, also when deleted after listing', async () => {
    const gone = (await elb.send(new CreateLoadBalancerCommand({ Name: 'gone', Subnets: subnets }))).LoadBalancers![0]!.LoadBalancerArn!;
    const scope = await scanContext(account, REGION);
    const listed = await ELBV2_APPLICATION_LOAD_BALANCER.list(scope);
    expect(listed.refs.map((r) => r.arn)).toContain(gone);
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: gone }));
    expect(await ELBV2_APPLICATION_LOAD_BALANCER.describe(scope, { arn: gone })).toBeNull();
    expect(await ELBV2_APPLICATION_LOAD_BALANCER.describe(ctx, { arn: gone })).toBeNull();
  });

  it('propagates a denied read', async () => {
    const denied = intercept(ctx, ElasticLoadBalancingV2Client, (cmd) =>
      cmd instanceof DescribeTagsCommand || cmd instanceof DescribeSSLPoliciesCommand
        ? Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDenied', $fault: 'client', $metadata: {} }))
        : undefined,
    );
    await expect(ELBV2_APPLICATION_LOAD_BALANCER.describe(denied, { arn: webArn })).rejects.toThrow(/denied/);
  });

  it('maps CloudTrail events to refs', () => {
    const lb = `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/app/web/50dc6c495c0c9188`;
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      ELBV2_APPLICATION_LOAD_BALANCER.events[name]!.refs!(trail('elasticloadbalancing.amazonaws.com', name, req, res));
    expect(refs('CreateLoadBalancer', { name: 'web', subnets: ['subnet-1'] }, { loadBalancers: [{ loadBalancerArn: lb, type: 'application', loadBalancerName: 'web' }] })).toEqual([{ arn: lb }]);
    expect(ELBV2_APPLICATION_LOAD_BALANCER.events.DeleteLoadBalancer!.action).toBe('delete');
    expect(refs('DeleteLoadBalancer', { loadBalancerArn: lb })).toEqual([{ arn: lb }]);
    // A listener ARN names its load balancer.
    expect(refs('DeleteListener', { listenerArn: `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` })).toEqual([{ arn: lb }]);
    expect(refs('ModifyListener', { listenerArn: `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`, sslPolicy: POLICY })).toEqual([{ arn: lb }]);
    // Network load balancers and target groups are not this type's.
    const nlb = `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/net/tcp/60dc6c495c0c9188`;
    const tg = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/app/73e2d6bc24d8a067`;
    expect(refs('AddTags', { resourceArns: [lb, nlb, tg], tags: [{ key: 'a', value: 'b' }] })).toEqual([{ arn: lb }]);
    expect(refs('SetSecurityGroups', { loadBalancerArn: nlb, securityGroups: ['sg-1'] })).toEqual([]);
    expect(loadBalancerArns(trail('elasticloadbalancing.amazonaws.com', 'CreateRule', { listenerArn: 'not-an-arn' }))).toEqual([]);
  });
});
