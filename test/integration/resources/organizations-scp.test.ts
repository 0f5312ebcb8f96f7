import { CreateOrganizationCommand, CreatePolicyCommand, DeletePolicyCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDenyLeaveScp } from '../../../src/local/estate/coverage-messaging.ts';
import { makeScpType, ORGANIZATIONS_SCP, type ScpRef } from '../../../src/resources/organizations-scp.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'us-east-1';
let ctx: ScanContext;
let scp: { id: string; arn: string };
let rootId: string;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const org = ctx.clients.get(OrganizationsClient);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  scp = await createDenyLeaveScp(ctx.clients, rootId);
  const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] });
  await org.send(new CreatePolicyCommand({ Name: 'third', Description: 'x', Type: 'SERVICE_CONTROL_POLICY', Content: content }));
});

describe('AWS.Organizations.ServiceControlPolicy', () => {
  it('lists across pages with resolvable refs (FullAWSAccess included)', async () => {
    const type = makeScpType({ pageSize: 2 });
    const seen: ScpRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(3);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining([scp.id, 'p-FullAWSAccess']));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(ref.arn);
    expect(type.resourceId(ctx, { id: scp.id })).toBeUndefined();
  });

  it('models a customer SCP with its document, targets and tags', async () => {
    const res = (await ORGANIZATIONS_SCP.describe(ctx, { id: scp.id }))!;
    expect(typeKeys(res)).toEqual(ORGANIZATIONS_SCP.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: scp.arn,
      ResourceType: 'AWS.Organizations.ServiceControlPolicy',
      TimeCreated: null,
      AccountId: account,
      Region: 'global',
      Arn: scp.arn,
      Id: scp.id,
      Name: 'deny-leave-organization',
      Tags: { owner: 'secops' },
      Type: 'SERVICE_CONTROL_POLICY',
      AwsManaged: false,
      Targets: [expect.objectContaining({ TargetId: rootId, Type: 'ROOT' })],
    });
    expect(JSON.parse(res.Content as string).Statement[0].Action).toBe('organizations:LeaveOrganization');
    const full = (await ORGANIZATIONS_SCP.describe(ctx, { id: 'p-FullAWSAccess' }))!;
    expect(full).toMatchObject({ AwsManaged: true, Tags: null });
  });

  it('lists nothing outside an organization or in a member account, and propagates a denied management account', async () => {
    const lone = await scanContext(randomAccountId(), REGION);
    expect(await ORGANIZATIONS_SCP.list(lone)).toEqual({ refs: [] });
    // A member account: ListPolicies is denied (as AWS answers members), the organization names another management account.
    const member = intercept(ctx, OrganizationsClient, (cmd) => {
      if (cmd.constructor.name === 'ListPoliciesCommand') return Promise.reject(awsError('AccessDeniedException', 'not the management account'));
      if (cmd.constructor.name === 'DescribeOrganizationCommand') return Promise.resolve({ Organization: { Id: 'o-abc', MasterAccountId: '999999999999' } });
      return undefined;
    });
    expect(await ORGANIZATIONS_SCP.list(member)).toEqual({ refs: [] });
    const deniedManagement = intercept(ctx, OrganizationsClient, (cmd) => (cmd.constructor.name === 'ListPoliciesCommand' ? Promise.reject(awsError('AccessDeniedException', 'denied')) : undefined));
    await expect(ORGANIZATIONS_SCP.list(deniedManagement)).rejects.toThrow('denied');
  });

  it('returns null for a deleted policy', async () => {
    const org = ctx.clients.get(OrganizationsClient);
    const gone = (await org.send(new CreatePolicyCommand({ Name: 'gone', Description: 'x', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }) }))).Policy!.PolicySummary!.Id!;
    await org.send(new DeletePolicyCommand({ PolicyId: gone }));
    expect(await ORGANIZATIONS_SCP.describe(ctx, { id: gone })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ORGANIZATIONS_SCP.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('organizations.amazonaws.com', name, req, res));
    expect(refs('CreatePolicy', { name: 'n', type: 'SERVICE_CONTROL_POLICY' }, { policy: { policySummary: { id: 'p-abc123' } } })).toEqual([{ id: 'p-abc123' }]);
    expect(refs('AttachPolicy', { policyId: 'p-def456', targetId: 'r-1' })).toEqual([{ id: 'p-def456' }]);
    expect(ev.DeletePolicy!.action).toBe('delete');
    expect(refs('TagResource', { resourceId: 'ou-1-2' })).toEqual([]);
    expect(ev.EnablePolicyType!.action).toBe('rescan-account');
  });
});
