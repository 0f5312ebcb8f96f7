import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  PutEventSelectorsCommand,
  type DescribeTrailsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createAuditTrail } from '../../../src/local/estate/audit-logging.ts';
import { CLOUDTRAIL } from '../../../src/resources/cloudtrail.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const BUCKET = `trails-${account}`;
const KMS = `arn:aws:kms:us-east-1:${account}:key/11111111-2222-3333-4444-555555555555`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${account}:log-group:trail:*`;
const CW_ROLE = `arn:aws:iam::${account}:role/trail-to-logs`;
const REGIONS = [
  { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'us-west-2', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
];
let ctx: ScanContext;
const arn = (region: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const ORG = arn('us-east-1', 'org-audit');
const REGIONAL = arn('eu-west-1', 'eu-data');

const TRAIL_KEYS = [
  'CloudWatchLogsLogGroupArn', 'CloudWatchLogsRoleArn', 'HasCustomEventSelectors', 'HasInsightSelectors', 'HomeRegion', 'IncludeGlobalServiceEvents',
  'IsMultiRegionTrail', 'IsOrganizationTrail', 'KmsKeyId', 'LogFileValidationEnabled', 'Name', 'RecursiveLogging', 'S3BucketName', 'S3KeyPrefix',
  'SnsTopicARN', 'SnsTopicName', 'TrailARN',
];
const KEYS = [
  ...new Set(['AccountId', 'Arn', 'Id', 'Name', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', ...TRAIL_KEYS, 'Status', 'EventSelectors', 'AdvancedEventSelectors']),
];

beforeAll(async () => {
  ctx = await scanContext(account);
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createAuditTrail(ctx.clients, { bucket: BUCKET, kmsKeyId: KMS, logGroupArn: LOG_GROUP, cloudWatchRoleArn: CW_ROLE });
  const eu = ctx.clients.get(CloudTrailClient, 'eu-west-1');
  await eu.send(new CreateTrailCommand({ Name: 'eu-data', S3BucketName: BUCKET }));
  await eu.send(
    new PutEventSelectorsCommand({
      TrailName: 'eu-data',
      AdvancedEventSelectors: [{ Name: 'S3 writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }],
    }),
  );
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` whose DescribeRegions answers REGIONS (shaped as the EC2 API reference documents it)
 *  and whose CloudTrail calls go through `through`, recorded per region in `calls`. */
