import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  type GetRoleCommandOutput,
  type ListRolesCommandOutput,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { ARTIFACTS, createDeployRole, createDescribeEc2Policy, DEPLOY_TRUST } from '../../../src/local/estate/iam.ts';
import { IAM_ROLE, makeIamRoleType } from '../../../src/resources/iam-role.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;
let iam: IAMClient;
let boundaryArn: string;
let deployId: string;

const TRUST = DEPLOY_TRUST;
const LAMBDA_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const INLINE = ARTIFACTS;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const KEYS = [
  'AccountId', 'Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Description', 'Id', 'InlinePolicies', 'ManagedPolicyNames', 'MaxSessionDuration', 'Name',
  'Path', 'PermissionsBoundary', 'Region', 'ResourceId', 'ResourceType', 'RoleId', 'RoleLastUsed', 'RoleName', 'Tags', 'TimeCreated',
];

beforeAll(async () => {
  ctx = await scanContext(account);
  iam = ctx.clients.get(IAMClient);
  boundaryArn = await createDescribeEc2Policy(ctx.clients, 'boundary');
  deployId = await createDeployRole(ctx.clients, { boundaryArn });
  await iam.send(new CreateRoleCommand({ RoleName: 'bare', AssumeRolePolicyDocument: LAMBDA_TRUST }));
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

describe('AWS.IAM.Role', () => {
  it('lists roles with their ARNs as refs', async () => {
    const page = await IAM_ROLE.list(ctx);
    expect(page.refs).toEqual(
      expect.arrayContaining([
        { roleName: 'deploy', arn: `arn:aws:iam::${account}:role/ci/deploy` },
        { roleName: 'bare', arn: `arn:aws:iam::${account}:role/bare` },
      ]),
    );
    for (const ref of page.refs) expect(IAM_ROLE.resourceId(ctx, ref)).toBe(ref.arn);
    expect(IAM_ROLE.resourceId(ctx, { roleName: 'deploy' })).toBeUndefined();
  });

  it('follows Marker across ListRoles pages', async () => {
    // moto ignores MaxItems: page its full ListRoles answer here.
    const asked: (number | undefined)[] = [];
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof ListRolesCommand)) return send(cmd);
      asked.push(cmd.input.MaxItems);
      const all = (await send(new ListRolesCommand({}))) as ListRolesCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const to = from + (cmd.input.MaxItems ?? 100);
      const roles = all.Roles ?? [];
      return { ...all, Roles: roles.slice(from, to), IsTruncated: to < roles.length, Marker: to < roles.length ? String(to) : undefined };
    });
    const type = makeIamRoleType({ pageSize: 1 });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await type.list(paged, token);
      expect(page.refs).toHaveLength(1);
      names.push(...page.refs.map((r) => r.roleName));
      token = page.nextPageToken;
    } while (token);
    expect(names).toEqual(expect.arrayContaining(['bare', 'deploy']));
    expect(asked.every((n) => n === 1)).toBe(true);
  });

  it('models a fully configured role', async () => {
    const res = (await IAM_ROLE.describe(ctx, { roleName: 'deploy' }))!;
    const arn = `arn:aws:iam::${account}:role/ci/deploy`;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: arn,
      ResourceType: 'AWS.IAM.Role',
      AccountId: account,
      Region: 'global',
      Arn: arn,
      Id: deployId,
      RoleId: deployId,
      Name: 'deploy',
      RoleName: 'deploy',
      Tags: { team: 'platform' },
      // A decoded JSON string, as Panther policies json.loads it.
      AssumeRolePolicyDocument: TRUST,
      Description: 'CI deploys',
      MaxSessionDuration: 7200,
      Path: '/ci/',
      PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundaryArn },
      InlinePolicies: { artifacts: INLINE },
      ManagedPolicyNames: ['boundary'],
    });
    expect(JSON.parse(res.AssumeRolePolicyDocument as string)).toEqual(JSON.parse(TRUST));
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreateDate).toBe(res.TimeCreated);
    // moto answers RoleLastUsed as {} for a role never used: both members present, null.
    expect(res.RoleLastUsed).toEqual({ LastUsedDate: null, Region: null });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('maps RoleLastUsed as GetRole reports it for a used role', async () => {
    // moto never records role use; this is GetRole's documented RoleLastUsed shape.
    const used = wrapped(ctx, async (cmd, send) => {
      const out = await send(cmd);
      if (!(cmd instanceof GetRoleCommand)) return out;
      const r = out as GetRoleCommandOutput;
      return { ...r, Role: { ...r.Role, RoleLastUsed: { LastUsedDate: new Date('2025-03-04T05:06:07Z'), Region: 'eu-west-1' } } };
    });
    const res = (await IAM_ROLE.describe(used, { roleName: 'bare' }))!;
    expect(res.RoleLastUsed).toEqual({ LastUsedDate: '2025-03-04T05:06:07.000Z', Region: 'eu-west-1' });
    // Every use of a role moves it: declared volatile, so it alone does not rewrite the role.
    expect(IAM_ROLE.volatileAttributes).toContain('RoleLastUsed');
  });

  it('models a bare role with null collections', async () => {
    const res = (await IAM_ROLE.describe(ctx, { roleName: 'bare' }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: `arn:aws:iam::${account}:role/bare`,
      Path: '/',
      Tags: null,
      Description: null,
      MaxSessionDuration: 3600,
      PermissionsBoundary: null,
      InlinePolicies: null,
      ManagedPolicyNames: null,
      AssumeRolePolicyDocument: LAMBDA_TRUST,
    });
  });

  it('decodes a URL-encoded trust policy as IAM returns it', async () => {
    const encoded = wrapped(ctx, async (cmd, send) => {
      const out = await send(cmd);
      if (!(cmd instanceof GetRoleCommand)) return out;
      const r = out as GetRoleCommandOutput;
      return { ...r, Role: { ...r.Role, AssumeRolePolicyDocument: encodeURIComponent(TRUST) } };
    });
    expect((await IAM_ROLE.describe(encoded, { roleName: 'deploy' }))!.AssumeRolePolicyDocument).toBe(TRUST);
  });

  it('returns null for a deleted role', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'gone', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'gone' }));
    expect(await IAM_ROLE.describe(ctx, { roleName: 'gone' })).toBeNull();
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
    const refs = (d: CloudTrailDetail) => IAM_ROLE.events[d.eventName]!.refs!(d);
    const arn = `arn:aws:iam::${account}:role/ops/runner`;
    expect(
      refs(detail('CreateRole', { requestParameters: { roleName: 'runner', path: '/ops/' }, responseElements: { role: { roleName: 'runner', arn, path: '/ops/' } } })),
    ).toEqual([{ roleName: 'runner', arn }]);
    const slr = `arn:aws:iam::${account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`;
    expect(
      refs(
        detail('CreateServiceLinkedRole', {
          requestParameters: { aWSServiceName: 'elasticloadbalancing.amazonaws.com' },
          responseElements: { role: { roleName: 'AWSServiceRoleForElasticLoadBalancing', arn: slr } },
        }),
      ),
    ).toEqual([{ roleName: 'AWSServiceRoleForElasticLoadBalancing', arn: slr }]);
    expect(refs(detail('UpdateAssumeRolePolicy', { requestParameters: { roleName: 'runner', policyDocument: TRUST } }))).toEqual([{ roleName: 'runner' }]);
    expect(refs(detail('TagRole', { requestParameters: { roleName: 'runner', tags: [{ key: 'a', value: 'b' }] } }))).toEqual([{ roleName: 'runner' }]);
    expect(IAM_ROLE.events.DeleteRole!.action).toBe('delete');
    expect(IAM_ROLE.events.DeleteServiceLinkedRole).toMatchObject({ action: 'rescan', settleSeconds: 60 });
  });
});
