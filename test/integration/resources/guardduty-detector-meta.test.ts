import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { GUARDDUTY_DETECTOR_META } from '../../../src/resources/guardduty-detector-meta.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;

const KEYS = ['AccountId', 'Arn', 'Detectors', 'Id', 'Name', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated'];

beforeAll(async () => {
  ctx = await scanContext(account);
});

/** `base` whose EC2 and GuardDuty calls are recorded per region; `regions` replaces the
 *  DescribeRegions answer (shaped as the EC2 API reference documents it). */
function recorded(base: ScanContext, calls: string[], regions?: { RegionName: string; OptInStatus: string }[]): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (cmd: object) => {
          calls.push(`${cmd.constructor.name}@${region ?? base.region}`);
          if (regions && cmd instanceof DescribeRegionsCommand) return { Regions: regions.map((r) => ({ ...r, Endpoint: `ec2.${r.RegionName}.amazonaws.com` })) };
          return target.send(cmd);
        };
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.GuardDuty.Detector.Meta', () => {
  it('lists exactly one resource per account', async () => {
    expect(await GUARDDUTY_DETECTOR_META.list(ctx)).toEqual({ refs: [{}] });
    expect(GUARDDUTY_DETECTOR_META.resourceId(ctx, {})).toBe(`${account}::AWS.GuardDuty.Detector.Meta`);
  });

  it('models an account without detectors: Detectors is []', async () => {
    const res = await GUARDDUTY_DETECTOR_META.describe({ ...ctx, cache: new Map() }, {});
    expect(res).toEqual({
      ResourceId: `${account}::AWS.GuardDuty.Detector.Meta`,
      ResourceType: 'AWS.GuardDuty.Detector.Meta',
      TimeCreated: null,
      AccountId: account,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: 'AWS.GuardDuty.Detector.Meta',
      Tags: null,
      Detectors: [],
    });
  });

  it('lists the detector of every enabled region, suspended ones included', async () => {
    await ctx.clients.get(GuardDutyClient, 'us-west-2').send(new CreateDetectorCommand({ Enable: true }));
    await ctx.clients.get(GuardDutyClient, 'eu-central-1').send(new CreateDetectorCommand({ Enable: false }));
    const calls: string[] = [];
    const res = (await GUARDDUTY_DETECTOR_META.describe(recorded(ctx, calls), {}))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res.Detectors).toEqual([`${account}:eu-central-1:AWS.GuardDuty.Detector`, `${account}:us-west-2:AWS.GuardDuty.Detector`]);
    // One DescribeRegions, then ListDetectors in each enabled region of the partition (moto's
    // answer also lists aws-cn and aws-us-gov regions and not-opted-in ones: none is asked).
    expect(calls.filter((c) => c.startsWith('DescribeRegions'))).toHaveLength(1);
    const asked = calls.filter((c) => c.startsWith('ListDetectors')).map((c) => c.split('@')[1]);
    expect(asked).toContain('us-east-1');
    expect(asked).toContain('eu-west-3');
    for (const region of ['cn-north-1', 'us-gov-west-1', 'ap-east-1', 'me-south-1']) expect(asked).not.toContain(region);
  });

  it('skips regions the account has not opted into', async () => {
    await ctx.clients.get(GuardDutyClient, 'af-south-1').send(new CreateDetectorCommand({ Enable: true }));
    const calls: string[] = [];
    const regions = [
      { RegionName: 'us-west-2', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
      { RegionName: 'eu-central-1', OptInStatus: 'opted-in' },
    ];
    const res = (await GUARDDUTY_DETECTOR_META.describe(recorded(ctx, calls, regions), {}))!;
    expect(res.Detectors).toEqual([`${account}:eu-central-1:AWS.GuardDuty.Detector`, `${account}:us-west-2:AWS.GuardDuty.Detector`]);
    expect(calls.filter((c) => c.startsWith('ListDetectors')).sort()).toEqual(['ListDetectorsCommand@eu-central-1', 'ListDetectorsCommand@us-west-2']);
  });

  it('propagates a denied region instead of reporting no detector', async () => {
    const denied = recorded(ctx, []);
    const get = denied.clients.get;
    denied.clients = {
      region: ctx.clients.region,
      get: <T>(ctor: ClientCtor<T>, region?: string): T => {
        const client = get(ctor, region);
        if (ctor !== (GuardDutyClient as unknown) || region !== 'us-west-2') return client;
        const err = Object.assign(new Error('User is not authorized to perform: guardduty:ListDetectors'), { name: 'AccessDeniedException' });
        return { send: async () => Promise.reject(err) } as T;
      },
    };
    await expect(GUARDDUTY_DETECTOR_META.describe(denied, {})).rejects.toThrow(/not authorized/);
  });

  it('rescans the account on detector creation and deletion', () => {
    expect(GUARDDUTY_DETECTOR_META.events).toEqual({ CreateDetector: { action: 'rescan-account' }, DeleteDetector: { action: 'rescan-account' } });
  });
});