function scoped(base: ScanContext, calls: string[] = [], through: (cmd: object, send: Send, region: string) => Promise<unknown> = (cmd, send) => send(cmd)): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: Send };
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return (cmd: object) => {
          const where = region ?? base.region;
          calls.push(`${cmd.constructor.name}@${where}`);
          if (cmd instanceof DescribeRegionsCommand) return Promise.resolve({ Regions: REGIONS });
          return through(cmd, (c) => target.send(c), where);
        };
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.CloudTrail', () => {
  it('lists every trail once, paging by enabled region, each in its home region', async () => {
    const calls: string[] = [];
    const { refs, pages } = await listAll(CLOUDTRAIL, scoped(ctx, calls));
    expect(refs).toEqual([
      { name: 'eu-data', region: 'eu-west-1', arn: REGIONAL },
      { name: 'org-audit', region: 'us-east-1', arn: ORG },
    ]);
    // One page per enabled region; the multi-region trail's shadows are not listed again.
    expect(pages).toBe(3);
    expect(calls.filter((c) => c.startsWith('DescribeTrails'))).toEqual(['DescribeTrailsCommand@eu-west-1', 'DescribeTrailsCommand@us-east-1', 'DescribeTrailsCommand@us-west-2']);
    expect(calls.filter((c) => c.startsWith('DescribeRegions'))).toHaveLength(1);
    for (const ref of refs) expect(CLOUDTRAIL.resourceId(ctx, ref)).toBe(ref.arn);
    expect(CLOUDTRAIL.resourceId(ctx, { name: 'eu-data', region: 'eu-west-1' })).toBe(REGIONAL);
  });

  it('models a logging multi-region trail from the listing', async () => {
    const calls: string[] = [];
    const c = scoped(ctx, calls);
    const { refs } = await listAll(CLOUDTRAIL, c);
    const res = (await CLOUDTRAIL.describe(c, refs.find((r) => r.name === 'org-audit')!))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: ORG,
      ResourceType: 'AWS.CloudTrail',
      TimeCreated: null,
      AccountId: account,
      Region: 'us-east-1',
      Arn: ORG,
      Id: null,
      Name: 'org-audit',
      Tags: { owner: 'secops' },
      TrailARN: ORG,
      HomeRegion: 'us-east-1',
      S3BucketName: BUCKET,
      S3KeyPrefix: 'audit',
      SnsTopicName: 'trail-delivery',
      SnsTopicARN: `arn:aws:sns:us-east-1:${account}:trail-delivery`,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      IsOrganizationTrail: false,
      LogFileValidationEnabled: true,
      KmsKeyId: KMS,
      CloudWatchLogsLogGroupArn: LOG_GROUP,
      CloudWatchLogsRoleArn: CW_ROLE,
      EventSelectors: [
        { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${BUCKET}/`] }], ExcludeManagementEventSources: null },
      ],
      AdvancedEventSelectors: null,
    });
    const status = res.Status as Record<string, unknown>;
    expect(status.IsLogging).toBe(true);
    expect(status.StartLoggingTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(status.LatestDeliveryError).toBeNull();
    // Described from the listing: only the trail's own APIs, in its home region.
    const describeCalls = calls.slice(calls.lastIndexOf('DescribeTrailsCommand@us-west-2') + 1);
    expect(describeCalls.sort()).toEqual(['GetEventSelectorsCommand@us-east-1', 'GetTrailStatusCommand@us-east-1', 'ListTagsCommand@us-east-1']);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a single-region trail with advanced selectors, named by an event', async () => {
    const calls: string[] = [];
    const res = (await CLOUDTRAIL.describe(scoped(ctx, calls), { name: 'eu-data', region: 'eu-west-1' }))!;
    expect(res).toMatchObject({
      ResourceId: REGIONAL,
      Region: 'eu-west-1',
      HomeRegion: 'eu-west-1',
      IsMultiRegionTrail: false,
      LogFileValidationEnabled: false,
      KmsKeyId: null,
      S3KeyPrefix: null,
      SnsTopicARN: null,
      Tags: null,
      EventSelectors: null,
      AdvancedEventSelectors: [
        {
          Name: 'S3 writes',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'], StartsWith: null, EndsWith: null, NotEquals: null, NotStartsWith: null, NotEndsWith: null },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'], StartsWith: null, EndsWith: null, NotEquals: null, NotStartsWith: null, NotEndsWith: null },
          ],
        },
      ],
    });
    expect((res.Status as Record<string, unknown>).IsLogging).toBe(false);
    expect(calls.every((c) => c.endsWith('@eu-west-1'))).toBe(true);
  });

  it('skips organization trails owned by another account', async () => {
    // moto has no organization trails: a member account's DescribeTrails also answers with the
    // management account's trail, shaped as the CloudTrail API reference documents it.
    const orgTrail = { Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org', HomeRegion: 'us-east-1', IsOrganizationTrail: true, IsMultiRegionTrail: true, S3BucketName: 'org-logs' };
    const member = scoped(ctx, [], async (cmd, send, region) => {
      const out = await send(cmd);
      if (!(cmd instanceof DescribeTrailsCommand) || region !== 'us-east-1') return out;
      const r = out as DescribeTrailsCommandOutput;
      return { ...r, trailList: [...(r.trailList ?? []), orgTrail] };
    });
    const { refs } = await listAll(CLOUDTRAIL, member);
    expect(refs.map((r) => r.name).sort()).toEqual(['eu-data', 'org-audit']);
  });

  it('returns null for a deleted trail, listed or named by an event', async () => {
    const west = ctx.clients.get(CloudTrailClient, 'us-west-2');
    await west.send(new CreateTrailCommand({ Name: 'short-lived', S3BucketName: BUCKET }));
    const c = scoped(ctx);
    const { refs } = await listAll(CLOUDTRAIL, c);
    const ref = refs.find((r) => r.name === 'short-lived')!;
    await west.send(new DeleteTrailCommand({ Name: 'short-lived' }));
    expect(await CLOUDTRAIL.describe(c, ref)).toBeNull();
    expect(await CLOUDTRAIL.describe(scoped(ctx), { name: 'short-lived', region: 'us-west-2' })).toBeNull();
  });

  it('maps CloudTrail events to refs in the trail\'s home region', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'cloudtrail.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: 'eu-west-1',
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => CLOUDTRAIL.events[d.eventName]!.refs!(d);
    expect(
      refs(detail('CreateTrail', { requestParameters: { name: 'eu-data', s3BucketName: BUCKET }, responseElements: { name: 'eu-data', trailARN: REGIONAL, s3BucketName: BUCKET } })),
    ).toEqual([{ name: 'eu-data', region: 'eu-west-1', arn: REGIONAL }]);
    expect(refs(detail('StopLogging', { requestParameters: { name: REGIONAL } }))).toEqual([{ name: 'eu-data', region: 'eu-west-1', arn: REGIONAL }]);
    expect(refs(detail('UpdateTrail', { requestParameters: { name: 'eu-data', enableLogFileValidation: true } }))).toEqual([{ name: 'eu-data', region: 'eu-west-1' }]);
    expect(refs(detail('PutEventSelectors', { requestParameters: { trailName: 'eu-data' }, responseElements: { trailARN: REGIONAL } }))).toEqual([
      { name: 'eu-data', region: 'eu-west-1', arn: REGIONAL },
    ]);
    expect(refs(detail('AddTags', { requestParameters: { resourceId: REGIONAL, tagsList: [{ key: 'a', value: 'b' }] } }))).toEqual([
      { name: 'eu-data', region: 'eu-west-1', arn: REGIONAL },
    ]);
    // Tags on an event data store or channel are not a trail's.
    expect(refs(detail('AddTags', { requestParameters: { resourceId: `arn:aws:cloudtrail:eu-west-1:${account}:eventdatastore/abc` } }))).toEqual([]);
    expect(CLOUDTRAIL.events.DeleteTrail!.action).toBe('delete');
    expect(refs(detail('DeleteTrail', { requestParameters: { name: 'eu-data' } }))).toEqual([{ name: 'eu-data', region: 'eu-west-1' }]);
  });
});
