/**
 * AWS.ELBV2.ApplicationLoadBalancer — regional: the load balancers of DescribeLoadBalancers with
 * Type "application". `list` keeps each page's load balancers with their tags (DescribeTags, 20
 * ARNs per call) for `describe`, which adds the listeners, the SSL policies its listeners use
 * (all policies are read once per scope) and the WAFv2 web ACL associated with it.
 *
 * Association changes (wafv2 AssociateWebACL / DisassociateWebACL) are CloudTrail events of
 * wafv2.amazonaws.com, not of this type's source: `WebAcl` follows them at the next scan of the
 * load balancer (any elasticloadbalancing event on it, or the daily scan).
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  ElasticLoadBalancingV2Client,
  Listener$,
  LoadBalancer$,
  SslPolicy$,
  type Listener,
  type LoadBalancer,
  type SslPolicy,
  type Tag,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetWebACLForResourceCommand, WAFV2Client, WebACL$ } from '@aws-sdk/client-wafv2';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { loadBalancerArnsOfKind, tagsOf, TAGS_PER_CALL } from './elbv2-common.ts';
import { allPages, awsFields } from './ec2-common.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, scopeMemo, take } from './scope-cache.ts';

export interface LoadBalancerRef {
  /** The load balancer ARN (arn:<p>:elasticloadbalancing:<region>:<acct>:loadbalancer/app/<name>/<id>). */
  arn: string;
}

export const ELBV2_ALB_TYPE = 'AWS.ELBV2.ApplicationLoadBalancer';

interface Listed {
  lb: LoadBalancer;
  tags: Tag[] | undefined;
}

const cacheKey = (arn: string) => `elbv2:alb:${arn}`;

/** Every SSL policy of the region by name, read once per scope. */
function sslPolicies(ctx: ScanContext, elb: ElasticLoadBalancingV2Client): Promise<Map<string, SslPolicy>> {
  return scopeMemo(ctx, `elbv2:ssl-policies:${ctx.region}`, () =>
    allPages<SslPolicy>(async (Marker) => {
      const r = await elb.send(new DescribeSSLPoliciesCommand({ PageSize: 400, Marker }));
      return { items: r.SslPolicies, next: r.NextMarker };
    }).then((all) => new Map(all.flatMap((s) => (s.Name ? [[s.Name, s] as const] : [])))),
  );
}

