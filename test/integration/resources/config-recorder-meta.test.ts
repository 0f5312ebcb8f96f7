import { ConfigServiceClient, PutConfigurationRecorderCommand, type RecordingGroup } from '@aws-sdk/client-config-service';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { CONFIG_RECORDER_META } from '../../../src/resources/config-recorder-meta.ts';
import { recordsGlobalTypes } from '../../../src/resources/config-recorder.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;
const ROLE = `arn:aws:iam::${account}:role/config`;
const KEYS = ['AccountId', 'Arn', 'GlobalRecorderCount', 'Id', 'Name', 'Recorders', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated'];

beforeAll(async () => {
  ctx = await scanContext(account);
});

const put = (region: string, recordingGroup: RecordingGroup) =>
  ctx.clients.get(ConfigServiceClient, region).send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: ROLE, recordingGroup } }));

/** `base` whose DescribeRegions answers `regions` (shaped as the EC2 API reference documents it). */
function withRegions(base: ScanContext, regions: { RegionName: string; OptInStatus: string }[]): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
    return new Proxy(client, {
      get: (target, prop, receiver) =>
        prop !== 'send'
          ? Reflect.get(target, prop, receiver)
          : (cmd: object) => (cmd instanceof DescribeRegionsCommand ? Promise.resolve({ Regions: regions }) : target.send(cmd)),
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.Config.Recorder.Meta', () => {
  it('lists exactly one resource per account', async () => {
    expect(await CONFIG_RECORDER_META.list(ctx)).toEqual({ refs: [{}] });
    expect(CONFIG_RECORDER_META.resourceId(ctx, {})).toBe(`${account}::AWS.Config.Recorder.Meta`);
  });

  it('models an account without recorders: Recorders [], count 0', async () => {
    const res = await CONFIG_RECORDER_META.describe(withRegions(ctx, [{ RegionName: 'us-west-1', OptInStatus: 'opt-in-not-required' }]), {});
    expect(res).toEqual({
      ResourceId: `${account}::AWS.Config.Recorder.Meta`,
      ResourceType: 'AWS.Config.Recorder.Meta',
      TimeCreated: null,
      AccountId: account,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: 'AWS.Config.Recorder.Meta',
      Tags: null,
      GlobalRecorderCount: 0,
      Recorders: [],
    });
  });

  it('lists the recorders of the enabled regions and counts those recording global types', async () => {
    await put('us-east-1', { allSupported: true, includeGlobalResourceTypes: true });
    await put('eu-west-1', { allSupported: true, includeGlobalResourceTypes: false });
    await put('ap-southeast-2', { allSupported: false, resourceTypes: ['AWS::IAM::Role', 'AWS::S3::Bucket'] });
    const res = (await CONFIG_RECORDER_META.describe({ ...ctx, cache: new Map() }, {}))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res.Recorders).toEqual([
      `${account}:ap-southeast-2:AWS.Config.Recorder`,
      `${account}:eu-west-1:AWS.Config.Recorder`,
      `${account}:us-east-1:AWS.Config.Recorder`,
    ]);
    expect(res.GlobalRecorderCount).toBe(2);
  });

  it('leaves out regions the account has not opted into', async () => {
    await put('me-south-1', { allSupported: true, includeGlobalResourceTypes: true });
    const regions = [
      { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'me-south-1', OptInStatus: 'not-opted-in' },
    ];
    const res = (await CONFIG_RECORDER_META.describe(withRegions(ctx, regions), {}))!;
    expect(res).toMatchObject({ Recorders: [`${account}:us-east-1:AWS.Config.Recorder`], GlobalRecorderCount: 1 });
  });

  it('decides which recording groups record global types', () => {
    const r = (recordingGroup: RecordingGroup) => recordsGlobalTypes({ name: 'default', recordingGroup });
    expect(r({ allSupported: true, includeGlobalResourceTypes: true })).toBe(true);
    expect(r({ allSupported: true, includeGlobalResourceTypes: false })).toBe(false);
    expect(r({ allSupported: false, resourceTypes: ['AWS::IAM::User'] })).toBe(true);
    expect(r({ allSupported: false, resourceTypes: ['AWS::EC2::Instance'] })).toBe(false);
    expect(recordsGlobalTypes({ name: 'default' })).toBe(false);
  });

  it('rescans the account when a recorder appears, goes or changes types', () => {
    for (const name of ['PutConfigurationRecorder', 'DeleteConfigurationRecorder', 'AssociateResourceTypes', 'DisassociateResourceTypes']) {
      expect(CONFIG_RECORDER_META.events[name]).toEqual({ action: 'rescan-account' });
    }
  });
});
