/**
 * resource_lookup on the real pipeline: a scan on moto evaluates AWS.IAM.User.AdminPolicy, which
 * reads the user's customer-managed policies and groups from the inventory. A user whose only
 * admin grant is an attached customer-managed policy, or a group's, fails; a scoped one passes;
 * the lookups are counted in the scope's ledger usage; and a looked-up resource missing from the
 * inventory gives ERROR, never PASS.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IAM_GROUP } from '../../../src/resources/iam-group.ts';
import { IAM_POLICY } from '../../../src/resources/iam-policy.ts';
import { IAM_USER } from '../../../src/resources/iam-user.ts';
import type { AnyResourceType } from '../../../src/resources/index.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const ADMIN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const SCOPED = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const POLICY_ID = 'AWS.IAM.User.AdminPolicy';

let rt: LocalRuntime;
let member: Member;
let scanId: string;

const arnOf = (user: string): string => `arn:aws:iam::${member.account.accountId}:user/${user}`;

async function verdict(user: string) {
  return (await rt.deps.compliance.forResource(arnOf(user))).get(POLICY_ID);
}

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  // Policies and groups sort before users: one batch scans them first, as the deployed Map does.
  rt.deps.registry = [IAM_GROUP, IAM_POLICY, IAM_USER] as AnyResourceType[];
  member = await createMember(securityAccountId);
  await rt.deps.accounts.put(member.account);
  const iam = member.clients.get(IAMClient);
  const admin = (await iam.send(new CreatePolicyCommand({ PolicyName: 'deploy-everything', Path: '/ci/', PolicyDocument: ADMIN }))).Policy!.Arn!;
  const scoped = (await iam.send(new CreatePolicyCommand({ PolicyName: 'read-objects', PolicyDocument: SCOPED }))).Policy!.Arn!;
  for (const name of ['deployer', 'reader', 'operator']) await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: admin }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: scoped }));
  await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ops', PolicyArn: admin }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'operator' }));
  scanId = await rt.scan({ accountIds: [member.account.accountId] });
}, 180_000);

afterAll(async () => {
  await rt?.close();
});

describe('resource_lookup during a scan', () => {
  it('judges effective access through customer-managed policies and groups', async () => {
    const deployer = await verdict('deployer');
    expect(deployer?.status, deployer?.errorMessage ?? '').toBe('FAIL');
    expect(deployer?.title).toContain('managed:deploy-everything');
    const operator = await verdict('operator');
    expect(operator?.status, operator?.errorMessage ?? '').toBe('FAIL');
    expect(operator?.title).toContain('group:ops/managed:deploy-everything');
    expect((await verdict('reader'))?.status).toBe('PASS');
  });

  it('counts the lookups in the user scope\'s ledger usage', async () => {
    const entries = await rt.deps.ledger.forScan(scanId);
    const users = entries.find((e) => e.resourceType === 'AWS.IAM.User')!;
    expect(users.outcome).toBe('OK');
    // deploy-everything, read-objects and the ops group: each read once for the evaluation.
    expect(users.usage?.lookups).toBe(3);
    for (const e of entries.filter((x) => x.resourceType !== 'AWS.IAM.User' && x.usage)) expect(e.usage?.lookups, `${e.scope} ${e.outcome}`).toBe(0);
  });

  it('a looked-up resource missing from the inventory is an ERROR, not a pass', async () => {
    const iam = member.clients.get(IAMClient);
    const late = (await iam.send(new CreatePolicyCommand({ PolicyName: 'created-after-the-scan', PolicyDocument: SCOPED }))).Policy!.Arn!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: late }));
    // Only users are scanned: the new policy is not in the inventory.
    rt.deps.registry = [IAM_USER] as AnyResourceType[];
    await rt.scan({ accountIds: [member.account.accountId] });
    const reader = await verdict('reader');
    expect(reader?.status).toBe('ERROR');
    expect(reader?.errorMessage).toContain(`cannot judge: ${late} is not in the inventory`);
  });
});
