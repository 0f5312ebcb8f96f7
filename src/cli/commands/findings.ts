/** `posture findings`: the stored compliance, filtered, in a terminal table or an exchange format; `--stale` scopes. */
import type { Command } from 'commander';
import { SEVERITIES, type Severity } from '#core/types.ts';
import { partitionOf } from '#core/partitions.ts';
import { joinCatalog, type PolicyCatalog } from '#compliance/catalog.ts';
import { toAsffList, toCsv, toOcsfLines, type AsffContext } from '#compliance/finding-formats.ts';
import { filterFindings, FINDING_STATUSES, findingStatus, type FindingsFilter } from '#compliance/finding-filter.ts';
import { collectFindings, STALE_AFTER_HOURS, staleScopes, type Finding, type StaleScope } from '#compliance/findings.ts';
import { activeCatalog, CatalogError } from '../policy-catalog.ts';
import { importToSecurityHub } from '../securityhub-export.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addAccountsOption, addFormatOptions, addMinSeverityOption, addPoliciesOption, addTargetOptions, collectList, matchSeverity, targetOrExit, unknownPoliciesProblem } from './options.ts';

export const FORMATS = ['table', 'json', 'csv', 'ocsf', 'asff'] as const;
export type FindingsFormat = (typeof FORMATS)[number];
export const STATUSES = FINDING_STATUSES;

export type { FindingsFilter };
export { filterFindings };

export interface FindingsOptions extends TargetOptions, Pick<FindingsFilter, 'status'> {
  accounts?: string[];
  /** Policy IDs; each must be in the active pack. */
  policies?: string[];
  /** Minimum severity. */
  minSeverity?: string;
  format: FindingsFormat;
  stale?: boolean;
  import?: boolean;
}

export class FindingsUsageError extends Error {}

export function parseSeverity(v: string | undefined): Severity | undefined {
  if (v === undefined) return undefined;
  const s = matchSeverity(v);
  if (!s) throw new FindingsUsageError(`--min-severity: '${v}' is not one of ${SEVERITIES.join(', ')}`);
  return s;
}

export function parseStatuses(v: string[] | undefined): string[] | undefined {
  if (!v?.length) return undefined;
  const out = v.map((s) => s.toUpperCase());
  const bad = out.find((s) => !(STATUSES as readonly string[]).includes(s));
  if (bad) throw new FindingsUsageError(`--status: '${bad}' is not one of ${STATUSES.join(', ')}`);
  return out;
}

const statusOf = findingStatus;

export function formatFindings(findings: readonly Finding[], format: FindingsFormat, ctx: AsffContext, now = new Date()): string {
  switch (format) {
    case 'json':
      return JSON.stringify(findings, null, 2) + '\n';
    case 'csv':
      return toCsv(findings);
    case 'ocsf':
      return toOcsfLines(findings, { partition: ctx.partition, now });
    case 'asff':
      return JSON.stringify(toAsffList(findings, ctx), null, 2) + '\n';
    case 'table':
      return (
        renderTable(
          ['STATUS', 'SEVERITY', 'POLICY', 'ACCOUNT', 'REGION', 'RESOURCE', 'LAST VERIFIED', 'BY'],
          findings.map((f) => [
            f.suppressedBy ? `SUPPRESSED (${f.suppressedBy})` : statusOf(f),
            f.severity,
            f.policyId,
            f.accountId,
            f.region,
            f.resourceId,
            f.lastVerified ?? '',
            f.verifiedBy ?? '',
          ]),
        ) + '\n'
      );
  }
}

export function formatStale(scopes: readonly StaleScope[], json: boolean): string {
  if (json) return JSON.stringify(scopes, null, 2) + '\n';
  const table = renderTable(
    ['ACCOUNT', 'REGION', 'TYPE', 'LAST VERIFIED', 'BY'],
    scopes.map((s) => [s.accountId, s.region, s.resourceType, s.lastVerified ?? 'never', s.verifiedBy ?? '']),
  );
  return `${scopes.length} scope(s) not verified in the last ${STALE_AFTER_HOURS} hours\n${table}\n`;
}

