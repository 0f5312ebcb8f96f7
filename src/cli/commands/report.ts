/** `posture report --out FILE.html`: the stored compliance as one self-contained HTML page with charts. */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { joinCatalog, type PolicyCatalog } from '#compliance/catalog.ts';
import { allFrameworkStatus } from '#compliance/frameworks/status.ts';
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { readFrameworkTrends } from '#compliance/frameworks/trends.ts';
import type { TrendSources } from '#compliance/trend.ts';
import { DEFAULT_REPORT_FILE, outFileProblem } from '../out-path.ts';
import { renderReport } from '../report/report-html.ts';
import { splitNotEvaluated } from '../report/report-data.ts';
import { loadReportSources, type ReportStores } from '../report/report-sources.ts';
import { activeCatalog, CatalogError } from '../policy-catalog.ts';
import type { TargetOptions } from '../target.ts';
import { filterFindings, FindingsUsageError, parseSeverity } from './findings.ts';
import { addAccountsOption, addMinSeverityOption, addPoliciesOption, addTargetOptions, targetOrExit, unknownPoliciesProblem } from './options.ts';

export interface ReportOptions extends TargetOptions {
  /** Default DEFAULT_REPORT_FILE (out/report.html). */
  out?: string;
  accounts?: string[];
  /** Policy IDs; with a catalog, each must be in it. */
  policies?: string[];
  /** Minimum severity. */
  minSeverity?: string;
  title?: string;
}

export interface ReportSummary {
  file: string;
  results: number;
  failing: number;
  notEvaluated: number;
  bytes: number;
}

async function checkOut(path: string): Promise<void> {
  if (!/\.html?$/i.test(path)) throw new FindingsUsageError(`--out: '${path}' should name an .html file`);
  const s = await stat(path).catch(() => undefined);
  if (s?.isDirectory()) throw new FindingsUsageError(`--out: '${path}' is a directory; name the .html file to write`);
  // Its directory must exist as a writable directory, or be creatable: checked before the stores are read.
  const problem = outFileProblem(path);
  if (problem) throw new FindingsUsageError(`--out: ${problem}`);
}

/**
 * The verb without the terminal (tests call this): reads the stores, writes the file whole or not
 * at all. With the active pack's catalog the findings carry their frameworks and the page gains a
 * section per framework (computed over every policy's findings, not only the --policies/--min-severity ones).
 */
export async function runReport(target: ReportStores & { name: string; summaries?: TrendSources['summaries'] }, options: ReportOptions, now = new Date(), catalog?: PolicyCatalog): Promise<ReportSummary> {
  const opts = { ...options, out: options.out ?? DEFAULT_REPORT_FILE };
  await checkOut(opts.out);
  const severity = parseSeverity(opts.minSeverity);
  const problem = catalog && unknownPoliciesProblem(opts.policies, catalog.policies.map((p) => p.policyId), `the active pack (${catalog.source})`);
  if (problem) throw new FindingsUsageError(`--policies: ${problem}`);
  const accounts = opts.accounts?.length ? opts.accounts : undefined;
  const src = await loadReportSources(target, accounts);
  const joined = catalog ? joinCatalog(src.findings, catalog) : src.findings;
  const findings = filterFindings(joined, { policy: opts.policies, severity });
  // Each framework's 30-day trend, from the daily summary when the target keeps one.
  const trends = catalog && target.summaries ? await readFrameworkTrends({ summaries: target.summaries, accounts: target.accounts, clock: { now: () => now } }, catalog, FRAMEWORKS, src.accounts) : undefined;
  const frameworks = catalog ? allFrameworkStatus({ catalog, findings: joined, unread: src.notEvaluated, accounts: src.accounts, trend: (id) => trends?.get(id) }) : undefined;
  const scope = [accounts ? `accounts ${accounts.join(', ')}` : 'all accounts', severity ? `severity ${severity}+` : '', opts.policies?.length ? `${opts.policies.length} policies` : '']
    .filter(Boolean)
    .join(', ');
  const html = renderReport({
    title: opts.title ?? `Posture report: ${target.name} (${scope})`,
    generatedAt: now,
    findings,
    notEvaluated: src.notEvaluated,
    resources: src.resources,
    accountNames: src.accountNames,
    ...(frameworks ? { frameworks } : {}),
  });
  await mkdir(dirname(opts.out), { recursive: true });
  await writeFile(`${opts.out}.tmp`, html);
  await rename(`${opts.out}.tmp`, opts.out);
  return {
    file: opts.out,
    results: findings.length,
    failing: findings.filter((f) => f.status === 'FAIL' && !f.suppressed).length,
    notEvaluated: splitNotEvaluated(src.notEvaluated).gaps.length,
    bytes: Buffer.byteLength(html),
  };
}

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('write an HTML report: charts by severity, account, resource type and policy, a section per compliance framework, not-evaluated scopes, failing findings with their resource JSON')
    .option('--out <file.html>', `the HTML file to write (its directory is created; default ${DEFAULT_REPORT_FILE})`);
  addAccountsOption(cmd, 'only these accounts', 'account');
  addPoliciesOption(cmd, 'only these policy IDs (each must be in the active pack)', 'policy');
  addMinSeverityOption(cmd);
  addTargetOptions(cmd.option('--title <text>', 'the page title')).action(async (opts: ReportOptions) => {
    try {
      await checkOut(opts.out ?? DEFAULT_REPORT_FILE);
      parseSeverity(opts.minSeverity);
    } catch (err) {
      if (!(err instanceof FindingsUsageError)) throw err;
      console.error(`posture report: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const target = await targetOrExit('report', opts);
    if (!target) return;
    let catalog: PolicyCatalog;
    try {
      catalog = (await activeCatalog(target)).catalog;
    } catch (err) {
      if (!(err instanceof CatalogError)) throw err;
      console.error(`posture report: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const r = await runReport(target, opts, new Date(), catalog).catch((err: unknown) => {
      if (!(err instanceof FindingsUsageError)) throw err;
      console.error(`posture report: ${err.message}`);
      process.exitCode = 2;
    });
    if (!r) return;
    console.log(`wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} KB): ${r.results} results, ${r.failing} failing, ${r.notEvaluated} scope(s) not evaluated`);
  });
}
