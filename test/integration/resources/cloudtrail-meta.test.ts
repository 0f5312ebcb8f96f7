import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  type DescribeTrailsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { CLOUDTRAIL_META } from '../../../src/resources/cloudtrail-meta.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const BUCKET = `trails-${account}`;
let ctx: ScanContext;
const arn = (region: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const KEYS = ['AccountId', 'Arn', 'GlobalAdvancedEventSelectors', 'GlobalEventSelectors', 'Id', 'Name', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', 'Trails'];
const REGIONS = [
  { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'us-west-2', OptInStatus: 'opt-in-not-required' },
];
const MANAGEMENT = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: null, ExcludeManagementEventSources: null } as const;

beforeAll(async () => {
  ctx = await scanContext(account);
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` whose DescribeRegions answers `regions` (shaped as the EC2 API reference documents
 *  it) and whose CloudTrail calls go through `through`. */
function scoped(base: ScanContext, regions = REGIONS, through: (cmd: object, send: Send, region: string) => Promise<unknown> = (cmd, send) => send(cmd)): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: Send };
    return new Proxy(client, {
      get: (target, prop, receiver) =>
        prop !== 'send'
          ? Reflect.get(target, prop, receiver)
          : (cmd: object) => (cmd instanceof DescribeRegionsCommand ? Promise.resolve({ Regions: regions }) : through(cmd, (c) => target.send(c), region ?? base.region)),
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.CloudTrail.Meta', () => {
  it('lists exactly one resource per account', async () => {
    expect(await CLOUDTRAIL_META.list(ctx)).toEqual({ refs: [{}] });
    expect(CLOUDTRAIL_META.resourceId(ctx, {})).toBe(`${account}::AWS.CloudTrail.Meta`);
  });

  it('models an account without trails: Trails [], selectors null', async () => {
    expect(await CLOUDTRAIL_META.describe(scoped(ctx), {})).toEqual({
      ResourceId: `${account}::AWS.CloudTrail.Meta`,
      ResourceType: 'AWS.CloudTrail.Meta',
      TimeCreated: null,
      AccountId: account,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: 'AWS.CloudTrail.Meta',
      Tags: null,
      Trails: [],
      GlobalEventSelectors: null,
      GlobalAdvancedEventSelectors: null,
    });
  });

  it('lists every trail and the selectors of logging multi-region trails only', async () => {
    const home = ctx.clients.get(CloudTrailClient);
    // Logging, multi-region, basic selectors: global.
    await home.send(new CreateTrailCommand({ Name: 'everything', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    await home.send(new StartLoggingCommand({ Name: 'everything' }));
    await home.send(new PutEventSelectorsCommand({ TrailName: 'everything', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
    // Multi-region with advanced selectors, created in another region: global.
    const west = ctx.clients.get(CloudTrailClient, 'us-west-2');
    await west.send(new CreateTrailCommand({ Name: 'data-events', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    await west.send(new StartLoggingCommand({ Name: 'data-events' }));
    await west.send(
      new PutEventSelectorsCommand({ TrailName: 'data-events', AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }),
    );
    // Multi-region but not logging; single-region and logging: not global.
    await home.send(new CreateTrailCommand({ Name: 'stopped', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    await home.send(new PutEventSelectorsCommand({ TrailName: 'stopped', EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }));
    const eu = ctx.clients.get(CloudTrailClient, 'eu-west-1');
    await eu.send(new CreateTrailCommand({ Name: 'eu-only', S3BucketName: BUCKET }));
    await eu.send(new StartLoggingCommand({ Name: 'eu-only' }));

    const res = (await CLOUDTRAIL_META.describe(scoped(ctx), {}))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res.Trails).toEqual([arn('eu-west-1', 'eu-only'), arn('us-east-1', 'everything'), arn('us-east-1', 'stopped'), arn('us-west-2', 'data-events')]);
    expect(res.GlobalEventSelectors).toEqual([MANAGEMENT]);
    expect(res.GlobalAdvancedEventSelectors).toEqual([
      {
        Name: 'mgmt',
        FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'], StartsWith: null, EndsWith: null, NotEquals: null, NotStartsWith: null, NotEndsWith: null }],
      },
    ]);

    // The same from moto's real list of enabled regions.
    const real = (await CLOUDTRAIL_META.describe({ ...ctx, cache: new Map() }, {}))!;
    expect(real.Trails).toEqual(res.Trails);
    expect(real.GlobalEventSelectors).toEqual([MANAGEMENT]);
  });

  it('includes an organization trail of the management account', async () => {
    // moto has no organization trails: DescribeTrails answers as the CloudTrail API reference
    // documents it for a member account (the management account's trail, as a shadow in every
    // region), and the trail's status and selectors come from its home region.
    const orgArn = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org';
    const orgTrail = { Name: 'org', TrailARN: orgArn, HomeRegion: 'us-east-1', IsOrganizationTrail: true, IsMultiRegionTrail: true, S3BucketName: 'org-logs' };
    const asked: string[] = [];
    const member = scoped(ctx, REGIONS, async (cmd, send, region) => {
      if (cmd instanceof DescribeTrailsCommand) {
        const r = (await send(cmd)) as DescribeTrailsCommandOutput;
        return { ...r, trailList: [...(r.trailList ?? []), orgTrail] };
      }
      const input = (cmd as { input: Record<string, unknown> }).input;
      if (input.Name === orgArn || input.TrailName === orgArn) {
        asked.push(`${cmd.constructor.name}@${region}`);
        return cmd instanceof GetTrailStatusCommand
          ? { IsLogging: true }
          : { TrailARN: orgArn, EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [] }] };
      }
      return send(cmd);
    });
    const res = (await CLOUDTRAIL_META.describe(member, {}))!;
    expect(res.Trails).toContain(orgArn);
    expect(res.GlobalEventSelectors).toContainEqual({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: null });
    expect(asked.sort()).toEqual(['GetEventSelectorsCommand@us-east-1', 'GetTrailStatusCommand@us-east-1']);
  });

  it('rescans the account on trail changes', () => {
    for (const name of ['CreateTrail', 'DeleteTrail', 'UpdateTrail', 'StartLogging', 'StopLogging', 'PutEventSelectors']) {
      expect(CLOUDTRAIL_META.events[name]).toEqual({ action: 'rescan-account' });
    }
  });
});
