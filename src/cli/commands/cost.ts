/** `posture cost`: the daily cost estimate of the last scheduled scan, with the prices it assumes. */
import type { Command } from 'commander';
import { scopeKey } from '#core/types.ts';
import { REGISTRY } from '#resources/index.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import { estimateCost, renderCost, type CostEstimate } from '../cost.ts';
import type { TargetOptions } from '../target.ts';
import { addFormatOptions, addTargetOptions, targetOrExit } from './options.ts';

/**
 * The newest scheduled scan: the newest scheduled ledger entry of an onboarded account's global
 * scopes (every daily scan covers each account's global types once).
 */
export async function lastScheduledScan(accounts: Pick<AccountStore, 'list'>, ledger: Pick<LedgerStore, 'newestScheduledScan'>): Promise<string | undefined> {
  const globalTypes = REGISTRY.filter((t) => t.scope === 'global').map((t) => t.type);
  for (const account of await accounts.list()) {
    for (const resourceType of globalTypes.filter((t) => !account.excludeTypes.includes(t))) {
      const scanId = await ledger.newestScheduledScan(scopeKey({ accountId: account.accountId, region: 'global', resourceType }));
      if (scanId) return scanId;
    }
  }
  return undefined;
}

export async function costOf(stores: { accounts: Pick<AccountStore, 'list'>; ledger: Pick<LedgerStore, 'newestScheduledScan' | 'forScan'> }, scanId?: string): Promise<CostEstimate> {
  const id = scanId ?? (await lastScheduledScan(stores.accounts, stores.ledger));
  if (!id) throw new Error('no scheduled scan in the ledger yet (run posture scan, or wait for the daily scan)');
  return estimateCost(id, await stores.ledger.forScan(id));
}

export function registerCost(program: Command): void {
  const cmd = program.command('cost');
  addFormatOptions(cmd, ['text', 'json'], 'text');
  addTargetOptions(
    cmd
      .description('estimate the daily AWS cost of the scan from what the last scheduled scan used (prices printed)')
      .option('--scan-id <id>', 'price this scan instead of the newest scheduled one'),
  ).action(async (opts: TargetOptions & { scanId?: string; json?: boolean }) => {
    const target = await targetOrExit('cost', opts);
    if (!target) return;
    try {
      const estimate = await costOf(target, opts.scanId);
      console.log(opts.json ? JSON.stringify(estimate, null, 2) : renderCost(estimate).join('\n'));
    } catch (err) {
      console.error(`posture cost: ${(err as Error).message}`);
      process.exitCode = 2;
    }
  });
}
