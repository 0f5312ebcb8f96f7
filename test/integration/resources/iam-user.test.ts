import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserCommand,
  IAMClient,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { parseCredentialReport, ZERO_TIME } from '../../../src/resources/iam-credential-report.ts';
import { decodePolicyDocument } from '../../../src/resources/iam-paging.ts';
import { createAlice, createDescribeEc2Policy, READ_REPORTS } from '../../../src/local/estate/iam.ts';
import { IAM_USER, makeIamUserType } from '../../../src/resources/iam-user.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;
let iam: IAMClient;
let boundaryArn: string;
let managedArn: string;
let mfaSerial: string;
let accessKeyId: string;
let aliceId: string;

const INLINE = READ_REPORTS;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

beforeAll(async () => {
  ctx = await scanContext(account);
  iam = ctx.clients.get(IAMClient);
  boundaryArn = await createDescribeEc2Policy(ctx.clients, 'boundary');
  managedArn = await createDescribeEc2Policy(ctx.clients, 'describe-ec2');
  ({ userId: aliceId, accessKeyId, mfaSerial } = await createAlice(ctx.clients, { boundaryArn, managedArn }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/teams/' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` with IAM clients that count calls per command (and optionally rewrite answers). */
function counting(base: ScanContext, counts: Map<string, number>, through: (cmd: object, send: Send) => Promise<unknown> = (cmd, send) => send(cmd)): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
    if (ctor !== (IAMClient as unknown)) return client;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return (cmd: object) => {
          counts.set(cmd.constructor.name, (counts.get(cmd.constructor.name) ?? 0) + 1);
          return through(cmd, (c) => target.send(c));
        };
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.IAM.User', () => {
  it('lists users with their ARNs as refs', async () => {
    const page = await IAM_USER.list(ctx);
    expect(page.refs).toEqual(
      expect.arrayContaining([
        { userName: 'alice', arn: `arn:aws:iam::${account}:user/engineering/alice` },
        { userName: 'bob', arn: `arn:aws:iam::${account}:user/bob` },
      ]),
    );
    // moto ignores MaxItems (never truncates); the Marker loop is the same as ListAccessKeys'.
    expect(page.nextPageToken).toBeUndefined();
    for (const ref of page.refs) expect(IAM_USER.resourceId(ctx, ref)).toBe(ref.arn);
    // An event names a user without its path: the ID is unknown from the ref alone.
    expect(IAM_USER.resourceId(ctx, { userName: 'alice' })).toBeUndefined();
  });

  it('follows Marker across pages', async () => {
    // moto ignores MaxItems: page its full ListUsers answer here.
    const asked: (number | undefined)[] = [];
    const paged = counting(ctx, new Map(), async (cmd, send) => {
      if (!(cmd instanceof ListUsersCommand)) return send(cmd);
      asked.push(cmd.input.MaxItems);
      const all = (await send(new ListUsersCommand({}))) as ListUsersCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const to = from + (cmd.input.MaxItems ?? 100);
      const users = all.Users ?? [];
      return { ...all, Users: users.slice(from, to), IsTruncated: to < users.length, Marker: to < users.length ? String(to) : undefined };
    });
    const type = makeIamUserType({ pageSize: 1 });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await type.list(paged, token);
      expect(page.refs).toHaveLength(1);
      names.push(...page.refs.map((r) => r.userName));
      token = page.nextPageToken;
    } while (token);
    expect(names.sort()).toEqual(['alice', 'bob']);
    expect(asked).toEqual([1, 1]);
  });

  it('models a fully configured user', async () => {
    const res = (await IAM_USER.describe(ctx, { userName: 'alice' }))!;
    const userArn = `arn:aws:iam::${account}:user/engineering/alice`;
    expect(Object.keys(res).sort()).toEqual(
      [
        'AccessKeys', 'AccountId', 'Arn', 'CreateDate', 'CredentialReport', 'Groups', 'Id', 'InlinePolicies', 'ManagedPolicyARNs', 'ManagedPolicyNames', 'Name',
        'PasswordLastUsed', 'Path', 'PermissionsBoundary', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', 'UserId', 'UserName',
        'VirtualMFA',
      ].sort(),
    );
    expect(res).toMatchObject({
      ResourceId: userArn,
      ResourceType: 'AWS.IAM.User',
      AccountId: account,
      Region: 'global',
      Arn: userArn,
      Name: 'alice',
      UserName: 'alice',
      Path: '/engineering/',
      Tags: { team: 'platform' },
      PasswordLastUsed: null,
      // moto accepts a user's PermissionsBoundary but never returns it (roles only); the
      // mapping of a real answer is covered with an intercepted GetUser below.
      PermissionsBoundary: null,
      InlinePolicies: { 'read-reports': INLINE },
      ManagedPolicyNames: ['describe-ec2'],
      ManagedPolicyARNs: [`arn:aws:iam::${account}:policy/describe-ec2`],
    });
    expect(res.Id).toBe(aliceId);
    expect(res.UserId).toBe(aliceId);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreateDate).toBe(res.TimeCreated);
    expect(res.Groups).toEqual([
      { Path: '/teams/', GroupName: 'developers', GroupId: expect.any(String), Arn: `arn:aws:iam::${account}:group/teams/developers`, CreateDate: expect.stringMatching(RFC3339) },
    ]);
    expect(res.AccessKeys).toEqual([{ UserName: 'alice', AccessKeyId: accessKeyId, Status: 'Active', CreateDate: expect.stringMatching(RFC3339) }]);
    expect(res.VirtualMFA).toEqual({ SerialNumber: mfaSerial, EnableDate: expect.stringMatching(RFC3339) });

    const report = res.CredentialReport as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'UserName', 'ARN', 'UserCreationTime', 'PasswordEnabled', 'PasswordLastUsed', 'PasswordLastChanged', 'PasswordNextRotation', 'MfaActive',
      'AccessKey1Active', 'AccessKey1LastRotated', 'AccessKey1LastUsedDate', 'AccessKey1LastUsedRegion', 'AccessKey1LastUsedService',
      'AccessKey2Active', 'AccessKey2LastRotated', 'AccessKey2LastUsedDate', 'AccessKey2LastUsedRegion', 'AccessKey2LastUsedService',
      'Cert1Active', 'Cert1LastRotated', 'Cert2Active', 'Cert2LastRotated',
    ]);
    expect(report).toMatchObject({
      UserName: 'alice',
      ARN: userArn,
      PasswordEnabled: true,
      PasswordLastUsed: ZERO_TIME, // no_information
      PasswordNextRotation: ZERO_TIME, // not_supported
      MfaActive: true,
      AccessKey1Active: true,
      AccessKey1LastUsedDate: ZERO_TIME, // N/A
      AccessKey2Active: false,
      AccessKey2LastRotated: ZERO_TIME,
      Cert1Active: false,
      Cert1LastRotated: ZERO_TIME,
      Cert2Active: false,
    });
    expect(report.UserCreationTime).toMatch(RFC3339);
    expect(report.AccessKey1LastRotated).toMatch(RFC3339);
    // Non-date columns stay as AWS writes them (moto writes not_supported where AWS writes N/A).
    expect(['N/A', 'not_supported']).toContain(report.AccessKey1LastUsedRegion);
    expect(['N/A', 'not_supported']).toContain(report.AccessKey1LastUsedService);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('maps a permissions boundary from GetUser', async () => {
    const withBoundary = counting(ctx, new Map(), async (cmd, send) => {
      const out = (await send(cmd)) as { User: Record<string, unknown> };
      if (cmd.constructor.name !== 'GetUserCommand') return out;
      return { ...out, User: { ...out.User, PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundaryArn } } };
    });
    const res = (await IAM_USER.describe(withBoundary, { userName: 'alice' }))!;
    expect(res.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundaryArn });
  });

  it('models a bare user with null collections', async () => {
    const res = (await IAM_USER.describe(ctx, { userName: 'bob' }))!;
    expect(res).toMatchObject({
      ResourceId: `arn:aws:iam::${account}:user/bob`,
      Path: '/',
      Tags: null,
      PermissionsBoundary: null,
      PasswordLastUsed: null,
      Groups: null,
      InlinePolicies: null,
      ManagedPolicyNames: null,
      ManagedPolicyARNs: null,
      VirtualMFA: null,
      AccessKeys: null,
    });
    expect(res.CredentialReport).toMatchObject({ UserName: 'bob', PasswordEnabled: false, MfaActive: false, AccessKey1Active: false });
  });

  it('fetches the credential report and MFA devices once per scope', async () => {
    const counts = new Map<string, number>();
    const scoped = counting(ctx, counts);
    const type = makeIamUserType();
    const page = await type.list(scoped);
    const described = await Promise.all(page.refs.map((ref) => type.describe(scoped, ref)));
    expect(described.every((r) => r?.CredentialReport)).toBe(true);
    expect(counts.get('GetCredentialReportCommand')).toBe(1);
    expect(counts.get('ListVirtualMFADevicesCommand')).toBe(1);
    expect(counts.get('GetUserCommand')).toBe(page.refs.length);
  });

  it('returns null for a deleted user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    expect(await IAM_USER.describe(ctx, { userName: 'carol' })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'iam.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: 'us-east-1',
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => IAM_USER.events[d.eventName]!.refs!(d);
    const created = detail('CreateUser', {
      requestParameters: { userName: 'dave', path: '/ops/' },
      responseElements: { user: { userName: 'dave', arn: `arn:aws:iam::${account}:user/ops/dave`, path: '/ops/' } },
    });
    expect(refs(created)).toEqual([{ userName: 'dave', arn: `arn:aws:iam::${account}:user/ops/dave` }]);
    expect(IAM_USER.resourceId(ctx, refs(created)[0]!)).toBe(`arn:aws:iam::${account}:user/ops/dave`);
    expect(refs(detail('AttachUserPolicy', { requestParameters: { userName: 'dave', policyArn: 'arn:aws:iam::aws:policy/X' } }))).toEqual([{ userName: 'dave' }]);
    expect(refs(detail('UpdateUser', { requestParameters: { userName: 'dave', newUserName: 'david' } }))).toEqual([{ userName: 'dave' }, { userName: 'david' }]);
    expect(IAM_USER.events.DeleteUser!.action).toBe('delete');
    expect(
      refs(detail('ChangePassword', { userIdentity: { type: 'IAMUser', userName: 'dave', arn: `arn:aws:iam::${account}:user/ops/dave` }, requestParameters: null })),
    ).toEqual([{ userName: 'dave', arn: `arn:aws:iam::${account}:user/ops/dave` }]);
  });
});

