/**
 * AWS.ELB.LoadBalancer — regional: Classic Load Balancers (the `elasticloadbalancing` 2012-06-01
 * API). `list` keeps each DescribeLoadBalancers page's load balancers with their tags
 * (DescribeTags, 20 names a call) for `describe`, which adds the attributes (cross-zone, access
 * logs, connection draining, desync mitigation) and the policies created for the load balancer
 * (its SSL negotiation policies name the predefined security policy they follow).
 */
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  LoadBalancerAttributes$,
  LoadBalancerDescription$,
  PolicyDescription$,
  type LoadBalancerDescription,
  type Tag,
} from '@aws-sdk/client-elastic-load-balancing';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { awsFields, sortedBy } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { distinct, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface ClassicLoadBalancerRef {
  name: string;
}

export const ELB_LOAD_BALANCER_TYPE = 'AWS.ELB.LoadBalancer';

interface Listed {
  lb: LoadBalancerDescription;
  tags: Tag[] | undefined;
}

const NOT_FOUND = ['LoadBalancerNotFound', 'AccessPointNotFound'];
const TAGS_PER_CALL = 20;
const cacheKey = (region: string, name: string) => `elb:classic:${region}:${name}`;

export function classicLoadBalancerArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:elasticloadbalancing:${target.region}:${target.accountId}:loadbalancer/${name}`;
}

async function tagsOf(elb: ElasticLoadBalancingClient, names: readonly string[]): Promise<Map<string, Tag[] | undefined>> {
  const out = new Map<string, Tag[] | undefined>();
  for (let i = 0; i < names.length; i += TAGS_PER_CALL) {
    const r = await elb.send(new DescribeTagsCommand({ LoadBalancerNames: names.slice(i, i + TAGS_PER_CALL) }));
    for (const d of r.TagDescriptions ?? []) if (d.LoadBalancerName) out.set(d.LoadBalancerName, d.Tags);
  }
  return out;
}

async function model(ctx: ScanContext, { lb, tags }: Listed): Promise<Resource | null> {
  const elb = ctx.clients.get(ElasticLoadBalancingClient, ctx.region);
  const LoadBalancerName = lb.LoadBalancerName!;
  let attributes, policies;
  try {
    [attributes, policies] = await Promise.all([
      elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName })),
      elb.send(new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName })),
    ]);
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, ...NOT_FOUND)) return null;
    throw e;
  }
  const arn = classicLoadBalancerArn(ctx, LoadBalancerName);
  return {
    ResourceId: arn,
    ResourceType: ELB_LOAD_BALANCER_TYPE,
    TimeCreated: iso(lb.CreatedTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: LoadBalancerName,
    Tags: tagMap(tags),
    ...awsFields(LoadBalancerDescription$, lb),
    Attributes: shape(LoadBalancerAttributes$, attributes.LoadBalancerAttributes),
    PolicyDescriptions: shapeList(PolicyDescription$, sortedBy(policies.PolicyDescriptions ?? [], (p) => p.PolicyName)),
  };
}

/** The classic load balancers an event names: request `loadBalancerName` or
 *  `loadBalancerNames[]` (tag calls). ELBv2 calls name load balancers by ARN and match none. */
export function classicLoadBalancerRefsOf(d: CloudTrailDetail): ClassicLoadBalancerRef[] {
  const names = d.requestParameters?.loadBalancerNames;
  const listed = Array.isArray(names) ? names.map((n) => (typeof n === 'string' && n !== '' ? n : undefined)) : [];
  return distinct([req(d, 'loadBalancerName'), ...listed]).map((name) => ({ name }));
}

const rescan: EventRule<ClassicLoadBalancerRef> = { action: 'rescan', refs: classicLoadBalancerRefsOf };

export interface ClassicLoadBalancerOptions {
  /** DescribeLoadBalancers PageSize (1–400). The default keeps a page's tags to one DescribeTags call. */
  pageSize?: number;
}

export function makeClassicLoadBalancerType(opts: ClassicLoadBalancerOptions = {}): ResourceType<ClassicLoadBalancerRef> {
  const pageSize = opts.pageSize ?? TAGS_PER_CALL;
  return {
    type: ELB_LOAD_BALANCER_TYPE,
    asffType: 'AwsElbLoadBalancer',
    service: 'elasticloadbalancing',
    scope: 'regional',
    eventSource: 'elasticloadbalancing.amazonaws.com',

    async list(ctx, pageToken) {
      const elb = ctx.clients.get(ElasticLoadBalancingClient, ctx.region);
      const page = await elb.send(new DescribeLoadBalancersCommand({ PageSize: pageSize, Marker: pageToken }));
      const lbs = (page.LoadBalancerDescriptions ?? []).filter((lb) => lb.LoadBalancerName);
      const tags = lbs.length > 0 ? await tagsOf(elb, lbs.map((lb) => lb.LoadBalancerName!)) : new Map<string, Tag[] | undefined>();
      for (const lb of lbs) remember<Listed>(ctx, cacheKey(ctx.region, lb.LoadBalancerName!), { lb, tags: tags.get(lb.LoadBalancerName!) });
      return { refs: lbs.map((lb) => ({ name: lb.LoadBalancerName! })), ...(page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      let listed = await take<Listed>(ctx, cacheKey(ctx.region, ref.name));
      if (!listed) {
        const elb = ctx.clients.get(ElasticLoadBalancingClient, ctx.region);
        const out = await orNull(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [ref.name] })), ...NOT_FOUND);
        const lb = out?.LoadBalancerDescriptions?.find((l) => l.LoadBalancerName === ref.name);
        if (!lb) return null;
        const tags = await orNull(tagsOf(elb, [ref.name]), ...NOT_FOUND);
        if (!tags) return null;
        listed = { lb, tags: tags.get(ref.name) };
      }
      return model(ctx, listed);
    },

    resourceId(target, ref) {
      return classicLoadBalancerArn(target, ref.name);
    },

    events: {
      CreateLoadBalancer: rescan,
      DeleteLoadBalancer: { action: 'delete', refs: classicLoadBalancerRefsOf },
      CreateLoadBalancerListeners: rescan,
      DeleteLoadBalancerListeners: rescan,
      ModifyLoadBalancerAttributes: rescan,
      ConfigureHealthCheck: rescan,
      ApplySecurityGroupsToLoadBalancer: rescan,
      AttachLoadBalancerToSubnets: rescan,
      DetachLoadBalancerFromSubnets: rescan,
      EnableAvailabilityZonesForLoadBalancer: rescan,
      DisableAvailabilityZonesForLoadBalancer: rescan,
      SetLoadBalancerListenerSSLCertificate: rescan,
      SetLoadBalancerPoliciesOfListener: rescan,
      SetLoadBalancerPoliciesForBackendServer: rescan,
      CreateLoadBalancerPolicy: rescan,
      DeleteLoadBalancerPolicy: rescan,
      CreateAppCookieStickinessPolicy: rescan,
      CreateLBCookieStickinessPolicy: rescan,
      RegisterInstancesWithLoadBalancer: rescan,
      DeregisterInstancesFromLoadBalancer: rescan,
      AddTags: rescan,
      RemoveTags: rescan,
    },

    // SecurityAudit's elasticloadbalancing:Describe* covers DescribeLoadBalancers, DescribeTags,
    // DescribeLoadBalancerAttributes and DescribeLoadBalancerPolicies.
    // Per page DescribeLoadBalancers and DescribeTags (20 per call = the default page size); per
    // load balancer DescribeLoadBalancerAttributes and DescribeLoadBalancerPolicies.
    apiCalls: { perPage: 2, perResource: 2, perScope: 0 },
    iamActions: [],
    // Registered instances follow the scaling groups behind the load balancer.
    volatileAttributes: ['Instances'],

    attributes: [
      ...schemaAttributeDocs(LoadBalancerDescription$, 'DescribeLoadBalancers', {
        LoadBalancerName: ['string', 'The load balancer name (also Name).'],
        DNSName: ['string', 'The public DNS name.'],
        ListenerDescriptions: ['list<{Listener, PolicyNames}>', 'Listeners {Protocol (HTTP, HTTPS, TCP, SSL), LoadBalancerPort, InstanceProtocol, InstancePort, SSLCertificateId} with the names of their policies.'],
        Policies: '{AppCookieStickinessPolicies, LBCookieStickinessPolicies, OtherPolicies}: names of the policies defined for the load balancer.',
        AvailabilityZones: ['list<string>', 'Availability Zones the load balancer serves.'],
        Subnets: 'Subnets of a VPC load balancer.',
        VPCId: 'The VPC of the load balancer.',
        Instances: 'Registered instances [{InstanceId}] (volatile: scaling changes them).',
        HealthCheck: '{Target, Interval, Timeout, UnhealthyThreshold, HealthyThreshold}.',
        SecurityGroups: 'Security groups of a VPC load balancer.',
        CreatedTime: ['timestamp', 'When the load balancer was created (also TimeCreated).'],
        Scheme: ['string', 'internet-facing or internal.'],
      }),
      { name: 'Attributes', type: 'LoadBalancerAttributes', description: 'DescribeLoadBalancerAttributes: {CrossZoneLoadBalancing {Enabled}, AccessLog {Enabled, S3BucketName, EmitInterval, S3BucketPrefix}, ConnectionDraining {Enabled, Timeout}, ConnectionSettings {IdleTimeout}, AdditionalAttributes [{Key, Value}] (e.g. elb.http.desyncmitigationmode: monitor, defensive or strictest)}.' },
      { name: 'PolicyDescriptions', type: 'list<{PolicyName, PolicyTypeName, PolicyAttributeDescriptions}> | null', description: 'DescribeLoadBalancerPolicies of the load balancer, sorted by name: an SSLNegotiationPolicyType policy\'s Reference-Security-Policy attribute names the predefined security policy it follows; null when none.' },
    ],
  };
}

export const ELB_LOAD_BALANCER: ResourceType<ClassicLoadBalancerRef> = makeClassicLoadBalancerType();
