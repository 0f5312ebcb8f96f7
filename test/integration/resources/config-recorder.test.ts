import {
  ConfigServiceClient,
  DeleteConfigurationRecorderCommand,
  DescribeConfigurationRecordersCommand,
  PutConfigurationRecorderCommand,
  type DescribeConfigurationRecordersCommandOutput,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createDefaultRecorder } from '../../../src/local/estate/audit-logging.ts';
import { CONFIG_RECORDER } from '../../../src/resources/config-recorder.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'us-east-2';
const NARROW = 'eu-west-3';
let ctx: ScanContext;
let narrow: ScanContext;
const ROLE = `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const RECORDER_KEYS = ['Arn', 'ConnectorArn', 'Name', 'RecordingGroup', 'RecordingMode', 'RecordingScope', 'RoleARN', 'ScopeConfiguration', 'ServicePrincipal'];
const KEYS = [...new Set(['AccountId', 'Arn', 'Id', 'Name', 'Recorder', 'Region', 'ResourceId', 'ResourceType', 'Status', 'Tags', 'TimeCreated', ...RECORDER_KEYS])];

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  narrow = { ...ctx, region: NARROW, cache: new Map() };
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `config-${account}` }));
  await createDefaultRecorder(ctx.clients, { roleArn: ROLE, bucket: `config-${account}` });
  await ctx.clients.get(ConfigServiceClient, NARROW).send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: { name: 'narrow', roleARN: ROLE, recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ['AWS::EC2::Instance', 'AWS::S3::Bucket'] } },
    }),
  );
});

describe('AWS.Config.Recorder', () => {
  it('lists the region\'s recorder; the ResourceId names the region', async () => {
    const page = await CONFIG_RECORDER.list({ ...ctx, cache: new Map() });
    expect(page).toEqual({ refs: [{ name: 'default' }] });
    expect(CONFIG_RECORDER.resourceId(ctx, page.refs[0]!)).toBe(`${account}:${REGION}:AWS.Config.Recorder`);
    expect(CONFIG_RECORDER.resourceId(ctx, {})).toBe(`${account}:${REGION}:AWS.Config.Recorder`);
    expect((await CONFIG_RECORDER.list({ ...ctx, region: 'sa-east-1', cache: new Map() })).refs).toEqual([]);
  });

  it('models a recording recorder in Panther\'s PascalCase, top-level and under Recorder', async () => {
    const scoped = { ...ctx, cache: new Map() };
    const page = await CONFIG_RECORDER.list(scoped);
    const res = (await CONFIG_RECORDER.describe(scoped, page.refs[0]!))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    const recordingGroup = {
      AllSupported: true,
      IncludeGlobalResourceTypes: true,
      // moto answers ResourceTypes [] for an all-supported group.
      ResourceTypes: expect.any(Array),
      // Nested keys are PascalCase too.
      ExclusionByResourceTypes: { ResourceTypes: [] },
      RecordingStrategy: { UseOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
    };
    expect(res).toMatchObject({
      ResourceId: `${account}:${REGION}:AWS.Config.Recorder`,
      ResourceType: 'AWS.Config.Recorder',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Id: null,
      Name: 'default',
      Tags: null,
      RoleARN: ROLE,
      RecordingGroup: recordingGroup,
      // moto does not model recording modes (AWS answers {RecordingFrequency: "CONTINUOUS", ...}).
      RecordingMode: null,
      ServicePrincipal: null,
    });
    expect(Object.keys(res.Recorder as object).sort()).toEqual([...RECORDER_KEYS].sort());
    expect(res.Recorder).toMatchObject({ Name: 'default', RoleARN: ROLE, RecordingGroup: recordingGroup });
    const status = res.Status as Record<string, unknown>;
    expect(Object.keys(status).sort()).toEqual(
      ['Arn', 'LastErrorCode', 'LastErrorMessage', 'LastStartTime', 'LastStatus', 'LastStatusChangeTime', 'LastStopTime', 'Name', 'Recording', 'ServicePrincipal'].sort(),
    );
    expect(status).toMatchObject({ Name: 'default', Recording: true, LastStatus: 'PENDING', LastErrorCode: null, LastErrorMessage: null, LastStopTime: null });
    expect(status.LastStartTime).toMatch(RFC3339);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a stopped recorder of listed resource types', async () => {
    const res = (await CONFIG_RECORDER.describe(narrow, {}))!;
    expect(res).toMatchObject({
      ResourceId: `${account}:${NARROW}:AWS.Config.Recorder`,
      Region: NARROW,
      Name: 'narrow',
      RecordingGroup: { AllSupported: false, IncludeGlobalResourceTypes: false, ResourceTypes: ['AWS::EC2::Instance', 'AWS::S3::Bucket'] },
      Status: { Name: 'narrow', Recording: false, LastStatus: null, LastStartTime: null },
    });
  });

  it('takes the customer-managed recorder, not a service-linked one', async () => {
    // moto has no service-linked recorders: DescribeConfigurationRecorders answers here with one
    // shaped as the Config API reference documents it, beside the customer-managed recorder.
    const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
      const client = ctx.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
      if (ctor !== (ConfigServiceClient as unknown)) return client;
      return new Proxy(client, {
        get: (target, prop, receiver) =>
          prop !== 'send'
            ? Reflect.get(target, prop, receiver)
            : async (cmd: object) => {
                const out = await target.send(cmd);
                if (!(cmd instanceof DescribeConfigurationRecordersCommand)) return out;
                const r = out as DescribeConfigurationRecordersCommandOutput;
                const linked = {
                  arn: `arn:aws:config:${REGION}:${account}:configuration-recorder/AWSConfigurationRecorderForSecurityHub/abc`,
                  name: 'AWSConfigurationRecorderForSecurityHub',
                  servicePrincipal: 'securityhub.amazonaws.com',
                  recordingScope: 'INTERNAL',
                };
                return { ...r, ConfigurationRecorders: [linked, ...(r.ConfigurationRecorders ?? [])] };
              },
      });
    };
    const linked: ScanContext = { ...ctx, cache: new Map(), clients: { region: ctx.clients.region, get } };
    expect(await CONFIG_RECORDER.list(linked)).toEqual({ refs: [{ name: 'default' }] });
    expect((await CONFIG_RECORDER.describe({ ...linked, cache: new Map() }, {}))!.Name).toBe('default');
  });

  it('returns null for a deleted recorder', async () => {
    const config = ctx.clients.get(ConfigServiceClient, 'ap-northeast-1');
    await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'gone', roleARN: ROLE, recordingGroup: { allSupported: true } } }));
    const scoped = { ...ctx, region: 'ap-northeast-1', cache: new Map() };
    const page = await CONFIG_RECORDER.list(scoped);
    await config.send(new DeleteConfigurationRecorderCommand({ ConfigurationRecorderName: 'gone' }));
    // Listed, then deleted before the describe calls.
    expect(await CONFIG_RECORDER.describe(scoped, page.refs[0]!)).toBeNull();
    expect(await CONFIG_RECORDER.describe(scoped, {})).toBeNull();
  });

  it('maps CloudTrail events to the region\'s recorder', () => {
    const detail = (eventName: string, requestParameters: Record<string, unknown>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'config.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: REGION,
      requestParameters,
    });
    const refs = (d: CloudTrailDetail) => CONFIG_RECORDER.events[d.eventName]!.refs!(d);
    expect(refs(detail('PutConfigurationRecorder', { configurationRecorder: { name: 'default', roleARN: ROLE } }))).toEqual([{}]);
    expect(refs(detail('StopConfigurationRecorder', { configurationRecorderName: 'default' }))).toEqual([{}]);
    expect(CONFIG_RECORDER.events.DeleteConfigurationRecorder!.action).toBe('delete');
    expect(refs(detail('DeleteConfigurationRecorder', { configurationRecorderName: 'default' }))).toEqual([{}]);
  });
});
