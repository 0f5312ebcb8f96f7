/** `posture report --out FILE.html`: the stored compliance as one self-contained HTML page with charts. */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SEVERITIES } from '#core/types.ts';
import type { Command } from 'commander';
import { outFileProblem } from '../out-path.ts';
import { renderReport } from '../report/report-html.ts';
import { splitNotEvaluated } from '../report/report-data.ts';
import { loadReportSources, type ReportStores } from '../report/report-sources.ts';
import type { TargetOptions } from '../target.ts';
import { filterFindings, FindingsUsageError, parseSeverity } from './findings.ts';
import { addTargetOptions, collectList, targetOrExit } from './target-options.ts';

export interface ReportOptions extends TargetOptions {
  out: string;
  account?: string[];
  policy?: string[];
  severity?: string;
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

/** The verb without the terminal (tests call this): reads the stores, writes the file whole or not at all. */
export async function runReport(target: ReportStores & { name: string }, opts: ReportOptions, now = new Date()): Promise<ReportSummary> {
  await checkOut(opts.out);
  const severity = parseSeverity(opts.severity);
  const accounts = opts.account?.length ? opts.account : undefined;
  const src = await loadReportSources(target, accounts);
  const findings = filterFindings(src.findings, { policy: opts.policy, severity });
  const scope = [accounts ? `accounts ${accounts.join(', ')}` : 'all accounts', severity ? `severity ${severity}+` : '', opts.policy?.length ? `${opts.policy.length} policies` : '']
    .filter(Boolean)
    .join(', ');
  const html = renderReport({
    title: opts.title ?? `Posture report: ${target.name} (${scope})`,
    generatedAt: now,
    findings,
    notEvaluated: src.notEvaluated,
    resources: src.resources,
    accountNames: src.accountNames,
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
  addTargetOptions(
    program
      .command('report')
      .description('write an HTML report: charts by severity, account, resource type and policy, not-evaluated scopes, failing findings with their resource JSON')
      .requiredOption('--out <file.html>', 'the HTML file to write (its directory is created)')
      .option('--account <ids>', 'only these accounts (comma-separated; repeatable)', collectList)
      .option('--policy <ids>', 'only these policy IDs (comma-separated; repeatable)', collectList)
      .option('--severity <min>', `minimum severity (${SEVERITIES.join(', ')})`)
      .option('--title <text>', 'the page title'),
  ).action(async (opts: ReportOptions) => {
    try {
      await checkOut(opts.out);
      parseSeverity(opts.severity);
    } catch (err) {
      if (!(err instanceof FindingsUsageError)) throw err;
      console.error(`posture report: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const target = await targetOrExit('report', opts);
    if (!target) return;
    const r = await runReport(target, opts);
    console.log(`wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} KB): ${r.results} results, ${r.failing} failing, ${r.notEvaluated} scope(s) not evaluated`);
  });
}
