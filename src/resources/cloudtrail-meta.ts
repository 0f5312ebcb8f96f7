/**
 * AWS.CloudTrail.Meta — one per account: every trail that logs the account (its own and the
 * organization's, seen from each enabled region including shadow trails) and the event selectors
 * of the multi-region trails that are logging (`GlobalEventSelectors`,
 * `GlobalAdvancedEventSelectors`) — what "CloudTrail is enabled in all regions" policies check.
 */
import { AdvancedEventSelector$, CloudTrailClient, DescribeTrailsCommand, EventSelector$, type Trail } from '@aws-sdk/client-cloudtrail';
import { perRegion } from './account-regions.ts';
import { trailDetails } from './cloudtrail.ts';
import { shapeList } from './shape.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's single summary needs no reference data. */
export type TrailMetaRef = Record<string, never>;

export const CLOUDTRAIL_META_TYPE = 'AWS.CloudTrail.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId'>) => `${target.accountId}::${CLOUDTRAIL_META_TYPE}`;

const rescanAccount = { action: 'rescan-account' } as const;

export const CLOUDTRAIL_META: ResourceType<TrailMetaRef> = {
  type: CLOUDTRAIL_META_TYPE,
  service: 'cloudtrail',
  scope: 'global',
  eventSource: 'cloudtrail.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const seen = await perRegion(ctx, async (region) => {
      const out = await ctx.clients.get(CloudTrailClient, region).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      return out.trailList ?? [];
    });
    const trails = new Map<string, Trail>();
    for (const { value } of seen) for (const t of value) if (t.TrailARN && !trails.has(t.TrailARN)) trails.set(t.TrailARN, t);
    const arns = [...trails.keys()].sort();
    const selectors: unknown[] = [];
    const advanced: unknown[] = [];
    const details = await Promise.all(arns.filter((arn) => trails.get(arn)!.IsMultiRegionTrail).map((arn) => trailDetails(ctx, trails.get(arn)!, { tags: false })));
    for (const d of details) {
      // Gone since it was listed, or not logging: it records nothing.
      if (!d?.status.IsLogging) continue;
      selectors.push(...(shapeList(EventSelector$, d.selectors.EventSelectors) ?? []));
      advanced.push(...(shapeList(AdvancedEventSelector$, d.selectors.AdvancedEventSelectors) ?? []));
    }
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: CLOUDTRAIL_META_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: CLOUDTRAIL_META_TYPE,
      Tags: null,
      // [] when there is none, as Panther's model has it.
      Trails: arns,
      GlobalEventSelectors: selectors.length > 0 ? selectors : null,
      GlobalAdvancedEventSelectors: advanced.length > 0 ? advanced : null,
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    CreateTrail: rescanAccount,
    DeleteTrail: rescanAccount,
    UpdateTrail: rescanAccount,
    StartLogging: rescanAccount,
    StopLogging: rescanAccount,
    PutEventSelectors: rescanAccount,
  },

  // SecurityAudit covers every call: ec2:DescribeRegions, cloudtrail:DescribeTrails,
  // GetTrailStatus, GetEventSelectors.
  // Nothing to list; per scope DescribeRegions, per scanned region DescribeTrails (GetTrailStatus
  // and GetEventSelectors per multi-region trail come on top).
  apiCalls: { perPage: 0, perResource: 0, perScope: 1, perRegion: 1 },
  iamActions: [],

  attributes: [
    { name: 'Trails', type: 'list<string>', description: 'ARNs of every trail that logs the account, sorted: its own trails of all enabled regions and organization trails; [] when there is none (Panther\'s model).' },
    { name: 'GlobalEventSelectors', type: 'list<EventSelector> | null', description: 'The basic event selectors {ReadWriteType, IncludeManagementEvents, DataResources, ExcludeManagementEventSources} of every multi-region trail that is logging; null when none.' },
    { name: 'GlobalAdvancedEventSelectors', type: 'list<AdvancedEventSelector> | null', description: 'The advanced event selectors {Name, FieldSelectors} of every multi-region trail that is logging; null when none.' },
  ],
};
