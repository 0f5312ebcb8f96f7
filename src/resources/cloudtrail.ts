/**
 * AWS.CloudTrail — trails, scanned once per account (a global scope) and paged by region: each
 * page is one enabled region's DescribeTrails with includeShadowTrails false, i.e. the trails
 * whose home is that region, so every trail is listed exactly once. A trail's own APIs are called
 * in its home region. Organization trails appear only in the management account that owns them
 * (member accounts see them in AWS.CloudTrail.Meta).
 */
import {
  AdvancedEventSelector$,
  CloudTrailClient,
  DescribeTrailsCommand,
  EventSelector$,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  GetTrailStatusResponse$,
  ListTagsCommand,
  Trail$,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { enabledRegions } from './account-regions.ts';
import { hasErrorCode } from './aws-errors.ts';
import { shape, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';
import { S3_BUCKET_TYPE } from './s3-bucket.ts';

export interface TrailRef {
  name: string;
  /** The trail's home region (where its write events are recorded). */
  region: string;
  arn?: string;
}

export const CLOUDTRAIL_TYPE = 'AWS.CloudTrail';

const TRAIL_ARN = /^arn:([^:]+):cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/;

export function trailArn(target: Pick<ScanTarget, 'partition' | 'accountId'>, region: string, name: string): string {
  return `arn:${target.partition}:cloudtrail:${region}:${target.accountId}:trail/${name}`;
}

/** A trail name or ARN as a ref; a bare name lives in `region` (its home, where it was called). */
export function toTrailRef(nameOrArn: string, region: string): TrailRef {
  const m = TRAIL_ARN.exec(nameOrArn);
  return m ? { name: m[4]!, region: m[2]!, arn: nameOrArn } : { name: nameOrArn, region };
}

/** Trails an event names: request `name` / `trailName` / `resourceId` (name or ARN), response
 *  `trailARN`. Trail write calls are made in the trail's home region. */
export function trailRefs(d: CloudTrailDetail): TrailRef[] {
  const refs = new Map<string, TrailRef>();
  const add = (v: unknown) => {
    if (typeof v !== 'string' || !v) return;
    if (v.startsWith('arn:') && !TRAIL_ARN.test(v)) return;
    const ref = toTrailRef(v, d.awsRegion);
    const key = `${ref.region}/${ref.name}`;
    if (!refs.has(key) || ref.arn) refs.set(key, ref);
  };
  const req = d.requestParameters ?? {};
  add(req.name);
  add(req.trailName);
  add(req.resourceId);
  add(d.responseElements?.trailARN);
  return [...refs.values()];
}

const cacheKey = (arn: string) => `cloudtrail:trail:${arn}`;

/** Status, event selectors (basic and advanced) and tags of one trail, from its home region;
 *  null when the trail is gone. */
export async function trailDetails(ctx: ScanContext, trail: Trail, opts: { tags: boolean }) {
  const arn = trail.TrailARN!;
  const ct = ctx.clients.get(CloudTrailClient, trail.HomeRegion ?? TRAIL_ARN.exec(arn)?.[2] ?? ctx.region);
  try {
    const [status, selectors, tags] = await Promise.all([
      ct.send(new GetTrailStatusCommand({ Name: arn })),
      ct.send(new GetEventSelectorsCommand({ TrailName: arn })),
      opts.tags ? ct.send(new ListTagsCommand({ ResourceIdList: [arn] })) : undefined,
    ]);
    return { status, selectors, tags: tags?.ResourceTagList?.find((t) => t.ResourceId === arn)?.TagsList ?? tags?.ResourceTagList?.[0]?.TagsList };
  } catch (e) {
    if (hasErrorCode(e, 'TrailNotFoundException')) return null;
    throw e;
  }
}

/** The trail a ref names, from this scope's listing or DescribeTrails in its home region. */
async function findTrail(ctx: ScanContext, ref: TrailRef, arn: string): Promise<Trail | null> {
  const listed = await take<Trail>(ctx, cacheKey(arn));
  if (listed) return listed;
  const ct = ctx.clients.get(CloudTrailClient, ref.region);
  try {
    const out = await ct.send(new DescribeTrailsCommand({ trailNameList: [arn], includeShadowTrails: false }));
    return (out.trailList ?? []).find((t) => t.TrailARN === arn) ?? null;
  } catch (e) {
    if (hasErrorCode(e, 'TrailNotFoundException')) return null;
    throw e;
  }
}

const rescan: EventRule<TrailRef> = { action: 'rescan', refs: trailRefs };

export const CLOUDTRAIL: ResourceType<TrailRef> = {
  type: CLOUDTRAIL_TYPE,
  asffType: 'AwsCloudTrailTrail',
  service: 'cloudtrail',
  scope: 'global',
  eventSource: 'cloudtrail.amazonaws.com',

  async list(ctx, pageToken) {
    const regions = await enabledRegions(ctx);
    // The token is the next region to list (regions sorted; a region gone since is skipped).
    const region = pageToken === undefined ? regions[0] : regions.find((r) => r >= pageToken);
    if (!region) return { refs: [] };
    const next = regions[regions.indexOf(region) + 1];
    const out = await ctx.clients.get(CloudTrailClient, region).send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    const refs: TrailRef[] = [];
    for (const trail of out.trailList ?? []) {
      const m = trail.TrailARN ? TRAIL_ARN.exec(trail.TrailARN) : null;
      // Another account's (organization) trail, or a shadow of another region's trail.
      if (!m || !trail.Name || m[3] !== ctx.accountId || (trail.HomeRegion ?? m[2]) !== region) continue;
      remember(ctx, cacheKey(trail.TrailARN!), trail);
      refs.push({ name: trail.Name, region, arn: trail.TrailARN! });
    }
    return { refs, ...(next ? { nextPageToken: next } : {}) };
  },

  async describe(ctx, ref) {
    const arn = ref.arn ?? trailArn(ctx, ref.region, ref.name);
    const trail = await findTrail(ctx, ref, arn);
    if (!trail?.TrailARN) return null;
    const details = await trailDetails(ctx, trail, { tags: true });
    if (!details) return null;
    const fields = shape(Trail$, trail) as Record<string, unknown>;
    const resource: Resource = {
      ResourceId: trail.TrailARN,
      ResourceType: CLOUDTRAIL_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: trail.HomeRegion ?? ref.region,
      Arn: trail.TrailARN,
      Id: null,
      Name: trail.Name ?? ref.name,
      Tags: tagMap(details.tags),
      ...fields,
      Status: shape(GetTrailStatusResponse$, details.status),
      EventSelectors: shapeList(EventSelector$, details.selectors.EventSelectors),
      AdvancedEventSelectors: shapeList(AdvancedEventSelector$, details.selectors.AdvancedEventSelectors),
    };
    return resource;
  },

  resourceId(target, ref) {
    return ref.arn ?? trailArn(target, ref.region, ref.name);
  },

  events: {
    CreateTrail: rescan,
    DeleteTrail: { action: 'delete', refs: trailRefs },
    UpdateTrail: rescan,
    StartLogging: rescan,
    StopLogging: rescan,
    PutEventSelectors: rescan,
    PutInsightSelectors: rescan,
    AddTags: rescan,
    RemoveTags: rescan,
  },

  // SecurityAudit covers every call: ec2:DescribeRegions, cloudtrail:DescribeTrails,
  // GetTrailStatus, GetEventSelectors, ListTags.
  // DescribeTrails per page (one page per enabled region); per trail GetTrailStatus,
  // GetEventSelectors, ListTags; per scope DescribeRegions.
  apiCalls: { perPage: 1, perResource: 3, perScope: 1 },
  // A logging trail delivers every few minutes: delivery times move without any change to the trail.
  volatileAttributes: [
    'Status.LatestDeliveryTime',
    'Status.LatestDeliveryAttemptTime',
    'Status.LatestDeliveryAttemptSucceeded',
    'Status.LatestCloudWatchLogsDeliveryTime',
    'Status.LatestDigestDeliveryTime',
    'Status.LatestDigestAttemptTime',
    'Status.LatestDigestAttemptSucceeded',
    'Status.LatestNotificationTime',
    'Status.LatestNotificationAttemptTime',
    'Status.LatestNotificationAttemptSucceeded',
    'Status.TimeLoggingStarted',
    'Status.TimeLoggingStopped',
  ],
  iamActions: [],
  // AWS.CloudTrail.BucketAccessLogging (CIS 3.4) reads the trail's bucket with resource_lookup.
  lookupsFrom: [S3_BUCKET_TYPE],

  attributes: [
    { name: 'CloudWatchLogsLogGroupArn', type: 'string | null', description: 'The CloudWatch Logs log group the trail delivers to; null when none.' },
    { name: 'CloudWatchLogsRoleArn', type: 'string | null', description: 'The role CloudTrail assumes to write to CloudWatch Logs; null when none.' },
    { name: 'HasCustomEventSelectors', type: 'boolean', description: 'Whether the trail has (basic or advanced) event selectors set.' },
    { name: 'HasInsightSelectors', type: 'boolean', description: 'Whether the trail has Insights selectors.' },
    { name: 'HomeRegion', type: 'string', description: 'The region the trail was created in (also the resource\'s Region).' },
    { name: 'IncludeGlobalServiceEvents', type: 'boolean', description: 'Whether events of global services (IAM, STS, CloudFront) are logged.' },
    { name: 'IsMultiRegionTrail', type: 'boolean', description: 'Whether the trail logs every region.' },
    { name: 'IsOrganizationTrail', type: 'boolean', description: 'Whether the trail logs every account of the organization.' },
    { name: 'KmsKeyId', type: 'string | null', description: 'The KMS key ARN that encrypts the log files (SSE-KMS); null when S3-managed encryption is used.' },
    { name: 'LogFileValidationEnabled', type: 'boolean', description: 'Whether log file integrity validation (digest files) is on.' },
    { name: 'RecursiveLogging', type: 'boolean | null', description: 'Modeled by the SDK, not documented by AWS; null when not reported.' },
    { name: 'S3BucketName', type: 'string', description: 'The bucket the log files are delivered to.' },
    { name: 'S3KeyPrefix', type: 'string | null', description: 'The key prefix of the log files; null when none.' },
    { name: 'SnsTopicARN', type: 'string | null', description: 'The SNS topic notified of log file delivery; null when none.' },
    { name: 'SnsTopicName', type: 'string | null', description: 'Deprecated by AWS: the topic name; null when none.' },
    { name: 'TrailARN', type: 'string', description: 'The trail ARN.' },
    { name: 'Status', type: 'GetTrailStatusResponse', description: 'GetTrailStatus {IsLogging, LatestDeliveryError, LatestDeliveryTime, StartLoggingTime, StopLoggingTime, LatestCloudWatchLogsDeliveryError, LatestCloudWatchLogsDeliveryTime, LatestDigestDeliveryTime, LatestDigestDeliveryError, ...}, every member present.' },
    { name: 'EventSelectors', type: 'list<EventSelector> | null', description: 'GetEventSelectors basic selectors {ReadWriteType, IncludeManagementEvents, DataResources, ExcludeManagementEventSources}; null when the trail uses advanced selectors.' },
    { name: 'AdvancedEventSelectors', type: 'list<AdvancedEventSelector> | null', description: 'GetEventSelectors advanced selectors {Name, FieldSelectors [{Field, Equals, StartsWith, EndsWith, NotEquals, NotStartsWith, NotEndsWith}]}; null when the trail uses basic selectors.' },
  ],
};