describe('credential report parsing', () => {
  it('types values: booleans, RFC 3339 dates, N/A dates as the zero time', () => {
    const csv = [
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      '<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'eve,arn:aws:iam::123456789012:user/eve,2020-02-03T04:05:06+00:00,true,no_information,2020-02-03T04:05:06+00:00,N/A,false,true,2021-01-01T00:00:00+00:00,2024-06-01T12:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ].join('\n');
    const rows = parseCredentialReport(csv);
    expect(rows.get('arn:aws:iam::123456789012:user/eve')).toEqual({
      UserName: 'eve',
      ARN: 'arn:aws:iam::123456789012:user/eve',
      UserCreationTime: '2020-02-03T04:05:06.000Z',
      PasswordEnabled: true,
      PasswordLastUsed: ZERO_TIME,
      PasswordLastChanged: '2020-02-03T04:05:06.000Z',
      PasswordNextRotation: ZERO_TIME,
      MfaActive: false,
      AccessKey1Active: true,
      AccessKey1LastRotated: '2021-01-01T00:00:00.000Z',
      AccessKey1LastUsedDate: '2024-06-01T12:00:00.000Z',
      AccessKey1LastUsedRegion: 'eu-west-1',
      AccessKey1LastUsedService: 's3',
      AccessKey2Active: false,
      AccessKey2LastRotated: ZERO_TIME,
      AccessKey2LastUsedDate: ZERO_TIME,
      AccessKey2LastUsedRegion: 'N/A',
      AccessKey2LastUsedService: 'N/A',
      Cert1Active: false,
      Cert1LastRotated: ZERO_TIME,
      Cert2Active: false,
      Cert2LastRotated: ZERO_TIME,
    });
    expect(rows.get('arn:aws:iam::123456789012:root')).toMatchObject({ UserName: '<root_account>', PasswordEnabled: false, MfaActive: true, PasswordLastUsed: '2024-05-01T10:00:00.000Z' });
  });

  it('decodes URL-encoded policy documents and keeps plain JSON', () => {
    expect(decodePolicyDocument(encodeURIComponent(INLINE))).toBe(INLINE);
    expect(decodePolicyDocument(INLINE)).toBe(INLINE);
  });
});
