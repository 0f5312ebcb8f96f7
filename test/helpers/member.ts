/**
 * Creates an onboardable member account on the emulator: the audit role with an ExternalId, named
 * `overrides.roleName` (the account's own name) or else `roleName` (the deployment's; default PostureAuditRole).
 */
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { auditRoleTrustPolicy } from '../../src/onboarding/audit-role.ts';
import { parseAccount, type Account, DEFAULT_AUDIT_ROLE_NAME } from '../../src/accounts/account.ts';
import type { AwsClients } from '../../src/aws/clients.ts';
import { accountClients, randomAccountId } from './moto.ts';

export interface Member {
  account: Account;
  clients: AwsClients;
  clientsIn(region: string): Promise<AwsClients>;
}

export async function createMember(securityAccountId: string, overrides: Partial<Account> = {}, roleName = DEFAULT_AUDIT_ROLE_NAME): Promise<Member> {
  const accountId = overrides.accountId ?? randomAccountId();
  const clients = await accountClients(accountId);
  const externalId = `ext-${accountId}`;
  const RoleName = overrides.roleName ?? roleName;
  await clients.get(IAMClient).send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: auditRoleTrustPolicy(securityAccountId, externalId) }));
  await clients.get(IAMClient).send(new AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  return {
    account: parseAccount({ accountId, name: `member-${accountId}`, externalId, ...overrides }),
    clients,
    clientsIn: (region) => accountClients(accountId, region),
  };
}
