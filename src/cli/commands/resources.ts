/** `posture resources list|get`: stored resources as JSON, and ready-to-paste policy test cases. */
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import type { ComplianceItem } from '#compliance/model.ts';
import type { StoredResource } from '#store/resource-store.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addTargetOptions, collectList, targetOrExit } from './target-options.ts';

export interface ResourceFilter {
  type?: string[];
  account?: string[];
  region?: string[];
  /** Include tombstoned (deleted) resources. */
  deleted?: boolean;
}

export async function listResources(target: Pick<Target, 'resources'>, filter: ResourceFilter): Promise<StoredResource[]> {
  const all = await target.resources.all();
  const ok = (list: string[] | undefined, v: string) => !list?.length || list.includes(v);
  return all
    .filter((r) => (filter.deleted || !r.deleted) && ok(filter.type, r.resourceType) && ok(filter.account, r.accountId) && ok(filter.region, r.region))
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
    if (c.status === 'ERROR') {
      out.push(`# ${c.policyId}: the evaluation errored (${c.errorMessage ?? 'no message'}); no expected result`);
      continue;
    }
    const entry = [{ Name: name, ExpectedResult: c.status === 'PASS', Resource: resource.attributes }];
    const yaml = stringify(entry, { lineWidth: 0, aliasDuplicateObjects: false });
    out.push(`# ${c.policyId} (${c.status}${c.suppressed ? ', suppressed' : ''}): paste under Tests: in the policy's .yml`);
    out.push(...yaml.trimEnd().split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n') + '\n';
}

export function registerResources(program: Command): void {
  const cmd = program.command('resources').description('stored resources: the inventory, and the source of real policy test cases');

  addTargetOptions(
    cmd
      .command('list')
      .description('list stored resources')
      .option('--type <types>', 'only these resource types (comma-separated; repeatable)', collectList)
      .option('--account <ids>', 'only these accounts', collectList)
      .option('--region <regions>', 'only these regions ("global" for global types)', collectList)
      .option('--deleted', 'include deleted resources')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
    { region: false },
  ).action(async (opts: Omit<TargetOptions, 'region'> & ResourceFilter & { format: 'table' | 'json' }) => {
    // --region filters resources here; the stack's region comes from AWS_REGION.
    const target = await targetOrExit('resources list', { stack: opts.stack, endpoint: opts.endpoint });
    if (!target) return;
    const rows = await listResources(target, opts);
    if (opts.format === 'json') console.log(JSON.stringify(rows.map((r) => r.attributes), null, 2));
    else console.log(renderTable(['ACCOUNT', 'REGION', 'TYPE', 'RESOURCE', 'LAST CHANGED'], rows.map((r) => [r.accountId, r.region, r.resourceType, r.resourceId, r.lastChanged]), 100));
  });

  addTargetOptions(
    cmd
      .command('get')
      .description('print a stored resource as JSON, or with --as-test a Tests entry per applicable policy')
      .argument('<id>', 'resource ID (as listed)')
      .option('--as-test <name>', 'print a ready-to-paste Tests entry named NAME, ExpectedResult = current stored result'),
  ).action(async (id: string, opts: TargetOptions & { asTest?: string }) => {
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
}
