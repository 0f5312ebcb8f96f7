import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStreams } from '../../../src/local/estate/coverage-messaging.ts';
import { FIREHOSE_DELIVERY_STREAM, makeFirehoseDeliveryStreamType, type DeliveryStreamRef } from '../../../src/resources/firehose-delivery-stream.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ca-central-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:firehose:${REGION}:${account}:deliverystream/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createDeliveryStreams(ctx.clients, account, REGION, 'archive-bucket');
  await ctx.clients.get(FirehoseClient).send(
    new CreateDeliveryStreamCommand({ DeliveryStreamName: 'third', S3DestinationConfiguration: { RoleARN: `arn:aws:iam::${account}:role/f`, BucketARN: 'arn:aws:s3:::archive-bucket' } }),
  );
});

describe('AWS.Firehose.DeliveryStream', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeFirehoseDeliveryStreamType({ pageSize: 2 });
    const seen: DeliveryStreamRef[] = [];
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
    expect(seen.map((r) => r.name).sort()).toEqual(['clickstream-archive', 'raw-archive', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models an encrypted delivery stream with its S3 destination and tags', async () => {
    const res = (await FIREHOSE_DELIVERY_STREAM.describe(ctx, { name: 'clickstream-archive' }))!;
    expect(typeKeys(res)).toEqual(FIREHOSE_DELIVERY_STREAM.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('clickstream-archive'),
      ResourceType: 'AWS.Firehose.DeliveryStream',
      AccountId: account,
      Region: REGION,
      Arn: arn('clickstream-archive'),
      Name: 'clickstream-archive',
      Tags: { team: 'analytics' },
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfiguration: expect.objectContaining({ KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' }),
    });
    const dest = (res.Destinations as Record<string, Record<string, unknown> | null>[])[0]!;
    expect(dest.ExtendedS3DestinationDescription).toMatchObject({ BucketARN: 'arn:aws:s3:::archive-bucket', Prefix: 'clickstream/', CompressionFormat: 'GZIP' });
    expect(dest.SplunkDestinationDescription).toBeNull();
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('models an unencrypted delivery stream', async () => {
    const res = (await FIREHOSE_DELIVERY_STREAM.describe(ctx, { name: 'raw-archive' }))!;
    expect(res.Tags).toBeNull();
    expect((res.DeliveryStreamEncryptionConfiguration as { Status?: string } | null)?.Status ?? 'DISABLED').toBe('DISABLED');
  });

  it('never keeps a Splunk destination\'s HEC token', async () => {
    // moto does not model Splunk destinations: the describe answer carries one as the Firehose API
    // reference documents it (SplunkDestinationDescription.HECToken is returned in the clear).
    const token = 'hec-token-that-must-never-leave-77a1';
    const splunk = intercept(ctx, FirehoseClient, (cmd, send) =>
      cmd.constructor.name === 'DescribeDeliveryStreamCommand'
        ? send(cmd).then((r) => {
            const out = r as { DeliveryStreamDescription: { Destinations: object[] } };
            const d = { DestinationId: 'destinationId-000000000002', SplunkDestinationDescription: { HECEndpoint: 'https://splunk.example.com:8088', HECEndpointType: 'Raw', HECToken: token, HECAcknowledgmentTimeoutInSeconds: 180 } };
            return { ...out, DeliveryStreamDescription: { ...out.DeliveryStreamDescription, Destinations: [...out.DeliveryStreamDescription.Destinations, d] } };
          })
        : undefined,
    );
    const res = (await getResourceType('AWS.Firehose.DeliveryStream').describe(splunk, { name: 'raw-archive' }))!;
    expect(JSON.stringify(res)).not.toContain(token);
    const dests = res.Destinations as { SplunkDestinationDescription: Record<string, unknown> | null }[];
    expect(dests[1]!.SplunkDestinationDescription).toMatchObject({ HECEndpoint: 'https://splunk.example.com:8088', HECToken: REDACTED });
    expect(dests[0]!.SplunkDestinationDescription).toBeNull();
  });

  it('returns null for a deleted delivery stream and lets throttling propagate', async () => {
    const firehose = ctx.clients.get(FirehoseClient);
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'gone', S3DestinationConfiguration: { RoleARN: `arn:aws:iam::${account}:role/f`, BucketARN: 'arn:aws:s3:::b' } }));
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'gone' }));
    expect(await FIREHOSE_DELIVERY_STREAM.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, FirehoseClient, (cmd) => (cmd.constructor.name === 'ListTagsForDeliveryStreamCommand' ? Promise.reject(awsError('LimitExceededException', 'Rate exceeded')) : undefined));
    await expect(FIREHOSE_DELIVERY_STREAM.describe(throttled, { name: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = FIREHOSE_DELIVERY_STREAM.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('firehose.amazonaws.com', name, req));
    expect(refs('CreateDeliveryStream', { deliveryStreamName: 'd1', deliveryStreamType: 'DirectPut' })).toEqual([{ name: 'd1' }]);
    expect(ev.DeleteDeliveryStream!.action).toBe('delete');
    expect(refs('StartDeliveryStreamEncryption', { deliveryStreamName: 'd2' })).toEqual([{ name: 'd2' }]);
    expect(refs('UpdateDestination', {})).toEqual([]);
  });
});