async function model(ctx: ScanContext, { lb, tags }: Listed): Promise<Resource | null> {
  const arn = lb.LoadBalancerArn!;
  const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
  const waf = ctx.clients.get(WAFV2Client, ctx.region);
  let listeners: Listener[];
  try {
    listeners = await allPages<Listener>(async (Marker) => {
      const r = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn, PageSize: 400, Marker }));
      return { items: r.Listeners, next: r.NextMarker };
    });
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, 'LoadBalancerNotFound')) return null;
    throw e;
  }
  // The policies of the HTTPS listeners (an emulator may name one on plain HTTP listeners too).
  const tlsPolicies = [...new Set(listeners.flatMap((l) => (l.Protocol === 'HTTPS' && l.SslPolicy ? [l.SslPolicy] : [])))].sort();
  const [acl, policies] = await Promise.all([
    orNull(waf.send(new GetWebACLForResourceCommand({ ResourceArn: arn })), 'WAFNonexistentItemException'),
    tlsPolicies.length > 0 ? sslPolicies(ctx, elb) : Promise.resolve(new Map<string, SslPolicy>()),
  ]);
  const used: Record<string, unknown> = {};
  for (const name of tlsPolicies) {
    const policy = policies.get(name);
    if (policy) used[name] = shape(SslPolicy$, policy);
  }
  const sortedListeners = [...listeners].sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0) || (a.ListenerArn ?? '').localeCompare(b.ListenerArn ?? ''));
  return {
    ResourceId: arn,
    ResourceType: ELBV2_ALB_TYPE,
    TimeCreated: iso(lb.CreatedTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: lb.LoadBalancerName ?? null,
    Tags: tagMap(tags),
    ...awsFields(LoadBalancer$, lb),
    Listeners: shapeList(Listener$, sortedListeners),
    SSLPolicies: Object.keys(used).length > 0 ? used : null,
    WebAcl: acl?.WebACL ? shape(WebACL$, acl.WebACL) : null,
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** Application load balancer ARNs an event names anywhere in its request or response (e.g.
 *  `loadBalancerArn`, `loadBalancers[].loadBalancerArn`, `resourceArns[]`), listener ARNs mapped
 *  to their load balancer. Network and gateway load balancers are left out. */
export function loadBalancerArns(d: CloudTrailDetail): LoadBalancerRef[] {
  return loadBalancerArnsOfKind(d, 'app');
}

const rescan: EventRule<LoadBalancerRef> = { action: 'rescan', refs: loadBalancerArns };

export interface ApplicationLoadBalancerOptions {
  /** DescribeLoadBalancers PageSize (1–400). The default keeps a page's tags to one DescribeTags call. */
  pageSize?: number;
}

export function makeApplicationLoadBalancerType(opts: ApplicationLoadBalancerOptions = {}): ResourceType<LoadBalancerRef> {
  const pageSize = opts.pageSize ?? TAGS_PER_CALL;
  return {
    type: ELBV2_ALB_TYPE,
    asffType: 'AwsElbv2LoadBalancer',
    service: 'elasticloadbalancing',
    scope: 'regional',
    eventSource: 'elasticloadbalancing.amazonaws.com',

    async list(ctx, pageToken) {
      const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
      const page = await elb.send(new DescribeLoadBalancersCommand({ PageSize: pageSize, Marker: pageToken }));
      const apps = (page.LoadBalancers ?? []).filter((lb) => lb.Type === 'application' && lb.LoadBalancerArn);
      const tags = apps.length > 0 ? await tagsOf(elb, apps.map((lb) => lb.LoadBalancerArn!)) : new Map<string, Tag[] | undefined>();
      for (const lb of apps) remember<Listed>(ctx, cacheKey(lb.LoadBalancerArn!), { lb, tags: tags.get(lb.LoadBalancerArn!) });
      return { refs: apps.map((lb) => ({ arn: lb.LoadBalancerArn! })), ...(page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      let listed = await take<Listed>(ctx, cacheKey(ref.arn));
      if (!listed) {
        const elb = ctx.clients.get(ElasticLoadBalancingV2Client, ctx.region);
        const out = await orNull(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ref.arn] })), 'LoadBalancerNotFound');
        const lb = out?.LoadBalancers?.find((l) => l.LoadBalancerArn === ref.arn);
        if (!lb || lb.Type !== 'application') return null;
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
      DeleteLoadBalancer: { action: 'delete', refs: loadBalancerArns },
      SetSecurityGroups: rescan,
      SetSubnets: rescan,
      SetIpAddressType: rescan,
      CreateListener: rescan,
      ModifyListener: rescan,
      DeleteListener: rescan,
      AddTags: rescan,
      RemoveTags: rescan,
    },
    // The web ACL protecting an ALB (its WebAcl attribute) is set through WAFv2, which names the
    // ALB as `resourceArn`; associations of other resources (API Gateway, AppSync...) name none.
    relatedEvents: { 'wafv2.amazonaws.com': { AssociateWebACL: rescan, DisassociateWebACL: rescan } },

    // SecurityAudit covers every call: elasticloadbalancing:Describe* (DescribeLoadBalancers,
    // DescribeTags, DescribeListeners, DescribeSSLPolicies) and wafv2:GetWebACLForResource.
    // Per page DescribeLoadBalancers and DescribeTags (20 per call = the default page size); per
    // load balancer DescribeListeners and GetWebACLForResource; per scope DescribeSSLPolicies once
    // when some listener is HTTPS (not counted in the minimum).
    apiCalls: { perPage: 2, perResource: 2, perScope: 0 },
    iamActions: [],
    // An OIDC-authenticating listener's client secret, should DescribeListeners ever answer it.
    secretAttributes: ['Listeners[].DefaultActions[].AuthenticateOidcConfig.ClientSecret'],

    attributes: [
      { name: 'AvailabilityZones', type: 'list<AvailabilityZone>', description: 'Zones and subnets: {ZoneName, SubnetId, OutpostId, LoadBalancerAddresses, SourceNatIpv6Prefixes}.' },
      { name: 'CanonicalHostedZoneId', type: 'string', description: 'The Route 53 hosted zone of the load balancer\'s DNS name.' },
      { name: 'CreatedTime', type: 'timestamp', description: 'When the load balancer was created (also TimeCreated).' },
      { name: 'CustomerOwnedIpv4Pool', type: 'string | null', description: 'The customer-owned address pool (Outposts).' },
      { name: 'DNSName', type: 'string', description: 'The public DNS name.' },
      { name: 'EnablePrefixForIpv6SourceNat', type: 'string | null', description: 'Whether IPv6 source NAT prefixes are enabled (on / off).' },
      { name: 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic', type: 'string | null', description: 'Whether inbound security group rules apply to PrivateLink traffic (NLB only).' },
      { name: 'IpAddressType', type: 'string', description: 'ipv4, dualstack or dualstack-without-public-ipv4.' },
      { name: 'IpamPools', type: '{Ipv4IpamPoolId} | null', description: 'The IPAM pools of the load balancer.' },
      { name: 'LoadBalancerArn', type: 'string', description: 'The load balancer ARN (also ResourceId and Arn).' },
      { name: 'LoadBalancerName', type: 'string', description: 'The load balancer name (also Name).' },
      { name: 'Scheme', type: 'string', description: 'internet-facing or internal.' },
      { name: 'SecurityGroups', type: 'list<string>', description: 'IDs of the load balancer\'s security groups.' },
      { name: 'State', type: '{Code, Reason}', description: 'active, provisioning, active_impaired or failed.' },
      { name: 'Type', type: 'string', description: 'Always "application" for this type.' },
      { name: 'VpcId', type: 'string', description: 'The VPC of the load balancer.' },
      { name: 'Listeners', type: 'list<Listener> | null', description: 'DescribeListeners: {AlpnPolicy, Certificates, DefaultActions, ListenerArn, LoadBalancerArn, MutualAuthentication, Port, Protocol (HTTP, HTTPS), SslPolicy}, sorted by port; null when none.' },
      { name: 'SSLPolicies', type: 'map<string, SslPolicy> | null', description: 'The SSL policies the HTTPS listeners use, by name (DescribeSSLPolicies: {Ciphers [{Name, Priority}], Name, SslProtocols, SupportedLoadBalancerTypes}); null when there is no HTTPS listener.' },
      { name: 'WebAcl', type: 'WebACL | null', description: 'The WAFv2 web ACL associated with the load balancer (GetWebACLForResource: {ARN, Capacity, DefaultAction, Description, Id, Name, Rules, VisibilityConfig, ...}); null when none. Panther filled this from WAF Classic (retired).' },
    ],
  };
}

export const ELBV2_APPLICATION_LOAD_BALANCER: ResourceType<LoadBalancerRef> = makeApplicationLoadBalancerType();
