/**
 * PlanScan: the scopes of a scan — each onboarded account × its enabled regions × registry types,
 * minus the account's exclusions; global types once per account. Accounts that cannot be reached
 * and regions that are not enabled are recorded in the ledger, never silently skipped.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Account } from '#accounts/account.ts';
import { REGISTRY } from '#resources/index.ts';
import { classifyError, describeError } from '#core/errors.ts';
import type { Scope } from '#core/types.ts';
import { accountRegions } from '#core/partitions.ts';
import type { ScanDeps } from './deps.ts';

export interface Plan {
  scanId: string;
  scopes: Scope[];
}

export async function planScan(deps: ScanDeps, scanId: string, accountIds?: readonly string[]): Promise<Plan> {
  const all = await deps.accounts.list();
  const accounts = all.filter((a) => a.enabled && (!accountIds || accountIds.includes(a.accountId)));
  const scopes: Scope[] = [];
  for (const account of accounts) scopes.push(...(await planAccount(deps, scanId, account)));
  // Adjacent scopes of one account-region land in the same Map batch and reuse its credentials.
  scopes.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.resourceType.localeCompare(b.resourceType));
  return { scanId, scopes };
}

async function planAccount(deps: ScanDeps, scanId: string, account: Account): Promise<Scope[]> {
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