export const asffContext = (target: Pick<Target, 'clients' | 'securityAccountId'>): AsffContext => ({
  partition: partitionOf(target.clients.region),
  region: target.clients.region,
  securityAccountId: target.securityAccountId,
});

/** The active pack's catalog; tests pass their own. */
export type CatalogPort = (target: Target) => Promise<{ catalog: PolicyCatalog; label?: string }>;

/**
 * The verb without the terminal: returns what to print (tests call this). Exports (json, csv,
 * ocsf, asff) join each finding with the active pack's catalog, so they carry its frameworks.
 */
export async function runFindings(target: Target, opts: FindingsOptions, now = new Date(), catalog: CatalogPort = activeCatalog): Promise<{ out: string; err?: string }> {
  const filter: FindingsFilter = { policy: opts.policies, severity: parseSeverity(opts.minSeverity), status: parseStatuses(opts.status) };
  if (opts.import && opts.format !== 'asff') throw new FindingsUsageError('--import sends ASFF to Security Hub: use it with --format asff');
  const accounts = opts.accounts?.length ? opts.accounts : undefined;
  if (opts.stale) return { out: formatStale(await staleScopes(target, now, accounts), opts.format === 'json') };
  // A policy ID the active pack lacks is a typo, never an empty result.
  const active = opts.format === 'table' && !opts.policies?.length ? undefined : await catalog(target);
  if (active) {
    const problem = unknownPoliciesProblem(opts.policies, active.catalog.policies.map((p) => p.policyId), `the active pack${active.label ? ` (${active.label})` : ''}`);
    if (problem) throw new FindingsUsageError(`--policies: ${problem}`);
  }
  const stored = filterFindings(await collectFindings(target, accounts), filter);
  const findings = opts.format === 'table' || !active ? stored : joinCatalog(stored, active.catalog);
  const ctx = asffContext(target);
  if (!opts.import) return { out: formatFindings(findings, opts.format, ctx, now) };
  const r = await importToSecurityHub(target.clients, toAsffList(findings, ctx));
  const lines = [`imported ${r.imported} of ${findings.length} findings into Security Hub (${ctx.region}) in ${r.batches} batch(es)`];
  const foreign = findings.filter((f) => f.accountId !== ctx.securityAccountId).length;
  // Security Hub accepts default-product findings only from the account they name (AwsAccountId).
  if (foreign) lines.push(`note: ${foreign} finding(s) name other accounts; AWS Security Hub rejects default-product findings not imported from their own account`);
  for (const f of r.failed) lines.push(`  failed ${f.id}: ${f.code} ${f.message}`);
  if (r.failed.length) process.exitCode = 1;
  return { out: lines.join('\n') + '\n' };
}

export function registerFindings(program: Command): void {
  const cmd = program
    .command('findings')
    .description('list stored findings (with when each resource was last verified and by what), export them, or list stale scopes');
  addAccountsOption(cmd, 'only these accounts', 'account');
  addPoliciesOption(cmd, 'only these policy IDs (each must be in the active pack)', 'policy');
  addMinSeverityOption(cmd);
  addFormatOptions(cmd, FORMATS, 'table');
  addTargetOptions(
    cmd
      .option('--status <list>', `only these statuses (${STATUSES.join(', ')}; FAIL excludes suppressed)`, collectList)
      .option('--import', 'with --format asff: import into Security Hub (BatchImportFindings, 100 per call) instead of printing')
      .option('--stale', `list the scopes not verified in the last ${STALE_AFTER_HOURS} hours instead`),
  ).action(async (opts: FindingsOptions) => {
    const target = await targetOrExit('findings', opts);
    if (!target) return;
    try {
      const r = await runFindings(target, opts);
      process.stdout.write(r.out);
    } catch (err) {
      if (!(err instanceof FindingsUsageError || err instanceof CatalogError)) throw err;
      console.error(`posture findings: ${err.message}`);
      process.exitCode = 2;
    }
  });
}
