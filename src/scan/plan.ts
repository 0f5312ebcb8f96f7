/**
 * PlanScan: the scopes of a scan — each onboarded account × its enabled regions × registry types,
 * minus the account's exclusions; global types once per account. Accounts that cannot be reached
 * and regions that are not enabled are recorded in the ledger, never silently skipped.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Account } from '#accounts/account.ts';
import { REGISTRY } from '#resources/index.ts';
import { classifyError, describeError, mapLimit } from '#core/errors.ts';
import type { Scope } from '#core/types.ts';
import { accountRegions } from '#core/partitions.ts';
import { scopeListKey } from '#store/bucket-layout.ts';
import { lookupDepths } from './scope-order.ts';
import type { PlanScanOutput } from './batch-contract.ts';
import type { ScanDeps } from './deps.ts';

/**
 * Accounts planned at once. Each costs an AssumeRole and a DescribeRegions (0.1–0.2 s on AWS): one at
 * a time, 1,000 accounts would take most of PlanScan's 5-minute timeout (docs/scale.md).
 */
export const PLAN_ACCOUNT_CONCURRENCY = 16;

/** What planning reads and writes: the accounts, their regions through member access, the ledger, the scan bucket. */
export type PlanDeps = Pick<ScanDeps, 'accounts' | 'access' | 'ledger' | 'blobs' | 'clock' | 'partition' | 'homeRegion' | 'log' | 'registry'>;

export interface Plan {
  scanId: string;
  scopes: Scope[];
}

export async function planScan(deps: PlanDeps, scanId: string, accountIds?: readonly string[]): Promise<Plan> {
  const all = await deps.accounts.list();
  const accounts = all.filter((a) => a.enabled && (!accountIds || accountIds.includes(a.accountId)));
  const scopes = (await mapLimit(accounts, PLAN_ACCOUNT_CONCURRENCY, (account) => planAccount(deps, scanId, account))).flat();
  // Adjacent scopes of one account-region land in the same Map batch and reuse its credentials.
  // Types that read others with resource_lookup (`lookupsFrom`) must come after the scopes they
  // read: an account's global scopes come first (trails and users read buckets, groups and
  // policies, all global), and within an account-region the types that look up come last. Batches
  // start in plan order, so a first scan mostly finds what it looks up instead of answering ERROR
  // until the next one (scope-order.ts waits for them for certain where scopes run in one process).
  const depth = lookupDepths(deps.registry ?? REGISTRY);
  const depthOf = (s: Scope) => depth.get(s.resourceType) ?? 0;
  const globalFirst = (s: Scope) => (s.region === 'global' ? 0 : 1);
  scopes.sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) || globalFirst(a) - globalFirst(b) || a.region.localeCompare(b.region) || depthOf(a) - depthOf(b) || a.resourceType.localeCompare(b.resourceType),
  );
  return { scanId, scopes };
}

/**
 * PlanScan's work: plans the scan and writes its scope list to the scan bucket as one JSON array
 * (the Distributed Map's ItemReader reads it; never the state payload, which holds 256 KiB).
 */
export async function planToBucket(deps: PlanDeps, scanId: string, accountIds?: readonly string[]): Promise<PlanScanOutput> {
  const plan = await planScan(deps, scanId, accountIds);
  const key = scopeListKey(scanId);
  await deps.blobs.putJson(key, plan.scopes);
  return { scanId, bucket: deps.blobs.bucket, key, scopeCount: plan.scopes.length };
}

async function planAccount(deps: PlanDeps, scanId: string, account: Account): Promise<Scope[]> {
  const now = () => deps.clock.now().toISOString();
  const record = (region: string, outcome: ReturnType<typeof classifyError>, message: string) =>
    deps.ledger.record({
      scanId,
      scope: `${account.accountId}#${region}#*`,
      accountId: account.accountId,
      region,
      resourceType: '*',
      startedAt: now(),
      finishedAt: now(),
      resourceCount: 0,
      changedCount: 0,
      deletedCount: 0,
      outcome,
      message,
    });

  let regions: string[];
  try {
    const r = await deps.access.clients(account, deps.homeRegion).get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
    const found = accountRegions(r.Regions ?? [], deps.partition, account.excludeRegions);
    for (const name of found.notOptedIn) await record(name, 'REGION_DISABLED', `region ${name} is not enabled in account ${account.accountId} (opt-in region)`);
    regions = found.enabled;
  } catch (err) {
    deps.log.warn('account not evaluated', { accountId: account.accountId, error: describeError(err) });
    await record('*', classifyError(err), describeError(err));
    return [];
  }

  const scopes: Scope[] = [];
  for (const type of deps.registry ?? REGISTRY) {
    if (account.excludeTypes.includes(type.type)) continue;
    if (type.scope === 'global') scopes.push({ accountId: account.accountId, region: 'global', resourceType: type.type });
    else for (const region of regions) scopes.push({ accountId: account.accountId, region, resourceType: type.type });
  }
  return scopes;
}
