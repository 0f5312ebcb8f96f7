/**
 * `posture compliance [--framework NAME] [--format table|json|csv|html] [--accounts IDS]`: where
 * the accounts stand against each compliance framework (one line per framework), or one
 * framework's controls with their status, the policies behind them and the failing resources.
 * The status rules live in src/compliance/frameworks/status.ts; this file reads and prints.
 */
import type { Command } from 'commander';
import type { PolicyCatalog } from '#compliance/catalog.ts';
import { csvField } from '#compliance/finding-formats.ts';
import { complianceInput } from '#compliance/frameworks/input.ts';
import { findFramework, knownFrameworks, FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { allFrameworkStatus, frameworkStatus, unknownFrameworkKeys, type ComplianceInput, type FrameworkStatus } from '#compliance/frameworks/status.ts';
import type { TrendSeries } from '#compliance/trend.ts';
import { readFrameworkTrends } from '#compliance/frameworks/trends.ts';
import { systemClock } from '#core/types.ts';
import { sparkline, trendLine } from '../trend-text.ts';
import { esc } from '../report/escape.ts';
import { controlLabel, frameworksHtml } from '../report/frameworks-html.ts';
import { REPORT_CSS } from '../report/styles.ts';
import { activeCatalog, CatalogError } from '../policy-catalog.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addAccountsOption, addFormatOptions, addTargetOptions, targetOrExit } from './options.ts';

export const COMPLIANCE_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

export interface ComplianceOptions extends TargetOptions {
  framework?: string;
  format: ComplianceFormat;
  accounts?: string[];
}

export interface CompliancePorts {
  /** The active pack's catalog (default: read from the target's active bundle or built-in pack). */
  catalog?: (target: Target) => Promise<{ catalog: PolicyCatalog; label: string }>;
  /** Daily history per framework (default: the target's daily summary, last 30 days, of the framework's policies). */
  trend?: (frameworkId: string) => TrendSeries | undefined;
}

const trendText = (f: FrameworkStatus): string => (f.trend ? `${trendLine(f.trend.latest)}  ${sparkline(f.trend.points)}` : 'no policy reports against it');

export class ComplianceUsageError extends Error {}

const pct = (f: FrameworkStatus): string => {
  const decided = f.totals.PASSING + f.totals.FAILING;
  return decided ? `${Math.round((100 * f.totals.PASSING) / decided)}%` : '-';
};

function overviewTable(all: readonly FrameworkStatus[]): string {
  return renderTable(
    ['FRAMEWORK', 'ID', 'CONTROLS', 'PASSING', 'FAILING', 'NOT EVALUATED', 'NOT AUTOMATABLE', 'PASS RATE', 'CONTROL LIST', 'RESULTS, LAST 30 DAYS'],
    all.map((f) => [
      f.name,
      f.id,
      String(f.controls.length),
      String(f.totals.PASSING),
      String(f.totals.FAILING),
      String(f.totals.NOT_EVALUATED),
      String(f.totals.NOT_AUTOMATABLE),
      pct(f),
      f.coverage === 'complete' ? 'complete' : 'mapped controls only',
      trendText(f),
    ]),
    200,
  );
}

const accountsCell = (accounts: Record<string, string>): string => {
  const ids = Object.keys(accounts);
  const failing = ids.filter((a) => accounts[a] === 'FAILING').length;
  const passing = ids.filter((a) => accounts[a] === 'PASSING').length;
  return `${failing} failing, ${passing} passing of ${ids.length}`;
};

/** Cut at the end (the start of a title or reason is what identifies it). */
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function frameworkTable(f: FrameworkStatus): string {
  const table = renderTable(
    ['CONTROL', 'STATUS', 'ACCOUNTS', 'FAILING', 'POLICIES', 'TITLE', 'REASON'],
    f.controls.map((c) => [
      c.id,
      controlLabel(c),
      c.status === 'NOT_AUTOMATABLE' ? '' : accountsCell(c.accounts),
      String(c.evidence.filter((e) => e.status === 'FAIL').length),
      c.policies.join(', '),
      cut(c.title, 60),
      cut(c.reason ?? '', 90),
    ]),
    200,
  );
  const t = f.totals;
  const head = `${f.name}: ${f.controls.length} controls, ${t.PASSING} passing, ${t.FAILING} failing, ${t.NOT_EVALUATED} not evaluated, ${t.NOT_AUTOMATABLE} not automatable`;
  const evidence = f.controls
    .filter((c) => c.evidence.length)
    .flatMap((c) => [`${c.id} ${c.title}`, ...c.evidence.map((e) => `  ${e.status} ${e.resourceId} (${e.accountId} ${e.region}) ${e.policyId}${e.errorMessage ? `: ${e.errorMessage}` : ''}`)]);
  return [head, ...(f.scope ? [f.scope] : []), `Results of its policies, last 30 days: ${trendText(f)}`, table, ...(evidence.length ? ['', 'Failing resources:', ...evidence] : [])].join('\n');
}

const CONTROL_CSV = ['framework', 'control', 'title', 'section', 'assessment', 'status', 'reason', 'policies', 'accounts', 'pass', 'fail', 'error', 'suppressed', 'failingResources'];
const OVERVIEW_CSV = ['framework', 'id', 'controls', 'passing', 'failing', 'notEvaluated', 'notAutomatable', 'coverage'];

function controlsCsv(frameworks: readonly FrameworkStatus[]): string {
  const rows = frameworks.flatMap((f) =>
    f.controls.map((c) =>
      [
        f.name,
        c.id,
        c.title,
        c.section,
        c.assessment,
        c.status,
        c.reason,
        c.policies.join(' '),
        Object.entries(c.accounts)
          .map(([a, s]) => `${a}=${s}`)
          .join(' '),
        c.counts.pass,
        c.counts.fail,
        c.counts.error,
        c.counts.suppressed,
        c.evidence.map((e) => `${e.accountId}:${e.resourceId}`).join(' '),
      ]
        .map(csvField)
        .join(','),
    ),
  );
  return [CONTROL_CSV.join(','), ...rows].join('\r\n') + '\r\n';
}

function overviewCsv(all: readonly FrameworkStatus[]): string {
  const rows = all.map((f) => [f.name, f.id, f.controls.length, f.totals.PASSING, f.totals.FAILING, f.totals.NOT_EVALUATED, f.totals.NOT_AUTOMATABLE, f.coverage].map(csvField).join(','));
  return [OVERVIEW_CSV.join(','), ...rows].join('\r\n') + '\r\n';
}

const htmlPage = (title: string, body: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${REPORT_CSS}</style></head><body>\n<header><h1>${esc(title)}</h1></header>\n<main>${body}</main></body></html>\n`;

/** The verb without the terminal (tests call this): returns what to print. */
export async function runCompliance(target: Target, opts: ComplianceOptions, ports: CompliancePorts = {}): Promise<{ out: string; err?: string }> {
  const framework = opts.framework === undefined ? undefined : findFramework(opts.framework);
  if (opts.framework !== undefined && !framework) throw new ComplianceUsageError(`--framework: '${opts.framework}' is not a known framework; known: ${knownFrameworks()}`);
  const { catalog, label } = await (ports.catalog ?? activeCatalog)(target);
  const base = await complianceInput(target, catalog, opts.accounts);
  const trends = ports.trend ? undefined : await readFrameworkTrends({ summaries: target.summaries, accounts: target.accounts, clock: systemClock }, catalog, framework ? [framework] : FRAMEWORKS, base.accounts);
  const input: ComplianceInput = { ...base, trend: ports.trend ?? ((id) => trends?.get(id)) };
  const statuses = framework ? [frameworkStatus(framework, input)] : allFrameworkStatus(input);
  const unknown = unknownFrameworkKeys(catalog);
  const err = unknown.length ? `note: the active pack also reports against frameworks Posture does not know: ${unknown.join(', ')}` : undefined;
  const title = framework ? `${framework.name} (${input.accounts.length} account(s), ${label})` : `Compliance frameworks (${input.accounts.length} account(s), ${label})`;
  switch (opts.format) {
    case 'json':
      return { out: JSON.stringify(framework ? { pack: label, accounts: input.accounts, framework: statuses[0] } : { pack: label, accounts: input.accounts, frameworks: statuses }, null, 2) + '\n', err };
    case 'csv':
      return { out: framework ? controlsCsv(statuses) : overviewCsv(statuses), err };
    case 'html':
      return { out: htmlPage(title, frameworksHtml(statuses) || '<p class="empty-state">No framework has controls to show.</p>'), err };
    case 'table':
      return { out: `${title}\n${framework ? frameworkTable(statuses[0]!) : overviewTable(statuses)}\n`, err };
  }
}

export function registerCompliance(program: Command): void {
  const cmd = program.command('compliance');
  addFormatOptions(cmd, COMPLIANCE_FORMATS, 'table');
  addAccountsOption(cmd, 'only these accounts (default: every onboarded account)', 'account');
  addTargetOptions(
    cmd
      .description('where the accounts stand against compliance frameworks (CIS AWS Foundations v3.0, FSBP, PCI DSS, NIST 800-53): one line per framework, or with --framework each control\'s status, its policies and the failing resources')
      .option('--framework <name>', `one framework, by name, short ID or alias, case-insensitive (${FRAMEWORKS.map((f) => f.id).join(', ')})`)

  ).action(async (opts: ComplianceOptions) => {
    if (opts.framework !== undefined && !findFramework(opts.framework)) {
      console.error(`posture compliance: --framework: '${opts.framework}' is not a known framework; known: ${knownFrameworks()}`);
      process.exitCode = 2;
      return;
    }
    const target = await targetOrExit('compliance', opts);
    if (!target) return;
    try {
      const r = await runCompliance(target, opts);
      if (r.err) console.error(r.err);
      process.stdout.write(r.out);
    } catch (err) {
      if (!(err instanceof ComplianceUsageError || err instanceof CatalogError)) throw err;
      console.error(`posture compliance: ${err.message}`);
      process.exitCode = 2;
    }
  });
}
