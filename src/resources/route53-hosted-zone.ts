/**
 * AWS.Route53.HostedZone — global. ListHostedZones pages return whole zones: `list` keeps them
 * in the scope cache; `describe` adds GetHostedZone (delegation set, associated VPCs),
 * ListTagsForResource, and the zone's DNS query logging (ListQueryLoggingConfigs, once per scope). Id is the
 * zone ID without the `/hostedzone/` prefix that HostedZone.Id carries.
 */
import {
  DelegationSet$,
  GetHostedZoneCommand,
  HostedZone$,
  ListHostedZonesCommand,
  ListQueryLoggingConfigsCommand,
  ListTagsForResourceCommand,
  QueryLoggingConfig$,
  Route53Client,
  VPC$,
  type QueryLoggingConfig,
} from '@aws-sdk/client-route-53';
import { hasErrorCode } from './aws-errors.ts';
import { shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, req, res } from './trail-fields.ts';
import { scopeMemo } from './scope-cache.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface HostedZoneRef {
  /** The zone ID without its `/hostedzone/` prefix, e.g. Z1D633PJN98FT9. */
  id: string;
}

export const ROUTE53_HOSTED_ZONE_TYPE = 'AWS.Route53.HostedZone';

/** `/hostedzone/Z123` or `Z123` → `Z123`. */
export const bareZoneId = (id: string): string => id.replace(/^\/?hostedzone\//, '');

export function hostedZoneArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:route53:::hostedzone/${bareZoneId(id)}`;
}

/** The zones an event names: request `hostedZoneId` or `id` (zone calls), `resourceId` of a
 *  hostedzone tag change, and CreateHostedZone's response `hostedZone.id`. */
export function hostedZoneRefsOf(d: CloudTrailDetail): HostedZoneRef[] {
  const tagged = req(d, 'resourceType') === 'hostedzone' ? req(d, 'resourceId') : undefined;
  return distinct([req(d, 'hostedZoneId'), req(d, 'id'), tagged, res(d, 'hostedZone', 'id')].map((v) => (v ? bareZoneId(v) : undefined))).map((id) => ({ id }));
}

const rescan: EventRule<HostedZoneRef> = { action: 'rescan', refs: hostedZoneRefsOf };

/** The account's DNS query logging configurations, by zone ID: read once per scope
 *  (ListQueryLoggingConfigs without a zone lists all of them), never memoizing a failure. */
function queryLoggingByZone(ctx: ScanContext, r53: Route53Client): Promise<Map<string, QueryLoggingConfig[]>> {
  return scopeMemo(ctx, 'route53:query-logging', async () => {
    const byZone = new Map<string, QueryLoggingConfig[]>();
    let NextToken: string | undefined;
    do {
      const page = await r53.send(new ListQueryLoggingConfigsCommand({ NextToken }));
      for (const c of page.QueryLoggingConfigs ?? []) {
        if (!c.HostedZoneId) continue;
        const zone = bareZoneId(c.HostedZoneId);
        byZone.set(zone, [...(byZone.get(zone) ?? []), c]);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return byZone;
  });
}

export interface HostedZoneOptions {
  /** ListHostedZones MaxItems per page (up to 100). */
  pageSize?: number;
}

export function makeHostedZoneType(opts: HostedZoneOptions = {}): ResourceType<HostedZoneRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ROUTE53_HOSTED_ZONE_TYPE,
    asffType: 'AwsRoute53HostedZone',
    service: 'route53',
    scope: 'global',
    eventSource: 'route53.amazonaws.com',

    async list(ctx, pageToken) {
      const r53 = ctx.clients.get(Route53Client, ctx.region);
      const page = await r53.send(new ListHostedZonesCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs = (page.HostedZones ?? []).flatMap((z) => (z.Id ? [{ id: bareZoneId(z.Id) }] : []));
      return { refs, ...(page.IsTruncated && page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      const r53 = ctx.clients.get(Route53Client, ctx.region);
      try {
        const zone = await r53.send(new GetHostedZoneCommand({ Id: ref.id }));
        if (!zone.HostedZone?.Id) return null;
        const id = bareZoneId(zone.HostedZone.Id);
        const [tags, logging] = await Promise.all([
          r53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id })),
          queryLoggingByZone(ctx, r53),
        ]);
        const arn = hostedZoneArn(ctx, id);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: ROUTE53_HOSTED_ZONE_TYPE,
          // Route 53 does not tell when a zone was created.
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: arn,
          Id: id,
          Name: zone.HostedZone.Name ?? null,
          Tags: tagMap(tags.ResourceTagSet?.Tags),
          ...apiFields(shape(HostedZone$, zone.HostedZone), 'Id', 'Name'),
          DelegationSet: shape(DelegationSet$, zone.DelegationSet),
          VPCs: shapeList(VPC$, zone.VPCs),
          QueryLoggingConfigs: shapeList(QueryLoggingConfig$, logging.get(id)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NoSuchHostedZone')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return hostedZoneArn(target, ref.id);
    },

    events: {
      CreateHostedZone: rescan,
      DeleteHostedZone: { action: 'delete', refs: hostedZoneRefsOf },
      UpdateHostedZoneComment: rescan,
      AssociateVPCWithHostedZone: rescan,
      DisassociateVPCFromHostedZone: rescan,
      ChangeResourceRecordSets: rescan,
      ChangeTagsForResource: rescan,
      CreateQueryLoggingConfig: rescan,
      // Names only the logging configuration's own ID, not its zone.
      DeleteQueryLoggingConfig: { action: 'rescan-account' },
    },

    // SecurityAudit covers every call: route53:List* (ListHostedZones, ListTagsForResource,
    // ListQueryLoggingConfigs), route53:Get* (GetHostedZone).
    // ListHostedZones per page; per zone GetHostedZone and ListTagsForResource; per scope ListQueryLoggingConfigs.
    apiCalls: { perPage: 1, perResource: 2, perScope: 1 },
    iamActions: [],

    attributes: [
      { name: 'CallerReference', type: 'string', description: 'The unique string of the create request.' },
      { name: 'Config', type: '{Comment, PrivateZone}', description: 'The zone comment and whether it is private (answers only inside its VPCs).' },
      { name: 'ResourceRecordSetCount', type: 'integer', description: 'Number of record sets in the zone.' },
      { name: 'LinkedService', type: '{ServicePrincipal, Description} | null', description: 'The service that created and manages the zone (e.g. Cloud Map).' },
      { name: 'Features', type: 'object | null', description: 'Zone features, when AWS reports them.' },
      { name: 'DelegationSet', type: '{Id, CallerReference, NameServers} | null', description: 'The name servers of a public zone; null for a private zone.' },
      { name: 'VPCs', type: 'list<{VPCRegion, VPCId}> | null', description: 'The VPCs a private zone is associated with; null for a public zone.' },
      { name: 'QueryLoggingConfigs', type: 'list<{Id, HostedZoneId, CloudWatchLogsLogGroupArn}> | null', description: 'ListQueryLoggingConfigs (Posture addition): where DNS queries of the public zone are logged; null when they are not.' },
    ],
  };
}

export const ROUTE53_HOSTED_ZONE: ResourceType<HostedZoneRef> = makeHostedZoneType();
