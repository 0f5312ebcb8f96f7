/**
 * `-c auditRoleName` end to end on the deployed path (issue #12 item 3): the stack sets
 * AUDIT_ROLE_NAME (test/infra/stack.test.ts), and lambdas/plan-scan.ts — its ports built from that
 * environment by lambdaDeps() — assumes it in an account onboarded without a role name of its own,
 * and the account's own name (`posture accounts add --role-name`) in an account that has one.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../../lambdas/runtime/env.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { createMember } from '../../helpers/member.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';
import { setLambdaEnvironment } from '../../helpers/lambda-env.ts';

const DEPLOYMENT_ROLE = 'OrgSecurityAudit';
let infra: LocalInfra;
let accounts: AccountStore;
let securityAccountId: string;
const saved = { ...process.env };

beforeAll(async () => {
  securityAccountId = randomAccountId();
  const clients = await accountClients(securityAccountId);
  infra = await bootstrapLocal(clients, securityAccountId, 'roles');
  accounts = new AccountStore(documentClient(clients), infra.tables.Accounts);
  await setLambdaEnvironment(infra, securityAccountId);
  process.env[ENV.auditRoleName] = DEPLOYMENT_ROLE;
}, 60_000);

afterAll(() => {
  process.env = saved;
});

describe('lambdas/plan-scan.ts with AUDIT_ROLE_NAME', () => {
  it("assumes the deployment's role name in an account that names none, and the account's own name in one that does", async () => {
    // Each member has exactly the role its onboarding named (moto hands out credentials for any
    // role ARN, so what was assumed is observed on STS itself).
    const following = await createMember(securityAccountId, { name: 'follows-deployment' }, DEPLOYMENT_ROLE);
    const own = await createMember(securityAccountId, { name: 'own-role', roleName: 'TeamAudit' });
    expect(following.account.roleName).toBeUndefined();
    for (const m of [following, own]) await accounts.put(m.account);

    const assumed: string[] = [];
    const original = STSClient.prototype.send;
    const spy = vi.spyOn(STSClient.prototype, 'send').mockImplementation(function (this: STSClient, command: unknown, ...rest: unknown[]) {
      if (command instanceof AssumeRoleCommand) assumed.push(command.input.RoleArn!);
      return (original as (...a: unknown[]) => unknown).call(this, command, ...rest);
    } as typeof original);
    try {
      const { handler } = (await import('../../../lambdas/plan-scan.ts')) as unknown as {
        handler: (event: unknown, context: Context) => Promise<{ scopeCount: number; key: string }>;
      };
      const context = { functionName: 'posture-plan-scan', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
      const out = await handler({ accountIds: [following.account.accountId, own.account.accountId] }, context);
      expect(out.scopeCount).toBeGreaterThan(0);
      expect([...new Set(assumed)].sort()).toEqual(
        [`arn:aws:iam::${following.account.accountId}:role/${DEPLOYMENT_ROLE}`, `arn:aws:iam::${own.account.accountId}:role/TeamAudit`].sort(),
      );
    } finally {
      spy.mockRestore();
    }
  });
});
