import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  type GetPolicyVersionCommandOutput,
  type ListEntitiesForPolicyCommandOutput,
  type ListPoliciesCommandOutput,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { ADMIN_V1, ADMIN_V2, createAdminPolicy } from '../../../src/local/estate/iam.ts';
import { IAM_POLICY, makeIamPolicyType } from '../../../src/resources/iam-policy.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
let ctx: ScanContext;
let iam: IAMClient;
let adminArn: string;
let bareArn: string;
let adminId: string;

const V1 = ADMIN_V1;
const V2 = ADMIN_V2;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

const KEYS = [
  'AccountId', 'Arn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'Description', 'Entities', 'Id', 'IsAttachable', 'Name', 'Path',
  'PermissionsBoundaryUsageCount', 'PolicyDocument', 'PolicyId', 'PolicyName', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', 'UpdateDate',
];

beforeAll(async () => {
  ctx = await scanContext(account);
  iam = ctx.clients.get(IAMClient);
  ({ arn: adminArn, policyId: adminId } = await createAdminPolicy(ctx.clients));
  bareArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'bare', PolicyDocument: V1 }))).Policy!.Arn!;
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: adminArn }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: adminArn }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'ops', PolicyArn: adminArn }));
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

describe('AWS.IAM.Policy', () => {
  it('lists customer-managed policies only', async () => {
    const page = await IAM_POLICY.list(ctx);
    expect(page.refs.map((r) => r.arn).sort()).toEqual([adminArn, bareArn].sort());
    expect(adminArn).toBe(`arn:aws:iam::${account}:policy/security/admin`);
    for (const ref of page.refs) expect(IAM_POLICY.resourceId(ctx, ref)).toBe(ref.arn);
  });

  it('follows Marker across ListPolicies pages', async () => {
    // moto ignores MaxItems: page its full ListPolicies answer here.
    const scopes = new Set<string | undefined>();
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof ListPoliciesCommand)) return send(cmd);
      scopes.add(cmd.input.Scope);
      const all = (await send(new ListPoliciesCommand({ Scope: cmd.input.Scope }))) as ListPoliciesCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const to = from + (cmd.input.MaxItems ?? 100);
      const policies = all.Policies ?? [];
      return { ...all, Policies: policies.slice(from, to), IsTruncated: to < policies.length, Marker: to < policies.length ? String(to) : undefined };
    });
    const type = makeIamPolicyType({ pageSize: 1 });
    const { refs, pages } = await listAll(type, paged);
    const arns = refs.map((r) => r.arn);
    expect(arns.sort()).toEqual([adminArn, bareArn].sort());
    expect(pages).toBe(2);
    expect([...scopes]).toEqual(['Local']);
  });

  it('models an attached policy with its default version and entities', async () => {
    const res = (await IAM_POLICY.describe(ctx, { arn: adminArn }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: adminArn,
      ResourceType: 'AWS.IAM.Policy',
      AccountId: account,
      Region: 'global',
      Arn: adminArn,
      Id: adminId,
      PolicyId: adminId,
      Name: 'admin',
      PolicyName: 'admin',
      Path: '/security/',
      Description: 'break glass',
      Tags: { owner: 'secops' },
      DefaultVersionId: 'v2',
      AttachmentCount: 3,
      IsAttachable: true,
      // The default version (v2), as a JSON string.
      PolicyDocument: V2,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreateDate).toBe(res.TimeCreated);
    expect(res.UpdateDate).toMatch(RFC3339);
    // moto leaves out PermissionsBoundaryUsageCount (AWS answers 0 here): null when unreported.
    expect(res.PermissionsBoundaryUsageCount).toBeNull();
    expect(res.Entities).toEqual({
      PolicyGroups: [{ GroupName: 'admins', GroupId: expect.any(String) }],
      PolicyRoles: [{ RoleName: 'ops', RoleId: expect.any(String) }],
      PolicyUsers: [{ UserName: 'alice', UserId: expect.any(String) }],
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models an unattached policy: each entity list null', async () => {
    const res = (await IAM_POLICY.describe(ctx, { arn: bareArn }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: bareArn,
      Path: '/',
      Description: null,
      Tags: null,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PolicyDocument: V1,
      Entities: { PolicyGroups: null, PolicyRoles: null, PolicyUsers: null },
    });
  });

  it('decodes the URL-encoded document IAM returns and follows entity pages', async () => {
    // moto returns documents as plain JSON and never truncates ListEntitiesForPolicy: answer as AWS does.
    let entityCalls = 0;
    const aws = wrapped(ctx, async (cmd, send) => {
      const out = await send(cmd instanceof ListEntitiesForPolicyCommand ? new ListEntitiesForPolicyCommand({ PolicyArn: cmd.input.PolicyArn }) : cmd);
      if (cmd instanceof GetPolicyVersionCommand) {
        const r = out as GetPolicyVersionCommandOutput;
        return { ...r, PolicyVersion: { ...r.PolicyVersion, Document: encodeURIComponent(r.PolicyVersion!.Document!) } };
      }
      if (cmd instanceof ListEntitiesForPolicyCommand) {
        entityCalls++;
        const r = out as ListEntitiesForPolicyCommandOutput;
        return cmd.input.Marker
          ? { ...r, PolicyGroups: [], PolicyRoles: [], IsTruncated: false }
          : { ...r, PolicyUsers: [], IsTruncated: true, Marker: 'next' };
      }
      return out;
    });
    const res = (await IAM_POLICY.describe(aws, { arn: adminArn }))!;
    expect(res.PolicyDocument).toBe(V2);
    expect(entityCalls).toBe(2);
    expect((res.Entities as Record<string, unknown[]>).PolicyUsers).toEqual([{ UserName: 'alice', UserId: expect.any(String) }]);
    expect((res.Entities as Record<string, unknown[]>).PolicyRoles).toHaveLength(1);
  });

  it('returns null for a deleted policy', async () => {
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'gone', PolicyDocument: V1 }))).Policy!.Arn!;
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await IAM_POLICY.describe(ctx, { arn })).toBeNull();
  });

  it('maps CloudTrail events to customer-managed policy refs', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'iam.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: 'us-east-1',
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => IAM_POLICY.events[d.eventName]!.refs!(d);
    const arn = `arn:aws:iam::${account}:policy/new`;
    expect(refs(detail('CreatePolicy', { requestParameters: { policyName: 'new', policyDocument: V1 }, responseElements: { policy: { policyName: 'new', arn } } }))).toEqual([
      { arn },
    ]);
    expect(refs(detail('CreatePolicyVersion', { requestParameters: { policyArn: arn, setAsDefault: true } }))).toEqual([{ arn }]);
    expect(refs(detail('AttachRolePolicy', { requestParameters: { roleName: 'ops', policyArn: arn } }))).toEqual([{ arn }]);
    // AWS-managed policies are not modeled.
    expect(refs(detail('AttachRolePolicy', { requestParameters: { roleName: 'ops', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }))).toEqual([]);
    expect(IAM_POLICY.events.DeletePolicy!.action).toBe('delete');
    expect(refs(detail('DeletePolicy', { requestParameters: { policyArn: arn } }))).toEqual([{ arn }]);
  });
});
