/** `posture resources list|get|history`: stored resources as JSON, ready-to-paste policy test cases, and a resource's timeline. */
import type { Command } from 'commander';
import type { ComplianceItem } from '#compliance/model.ts';
import { expectedResult, unitTestYaml } from '#compliance/unit-test-entry.ts';
import type { StoredResource } from '#store/resource-store.ts';
import { utcTime } from '#core/provenance.ts';
import { historyText } from '../history-text.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addAccountsOption, addFormatOptions, addIdArgument, addRegionsOption, addSinceOption, addTypesOption, addTargetOptions, idOf, targetOrExit } from './options.ts';

export interface ResourceFilter {
  types?: string[];
  accounts?: string[];
  regions?: string[];
  /** Include tombstoned (deleted) resources. */
  deleted?: boolean;
}

export async function listResources(target: Pick<Target, 'resources'>, filter: ResourceFilter): Promise<StoredResource[]> {
  const all = await target.resources.all();
  const ok = (list: string[] | undefined, v: string) => !list?.length || list.includes(v);
  return all
    .filter((r) => (filter.deleted || !r.deleted) && ok(filter.types, r.resourceType) && ok(filter.accounts, r.accountId) && ok(filter.regions, r.region))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.resourceType.localeCompare(b.resourceType) || a.resourceId.localeCompare(b.resourceId));
}

/**
 * A Panther `Tests` entry per applicable policy (those with a stored result for the resource): the
 * resource as stored, and its current result as ExpectedResult (true for PASS). ERROR results
 * have no expectation and are named in a comment.
 */
export function asTestEntries(resource: StoredResource, compliance: ReadonlyMap<string, ComplianceItem>, name: string): string {
  const out: string[] = [];
  const items = [...compliance.values()].sort((a, b) => a.policyId.localeCompare(b.policyId));
  if (items.length === 0) out.push(`# ${resource.resourceId}: no policy has a stored result for this resource`);
  for (const c of items) {
    const expected = expectedResult(c);
    if (expected === null) {
      out.push(`# ${c.policyId}: the evaluation errored (${c.errorMessage ?? 'no message'}); no expected result`);
      continue;
    }
    const yaml = unitTestYaml(name, expected, resource.attributes);
    out.push(`# ${c.policyId} (${c.status}${c.suppressed ? ', suppressed' : ''}): paste under Tests: in the policy's .yml`);
    out.push(...yaml.trimEnd().split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n') + '\n';
}

export interface HistoryOptions {
  /** ISO time (the parsed --since). */
  since: string;
  format: 'table' | 'json';
}

/** `posture resources history`'s output, or the one-line error of an unknown resource. */
export async function resourceHistory(target: Pick<Target, 'history' | 'resources'>, id: string, opts: HistoryOptions): Promise<{ out: string; error?: string }> {
  const records = await target.history.forResource(id, { since: opts.since });
  // A resource gone from the Resources table (never stored, or its item expired) may still have a history.
  if (records.length === 0 && !(await target.resources.get(id))) return { out: '', error: `no stored resource ${id}` };
  if (opts.format === 'json') return { out: JSON.stringify(records, null, 2) + '\n' };
  if (records.length === 0) return { out: `${id}: no history since ${utcTime(opts.since)} (nothing changed in the window, or the records expired)\n` };
  return { out: historyText(records) };
}

export function registerResources(program: Command): void {
  const cmd = program.command('resources').description('stored resources: the inventory, and the source of real policy test cases');

  const list = cmd.command('list').description('list stored resources');
  addTypesOption(list, undefined, 'type');
  addAccountsOption(list, 'only these accounts', 'account');
  // Was --region: that flag now names the stack's region, as on every verb.
  addRegionsOption(list, 'only these regions ("global" for global types)', { global: true });
  addFormatOptions(list, ['table', 'json'], 'table');
  addTargetOptions(list.option('--deleted', 'include deleted resources')).action(async (opts: TargetOptions & ResourceFilter & { format: 'table' | 'json' }) => {
    const target = await targetOrExit('resources list', opts);
    if (!target) return;
    const rows = await listResources(target, opts);
    if (opts.format === 'json') console.log(JSON.stringify(rows.map((r) => r.attributes), null, 2));
    else console.log(renderTable(['ACCOUNT', 'REGION', 'TYPE', 'RESOURCE', 'LAST CHANGED'], rows.map((r) => [r.accountId, r.region, r.resourceType, r.resourceId, r.lastChanged]), 100));
  });

  const get = cmd.command('get').description('print a stored resource as JSON, or with --as-test a Tests entry per applicable policy');
  addTargetOptions(
    addIdArgument(get, 'the resource ID (as listed)').option('--as-test <name>', 'print a ready-to-paste Tests entry named NAME, ExpectedResult = current stored result'),
  ).action(async (arg: string | undefined, opts: TargetOptions & { id?: string; asTest?: string }) => {
    const id = idOf(get, arg, opts.id);
    const target = await targetOrExit('resources get', opts);
    if (!target) return;
    const r = await target.resources.get(id);
    if (!r) {
      console.error(`posture resources get: no stored resource ${id}`);
      process.exitCode = 1;
      return;
    }
    if (opts.asTest !== undefined) process.stdout.write(asTestEntries(r, await target.compliance.forResource(id), opts.asTest));
    else console.log(JSON.stringify(r.attributes, null, 2));
  });

  const history = cmd.command('history').description("a resource's timeline, oldest first: its versions with their diffs and causes, and the verdicts that moved");
  addIdArgument(history, 'the resource ID (as listed)');
  addSinceOption(history, 'only records observed since', '30d');
  addFormatOptions(history, ['table', 'json'], 'table');
  addTargetOptions(history).action(async (arg: string | undefined, opts: TargetOptions & HistoryOptions & { id?: string }) => {
    const id = idOf(history, arg, opts.id);
    const target = await targetOrExit('resources history', opts);
    if (!target) return;
    const r = await resourceHistory(target, id, opts);
    if (r.error) {
      console.error(`posture resources history: ${r.error}`);
      process.exitCode = 1;
    } else process.stdout.write(r.out);
  });
}
