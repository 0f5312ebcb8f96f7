/**
 * AWS.ELBV2.NetworkLoadBalancer — regional: the load balancers of DescribeLoadBalancers with Type
 * "network". `list` keeps each page's network load balancers with their tags (DescribeTags, 20
 * ARNs a call) for `describe`, which adds the listeners and the load balancer attributes
 * (deletion protection, cross-zone, access logs).
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  Listener$,
  LoadBalancer$,
  LoadBalancerAttribute$,
  type Listener,
  type LoadBalancer,
  type Tag,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { loadBalancerArnsOfKind, tagsOf, TAGS_PER_CALL } from './elbv2-common.ts';
import { allPages, awsFields, sortedBy } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface NetworkLoadBalancerRef {
  /** The load balancer ARN (arn:<p>:elasticloadbalancing:<region>:<acct>:loadbalancer/net/<name>/<id>). */
  arn: string;
}

export const ELBV2_NLB_TYPE = 'AWS.ELBV2.NetworkLoadBalancer';

interface Listed {
  lb: LoadBalancer;
  tags: Tag[] | undefined;
}

const cacheKey = (arn: string) => `elbv2:nlb:${arn}`;

async function model(ctx: ScanContext, { lb, tags }: Listed): Promise<Resource | null> {
  const arn = lb.LoadBalancerArn!;
  const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
  let listeners: Listener[];
  let attributes;
  try {
    [listeners, attributes] = await Promise.all([
      allPages<Listener>(async (Marker) => {
        const r = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn, PageSize: 400, Marker }));
        return { items: r.Listeners, next: r.NextMarker };
      }),
      elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
    ]);
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, 'LoadBalancerNotFound')) return null;
    throw e;
  }
  const sortedListeners = [...listeners].sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0) || (a.ListenerArn ?? '').localeCompare(b.ListenerArn ?? ''));
  return {
    ResourceId: arn,
    ResourceType: ELBV2_NLB_TYPE,
    TimeCreated: iso(lb.CreatedTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: lb.LoadBalancerName ?? null,
    Tags: tagMap(tags),
    ...awsFields(LoadBalancer$, lb),
    Listeners: shapeList(Listener$, sortedListeners),
    Attributes: shapeList(LoadBalancerAttribute$, sortedBy(attributes.Attributes ?? [], (a) => a.Key)),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** Network load balancer ARNs an event names anywhere in its request or response, listener ARNs
 *  mapped to their load balancer. Application and gateway load balancers are left out. */
export function networkLoadBalancerArns(d: CloudTrailDetail): NetworkLoadBalancerRef[] {
  return loadBalancerArnsOfKind(d, 'net');
}

const rescan: EventRule<NetworkLoadBalancerRef> = { action: 'rescan', refs: networkLoadBalancerArns };

export interface NetworkLoadBalancerOptions {
  /** DescribeLoadBalancers PageSize (1–400). The default keeps a page's tags to one DescribeTags call. */
  pageSize?: number;
}

export function makeNetworkLoadBalancerType(opts: NetworkLoadBalancerOptions = {}): ResourceType<NetworkLoadBalancerRef> {
  const pageSize = opts.pageSize ?? TAGS_PER_CALL;
  return {
    type: ELBV2_NLB_TYPE,
    asffType: 'AwsElbv2LoadBalancer',
    service: 'elasticloadbalancing',
    scope: 'regional',
    eventSource: 'elasticloadbalancing.amazonaws.com',

    async list(ctx, pageToken) {
      const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
      const page = await elb.send(new DescribeLoadBalancersCommand({ PageSize: pageSize, Marker: pageToken }));
      const nets = (page.LoadBalancers ?? []).filter((lb) => lb.Type === 'network' && lb.LoadBalancerArn);
      const tags = nets.length > 0 ? await tagsOf(elb, nets.map((lb) => lb.LoadBalancerArn!)) : new Map<string, Tag[] | undefined>();
      for (const lb of nets) remember<Listed>(ctx, cacheKey(lb.LoadBalancerArn!), { lb, tags: tags.get(lb.LoadBalancerArn!) });
      return { refs: nets.map((lb) => ({ arn: lb.LoadBalancerArn! })), ...(page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      let listed = await take<Listed>(ctx, cacheKey(ref.arn));
      if (!listed) {
        const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
        const out = await orNull(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ref.arn] })), 'LoadBalancerNotFound');
        const lb = out?.LoadBalancers?.find((l) => l.LoadBalancerArn === ref.arn);
        if (!lb || lb.Type !== 'network') return null;
        const tags = await orNull(tagsOf(elb, [ref.arn]), 'LoadBalancerNotFound');
        if (!tags) return null;
        listed = { lb, tags: tags.get(ref.arn) };
      }
      return model(ctx, listed);
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreateLoadBalancer: rescan,
      DeleteLoadBalancer: { action: 'delete', refs: networkLoadBalancerArns },
      SetSecurityGroups: rescan,
      SetSubnets: rescan,
      SetIpAddressType: rescan,
      ModifyLoadBalancerAttributes: rescan,
      CreateListener: rescan,
      ModifyListener: rescan,
      DeleteListener: rescan,
      AddListenerCertificates: rescan,
      RemoveListenerCertificates: rescan,
      AddTags: rescan,
      RemoveTags: rescan,
    },

    // SecurityAudit's elasticloadbalancing:Describe* covers DescribeLoadBalancers, DescribeTags,
    // DescribeListeners and DescribeLoadBalancerAttributes.
    // Per page DescribeLoadBalancers and DescribeTags (20 per call = the default page size); per
    // load balancer DescribeListeners and DescribeLoadBalancerAttributes.
    apiCalls: { perPage: 2, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      ...schemaAttributeDocs(LoadBalancer$, 'DescribeLoadBalancers', {
        LoadBalancerArn: ['string', 'The load balancer ARN (also ResourceId and Arn).'],
        LoadBalancerName: ['string', 'The load balancer name (also Name).'],
        DNSName: ['string', 'The public DNS name.'],
        CreatedTime: ['timestamp', 'When the load balancer was created (also TimeCreated).'],
        Scheme: ['string', 'internet-facing or internal.'],
        VpcId: ['string', 'The VPC of the load balancer.'],
        State: ['{Code, Reason}', 'active, provisioning, active_impaired or failed.'],
        Type: ['string', 'Always "network" for this type.'],
        AvailabilityZones: ['list<AvailabilityZone>', 'Zones and subnets: {ZoneName, SubnetId, OutpostId, LoadBalancerAddresses, SourceNatIpv6Prefixes}.'],
        SecurityGroups: 'Security groups of the load balancer (network load balancers may have none).',
        IpAddressType: ['string', 'ipv4 or dualstack.'],
      }),
      { name: 'Listeners', type: 'list<Listener> | null', description: 'DescribeListeners: {ListenerArn, Port, Protocol (TCP, TLS, UDP, TCP_UDP), SslPolicy, Certificates, AlpnPolicy, DefaultActions}, sorted by port; null when none.' },
      { name: 'Attributes', type: 'list<{Key, Value}> | null', description: 'DescribeLoadBalancerAttributes, sorted by key, e.g. deletion_protection.enabled, load_balancing.cross_zone.enabled, access_logs.s3.enabled (values are strings: "true"/"false").' },
    ],
  };
}

export const ELBV2_NETWORK_LOAD_BALANCER: ResourceType<NetworkLoadBalancerRef> = makeNetworkLoadBalancerType();
