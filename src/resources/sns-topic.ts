/**
 * AWS.SNS.Topic — regional. ListTopics (topic ARNs, 100 a page), then per topic
 * GetTopicAttributes and ListTagsForResource. The topic attributes are AWS strings in a map; they
 * are kept verbatim as top-level keys (`Policy` stays the JSON string AWS returns), null when
 * AWS omits one.
 */
import { GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { hasErrorCode } from './aws-errors.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { AttributeDoc, CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface TopicRef {
  /** The topic name (the last part of its ARN). */
  name: string;
}

export const SNS_TOPIC_TYPE = 'AWS.SNS.Topic';

export const topicArn = (target: ScanTarget, name: string) => `arn:${target.partition}:sns:${target.region}:${target.accountId}:${name}`;

const topicName = (arn: string | undefined) => {
  const p = parseArn(arn);
  return p?.service === 'sns' && !p.resource.includes(':') ? p.resource : undefined;
};

const FEEDBACK = ['Application', 'HTTP', 'Firehose', 'Lambda', 'SQS'].flatMap((proto): [string, string, string][] => [
  [`${proto}SuccessFeedbackRoleArn`, 'string | null', `Delivery-status logging: the role SNS uses to log successful ${proto} deliveries; null when not logged.`],
  [`${proto}SuccessFeedbackSampleRate`, 'string | null', `Delivery-status logging: the percentage (0-100, a string) of successful ${proto} deliveries logged.`],
  [`${proto}FailureFeedbackRoleArn`, 'string | null', `Delivery-status logging: the role SNS uses to log failed ${proto} deliveries; null when not logged.`],
]);

/** GetTopicAttributes' attributes, each a top-level key. */
const TOPIC_ATTRIBUTES: readonly [string, string, string][] = [
  ['TopicArn', 'string', 'The topic ARN (also ResourceId, Arn and Id).'],
  ['Owner', 'string', 'The account that owns the topic.'],
  ['Policy', 'string | null', 'The topic\'s access policy as a JSON string.'],
  ['DisplayName', 'string | null', 'The display name used in SMS and email "From" fields ("" when unset).'],
  ['SubscriptionsConfirmed', 'string', 'Number of confirmed subscriptions (changes without configuration change: left out of the change hash).'],
  ['SubscriptionsPending', 'string', 'Number of pending subscriptions (volatile, like the above).'],
  ['SubscriptionsDeleted', 'string', 'Number of deleted subscriptions (volatile, like the above).'],
  ['DeliveryPolicy', 'string | null', 'The HTTP/S delivery retry policy as a JSON string; null when unset.'],
  ['EffectiveDeliveryPolicy', 'string | null', 'The delivery policy in effect (with defaults) as a JSON string.'],
  ['KmsMasterKeyId', 'string | null', 'The KMS key (ID, ARN or alias) encrypting the topic at rest; null when not encrypted.'],
  ['SignatureVersion', 'string | null', 'Message signature version: "1" (SHA1) or "2" (SHA256).'],
  ['TracingConfig', 'string | null', 'X-Ray tracing: PassThrough or Active.'],
  ['FifoTopic', 'string | null', '"true" for a FIFO topic; null for a standard topic.'],
  ['ContentBasedDeduplication', 'string | null', 'FIFO only: "true" or "false".'],
  ['FifoThroughputScope', 'string | null', 'FIFO only: Topic or MessageGroup.'],
  ['ArchivePolicy', 'string | null', 'FIFO only: the message archive policy as a JSON string; null when none.'],
  ['BeginningArchiveTime', 'string | null', 'FIFO only: the earliest archived message time.'],
  ...FEEDBACK,
];

const VOLATILE = ['SubscriptionsConfirmed', 'SubscriptionsPending', 'SubscriptionsDeleted'];

/** Topics an event names: request `topicArn`/`resourceArn`, CreateTopic's `name` (and its response `topicArn`). */
export function topicRefsOf(d: CloudTrailDetail): TopicRef[] {
  const fromArns = [topicName(req(d, 'topicArn')), topicName(req(d, 'resourceArn')), topicName(res(d, 'topicArn'))];
  const created = d.eventName === 'CreateTopic' ? req(d, 'name') : undefined;
  return distinct([...fromArns, created]).map((name) => ({ name }));
}

const rescan: EventRule<TopicRef> = { action: 'rescan', refs: topicRefsOf };

export function makeSnsTopicType(): ResourceType<TopicRef> {
  return {
    type: SNS_TOPIC_TYPE,
    asffType: 'AwsSnsTopic',
    service: 'sns',
    scope: 'regional',
    eventSource: 'sns.amazonaws.com',

    // ListTopics has no page-size parameter: AWS returns up to 100 topics a page.
    async list(ctx, pageToken) {
      const sns = ctx.clients.get(SNSClient, ctx.region);
      const page = await sns.send(new ListTopicsCommand({ NextToken: pageToken }));
      const refs = (page.Topics ?? []).flatMap((t) => {
        const name = topicName(t.TopicArn);
        return name ? [{ name }] : [];
      });
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const sns = ctx.clients.get(SNSClient, ctx.region);
      const TopicArn = topicArn(ctx, ref.name);
      try {
        const [attrs, tags] = await Promise.all([
          sns.send(new GetTopicAttributesCommand({ TopicArn })),
          sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn })),
        ]);
        const a = attrs.Attributes ?? {};
        const resource: Resource = {
          ResourceId: TopicArn,
          ResourceType: SNS_TOPIC_TYPE,
          // SNS does not report when a topic was created.
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: TopicArn,
          Id: TopicArn,
          Name: ref.name,
          Tags: tags.Tags && tags.Tags.length > 0 ? Object.fromEntries(tags.Tags.map((t) => [t.Key, t.Value ?? ''])) : null,
          ...Object.fromEntries(TOPIC_ATTRIBUTES.map(([name]) => [name, a[name] ?? null])),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NotFound', 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return topicArn(target, ref.name);
    },

    events: {
      CreateTopic: rescan,
      DeleteTopic: { action: 'delete', refs: topicRefsOf },
      SetTopicAttributes: rescan,
      AddPermission: rescan,
      RemovePermission: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      PutDataProtectionPolicy: rescan,
    },

    // SecurityAudit covers every call: sns:ListTopics, sns:GetTopicAttributes, sns:ListTagsForResource.
    // ListTopics per page; per topic GetTopicAttributes and ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    volatileAttributes: VOLATILE,

    attributes: TOPIC_ATTRIBUTES.map(([name, type, description]): AttributeDoc => ({ name, type, description })),
  };
}

export const SNS_TOPIC: ResourceType<TopicRef> = makeSnsTopicType();
