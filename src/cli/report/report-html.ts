/**
 * The HTML report: a navigation bar, summary cards, a status donut, compliance charts by severity,
 * account, resource type and policy, a section per compliance framework, the scopes that could not
 * be evaluated (grouped), and the findings with search, filters, sortable columns, remediation and
 * resource JSON. One file that loads nothing: its one script and stylesheet are inline and the only
 * ones its Content-Security-Policy allows; every value is escaped.
 */
import { CATEGORY_LABEL, statusDonut, stackedBarChart } from './charts.ts';
import { esc } from './escape.ts';
import { findingsTable, findingsToolbar, type RowContext } from './findings-html.ts';
import { frameworkNav, frameworksHtml } from './frameworks-html.ts';
import { cspHash, PAGE_SCRIPT } from './page-script.ts';
import { CATEGORIES, reportData, splitNotEvaluated, TOP_GROUPS, TOP_POLICIES, type ReportInput } from './report-data.ts';
import { scopesHtml } from './scopes-html.ts';
import { REPORT_CSS } from './styles.ts';
import { timeHtml } from './time-html.ts';

export type { NotEvaluatedScope, ReportInput } from './report-data.ts';

const fmt = (n: number): string => n.toLocaleString('en-US');

const CSP = `default-src 'none'; style-src ${cspHash(REPORT_CSS)}; script-src ${cspHash(PAGE_SCRIPT)}; base-uri 'none'; form-action 'none'`;

const legend = (cls = ''): string =>
  `<ul class="legend ${cls}">${CATEGORIES.map((k) => `<li><span class="swatch ${k.toLowerCase()}"></span>${esc(CATEGORY_LABEL[k])}</li>`).join('')}</ul>`;

const panel = (title: string, body: string, note = '', cls = ''): string =>
  `<section class="panel ${cls}"><h3>${esc(title)}</h3>${legend()}${body}${note ? `<p class="note">${esc(note)}</p>` : ''}</section>`;

/** Passing rows are context, not the point: a large estate's page stays openable (they are all in the charts). */
export const MAX_PASSING_ROWS = 5_000;

export function renderReport(input: ReportInput): string {
  const d = reportData(input);
  const { counts } = d;
  const { gaps } = splitNotEvaluated(input.notEvaluated);
  const cards: [string, number, string, string][] = [
    ['Resources evaluated', d.resources, '', '#charts'],
    ['Accounts', d.accounts, '', '#charts'],
    ['Failing', counts.FAIL, 'fail', '#findings'],
    ['Errors', counts.ERROR, 'error', '#findings'],
    ['Suppressed', counts.SUPPRESSED, 'suppressed', '#findings'],
    ['Passing', counts.PASS, 'pass', '#passing-results'],
    ['Scopes not evaluated', gaps.length, gaps.length ? 'error' : '', '#scopes'],
  ];
  const total = input.findings.length;
  const share = (n: number) => (total ? ` (${Math.round((100 * n) / total)}%)` : '');
  const donutLegend = `<ul class="legend stacked">${CATEGORIES.map((k) => `<li><span class="swatch ${k.toLowerCase()}"></span>${fmt(counts[k])} ${esc(CATEGORY_LABEL[k])}${share(counts[k])}</li>`).join('')}</ul>`;
  const restNote = (rows: { rest?: number }[], what: string, n: number) =>
    rows.some((r) => r.rest) ? `The ${n} ${what} with the most failing results; the last bar sums the others.` : '';

  const ctx: RowContext = { generatedAt: input.generatedAt, printed: new Map(), ...(input.accountNames ? { accountNames: input.accountNames } : {}) };
  const failingTable = d.failing.length
    ? findingsTable('failing', d.failing, { ...ctx, ...(input.resources ? { resources: input.resources } : {}) })
    : '<p class="empty-state">No failing, errored or suppressed results.</p>';
  const shownPassing = d.passing.slice(0, MAX_PASSING_ROWS);
  const passingCut =
    d.passing.length > shownPassing.length
      ? `<p class="note">The first ${fmt(shownPassing.length)} of ${fmt(d.passing.length)} passing results; posture findings --status PASS lists them all.</p>`
      : '';
  const passingTable = d.passing.length
    ? `<details class="passing"><summary>Show the ${fmt(d.passing.length)} passing results</summary>${findingsTable('passing', shownPassing, ctx)}${passingCut}</details>`
    : '<p class="empty-state">No passing results.</p>';

  const nav: { href: string; label: string; title?: string; sub?: boolean }[] = [
    { href: '#summary', label: 'Summary' },
    { href: '#charts', label: 'Charts' },
    ...(frameworkNav(input.frameworks ?? []).length ? [{ href: '#frameworks', label: 'Frameworks' }, ...frameworkNav(input.frameworks ?? []).map((n) => ({ ...n, sub: true }))] : []),
    { href: '#scopes', label: `Not evaluated (${fmt(gaps.length)})` },
    { href: '#findings', label: `Failing and errored (${fmt(d.failing.length)})` },
    { href: '#passing-results', label: `Passing (${fmt(d.passing.length)})` },
  ];

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<title>${esc(input.title)}</title><style>${REPORT_CSS}</style></head><body>
<header><h1>${esc(input.title)}</h1><p>Generated ${timeHtml(input.generatedAt.toISOString())} · ${fmt(total)} results of ${fmt(d.resources)} resources · ages below are as of this time</p></header>
<nav class="toc" aria-label="Sections">${nav.map((n) => `<a href="${esc(n.href)}"${n.sub ? ' class="sub"' : ''}${n.title ? ` title="${esc(n.title)}"` : ''}>${esc(n.label)}</a>`).join('')}</nav>
<main>
<section class="cards" id="summary" aria-label="Summary">${cards.map(([k, v, cls, href]) => `<a class="card ${cls}" href="${href}"><b>${fmt(v)}</b><span>${esc(k)}</span></a>`).join('')}</section>
<section id="charts"><h2>Compliance</h2>
<div class="charts">
<section class="panel overview"><div>${statusDonut({ id: 'chart-status', title: 'Share of results by status', counts })}</div><div><h3>Results by status</h3>${donutLegend}</div></section>
${panel('Compliance by severity', stackedBarChart({ id: 'chart-severity', title: 'Compliance by severity', rows: d.bySeverity }))}
${panel('Compliance by account', stackedBarChart({ id: 'chart-account', title: 'Compliance by account', rows: d.byAccount }), restNote(d.byAccount, 'accounts', TOP_GROUPS))}
${panel('Compliance by resource type', stackedBarChart({ id: 'chart-type', title: 'Compliance by resource type', rows: d.byType }), restNote(d.byType, 'resource types', TOP_GROUPS))}
${panel('Compliance by policy', stackedBarChart({ id: 'chart-policy', title: 'Compliance by policy', rows: d.byPolicy }), restNote(d.byPolicy, 'policies', TOP_POLICIES), 'wide')}
</div></section>
${frameworksHtml(input.frameworks ?? [])}
<section id="scopes"><h2>Scopes not evaluated (${fmt(gaps.length)})</h2>
<p class="note">Scopes whose last scan could not read them: their resources are neither passing nor failing, only not checked. One row per outcome, account and region.</p>
${scopesHtml(input.notEvaluated, input.accountNames)}</section>
<section id="findings"><h2>Failing and errored (${fmt(d.failing.length)})</h2>
${findingsToolbar(input.findings, input.accountNames)}
${failingTable}</section>
<section id="passing-results"><h2>Passing (${fmt(d.passing.length)})</h2>
${passingTable}</section>
</main><script>${PAGE_SCRIPT}</script></body></html>
`;
}
