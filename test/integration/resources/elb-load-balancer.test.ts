import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassicLoadBalancers } from '../../../src/local/estate/coverage-infra.ts';
import { ELB_LOAD_BALANCER, makeClassicLoadBalancerType, type ClassicLoadBalancerRef } from '../../../src/resources/elb-load-balancer.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'us-east-1';
let ctx: ScanContext;
let certificateArn: string;

const arn = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${account}:loadbalancer/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  certificateArn = (await ctx.clients.get(ACMClient).send(new RequestCertificateCommand({ DomainName: 'shop.example.com' }))).CertificateArn!;
  const logBucket = `elb-logs-${account}`;
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: logBucket }));
  await createClassicLoadBalancers(ctx.clients, { zones: [`${REGION}a`, `${REGION}b`], certificateArn, logBucket });
  await ctx.clients.get(ElasticLoadBalancingClient).send(
    new CreateLoadBalancerCommand({ LoadBalancerName: 'third', AvailabilityZones: [`${REGION}a`], Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 22, InstancePort: 22 }] }),
  );
});

describe('AWS.ELB.LoadBalancer', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeClassicLoadBalancerType({ pageSize: 2 });
    const seen: ClassicLoadBalancerRef[] = [];
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
    expect(seen.map((r) => r.name).sort()).toEqual(['legacy-classic', 'shop-classic', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a configured classic load balancer with its attributes and policies', async () => {
    const res = (await ELB_LOAD_BALANCER.describe(await scanContext(account, REGION), { name: 'shop-classic' }))!;
    expect(typeKeys(res)).toEqual(ELB_LOAD_BALANCER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('shop-classic'),
      ResourceType: 'AWS.ELB.LoadBalancer',
      AccountId: account,
      Region: REGION,
      Name: 'shop-classic',
      Tags: { team: 'shop' },
      LoadBalancerName: 'shop-classic',
      ListenerDescriptions: [{ Listener: expect.objectContaining({ Protocol: 'HTTPS', LoadBalancerPort: 443, SSLCertificateId: certificateArn }), PolicyNames: ['tls12'] }],
      Attributes: expect.objectContaining({
        CrossZoneLoadBalancing: { Enabled: true },
        AccessLog: expect.objectContaining({ Enabled: true, S3BucketPrefix: 'elb' }),
        ConnectionDraining: { Enabled: true, Timeout: 300 },
      }),
      PolicyDescriptions: [
        expect.objectContaining({ PolicyName: 'tls12', PolicyTypeName: 'SSLNegotiationPolicyType', PolicyAttributeDescriptions: [{ AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01' }] }),
      ],
    });
    expect((res.AvailabilityZones as string[]).sort()).toEqual([`${REGION}a`, `${REGION}b`]);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(ELB_LOAD_BALANCER.volatileAttributes).toEqual(['Instances']);
  });

  it('models a plain-HTTP load balancer with defaults', async () => {
    const res = (await ELB_LOAD_BALANCER.describe(ctx, { name: 'legacy-classic' }))!;
    expect(res).toMatchObject({
      Tags: null,
      PolicyDescriptions: null,
      ListenerDescriptions: [{ Listener: expect.objectContaining({ Protocol: 'HTTP', SSLCertificateId: null }), PolicyNames: [] }],
      Attributes: expect.objectContaining({ CrossZoneLoadBalancing: { Enabled: false }, AccessLog: expect.objectContaining({ Enabled: false }) }),
    });
  });

  it('returns null for a deleted load balancer and lets other errors propagate', async () => {
    const elb = ctx.clients.get(ElasticLoadBalancingClient);
    await elb.send(new CreateLoadBalancerCommand({ LoadBalancerName: 'gone', AvailabilityZones: [`${REGION}a`], Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }] }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: 'gone' }));
    expect(await ELB_LOAD_BALANCER.describe(ctx, { name: 'gone' })).toBeNull();
    const between = intercept(ctx, ElasticLoadBalancingClient, (cmd) =>
      cmd.constructor.name === 'DescribeLoadBalancerPoliciesCommand' ? Promise.reject(awsError('LoadBalancerNotFound', 'gone')) : undefined,
    );
    expect(await ELB_LOAD_BALANCER.describe(between, { name: 'third' })).toBeNull();
    const throttled = intercept(ctx, ElasticLoadBalancingClient, (cmd) =>
      cmd.constructor.name === 'DescribeLoadBalancerAttributesCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(ELB_LOAD_BALANCER.describe(throttled, { name: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps classic CloudTrail events to refs, and ELBv2 ones to none', () => {
    const ev = ELB_LOAD_BALANCER.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('elasticloadbalancing.amazonaws.com', name, req));
    expect(refs('CreateLoadBalancer', { loadBalancerName: 'lb1', listeners: [] })).toEqual([{ name: 'lb1' }]);
    expect(refs('ModifyLoadBalancerAttributes', { loadBalancerName: 'lb2', loadBalancerAttributes: { crossZoneLoadBalancing: { enabled: true } } })).toEqual([{ name: 'lb2' }]);
    expect(refs('AddTags', { loadBalancerNames: ['lb3', 'lb4'], tags: [] })).toEqual([{ name: 'lb3' }, { name: 'lb4' }]);
    // ELBv2 calls of the same names.
    expect(refs('CreateLoadBalancer', { name: 'alb', subnets: [], type: 'application' })).toEqual([]);
    expect(refs('AddTags', { resourceArns: ['arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/1'], tags: [] })).toEqual([]);
    expect(ev.DeleteLoadBalancer!.action).toBe('delete');
  });
});
