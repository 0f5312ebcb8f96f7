import { CreateStreamCommand, DeleteStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStreams } from '../../../src/local/estate/coverage-messaging.ts';
import { KINESIS_STREAM, makeKinesisStreamType, type StreamRef } from '../../../src/resources/kinesis-stream.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ca-central-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:kinesis:${REGION}:${account}:stream/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createStreams(ctx.clients, REGION, 'alias/streams');
  await ctx.clients.get(KinesisClient).send(new CreateStreamCommand({ StreamName: 'third', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
});

describe('AWS.Kinesis.Stream', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeKinesisStreamType({ pageSize: 2 });
    const seen: StreamRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.name).sort()).toEqual(['clickstream', 'raw-events', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models an encrypted stream with retention, monitoring and tags', async () => {
    const res = (await KINESIS_STREAM.describe(ctx, { name: 'clickstream' }))!;
    expect(typeKeys(res)).toEqual(KINESIS_STREAM.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('clickstream'),
      ResourceType: 'AWS.Kinesis.Stream',
      AccountId: account,
      Region: REGION,
      Arn: arn('clickstream'),
      Name: 'clickstream',
      Tags: { team: 'analytics' },
      StreamName: 'clickstream',
      StreamARN: arn('clickstream'),
      StreamStatus: 'ACTIVE',
      RetentionPeriodHours: 168,
      OpenShardCount: 2,
      EncryptionType: 'KMS',
      KeyId: 'alias/streams',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    expect(res.EnhancedMonitoring).toEqual([{ ShardLevelMetrics: expect.arrayContaining(['IncomingBytes', 'OutgoingBytes']) }]);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.StreamCreationTimestamp);
  });

  it('models an unencrypted stream', async () => {
    expect(await KINESIS_STREAM.describe(ctx, { name: 'raw-events' })).toMatchObject({ Tags: null, EncryptionType: 'NONE', KeyId: null, RetentionPeriodHours: 24 });
  });

  it('returns null for a deleted stream and lets throttling propagate', async () => {
    const kinesis = ctx.clients.get(KinesisClient);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'gone', ShardCount: 1 }));
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'gone' }));
    expect(await KINESIS_STREAM.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, KinesisClient, (cmd) => (cmd.constructor.name === 'ListTagsForStreamCommand' ? Promise.reject(awsError('LimitExceededException', 'Rate exceeded')) : undefined));
    await expect(KINESIS_STREAM.describe(throttled, { name: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs, settling new streams', () => {
    const ev = KINESIS_STREAM.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('kinesis.amazonaws.com', name, req));
    expect(refs('CreateStream', { streamName: 's1', shardCount: 1 })).toEqual([{ name: 's1' }]);
    expect(ev.CreateStream!.settleSeconds).toBe(30);
    expect(ev.DeleteStream!.action).toBe('delete');
    expect(refs('StartStreamEncryption', { streamARN: arn('s2'), encryptionType: 'KMS' })).toEqual([{ name: 's2' }]);
    expect(refs('RegisterStreamConsumer', { streamARN: arn('s3'), consumerName: 'c' })).toEqual([{ name: 's3' }]);
    expect(refs('AddTagsToStream', { streamName: 's4' })).toEqual([{ name: 's4' }]);
  });
});
