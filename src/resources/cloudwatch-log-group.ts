/**
 * AWS.CloudWatch.LogGroup — regional. DescribeLogGroups pages already return whole log groups;
 * `list` keeps them in the scope cache, `describe` adds the tags (ListTagsForResource) and asks
 * DescribeLogGroups only for refs that did not come from this scope's listing.
 *
 * The CloudWatch Logs API names members in camelCase; the model capitalizes them
 * (`retentionInDays` → `RetentionInDays`) as Panther's model does.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand, LogGroup$, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { hasErrorCode } from './aws-errors.ts';
import { iso } from './shape.ts';
import { apiFields, pascalShape } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface LogGroupRef {
  name: string;
}

export const LOG_GROUP_TYPE = 'AWS.CloudWatch.LogGroup';

const cacheKey = (region: string, name: string) => `logs:log-group:${region}:${name}`;

/** The log group ARN without the trailing `:*` DescribeLogGroups' `arn` carries. */
export function logGroupArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:logs:${target.region}:${target.accountId}:log-group:${name}`;
}

/** DescribeLogGroups by prefix, paged until the exact name turns up. */
async function findLogGroup(logs: CloudWatchLogsClient, name: string): Promise<LogGroup | undefined> {
  let token: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken: token }));
    const hit = page.logGroups?.find((g) => g.logGroupName === name);
    if (hit) return hit;
    token = page.nextToken;
  } while (token);
  return undefined;
}

async function model(ctx: ScanContext, logs: CloudWatchLogsClient, group: LogGroup): Promise<Resource | null> {
  const name = group.logGroupName!;
  const arn = logGroupArn(ctx, name);
  let tags: Record<string, string> | undefined;
  try {
    tags = (await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
  } catch (e) {
    // Deleted after listing.
    if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
    throw e;
  }
  return {
    ResourceId: arn,
    ResourceType: LOG_GROUP_TYPE,
    TimeCreated: group.creationTime === undefined ? null : iso(new Date(group.creationTime)),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: name,
    Tags: tags && Object.keys(tags).length > 0 ? tags : null,
    // `arn` (with the trailing `:*`) would collide with the common Arn; LogGroupArn is kept.
    ...apiFields(pascalShape(LogGroup$, group), 'Arn'),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** A log group name from a name or an ARN (`…:log-group:<name>` with or without `:*`). */
function nameOf(identifier: string | undefined): string | undefined {
  const arn = parseArn(identifier);
  if (!arn) return identifier;
  if (!arn.resource.startsWith('log-group:')) return undefined;
  return arn.resource.slice('log-group:'.length).replace(/:\*$/, '') || undefined;
}

/** The log group an event names: request `logGroupName`, `logGroupIdentifier` (name or ARN),
 *  `resourceIdentifier` (AssociateKmsKey by ARN) or `resourceArn` (TagResource/UntagResource). */
export function logGroupRefsOf(d: CloudTrailDetail): LogGroupRef[] {
  return distinct([
    req(d, 'logGroupName'),
    nameOf(req(d, 'logGroupIdentifier')),
    nameOf(req(d, 'resourceIdentifier')),
    nameOf(req(d, 'resourceArn')),
  ]).map((name) => ({ name }));
}

const rescan: EventRule<LogGroupRef> = { action: 'rescan', refs: logGroupRefsOf };

export interface LogGroupOptions {
  /** DescribeLogGroups limit per page (1–50). */
  pageSize?: number;
}

export function makeLogGroupType(opts: LogGroupOptions = {}): ResourceType<LogGroupRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: LOG_GROUP_TYPE,
    service: 'logs',
    scope: 'regional',
    eventSource: 'logs.amazonaws.com',

    async list(ctx, pageToken) {
      const logs = ctx.clients.get(CloudWatchLogsClient, ctx.region);
      const page = await logs.send(new DescribeLogGroupsCommand({ limit: pageSize, nextToken: pageToken }));
      const refs: LogGroupRef[] = [];
      for (const group of page.logGroups ?? []) {
        if (!group.logGroupName) continue;
        remember(ctx, cacheKey(ctx.region, group.logGroupName), group);
        refs.push({ name: group.logGroupName });
      }
      return { refs, ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      const logs = ctx.clients.get(CloudWatchLogsClient, ctx.region);
      const group = (await take<LogGroup>(ctx, cacheKey(ctx.region, ref.name))) ?? (await findLogGroup(logs, ref.name));
      return group ? model(ctx, logs, group) : null;
    },

    resourceId(target, ref) {
      return logGroupArn(target, ref.name);
    },

    events: {
      CreateLogGroup: rescan,
      DeleteLogGroup: { action: 'delete', refs: logGroupRefsOf },
      PutRetentionPolicy: rescan,
      DeleteRetentionPolicy: rescan,
      AssociateKmsKey: rescan,
      DisassociateKmsKey: rescan,
      PutMetricFilter: rescan,
      DeleteMetricFilter: rescan,
      PutDataProtectionPolicy: rescan,
      DeleteDataProtectionPolicy: rescan,
      PutLogGroupDeletionProtection: rescan,
      PutBearerTokenAuthentication: rescan,
      TagLogGroup: rescan,
      UntagLogGroup: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      // Account-level retention and data protection policies change every log group's
      // retentionPolicyName / inheritedProperties.
      PutAccountPolicy: { action: 'rescan-region' },
      DeleteAccountPolicy: { action: 'rescan-region' },
    },

    // SecurityAudit covers every call: logs:Describe* (DescribeLogGroups), logs:ListTagsForResource.
    // DescribeLogGroups per page (groups are described from it); ListTagsForResource per group.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'LogGroupName', type: 'string', description: 'The log group name (also Name).' },
      { name: 'LogGroupArn', type: 'string', description: 'The log group ARN without the trailing ":*" (also ResourceId and Arn).' },
      { name: 'CreationTime', type: 'integer', description: 'Creation time in milliseconds since the epoch, as the API answers it (TimeCreated has it as RFC 3339).' },
      { name: 'RetentionInDays', type: 'integer | null', description: 'Days events are kept; null when they never expire.' },
      { name: 'RetentionPolicyName', type: 'string | null', description: 'The account-level retention policy that sets RetentionInDays, when one applies.' },
      { name: 'MetricFilterCount', type: 'integer | null', description: 'Number of metric filters.' },
      { name: 'StoredBytes', type: 'integer | null', description: 'Bytes stored.' },
      { name: 'KmsKeyId', type: 'string | null', description: 'The KMS key ARN that encrypts the log data; null when encrypted with the service key.' },
      { name: 'DataProtectionStatus', type: 'string | null', description: 'ACTIVATED, DELETED, ARCHIVED or DISABLED: whether a data protection policy masks sensitive data.' },
      { name: 'InheritedProperties', type: 'list<string> | null', description: 'Properties inherited from account-level settings, e.g. ACCOUNT_DATA_PROTECTION.' },
      { name: 'LogGroupClass', type: 'string | null', description: 'STANDARD, INFREQUENT_ACCESS or DELIVERY.' },
      { name: 'DeletionProtectionEnabled', type: 'boolean | null', description: 'Deletion protection blocks deleting the group.' },
      { name: 'BearerTokenAuthenticationEnabled', type: 'boolean | null', description: 'Bearer token authentication is allowed.' },
    ],
  };
}

export const CLOUDWATCH_LOG_GROUP: ResourceType<LogGroupRef> = makeLogGroupType();
