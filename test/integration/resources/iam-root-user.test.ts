import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListVirtualMFADevicesCommand,
  type GetCredentialReportCommandOutput,
  type ListVirtualMFADevicesCommandOutput,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { ZERO_TIME } from '../../../src/resources/iam-credential-report.ts';
import { IAM_ROOT_USER, rootVirtualMfa } from '../../../src/resources/iam-root-user.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const ROOT = `arn:aws:iam::${account}:root`;
let ctx: ScanContext;
let iam: IAMClient;
let aliceSerial: string;

const KEYS = ['AccountId', 'Arn', 'CredentialReport', 'Id', 'Name', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', 'VirtualMFA'];

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
/** The root row as the IAM User Guide documents it ("Getting credential reports"): the password
 *  columns the root does not support read not_supported, unused dates N/A. */
const ROOT_ROW = `<root_account>,${ROOT},2019-02-03T04:05:06+00:00,not_supported,2025-05-01T10:00:00+00:00,not_supported,not_supported,true,true,2020-01-01T00:00:00+00:00,2025-04-30T08:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;

beforeAll(async () => {
  ctx = await scanContext(account);
  iam = ctx.clients.get(IAMClient);
  // A user's virtual MFA device must not be taken for the root's.
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  aliceSerial = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }))).VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: aliceSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` with an IAM client whose `send` goes through `through` (to rewrite answers). */
function wrapped(base: ScanContext, through: (cmd: object, send: Send) => Promise<unknown>): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: Send };
    if (ctor !== (IAMClient as unknown)) return client;
    return new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'send' ? (cmd: object) => through(cmd, (c) => target.send(c)) : Reflect.get(target, prop, receiver)),
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

/** Answers as real IAM does for an account whose root has a virtual MFA device: moto's
 *  credential report has no `<root_account>` row and moto cannot assign an MFA device to the
 *  root, so the report gains the documented root row and ListVirtualMFADevices the root device. */
const withRoot = () =>
  wrapped(ctx, async (cmd, send) => {
    const out = await send(cmd);
    if (cmd instanceof GetCredentialReportCommand) {
      const r = out as GetCredentialReportCommandOutput;
      const lines = Buffer.from(r.Content!).toString('utf8').trim().split('\n');
      expect(lines[0]).toBe(HEADER);
      return { ...r, Content: new TextEncoder().encode([HEADER, ROOT_ROW, ...lines.slice(1)].join('\n')) };
    }
    if (cmd instanceof ListVirtualMFADevicesCommand) {
      const r = out as ListVirtualMFADevicesCommandOutput;
      const root = {
        SerialNumber: `arn:aws:iam::${account}:mfa/root-account-mfa-device`,
        User: { Arn: ROOT, UserId: account, UserName: '', Path: '/', CreateDate: new Date('2019-02-03T04:05:06Z') },
        EnableDate: new Date('2019-02-04T00:00:00Z'),
      };
      return { ...r, VirtualMFADevices: [...(r.VirtualMFADevices ?? []), root] };
    }
    return out;
  });

