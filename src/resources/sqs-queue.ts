/**
 * AWS.SQS.Queue — regional. ListQueues (queue URLs), then per queue GetQueueAttributes (All) and
 * ListQueueTags. The queue attributes are AWS strings in a map; they are kept verbatim as
 * top-level keys (`Policy` stays the JSON string AWS returns), null when AWS omits one.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import { hasErrorCode } from './aws-errors.ts';
import { iso } from './shape.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { AttributeDoc, CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface QueueRef {
  name: string;
  /** The queue URL when known (listing, most events); otherwise GetQueueUrl finds it. */
  url?: string;
}

export const SQS_QUEUE_TYPE = 'AWS.SQS.Queue';

export const queueArn = (target: ScanTarget, name: string) => `arn:${target.partition}:sqs:${target.region}:${target.accountId}:${name}`;

/** The queue name of a queue URL (`https://sqs.<region>.amazonaws.com/<acct>/<name>`). */
export const queueNameOfUrl = (url: string): string | undefined => /\/\d{12}\/([^/?#]+)\/?$/.exec(url)?.[1];

/** GetQueueAttributes' attributes (QueueAttributeName, without All), each a top-level key. */
const QUEUE_ATTRIBUTES: readonly [string, string, string][] = [
  ['QueueArn', 'string', 'The queue ARN (also ResourceId and Arn).'],
  ['Policy', 'string | null', 'The queue\'s access policy as a JSON string; null when it has none.'],
  ['VisibilityTimeout', 'string', 'Seconds a received message stays hidden (0-43200), as the API\'s string.'],
  ['MaximumMessageSize', 'string', 'Largest message in bytes, as a string.'],
  ['MessageRetentionPeriod', 'string', 'Seconds a message is kept (60-1209600), as a string.'],
  ['ApproximateNumberOfMessages', 'string', 'Approximate number of messages available (changes without configuration change: left out of the change hash).'],
  ['ApproximateNumberOfMessagesNotVisible', 'string', 'Approximate number of in-flight messages (volatile, like the above).'],
  ['ApproximateNumberOfMessagesDelayed', 'string', 'Approximate number of delayed messages (volatile, like the above).'],
  ['CreatedTimestamp', 'string', 'Creation time in epoch seconds, as a string (TimeCreated gives it as RFC 3339).'],
  ['LastModifiedTimestamp', 'string', 'Last attribute change in epoch seconds, as a string.'],
  ['DelaySeconds', 'string', 'Default delivery delay in seconds, as a string.'],
  ['ReceiveMessageWaitTimeSeconds', 'string', 'Long-polling wait time in seconds, as a string.'],
  ['RedrivePolicy', 'string | null', 'Dead-letter queue settings as a JSON string {deadLetterTargetArn, maxReceiveCount}; null when none.'],
  ['RedriveAllowPolicy', 'string | null', 'Which source queues may use this queue as their dead-letter queue (JSON string); null when unset.'],
  ['FifoQueue', 'string | null', '"true" for a FIFO queue; null for a standard queue.'],
  ['ContentBasedDeduplication', 'string | null', 'FIFO only: "true" or "false".'],
  ['DeduplicationScope', 'string | null', 'FIFO only: messageGroup or queue.'],
  ['FifoThroughputLimit', 'string | null', 'FIFO only: perQueue or perMessageGroupId.'],
  ['KmsMasterKeyId', 'string | null', 'The KMS key of SSE-KMS encryption (ID, ARN or alias); null without SSE-KMS.'],
  ['KmsDataKeyReusePeriodSeconds', 'string | null', 'SSE-KMS data key reuse period in seconds, as a string; null without SSE-KMS.'],
  ['SqsManagedSseEnabled', 'string | null', '"true" when encrypted with SQS-owned keys (SSE-SQS); "false" or null otherwise.'],
];

const VOLATILE = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];

/** Queues an event names: request `queueUrl`, `queueName` (CreateQueue), response `queueUrl`. */
export function queueRefsOf(d: CloudTrailDetail): QueueRef[] {
  const urls = distinct([req(d, 'queueUrl'), res(d, 'queueUrl')]);
  const byName = new Map<string, QueueRef>();
  for (const url of urls) {
    const name = queueNameOfUrl(url);
    if (name) byName.set(name, { name, url });
  }
  const created = req(d, 'queueName');
  if (created && !byName.has(created)) byName.set(created, { name: created });
  return [...byName.values()];
}

const rescan: EventRule<QueueRef> = { action: 'rescan', refs: queueRefsOf };

export interface SqsQueueOptions {
  /** ListQueues MaxResults per page (1–1000). */
  pageSize?: number;
}

export function makeSqsQueueType(opts: SqsQueueOptions = {}): ResourceType<QueueRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: SQS_QUEUE_TYPE,
    asffType: 'AwsSqsQueue',
    service: 'sqs',
    scope: 'regional',
    eventSource: 'sqs.amazonaws.com',

    async list(ctx, pageToken) {
      const sqs = ctx.clients.get(SQSClient, ctx.region);
      const page = await sqs.send(new ListQueuesCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.QueueUrls ?? []).flatMap((url) => {
        const name = queueNameOfUrl(url);
        return name ? [{ name, url }] : [];
      });
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const sqs = ctx.clients.get(SQSClient, ctx.region);
      try {
        const QueueUrl = ref.url ?? (await sqs.send(new GetQueueUrlCommand({ QueueName: ref.name }))).QueueUrl!;
        const [attrs, tags] = await Promise.all([
          sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
          sqs.send(new ListQueueTagsCommand({ QueueUrl })),
        ]);
        const a: Record<string, string | undefined> = attrs.Attributes ?? {};
        const arn = a.QueueArn ?? queueArn(ctx, ref.name);
        const created = a.CreatedTimestamp ? iso(new Date(Number(a.CreatedTimestamp) * 1000)) : null;
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: SQS_QUEUE_TYPE,
          TimeCreated: created,
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: QueueUrl,
          Name: ref.name,
          Tags: tags.Tags && Object.keys(tags.Tags).length > 0 ? { ...tags.Tags } : null,
          QueueUrl,
          ...Object.fromEntries(QUEUE_ATTRIBUTES.map(([name]) => [name, a[name] ?? null])),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return queueArn(target, ref.name);
    },

    events: {
      CreateQueue: rescan,
      DeleteQueue: { action: 'delete', refs: queueRefsOf },
      SetQueueAttributes: rescan,
      AddPermission: rescan,
      RemovePermission: rescan,
      TagQueue: rescan,
      UntagQueue: rescan,
    },

    // SecurityAudit covers every call: sqs:ListQueues, sqs:GetQueueAttributes, sqs:ListQueueTags
    // (and sqs:GetQueueUrl for a rescan named only by CreateQueue's queueName).
    // ListQueues per page; per queue GetQueueAttributes and ListQueueTags.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    volatileAttributes: VOLATILE,

    attributes: [
      { name: 'QueueUrl', type: 'string', description: 'The queue URL (also Id).' },
      ...QUEUE_ATTRIBUTES.map(([name, type, description]): AttributeDoc => ({ name, type, description })),
    ],
  };
}

export const SQS_QUEUE: ResourceType<QueueRef> = makeSqsQueueType();
