import {
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  IAMClient,
  ListGroupsCommand,
  type GetGroupCommandOutput,
  type ListGroupsCommandOutput,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createDescribeEc2Policy, createDevelopersGroup, READ_REPORTS } from '../../../src/local/estate/iam.ts';
import { IAM_GROUP, makeIamGroupType } from '../../../src/resources/iam-group.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;
let iam: IAMClient;
let managedArn: string;
let developersId: string;

const INLINE = READ_REPORTS;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const KEYS = [
  'AccountId', 'Arn', 'CreateDate', 'GroupId', 'GroupName', 'Id', 'InlinePolicies', 'ManagedPolicyARNs', 'Name', 'Path', 'Region', 'ResourceId',
  'ResourceType', 'Tags', 'TimeCreated', 'Users',
];

beforeAll(async () => {
  ctx = await scanContext(account);
  iam = ctx.clients.get(IAMClient);
  managedArn = await createDescribeEc2Policy(ctx.clients, 'describe-ec2');
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  developersId = await createDevelopersGroup(ctx.clients, { managedArn, members: ['alice', 'bob'] });
  await iam.send(new CreateGroupCommand({ GroupName: 'empty' }));
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` with an IAM client whose `send` goes through `through` (to page or rewrite answers). */
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

describe('AWS.IAM.Group', () => {
  it('lists groups with their ARNs as refs', async () => {
    const page = await IAM_GROUP.list(ctx);
    expect(page.refs).toEqual(
      expect.arrayContaining([
        { groupName: 'developers', arn: `arn:aws:iam::${account}:group/teams/developers` },
        { groupName: 'empty', arn: `arn:aws:iam::${account}:group/empty` },
      ]),
    );
    // moto ignores MaxItems (never truncates); paging is covered below.
    expect(page.nextPageToken).toBeUndefined();
    for (const ref of page.refs) expect(IAM_GROUP.resourceId(ctx, ref)).toBe(ref.arn);
    expect(IAM_GROUP.resourceId(ctx, { groupName: 'developers' })).toBeUndefined();
  });

  it('follows Marker across ListGroups pages', async () => {
    // moto ignores MaxItems: page its full ListGroups answer here.
    const asked: (number | undefined)[] = [];
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof ListGroupsCommand)) return send(cmd);
      asked.push(cmd.input.MaxItems);
      const all = (await send(new ListGroupsCommand({}))) as ListGroupsCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const to = from + (cmd.input.MaxItems ?? 100);
      const groups = all.Groups ?? [];
      return { ...all, Groups: groups.slice(from, to), IsTruncated: to < groups.length, Marker: to < groups.length ? String(to) : undefined };
    });
    const type = makeIamGroupType({ pageSize: 1 });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await type.list(paged, token);
      expect(page.refs).toHaveLength(1);
      names.push(...page.refs.map((r) => r.groupName));
      token = page.nextPageToken;
    } while (token);
    expect(names.sort()).toEqual(['developers', 'empty']);
    expect(asked).toEqual([1, 1]);
  });

  it('models a group with members, inline and managed policies', async () => {
    const res = (await IAM_GROUP.describe(ctx, { groupName: 'developers' }))!;
    const arn = `arn:aws:iam::${account}:group/teams/developers`;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: arn,
      ResourceType: 'AWS.IAM.Group',
      AccountId: account,
      Region: 'global',
      Arn: arn,
      Name: 'developers',
      GroupName: 'developers',
      Path: '/teams/',
      Tags: null,
      InlinePolicies: { 'read-reports': INLINE },
      ManagedPolicyARNs: [managedArn],
    });
    expect(res.Id).toBe(developersId);
    expect(res.GroupId).toBe(res.Id);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreateDate).toBe(res.TimeCreated);
    const users = res.Users as Record<string, unknown>[];
    expect(users.map((u) => u.UserName).sort()).toEqual(['alice', 'bob']);
    // Every modeled member of the User shape is present, null when unset.
    expect(users.find((u) => u.UserName === 'alice')).toEqual({
      Path: '/engineering/',
      UserName: 'alice',
      UserId: expect.any(String),
      Arn: `arn:aws:iam::${account}:user/engineering/alice`,
      CreateDate: expect.stringMatching(RFC3339),
      PasswordLastUsed: null,
      PermissionsBoundary: null,
      Tags: null,
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models an empty group with null collections', async () => {
    const res = (await IAM_GROUP.describe(ctx, { groupName: 'empty' }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({ ResourceId: `arn:aws:iam::${account}:group/empty`, Path: '/', Users: null, InlinePolicies: null, ManagedPolicyARNs: null });
  });

  it('follows Marker across GetGroup member pages', async () => {
    // moto never truncates GetGroup: page its member list one user at a time.
    let calls = 0;
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof GetGroupCommand)) return send(cmd);
      calls++;
      const all = (await send(new GetGroupCommand({ GroupName: cmd.input.GroupName }))) as GetGroupCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const users = all.Users ?? [];
      return { ...all, Users: users.slice(from, from + 1), IsTruncated: from + 1 < users.length, Marker: from + 1 < users.length ? String(from + 1) : undefined };
    });
    const res = (await IAM_GROUP.describe(paged, { groupName: 'developers' }))!;
    expect((res.Users as { UserName: string }[]).map((u) => u.UserName).sort()).toEqual(['alice', 'bob']);
    expect(calls).toBe(2);
  });

  it('returns null for a deleted group', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'gone' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'gone' }));
    expect(await IAM_GROUP.describe(ctx, { groupName: 'gone' })).toBeNull();
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
    const refs = (d: CloudTrailDetail) => IAM_GROUP.events[d.eventName]!.refs!(d);
    const arn = `arn:aws:iam::${account}:group/ops/admins`;
    expect(
      refs(detail('CreateGroup', { requestParameters: { groupName: 'admins', path: '/ops/' }, responseElements: { group: { groupName: 'admins', arn, path: '/ops/' } } })),
    ).toEqual([{ groupName: 'admins', arn }]);
    expect(refs(detail('AddUserToGroup', { requestParameters: { groupName: 'admins', userName: 'alice' } }))).toEqual([{ groupName: 'admins' }]);
    expect(refs(detail('AttachGroupPolicy', { requestParameters: { groupName: 'admins', policyArn: managedArn } }))).toEqual([{ groupName: 'admins' }]);
    expect(refs(detail('UpdateGroup', { requestParameters: { groupName: 'admins', newGroupName: 'root-admins' } }))).toEqual([
      { groupName: 'admins' },
      { groupName: 'root-admins' },
    ]);
    expect(IAM_GROUP.events.DeleteGroup!.action).toBe('delete');
    expect(refs(detail('DeleteGroup', { requestParameters: { groupName: 'admins' } }))).toEqual([{ groupName: 'admins' }]);
  });
});
