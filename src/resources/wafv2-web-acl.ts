/**
 * AWS.WAFv2.WebACL — a Posture addition (Panther modelled the retired WAF Classic as
 * AWS.WAF.WebACL / AWS.WAF.Regional.WebACL). Regional: each region's REGIONAL web ACLs, and in
 * us-east-1 also the CLOUDFRONT-scope ones (the WAFv2 API serves that scope only there). Each
 * web ACL is GetWebACL's WebACL at the top level, plus its tags, its logging configuration and
 * the resources it protects.
 */
import { CloudFrontClient, ListDistributionsByWebACLIdCommand } from '@aws-sdk/client-cloudfront';
import {
  GetLoggingConfigurationCommand,
  GetWebACLCommand,
  ListResourcesForWebACLCommand,
  ListTagsForResourceCommand,
  ListWebACLsCommand,
  LoggingConfiguration$,
  WAFV2Client,
  WebACL$,
  type ResourceType as WafResourceType,
  type Scope,
  type Tag,
} from '@aws-sdk/client-wafv2';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { allPages, awsFields, isObj } from './ec2-common.ts';
import { NOT_IMPLEMENTED, orNotImplemented } from './not-implemented.ts';
import { shape, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface WebAclRef {
  scope: Scope;
  name: string;
  id: string;
}

export const WAFV2_WEB_ACL_TYPE = 'AWS.WAFv2.WebACL';

/** Regional resource types whose associations ListResourcesForWebACL reports (one call each),
 *  with the read permissions AWS's own AWSWAFReadOnlyAccess grants for them. The SDK also knows
 *  AGENTCORE_GATEWAY, whose list permission AWS does not document yet: it is not queried. */
export const PROTECTED_RESOURCE_TYPES: readonly WafResourceType[] = [
  'APPLICATION_LOAD_BALANCER',
  'API_GATEWAY',
  'APPSYNC',
  'COGNITO_USER_POOL',
  'APP_RUNNER_SERVICE',
  'VERIFIED_ACCESS_INSTANCE',
  'AMPLIFY',
];

/** CLOUDFRONT-scope web ACLs are served by the WAFv2 API in us-east-1 only. */
const servesCloudFront = (target: ScanTarget) => target.partition === 'aws' && target.region === 'us-east-1';

export function webAclArn(target: ScanTarget, ref: WebAclRef): string {
  const kind = ref.scope === 'CLOUDFRONT' ? 'global' : 'regional';
  return `arn:${target.partition}:wafv2:${target.region}:${target.accountId}:${kind}/webacl/${ref.name}/${ref.id}`;
}

/** Page tokens carry the scope being listed: `REGIONAL|<marker>` or `CLOUDFRONT|<marker>`. */
function parseToken(token: string | undefined): { scope: Scope; marker?: string } {
  if (!token) return { scope: 'REGIONAL' };
  const at = token.indexOf('|');
  const scope = (at < 0 ? token : token.slice(0, at)) === 'CLOUDFRONT' ? 'CLOUDFRONT' : 'REGIONAL';
  const marker = at < 0 ? '' : token.slice(at + 1);
  return marker ? { scope, marker } : { scope };
}

async function tagsOf(waf: WAFV2Client, ResourceARN: string): Promise<Tag[] | null> {
  try {
    return await allPages<Tag>(async (NextMarker) => {
      const r = await waf.send(new ListTagsForResourceCommand({ ResourceARN, Limit: 100, NextMarker }));
      const tags = r.TagInfoForResource?.TagList ?? [];
      // WAFv2 may hand back a marker with an empty last page.
      return { items: tags, next: tags.length > 0 ? r.NextMarker : undefined };
    });
  } catch (e) {
    if (hasErrorCode(e, 'WAFNonexistentItemException')) return null;
    throw e;
  }
}

/** ARNs of the resources the web ACL protects, sorted; null when none (or when the endpoint
 *  does not implement the listing call). */
async function protectedResources(ctx: ScanContext, scope: Scope, WebACLArn: string): Promise<string[] | null> {
  let arns: string[] = [];
  if (scope === 'CLOUDFRONT') {
    const cf = ctx.clients.get(CloudFrontClient, 'us-east-1');
    let Marker: string | undefined;
    do {
      const page = await orNotImplemented(ctx, 'cloudfront:ListDistributionsByWebACLId', new ListDistributionsByWebACLIdCommand({ WebACLId: WebACLArn, MaxItems: 100, Marker }), (c) =>
        cf.send(c),
      );
      if (page === NOT_IMPLEMENTED) return null;
      const list = page.DistributionList;
      arns.push(...(list?.Items ?? []).flatMap((d) => (d.ARN ? [d.ARN] : [])));
      Marker = list?.IsTruncated && list.NextMarker && list.NextMarker !== Marker ? list.NextMarker : undefined;
    } while (Marker);
  } else {
    const waf = ctx.clients.get(WAFV2Client, ctx.region);
    const perType = await Promise.all(
      PROTECTED_RESOURCE_TYPES.map(async (ResourceType) => {
        try {
          return await orNotImplemented(ctx, 'wafv2:ListResourcesForWebACL', new ListResourcesForWebACLCommand({ WebACLArn, ResourceType }), (c) => waf.send(c));
        } catch (e) {
          // A resource type the region does not offer.
          if (hasErrorCode(e, 'WAFInvalidParameterException')) return { ResourceArns: [] };
          throw e;
        }
      }),
    );
    if (perType.some((r) => r === NOT_IMPLEMENTED)) return null;
    arns = perType.flatMap((r) => (r === NOT_IMPLEMENTED ? [] : (r.ResourceArns ?? [])));
  }
  return arns.length > 0 ? [...new Set(arns)].sort() : null;
}

// ---- CloudTrail refs -------------------------------------------------------------------------

const WEB_ACL_ARN = /^arn:[^:]+:wafv2:[^:]+:\d{12}:(regional|global)\/webacl\/([^/]+)\/([^/]+)$/;

/** Web ACLs an event names: any web ACL ARN in its request or response (CloudTrail spells the
 *  members `webACLArn`, `resourceArn`, `resourceARN`, `summary.aRN`, ...), and the
 *  `name`/`scope`/`id` of UpdateWebACL and DeleteWebACL requests. */
export function webAclRefs(d: CloudTrailDetail): WebAclRef[] {
  const found = new Map<string, WebAclRef>();
  const add = (ref: WebAclRef) => found.set(`${ref.scope}/${ref.name}/${ref.id}`, ref);
  const visit = (v: unknown, depth: number): void => {
    if (depth > 10) return;
    if (typeof v === 'string') {
      const m = WEB_ACL_ARN.exec(v);
      if (m) add({ scope: m[1] === 'global' ? 'CLOUDFRONT' : 'REGIONAL', name: m[2]!, id: m[3]! });
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (isObj(v)) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(d.requestParameters, 0);
  visit(d.responseElements, 0);
  const req = d.requestParameters ?? {};
  const summary = isObj(d.responseElements?.summary) ? d.responseElements.summary : {};
  const name = req.name ?? req.Name;
  const scope = req.scope ?? req.Scope;
  const id = req.id ?? req.Id ?? summary.id ?? summary.Id;
  if (typeof name === 'string' && typeof id === 'string' && (scope === 'REGIONAL' || scope === 'CLOUDFRONT')) add({ scope, name, id });
  return [...found.values()];
}

const rescan: EventRule<WebAclRef> = { action: 'rescan', refs: webAclRefs };

export interface WebAclOptions {
  /** ListWebACLs Limit (1–100). */
  pageSize?: number;
}

export function makeWebAclType(opts: WebAclOptions = {}): ResourceType<WebAclRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: WAFV2_WEB_ACL_TYPE,
    asffType: 'AwsWafv2WebAcl',
    service: 'wafv2',
    scope: 'regional',
    eventSource: 'wafv2.amazonaws.com',

    async list(ctx, pageToken) {
      const { scope, marker } = parseToken(pageToken);
      const waf = ctx.clients.get(WAFV2Client, ctx.region);
      const page = await waf.send(new ListWebACLsCommand({ Scope: scope, Limit: pageSize, NextMarker: marker }));
      const refs = (page.WebACLs ?? []).flatMap((s) => (s.Name && s.Id ? [{ scope, name: s.Name, id: s.Id }] : []));
      // WAFv2 may hand back a marker with an empty last page.
      let next: string | undefined;
      if (page.NextMarker && refs.length > 0 && page.NextMarker !== marker) next = `${scope}|${page.NextMarker}`;
      else if (scope === 'REGIONAL' && servesCloudFront(ctx)) next = 'CLOUDFRONT|';
      return { refs, ...(next ? { nextPageToken: next } : {}) };
    },

    async describe(ctx, ref) {
      const waf = ctx.clients.get(WAFV2Client, ctx.region);
      const got = await orNull(waf.send(new GetWebACLCommand({ Name: ref.name, Scope: ref.scope, Id: ref.id })), 'WAFNonexistentItemException');
      const acl = got?.WebACL;
      if (!acl) return null;
      const arn = acl.ARN ?? webAclArn(ctx, ref);
      const [tags, logging, resources] = await Promise.all([
        tagsOf(waf, arn),
        orNull(waf.send(new GetLoggingConfigurationCommand({ ResourceArn: arn })), 'WAFNonexistentItemException'),
        protectedResources(ctx, ref.scope, arn),
      ]);
      const resource: Resource = {
        ResourceId: arn,
        ResourceType: WAFV2_WEB_ACL_TYPE,
        TimeCreated: null,
        AccountId: ctx.accountId,
        Region: ctx.region,
        Arn: arn,
        Id: acl.Id ?? ref.id,
        Name: acl.Name ?? ref.name,
        Tags: tagMap(tags),
        ...awsFields(WebACL$, acl),
        Scope: ref.scope,
        LoggingConfiguration: shape(LoggingConfiguration$, logging?.LoggingConfiguration),
        Resources: resources,
      };
      return resource;
    },

    resourceId(target, ref) {
      return webAclArn(target, ref);
    },

    events: {
      CreateWebACL: rescan,
      UpdateWebACL: rescan,
      DeleteWebACL: { action: 'delete', refs: webAclRefs },
      AssociateWebACL: rescan,
      // Names only the protected resource, not the web ACL it leaves.
      DisassociateWebACL: { action: 'rescan-region' },
      PutLoggingConfiguration: rescan,
      DeleteLoggingConfiguration: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers wafv2:ListWebACLs, GetWebACL, ListTagsForResource,
    // GetLoggingConfiguration, ListResourcesForWebACL and cloudfront:ListDistributionsByWebACLId
    // (cloudfront:List*). ListResourcesForWebACL also needs the protected service's own list
    // permission for Cognito, App Runner and Amplify (as AWSWAFReadOnlyAccess grants them).
    iamActions: ['amplify:ListResourcesForWebACL', 'apprunner:ListAssociatedServicesForWebAcl', 'cognito-idp:ListResourcesForWebACL'],
    // ListWebACLs per page; per web ACL GetWebACL, ListTagsForResource, GetLoggingConfiguration
    // and ListResourcesForWebACL per protected resource type (a CLOUDFRONT-scope web ACL: one
    // ListDistributionsByWebACLId instead).
    apiCalls: { perPage: 1, perResource: 3 + PROTECTED_RESOURCE_TYPES.length, perScope: 0 },

    attributes: [
      { name: 'ApplicationConfig', type: 'object | null', description: 'Application attributes of the web ACL, as GetWebACL reports them.' },
      { name: 'ARN', type: 'string', description: 'The web ACL ARN (also ResourceId and Arn).' },
      { name: 'AssociationConfig', type: '{RequestBody} | null', description: 'Body inspection limits per protected resource type.' },
      { name: 'Capacity', type: 'integer', description: 'Web ACL capacity units used.' },
      { name: 'CaptchaConfig', type: '{ImmunityTimeProperty} | null', description: 'Default CAPTCHA settings.' },
      { name: 'ChallengeConfig', type: '{ImmunityTimeProperty} | null', description: 'Default challenge settings.' },
      { name: 'CustomResponseBodies', type: 'map | null', description: 'Custom response bodies by key.' },
      { name: 'DataProtectionConfig', type: 'object | null', description: 'Data protection settings for logs and sampled requests.' },
      { name: 'DefaultAction', type: '{Allow, Block}', description: 'The action for requests no rule matches: exactly one of Allow or Block is set (the other null).' },
      { name: 'Description', type: 'string | null', description: 'The web ACL description.' },
      { name: 'LabelNamespace', type: 'string | null', description: 'The label namespace prefix of the web ACL\'s rules.' },
      { name: 'ManagedByFirewallManager', type: 'boolean', description: 'Whether Firewall Manager manages the web ACL.' },
      { name: 'MonetizationConfig', type: 'object | null', description: 'Monetization settings, as GetWebACL reports them.' },
      { name: 'OnSourceDDoSProtectionConfig', type: 'object | null', description: 'On-source DDoS protection settings.' },
      { name: 'PostProcessFirewallManagerRuleGroups', type: 'list | null', description: 'Firewall Manager rule groups evaluated last.' },
      { name: 'PreProcessFirewallManagerRuleGroups', type: 'list | null', description: 'Firewall Manager rule groups evaluated first.' },
      { name: 'RetrofittedByFirewallManager', type: 'boolean | null', description: 'Whether Firewall Manager retrofitted the web ACL.' },
      { name: 'Rules', type: 'list<Rule>', description: 'The rules: {Name, Priority, Statement, Action, OverrideAction, RuleLabels, VisibilityConfig, CaptchaConfig, ChallengeConfig}, every member present (null when unset).' },
      { name: 'TokenDomains', type: 'list<string> | null', description: 'Domains accepted in CAPTCHA/challenge tokens.' },
      { name: 'VisibilityConfig', type: '{CloudWatchMetricsEnabled, MetricName, SampledRequestsEnabled}', description: 'Metrics and sampling settings.' },
      { name: 'Scope', type: 'string', description: 'Posture addition: REGIONAL, or CLOUDFRONT for the global web ACLs (scanned in us-east-1 only).' },
      { name: 'LoggingConfiguration', type: 'LoggingConfiguration | null', description: 'GetLoggingConfiguration: {LogDestinationConfigs, LogScope, LogType, LoggingFilter, ManagedByFirewallManager, RedactedFields, ResourceArn}; null when logging is off.' },
      { name: 'Resources', type: 'list<string> | null', description: 'ARNs of the protected resources (REGIONAL: ListResourcesForWebACL for ALBs, API Gateway stages, AppSync APIs, Cognito user pools, App Runner services, Verified Access instances and Amplify apps; CLOUDFRONT: CloudFront ListDistributionsByWebACLId); null when none, or when the endpoint does not implement the call (moto).' },
    ],
  };
}

export const WAFV2_WEB_ACL: ResourceType<WebAclRef> = makeWebAclType();
