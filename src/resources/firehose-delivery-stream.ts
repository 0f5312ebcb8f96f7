/**
 * AWS.Firehose.DeliveryStream — regional. ListDeliveryStreams (paged by
 * ExclusiveStartDeliveryStreamName/HasMoreDeliveryStreams), then per stream DescribeDeliveryStream
 * and ListTagsForDeliveryStream. A Splunk destination's HEC token comes back in the describe:
 * it is a secret attribute (redacted before anything keeps it).
 */
import { DeliveryStreamDescription$, DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand, ListTagsForDeliveryStreamCommand, type Tag } from '@aws-sdk/client-firehose';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DeliveryStreamRef {
  name: string;
}

export const FIREHOSE_DELIVERY_STREAM_TYPE = 'AWS.Firehose.DeliveryStream';

export const deliveryStreamArn = (target: ScanTarget, name: string) => `arn:${target.partition}:firehose:${target.region}:${target.accountId}:deliverystream/${name}`;

/** Delivery streams an event names: request `deliveryStreamName`. */
export function deliveryStreamRefsOf(d: CloudTrailDetail): DeliveryStreamRef[] {
  return distinct([req(d, 'deliveryStreamName')]).map((name) => ({ name }));
}

const rescan: EventRule<DeliveryStreamRef> = { action: 'rescan', refs: deliveryStreamRefsOf };

async function allTags(firehose: FirehoseClient, DeliveryStreamName: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let ExclusiveStartTagKey: string | undefined;
  for (;;) {
    const page = await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName, ExclusiveStartTagKey }));
    tags.push(...(page.Tags ?? []));
    ExclusiveStartTagKey = page.HasMoreTags ? page.Tags?.at(-1)?.Key : undefined;
    if (!ExclusiveStartTagKey) return tags;
  }
}

export interface FirehoseDeliveryStreamOptions {
  /** ListDeliveryStreams Limit per page (1–10000). */
  pageSize?: number;
}

export function makeFirehoseDeliveryStreamType(opts: FirehoseDeliveryStreamOptions = {}): ResourceType<DeliveryStreamRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: FIREHOSE_DELIVERY_STREAM_TYPE,
    service: 'firehose',
    scope: 'regional',
    eventSource: 'firehose.amazonaws.com',

    async list(ctx, pageToken) {
      const firehose = ctx.clients.get(FirehoseClient, ctx.region);
      const page = await firehose.send(new ListDeliveryStreamsCommand({ Limit: pageSize, ExclusiveStartDeliveryStreamName: pageToken }));
      const names = page.DeliveryStreamNames ?? [];
      const last = names.at(-1);
      return { refs: names.map((name) => ({ name })), ...(page.HasMoreDeliveryStreams && last ? { nextPageToken: last } : {}) };
    },

    async describe(ctx, ref) {
      const firehose = ctx.clients.get(FirehoseClient, ctx.region);
      try {
        const [{ DeliveryStreamDescription: s }, tags] = await Promise.all([
          firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: ref.name })),
          allTags(firehose, ref.name),
        ]);
        if (!s?.DeliveryStreamName) return null;
        const arn = s.DeliveryStreamARN ?? deliveryStreamArn(ctx, s.DeliveryStreamName);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: FIREHOSE_DELIVERY_STREAM_TYPE,
          TimeCreated: iso(s.CreateTimestamp),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: s.DeliveryStreamName,
          Tags: tagMap(tags),
          ...apiFields(shape(DeliveryStreamDescription$, s)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return deliveryStreamArn(target, ref.name);
    },

    events: {
      CreateDeliveryStream: { action: 'rescan', refs: deliveryStreamRefsOf, settleSeconds: 30 },
      DeleteDeliveryStream: { action: 'delete', refs: deliveryStreamRefsOf },
      UpdateDestination: rescan,
      StartDeliveryStreamEncryption: rescan,
      StopDeliveryStreamEncryption: rescan,
      TagDeliveryStream: rescan,
      UntagDeliveryStream: rescan,
    },

    // SecurityAudit covers every call: firehose:ListDeliveryStreams, DescribeDeliveryStream,
    // ListTagsForDeliveryStream. ListDeliveryStreams per page; per stream DescribeDeliveryStream
    // and ListTagsForDeliveryStream.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    // DescribeDeliveryStream returns a Splunk destination's HTTP Event Collector token.
    secretAttributes: ['Destinations[].SplunkDestinationDescription.HECToken'],

    attributes: [
      { name: 'DeliveryStreamName', type: 'string', description: 'The delivery stream name (also Name).' },
      { name: 'DeliveryStreamARN', type: 'string', description: 'The delivery stream ARN (also ResourceId and Arn).' },
      { name: 'DeliveryStreamStatus', type: 'string', description: 'CREATING, CREATING_FAILED, DELETING, DELETING_FAILED or ACTIVE.' },
      { name: 'DeliveryStreamType', type: 'string', description: 'DirectPut, KinesisStreamAsSource, MSKAsSource or DatabaseAsSource.' },
      { name: 'VersionId', type: 'string', description: 'The configuration version (changes with each UpdateDestination).' },
      { name: 'Destinations', type: 'list<DestinationDescription>', description: 'Each destination {DestinationId, S3DestinationDescription, ExtendedS3DestinationDescription, RedshiftDestinationDescription, ElasticsearchDestinationDescription, AmazonopensearchserviceDestinationDescription, SplunkDestinationDescription (HECToken redacted), HttpEndpointDestinationDescription, SnowflakeDestinationDescription, AmazonOpenSearchServerlessDestinationDescription, IcebergDestinationDescription}, with buffering, compression, encryption and CloudWatch logging options.' },
      { name: 'HasMoreDestinations', type: 'boolean', description: 'Whether more destinations exist than were returned.' },
      { name: 'FailureDescription', type: '{Type, Details} | null', description: 'Why the stream failed, when it did.' },
      { name: 'DeliveryStreamEncryptionConfiguration', type: '{KeyARN, KeyType, Status, FailureDescription} | null', description: 'Server-side encryption: KeyType AWS_OWNED_CMK or CUSTOMER_MANAGED_CMK, Status ENABLED, ENABLING, DISABLED, ...; null when never configured.' },
      { name: 'CreateTimestamp', type: 'timestamp', description: 'When the stream was created (also TimeCreated).' },
      { name: 'LastUpdateTimestamp', type: 'timestamp | null', description: 'When the stream was last updated.' },
      { name: 'Source', type: 'SourceDescription | null', description: 'The source of a stream that does not take direct puts: {KinesisStreamSourceDescription, MSKSourceDescription, DatabaseSourceDescription, DirectPutSourceDescription}.' },
    ],
  };
}

export const FIREHOSE_DELIVERY_STREAM: ResourceType<DeliveryStreamRef> = makeFirehoseDeliveryStreamType();