describe('AWS.IAM.RootUser', () => {
  it('lists exactly one root user per account', async () => {
    const page = await IAM_ROOT_USER.list(ctx);
    expect(page).toEqual({ refs: [{}] });
    expect(IAM_ROOT_USER.resourceId(ctx, {})).toBe(ROOT);
    expect(IAM_ROOT_USER.resourceId({ accountId: account, region: 'cn-north-1', partition: 'aws-cn' }, {})).toBe(`arn:aws-cn:iam::${account}:root`);
  });

  it('models the root from the credential report row and its virtual MFA device', async () => {
    const res = (await IAM_ROOT_USER.describe(withRoot(), {}))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toEqual({
      ResourceId: ROOT,
      ResourceType: 'AWS.IAM.RootUser',
      TimeCreated: '2019-02-03T04:05:06.000Z',
      AccountId: account,
      Region: 'global',
      Arn: ROOT,
      Id: account,
      Name: '<root_account>',
      Tags: null,
      CredentialReport: {
        UserName: '<root_account>',
        ARN: ROOT,
        UserCreationTime: '2019-02-03T04:05:06.000Z',
        PasswordEnabled: false,
        PasswordLastUsed: '2025-05-01T10:00:00.000Z',
        PasswordLastChanged: ZERO_TIME,
        PasswordNextRotation: ZERO_TIME,
        MfaActive: true,
        AccessKey1Active: true,
        AccessKey1LastRotated: '2020-01-01T00:00:00.000Z',
        AccessKey1LastUsedDate: '2025-04-30T08:00:00.000Z',
        AccessKey1LastUsedRegion: 'us-east-1',
        AccessKey1LastUsedService: 'iam',
        AccessKey2Active: false,
        AccessKey2LastRotated: ZERO_TIME,
        AccessKey2LastUsedDate: ZERO_TIME,
        AccessKey2LastUsedRegion: 'N/A',
        AccessKey2LastUsedService: 'N/A',
        Cert1Active: false,
        Cert1LastRotated: ZERO_TIME,
        Cert2Active: false,
        Cert2LastRotated: ZERO_TIME,
      },
      VirtualMFA: { SerialNumber: `arn:aws:iam::${account}:mfa/root-account-mfa-device`, EnableDate: '2019-02-04T00:00:00.000Z' },
    });
  });

  it('keeps every key when the report has no root row (moto) and ignores users\' MFA devices', async () => {
    // moto's credential report lists IAM users only: no `<root_account>` row.
    const res = (await IAM_ROOT_USER.describe({ ...ctx, cache: new Map() }, {}))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({ ResourceId: ROOT, Arn: ROOT, Id: account, Name: '<root_account>', TimeCreated: null, CredentialReport: null, VirtualMFA: null });
  });

  it('finds the root device by its assigned user ARN, else the legacy serial', () => {
    const device = (serial: string, userArn?: string) => ({ SerialNumber: serial, ...(userArn ? { User: { Arn: userArn, UserName: 'x', UserId: 'x', Path: '/', CreateDate: new Date() } } : {}), EnableDate: new Date('2024-01-01T00:00:00Z') });
    expect(rootVirtualMfa([device(aliceSerial, `arn:aws:iam::${account}:user/alice`), device(`arn:aws:iam::${account}:mfa/my-root`, ROOT)], ROOT)).toEqual({
      SerialNumber: `arn:aws:iam::${account}:mfa/my-root`,
      EnableDate: '2024-01-01T00:00:00.000Z',
    });
    expect(rootVirtualMfa([device(`arn:aws:iam::${account}:mfa/root-account-mfa-device`)], ROOT)?.SerialNumber).toBe(`arn:aws:iam::${account}:mfa/root-account-mfa-device`);
    expect(rootVirtualMfa([device(aliceSerial, `arn:aws:iam::${account}:user/alice`)], ROOT)).toBeNull();
  });

  it('shares the credential report with the scope (fetched once)', async () => {
    let reports = 0;
    const counting = wrapped(ctx, async (cmd, send) => {
      if (cmd instanceof GetCredentialReportCommand) reports++;
      return send(cmd);
    });
    await Promise.all([IAM_ROOT_USER.describe(counting, {}), IAM_ROOT_USER.describe(counting, {})]);
    expect(reports).toBe(1);
  });

  it('rescans on credential changes the root makes on itself', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'iam.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: 'us-east-1',
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => IAM_ROOT_USER.events[d.eventName]!.refs!(d);
    const root = { type: 'Root', arn: ROOT, accountId: account, principalId: account };
    expect(refs(detail('CreateAccessKey', { userIdentity: root, requestParameters: null }))).toEqual([{}]);
    expect(refs(detail('EnableMFADevice', { userIdentity: root, requestParameters: { serialNumber: `arn:aws:iam::${account}:mfa/root` } }))).toEqual([{}]);
    // The root acting on an IAM user, and IAM users acting on themselves, do not touch the root.
    expect(refs(detail('CreateAccessKey', { userIdentity: root, requestParameters: { userName: 'alice' } }))).toEqual([]);
    expect(refs(detail('CreateAccessKey', { userIdentity: { type: 'IAMUser', userName: 'alice' }, requestParameters: null }))).toEqual([]);
    for (const rule of Object.values(IAM_ROOT_USER.events)) expect(rule.action).toBe('rescan');
  });
});
