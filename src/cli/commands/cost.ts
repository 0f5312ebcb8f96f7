/** `posture cost`: the daily cost estimate of the last scheduled scan, with the prices it assumes; `--model`: an organization's. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_SCAN_MAX_CONCURRENCY } from '#aws/sizing.ts';
import { modelScale, type ScaleModel } from '#scan/scale-model.ts';
import { BENCH_SCAN_PROFILE, profileFromLedger, scaleProfileFileSchema, type ScaleProfile } from '#scan/scale-profile.ts';
import { DESCRIBE_CONCURRENCY } from '#scan/scan-scope.ts';
import { scopeKey } from '#core/types.ts';
import { REGISTRY } from '#resources/index.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import { estimateCost, renderCost, type CostEstimate } from '../cost.ts';
import { renderScaleModel } from '../scale-text.ts';
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

/** The `--model` flags, as commander parses them (strings until checked). */
interface ModelOptions {
  model?: boolean;
  accounts?: string;
  regions?: string;
  resourcesPerScope?: string;
  usageProfile?: string;
}

const MODEL_FLAGS = { accounts: '--accounts', regions: '--regions', resourcesPerScope: '--resources-per-scope', usageProfile: '--usage-profile' } as const;

/** A whole number ≥ min from a flag, or a one-line error naming the flag. */
function count(flag: string, raw: string | undefined, byDefault: number, min = 1): number {
  if (raw === undefined) return byDefault;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min) throw new Error(`${flag}: '${raw}' is not a whole number of at least ${min}`);
  return n;
}

/** Where a scan's ledger is: a target's stores, named for messages. */
export interface LedgerSource {
  name: string;
  accounts: Pick<AccountStore, 'list'>;
  ledger: Pick<LedgerStore, 'newestScheduledScan' | 'forScan'>;
}

/** The per-scope profile: a scan's ledger when the source has one, else bench:scan's measured one; then the file's fields and the flag. */
async function modelProfile(opts: ModelOptions & { scanId?: string }, source?: LedgerSource): Promise<{ profile: ScaleProfile; source: string }> {
  let profile = BENCH_SCAN_PROFILE;
  let from = "bench:scan's run of 2026-12-05 (5,398 resources of 75 types in 390 scopes on the emulator; its scale_profile), no scan in a ledger";
  if (source) {
    const scanId = opts.scanId ?? (await lastScheduledScan(source.accounts, source.ledger));
    if (scanId) {
      const entries = await source.ledger.forScan(scanId);
      if (entries.length === 0) throw new Error(`--scan-id ${scanId}: no ledger entries in ${source.name}`);
      profile = profileFromLedger(entries);
      from = `the ledger of scan ${scanId} in ${source.name} (${entries.length} scopes)`;
    } else from = `bench:scan's run of 2026-12-05: ${source.name} has no scheduled scan in its ledger yet`;
  } else if (opts.scanId) throw new Error('--scan-id needs --stack NAME or --endpoint URL (the ledger it is in)');
  if (opts.usageProfile) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(opts.usageProfile, 'utf8'));
    } catch (err) {
      throw new Error(`--usage-profile ${opts.usageProfile}: ${(err as Error).message}`);
    }
    const parsed = scaleProfileFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`--usage-profile ${opts.usageProfile}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    }
    profile = { ...profile, ...parsed.data };
    from += `; ${Object.keys(parsed.data).join(', ')} from ${opts.usageProfile}`;
  }
  if (opts.resourcesPerScope !== undefined) {
    const r = Number(opts.resourcesPerScope);
    if (opts.resourcesPerScope.trim() === '' || !Number.isFinite(r) || r < 0) throw new Error(`--resources-per-scope: '${opts.resourcesPerScope}' is not a number of at least 0`);
    profile = { ...profile, resourcesPerScope: r };
    from += `; ${r} resources a scope (--resources-per-scope)`;
  }
  return { profile, source: from };
}

/** `posture cost --model`: the model of an organization's daily scan from the registry and a per-scope profile (from `source`'s ledger when given). */
export async function scaleModelOf(opts: ModelOptions & { scanId?: string }, source?: LedgerSource): Promise<ScaleModel> {
  const accounts = count(MODEL_FLAGS.accounts, opts.accounts, 1000);
  const regions = count(MODEL_FLAGS.regions, opts.regions, 17);
  const found = await modelProfile(opts, source);
  return modelScale({
    accounts,
    regions,
    registry: REGISTRY,
    profile: found.profile,
    profileSource: found.source,
    maxConcurrency: DEFAULT_SCAN_MAX_CONCURRENCY,
    describeConcurrency: DESCRIBE_CONCURRENCY,
  });
}

export function registerCost(program: Command): void {
  const cmd = program.command('cost');
  addFormatOptions(cmd, ['text', 'json'], 'text');
  addTargetOptions(
    cmd
      .description('estimate the daily AWS cost of the scan from what the last scheduled scan used (prices printed); --model: an organization of any size')
      .option('--scan-id <id>', 'price this scan instead of the newest scheduled one')
      .option('--model', 'model a whole organization from the registry and per-scope usage (docs/scale.md); no target needed')
      .option(`${MODEL_FLAGS.accounts} <n>`, 'with --model: accounts (default 1000)')
      .option(`${MODEL_FLAGS.regions} <n>`, 'with --model: enabled regions per account (default 17)')
      .option(`${MODEL_FLAGS.resourcesPerScope} <n>`, 'with --model: average resources per scope (default: measured)')
      .option(`${MODEL_FLAGS.usageProfile} <file>`, 'with --model: a JSON file of per-scope usage fields (src/scan/scale-profile.ts) over the measured ones'),
  ).action(async (opts: TargetOptions & ModelOptions & { scanId?: string; json?: boolean }) => {
    try {
      if (opts.model) {
        const target = opts.stack || opts.endpoint ? await targetOrExit('cost', opts) : undefined;
        if ((opts.stack || opts.endpoint) && !target) return;
        const model = await scaleModelOf(opts, target);
        console.log(opts.json ? JSON.stringify(model, null, 2) : renderScaleModel(model).join('\n'));
        return;
      }
      const stray = (Object.keys(MODEL_FLAGS) as (keyof typeof MODEL_FLAGS)[]).find((k) => opts[k] !== undefined);
      if (stray) throw new Error(`${MODEL_FLAGS[stray]} is for --model (posture cost --model ${MODEL_FLAGS[stray]} ...)`);
      const target = await targetOrExit('cost', opts);
      if (!target) return;
      const estimate = await costOf(target, opts.scanId);
      console.log(opts.json ? JSON.stringify(estimate, null, 2) : renderCost(estimate).join('\n'));
    } catch (err) {
      console.error(`posture cost: ${(err as Error).message}`);
      process.exitCode = 2;
    }
  });
}
