/**
 * ScanScope under a time budget: a scope larger than one invocation continues through page
 * tokens (as the state machine's Choice loop drives it), reconciliation stays exact across
 * invocations, and an account that cannot be reached is recorded as not evaluated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserCommand, DeleteUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { REGISTRY } from '../../../src/resources/index.ts';
import { IAM_USER } from '../../../src/resources/iam-user.ts';
import type { ResourceType } from '../../../src/resources/types.ts';
import { planScan } from '../../../src/scan/plan.ts';
import { scanBatch, type ScanBatchOutput } from '../../../src/scan/scan-scope.ts';
import type { ScanDeps } from '../../../src/scan/deps.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

let rt: LocalRuntime;
let member: Member;
let deps: ScanDeps;
const users: string[] = [];

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  member = await createMember(securityAccountId);
  await rt.deps.accounts.put(member.account);
  deps = { ...rt.deps, registry: [pagedBy(5, IAM_USER)] };
  const iam = member.clients.get(IAMClient);
  for (let i = 0; i < 12; i++) {
    await iam.send(new CreateUserCommand({ UserName: `user-${String(i).padStart(2, '0')}` }));
    users.push(`user-${String(i).padStart(2, '0')}`);
  }
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

/**
 * moto ignores the paging parameters of ListUsers, DescribeSecurityGroups and ListBuckets, so this
 * adapter pages the real type's listing itself (offset tokens): what is under test is ScanScope's
 * continuation, with real resources described through the real scanner.
 */
function pagedBy<R>(size: number, type: ResourceType<R>): ResourceType<R> {
  return {
    ...type,
    async list(ctx, pageToken) {
      const all = [];
      let token: string | undefined;
      do {
        const page = await type.list(ctx, token);
        all.push(...page.refs);
        token = page.nextPageToken;
      } while (token);
      const offset = Number(pageToken ?? 0);
      const next = offset + size;
      return { refs: all.slice(offset, next), ...(next < all.length ? { nextPageToken: String(next) } : {}) };
    },
  };
}

async function runLikeTheStateMachine(scanId: string): Promise<number> {
  const scopes = [{ accountId: member.account.accountId, region: 'global', resourceType: 'AWS.IAM.User' }];
  let state: ScanBatchOutput = { scanId, scopes, cursor: { index: 0 }, done: false };
  let invocations = 0;
  while (!state.done) {
    // A deadline already past: every invocation handles exactly one page, the worst case.
    state = await scanBatch(deps, { scanId, scopes: state.scopes, cursor: state.cursor }, { deadline: 0 });
    invocations++;
    if (!state.done) expect(state.cursor.pageToken).toBeTruthy();
    expect(invocations).toBeLessThan(20);
  }
  return invocations;
}

describe('time-boxed scope scanning', () => {
  it('continues across invocations until the scope is done and stores every resource', async () => {
    const invocations = await runLikeTheStateMachine('budget-1');
    expect(invocations).toBe(3); // 12 users, 5 per page
    const stored = await rt.deps.resources.scopeIndex(`${member.account.accountId}#global#AWS.IAM.User`);
    for (const u of users) expect(stored.get(`arn:aws:iam::${member.account.accountId}:user/${u}`)?.deleted).toBe(false);
    const [entry] = await rt.deps.ledger.forScan('budget-1');
    expect(entry).toMatchObject({ outcome: 'OK', resourceCount: 12, deletedCount: 0 });
  });

  it('reconciles exactly across invocations: only the deleted users are tombstoned', async () => {
    const iam = member.clients.get(IAMClient);
    await iam.send(new DeleteUserCommand({ UserName: users[0] }));
    await iam.send(new DeleteUserCommand({ UserName: users[11] }));
    await runLikeTheStateMachine('budget-2');
    const stored = await rt.deps.resources.scopeIndex(`${member.account.accountId}#global#AWS.IAM.User`);
    const deleted = [...stored].filter(([, e]) => e.deleted).map(([id]) => id.split('/')[1]);
    expect(deleted.sort()).toEqual([users[0], users[11]].sort());
    const [entry] = await rt.deps.ledger.forScan('budget-2');
    expect(entry).toMatchObject({ outcome: 'OK', deletedCount: 2, changedCount: 0 });
  });
});

describe('unreachable accounts', () => {
  it('records ACCESS_DENIED for an account whose role cannot be assumed, and plans the others', async () => {
    // moto does not enforce trust policies, so the denial comes from our own MemberAccess port.
    const denied = { ...member.account, accountId: randomAccountId(), name: 'locked-out' };
    await rt.deps.accounts.put(denied);
    const access = {
      clients: (account: typeof denied, region: string) => {
        if (account.accountId !== denied.accountId) return rt.deps.access.clients(account, region);
        const err = Object.assign(new Error(`account ${denied.accountId}: cannot assume role: AccessDenied: not authorized to perform sts:AssumeRole`), {
          name: 'AccessDenied',
        });
        return { region, get: () => ({ send: () => Promise.reject(err) }) } as never;
      },
    };
    // The full registry, so the plan's order across types can be checked (planning only).
    const plan = await planScan({ ...deps, access, registry: REGISTRY }, 'denied-1', [member.account.accountId, denied.accountId]);
    expect(plan.scopes.every((s) => s.accountId === member.account.accountId)).toBe(true);
    expect(plan.scopes.length).toBeGreaterThan(0);
    const ledger = await rt.deps.ledger.forScan('denied-1');
    const entry = ledger.find((e) => e.accountId === denied.accountId);
    expect(entry).toMatchObject({ outcome: 'ACCESS_DENIED', scope: `${denied.accountId}#*#*` });
    expect(entry?.message).toMatch(/AccessDenied: account \d{12}: cannot assume role/);
    // Opt-in regions the member has not enabled are recorded as disabled, not scanned.
    expect(ledger.some((e) => e.accountId === member.account.accountId && e.outcome === 'REGION_DISABLED')).toBe(true);
    expect(plan.scopes.some((s) => s.region === 'ap-east-1')).toBe(false);
    // Types that read others with resource_lookup come after those types' scopes, in every region:
    // the trails after the account's buckets, the users after its groups and policies.
    const at = (type: string, pick: 'first' | 'last') => (pick === 'first' ? plan.scopes.findIndex((s) => s.resourceType === type) : plan.scopes.findLastIndex((s) => s.resourceType === type));
    expect(at('AWS.CloudTrail', 'first')).toBeGreaterThan(at('AWS.S3.Bucket', 'last'));
    expect(at('AWS.IAM.User', 'first')).toBeGreaterThan(Math.max(at('AWS.IAM.Group', 'last'), at('AWS.IAM.Policy', 'last')));
  });
});
