/**
 * `posture list types|policies|frameworks`: what Posture knows, like `prowler --list-checks` and
 * `custodian schema` — the registry's resource types (with the service shorthand `--types` takes),
 * the policies of the built-in pack or of a target's active pack, and the compliance frameworks.
 */
import type { Command } from 'commander';
import type { PolicyCatalog } from '#compliance/catalog.ts';
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { describeChoice, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { REGISTRY } from '#resources/index.ts';
import { activeCatalog, BUILTIN_PACK, CatalogError, readCatalog } from '../policy-catalog.ts';
import { renderTable } from '../table.ts';
import type { TargetOptions } from '../target.ts';
import { addFormatOptions, addTargetOptions, targetOrExit, USAGE_EXIT } from './options.ts';

type Rows = { headers: string[]; rows: string[][]; json: unknown };

export const printRows = (r: Rows, json: boolean | undefined): void => console.log(json ? JSON.stringify(r.json, null, 2) : renderTable(r.headers, r.rows, 100));

/** The registry's types, sorted, with their `--types` service shorthand and scope. */
export function typeRows(): Rows {
  const types = [...REGISTRY].sort((a, b) => a.type.localeCompare(b.type)).map((t) => ({ type: t.type, service: t.type.split('.')[1]!.toLowerCase(), scope: t.scope }));
  return { headers: ['TYPE', 'SERVICE (--types)', 'SCOPE'], rows: types.map((t) => [t.type, t.service, t.scope]), json: types };
}

/** A pack's policies, sorted, with severity, types and the frameworks they report to. */
export function policyRows(catalog: PolicyCatalog): Rows {
  const sorted = [...catalog.policies].sort((a, b) => a.policyId.localeCompare(b.policyId));
  return {
    headers: ['POLICY', 'SEVERITY', 'ENABLED', 'RESOURCE TYPES', 'FRAMEWORKS', 'TITLE'],
    rows: sorted.map((p) => [p.policyId, p.severity, p.enabled ? 'yes' : 'no', p.resourceTypes.join(', ') || 'all', Object.keys(p.reports).join(', '), p.displayName ?? '']),
    json: { source: catalog.source, policies: sorted },
  };
}

/**
 * The policies a framework choice runs (the catalog read with it: `selected`), and the count line
 * `212 of 215 policies selected by --frameworks cis-3.0, fsbp, cis-1.4, cis-1.2 (3 left out; policies without Reports always run)`.
 */
export function selectedPolicyRows(catalog: PolicyCatalog, choice: FrameworkChoice): { rows: Rows; countLine: string } {
  const selected = catalog.policies.filter((p) => p.selected !== false);
  const rows = policyRows({ ...catalog, policies: selected });
  const out = catalog.policies.length - selected.length;
  return {
    rows: { ...rows, json: { ...(rows.json as object), frameworks: choice.frameworks, all: choice.all, selected: selected.length, total: catalog.policies.length } },
    countLine: `${selected.length} of ${catalog.policies.length} policies selected by --frameworks ${describeChoice(choice)}${out ? ` (${out} left out; policies without Reports always run)` : ''}`,
  };
}

export function frameworkRows(): Rows {
  const list = FRAMEWORKS.map((f) => ({ id: f.id, name: f.name, controls: f.controls.length, coverage: f.coverage, aliases: f.aliases }));
  return {
    headers: ['ID (--framework)', 'NAME', 'CONTROLS', 'CONTROL LIST', 'ALIASES'],
    rows: list.map((f) => [f.id, f.name, String(f.controls), f.coverage === 'complete' ? 'complete' : 'mapped controls only', f.aliases.join(', ')]),
    json: list,
  };
}

export function registerList(program: Command): void {
  const list = program.command('list').description('list what Posture knows: resource types (and their service shorthands), policies, compliance frameworks');

  addFormatOptions(list.command('types').description('the resource types Posture scans; --types takes a type or its service (e.g. s3, ec2)'), ['table', 'json'], 'table').action(
    (opts: { json?: boolean }) => printRows(typeRows(), opts.json),
  );

  addFormatOptions(list.command('frameworks').description('the compliance frameworks (posture compliance --framework ID)'), ['table', 'json'], 'table').action((opts: { json?: boolean }) =>
    printRows(frameworkRows(), opts.json),
  );

  const policies = list.command('policies').description("the policies of the built-in pack, or with --stack/--endpoint of the target's active pack");
  addTargetOptions(addFormatOptions(policies, ['table', 'json'], 'table')).action(async (opts: TargetOptions & { json?: boolean }) => {
    try {
      const target = opts.stack || opts.endpoint ? await targetOrExit('list policies', opts) : undefined;
      if ((opts.stack || opts.endpoint) && !target) return;
      const catalog = target ? (await activeCatalog(target)).catalog : readCatalog(BUILTIN_PACK);
      printRows(policyRows(catalog), opts.json);
    } catch (err) {
      if (!(err instanceof CatalogError)) throw err;
      console.error(`posture list policies: ${err.message}`);
      process.exitCode = USAGE_EXIT;
    }
  });
}
