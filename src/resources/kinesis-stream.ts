/**
 * AWS.Kinesis.Stream — regional. ListStreams (paged by ExclusiveStartStreamName/HasMoreStreams),
 * then per stream DescribeStreamSummary and ListTagsForStream.
 */
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand, ListTagsForStreamCommand, StreamDescriptionSummary$, type Tag } from '@aws-sdk/client-kinesis';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface StreamRef {
  name: string;
}

export const KINESIS_STREAM_TYPE = 'AWS.Kinesis.Stream';

/** A new stream is CREATING for a little while. */
const STREAM_SETTLE_SECONDS = 30;

export const streamArn = (target: ScanTarget, name: string) => `arn:${target.partition}:kinesis:${target.region}:${target.accountId}:stream/${name}`;

const streamOfArn = (arn: string | undefined) => {
  const p = parseArn(arn);
  return p?.service === 'kinesis' ? /^stream\/([^/]+)/.exec(p.resource)?.[1] : undefined;
};

/** Streams an event names: request `streamName`, `streamARN` or a consumer's/policy's ARN. */
export function streamRefsOf(d: CloudTrailDetail): StreamRef[] {
  return distinct([req(d, 'streamName'), streamOfArn(req(d, 'streamARN')), streamOfArn(req(d, 'resourceARN'))]).map((name) => ({ name }));
}

const rescan: EventRule<StreamRef> = { action: 'rescan', refs: streamRefsOf };

async function allTags(kinesis: KinesisClient, StreamName: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let ExclusiveStartTagKey: string | undefined;
  for (;;) {
    const page = await kinesis.send(new ListTagsForStreamCommand({ StreamName, ExclusiveStartTagKey }));
    tags.push(...(page.Tags ?? []));
    ExclusiveStartTagKey = page.HasMoreTags ? page.Tags?.at(-1)?.Key : undefined;
    if (!ExclusiveStartTagKey) return tags;
  }
}

export interface KinesisStreamOptions {
  /** ListStreams Limit per page (1–10000). */
  pageSize?: number;
}

export function makeKinesisStreamType(opts: KinesisStreamOptions = {}): ResourceType<StreamRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: KINESIS_STREAM_TYPE,
    asffType: 'AwsKinesisStream',
    service: 'kinesis',
    scope: 'regional',
    eventSource: 'kinesis.amazonaws.com',

    async list(ctx, pageToken) {
      const kinesis = ctx.clients.get(KinesisClient, ctx.region);
      const page = await kinesis.send(new ListStreamsCommand({ Limit: pageSize, ExclusiveStartStreamName: pageToken }));
      const names = page.StreamNames ?? [];
      const last = names.at(-1);
      return { refs: names.map((name) => ({ name })), ...(page.HasMoreStreams && last ? { nextPageToken: last } : {}) };
    },

    async describe(ctx, ref) {
      const kinesis = ctx.clients.get(KinesisClient, ctx.region);
      try {
        const [{ StreamDescriptionSummary: s }, tags] = await Promise.all([
          kinesis.send(new DescribeStreamSummaryCommand({ StreamName: ref.name })),
          allTags(kinesis, ref.name),
        ]);
        if (!s?.StreamName) return null;
        const arn = s.StreamARN ?? streamArn(ctx, s.StreamName);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: KINESIS_STREAM_TYPE,
          TimeCreated: iso(s.StreamCreationTimestamp),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: s.StreamId ?? null,
          Name: s.StreamName,
          Tags: tagMap(tags),
          ...apiFields(shape(StreamDescriptionSummary$, s)),
          // A set: AWS answers in no fixed order, which must not read as a change.
          EnhancedMonitoring: (s.EnhancedMonitoring ?? []).map((m) => ({ ShardLevelMetrics: m.ShardLevelMetrics ? [...m.ShardLevelMetrics].sort() : null })),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return streamArn(target, ref.name);
    },

    events: {
      CreateStream: { action: 'rescan', refs: streamRefsOf, settleSeconds: STREAM_SETTLE_SECONDS },
      DeleteStream: { action: 'delete', refs: streamRefsOf },
      StartStreamEncryption: rescan,
      StopStreamEncryption: rescan,
      IncreaseStreamRetentionPeriod: rescan,
      DecreaseStreamRetentionPeriod: rescan,
      EnableEnhancedMonitoring: rescan,
      DisableEnhancedMonitoring: rescan,
      UpdateShardCount: rescan,
      UpdateStreamMode: rescan,
      SplitShard: rescan,
      MergeShards: rescan,
      AddTagsToStream: rescan,
      RemoveTagsFromStream: rescan,
      RegisterStreamConsumer: rescan,
      DeregisterStreamConsumer: rescan,
    },

    // SecurityAudit covers every call: kinesis:ListStreams, DescribeStreamSummary, ListTagsForStream.
    // ListStreams per page; per stream DescribeStreamSummary and ListTagsForStream.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'StreamName', type: 'string', description: 'The stream name (also Name).' },
      { name: 'StreamARN', type: 'string', description: 'The stream ARN (also ResourceId and Arn).' },
      { name: 'StreamStatus', type: 'string', description: 'CREATING, DELETING, ACTIVE or UPDATING.' },
      { name: 'RetentionPeriodHours', type: 'integer', description: 'How long records are kept (24-8760 hours).' },
      { name: 'StreamCreationTimestamp', type: 'timestamp', description: 'When the stream was created (also TimeCreated).' },
      { name: 'EnhancedMonitoring', type: 'list<{ShardLevelMetrics}>', description: 'Shard-level metrics turned on (sorted).' },
      { name: 'OpenShardCount', type: 'integer', description: 'Number of open shards.' },
      { name: 'StreamId', type: 'string | null', description: 'The stream\'s unique ID (also Id), when AWS reports it.' },
      { name: 'StreamModeDetails', type: '{StreamMode}', description: 'PROVISIONED or ON_DEMAND.' },
      { name: 'EncryptionType', type: 'string', description: 'NONE or KMS (server-side encryption).' },
      { name: 'KeyId', type: 'string | null', description: 'The KMS key of server-side encryption (alias/aws/kinesis for the AWS managed key); null when not encrypted.' },
      { name: 'ConsumerCount', type: 'integer | null', description: 'Number of enhanced fan-out consumers.' },
      { name: 'WarmThroughput', type: 'object | null', description: 'DescribeStreamSummary WarmThroughput, when AWS reports it.' },
      { name: 'MaxRecordSizeInKiB', type: 'integer | null', description: 'Largest record size, when AWS reports it.' },
      { name: 'ChannelCount', type: 'integer | null', description: 'DescribeStreamSummary ChannelCount, when AWS reports it.' },
      { name: 'RecordDistributionStrategy', type: 'string | null', description: 'DescribeStreamSummary RecordDistributionStrategy, when AWS reports it.' },
    ],
  };
}

export const KINESIS_STREAM: ResourceType<StreamRef> = makeKinesisStreamType();
