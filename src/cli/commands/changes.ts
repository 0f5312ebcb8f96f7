/**
 * `posture changes`: what changed in the estate in a window — grouped by resource, with the actors
 * behind each change (or the scan window) and the findings it opened or resolved; the daily digest
 * a security lead reads. Reads each account's change feed (the history's byAccount index, without
 * bodies); the grouping is #compliance/change-digest.ts.
 */
import type { Command } from 'commander';
import { changeDigest } from '#compliance/change-digest.ts';
import { changesText } from '../history-text.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addAccountsOption, addFormatOptions, addSinceOption, addTargetOptions, addTypesOption, targetOrExit } from './options.ts';

export interface ChangesOptions {
  /** ISO time (the parsed --since). */
  since: string;
  accounts?: string[];
  types?: string[];
  format: 'table' | 'json';
}

/** The digest of the accounts' feeds since `since` (every onboarded account unless --accounts), as text or one JSON document. */
export async function changesReport(target: Pick<Target, 'accounts' | 'history'>, opts: ChangesOptions): Promise<string> {
  const accounts = opts.accounts?.length ? opts.accounts : (await target.accounts.list()).map((a) => a.accountId).sort();
  const records = (await Promise.all(accounts.map((a) => target.history.feedAll(a, opts.since)))).flat();
  const digest = changeDigest(records, { types: opts.types });
  if (opts.format === 'json') return JSON.stringify({ since: opts.since, accounts, ...digest }, null, 2) + '\n';
  return changesText(digest, opts.since);
}

export function registerChanges(program: Command): void {
  const cmd = program.command('changes').description('what changed in the estate, grouped by resource, with who changed it and the findings each change opened or resolved');
  addSinceOption(cmd, 'the window starts', '24h');
  addAccountsOption(cmd, 'only these accounts (default: every onboarded account)');
  addTypesOption(cmd);
  addFormatOptions(cmd, ['table', 'json'], 'table');
  addTargetOptions(cmd).action(async (opts: TargetOptions & ChangesOptions) => {
    const target = await targetOrExit('changes', opts);
    if (!target) return;
    process.stdout.write(await changesReport(target, opts));
  });
}
