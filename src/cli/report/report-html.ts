/**
 * The HTML report: summary cards, a status donut, compliance charts by severity, account, resource
 * type and policy, a section per compliance framework, the scopes that could not be evaluated,
 * and the failing findings with their resource JSON. One file, no scripts, no external assets; every value is escaped.
 */
import type { Finding } from '#compliance/findings.ts';
import { CATEGORY_LABEL, stackedBarChart, statusDonut } from './charts.ts';
import { esc } from './escape.ts';
import { frameworksHtml } from './frameworks-html.ts';
import { CATEGORIES, categoryOf, reportData, splitNotEvaluated, TOP_GROUPS, TOP_POLICIES, type NotEvaluatedScope, type ReportInput } from './report-data.ts';
import { resourceJson } from './resource-json.ts';
import { REPORT_CSS } from './styles.ts';

export type { NotEvaluatedScope, ReportInput } from './report-data.ts';

const fmt = (n: number): string => n.toLocaleString('en-US');

const legend = (cls = ''): string =>
  `<ul class="legend ${cls}">${CATEGORIES.map((k) => `<li><span class="swatch ${k.toLowerCase()}"></span>${esc(CATEGORY_LABEL[k])}</li>`).join('')}</ul>`;

const panel = (title: string, body: string, note = '', cls = ''): string =>
  `<section class="panel ${cls}"><h3>${esc(title)}</h3>${legend()}${body}${note ? `<p class="note">${esc(note)}</p>` : ''}</section>`;

const statusText = (f: Finding): string => (categoryOf(f) === 'SUPPRESSED' ? `SUPPRESSED${f.suppressedBy ? ` (${f.suppressedBy})` : ''}` : f.status);

/**
 * The resource JSON of a finding. A resource with several failing policies is printed once; its
 * other rows link to that copy, so a report of many findings stays small enough to open.
 */
function resourceCell(f: Finding, resources: ReadonlyMap<string, unknown> | undefined, printed: Map<string, string>): string {
  if (!resources) return '';
  const anchor = printed.get(f.resourceId);
  if (anchor) return `<a class="json-link" href="#${anchor}">resource JSON above</a>`;
  if (!resources.has(f.resourceId)) return '<p class="note">resource JSON not stored (deleted since the evaluation?)</p>';
  const id = `res-${printed.size + 1}`;
  printed.set(f.resourceId, id);
  const json = resourceJson(resources.get(f.resourceId));
  const note =
    json.truncatedFrom === undefined
      ? ''
      : `<p class="note">Truncated: first ${fmt(json.text.length)} of ${fmt(json.truncatedFrom)} characters. The whole resource: posture resources get ${esc(f.resourceId)}</p>`;
  return `<details class="resource-json" id="${id}"><summary>Resource JSON</summary><pre>${esc(json.text)}</pre>${note}</details>`;
}

function findingRow(f: Finding, resources: ReadonlyMap<string, unknown> | undefined, printed: Map<string, string>): string {
  return (
    `<tr class="${categoryOf(f).toLowerCase()}"><td class="status">${esc(statusText(f))}</td><td class="nw">${esc(f.severity)}</td>` +
    `<td class="policy">${esc(f.title ?? f.policyId)}<br><small>${esc(f.policyId)}</small></td><td class="nw">${esc(f.accountId)}</td><td class="nw">${esc(f.region)}</td>` +
    `<td><code>${esc(f.resourceId)}</code><br><small>${esc(f.resourceType)}</small>${resourceCell(f, resources, printed)}</td>` +
    `<td class="nw">${esc(f.lastChanged)}<br><small>${esc(f.trigger)}</small></td><td>${esc(f.errorMessage ?? '')}</td></tr>`
  );
}

/** Passing rows are context, not the point: a large estate's page stays openable (they are all in the charts). */
export const MAX_PASSING_ROWS = 5_000;

const FINDING_HEAD = '<tr><th>Status</th><th>Severity</th><th>Policy</th><th>Account</th><th>Region</th><th>Resource</th><th>Last changed</th><th>Error</th></tr>';

const scopeRow = (e: NotEvaluatedScope): string =>
  `<tr><td>${esc(e.outcome)}</td><td>${esc(e.accountId)}</td><td>${esc(e.region)}</td><td>${esc(e.resourceType === '*' ? '* (every type)' : e.resourceType)}</td><td>${esc(e.message ?? '')}</td></tr>`;

export function renderReport(input: ReportInput): string {
  const d = reportData(input);
  const { counts } = d;
  const { gaps, disabledRegions } = splitNotEvaluated(input.notEvaluated);
  const cards: [string, number, string][] = [
    ['Resources evaluated', d.resources, ''],
    ['Accounts', d.accounts, ''],
    ['Failing', counts.FAIL, 'fail'],
    ['Errors', counts.ERROR, 'error'],
    ['Suppressed', counts.SUPPRESSED, 'suppressed'],
    ['Passing', counts.PASS, 'pass'],
    ['Scopes not evaluated', gaps.length, gaps.length ? 'error' : ''],
  ];
  const printed = new Map<string, string>();
  const total = input.findings.length;
  const share = (n: number) => (total ? ` (${Math.round((100 * n) / total)}%)` : '');
  const donutLegend = `<ul class="legend stacked">${CATEGORIES.map((k) => `<li><span class="swatch ${k.toLowerCase()}"></span>${fmt(counts[k])} ${esc(CATEGORY_LABEL[k])}${share(counts[k])}</li>`).join('')}</ul>`;
  const restNote = (rows: { rest?: number }[], what: string, n: number) =>
    rows.some((r) => r.rest) ? `The ${n} ${what} with the most failing results; the last bar sums the others.` : '';

  const failingTable = d.failing.length
    ? `<table id="failing">${FINDING_HEAD}${d.failing.map((f) => findingRow(f, input.resources, printed)).join('\n')}</table>`
    : '<p class="empty-state">No failing, errored or suppressed results.</p>';
  const scopesTable = gaps.length
    ? `<table id="not-evaluated"><tr><th>Outcome</th><th>Account</th><th>Region</th><th>Type</th><th>Reason</th></tr>${gaps.map(scopeRow).join('\n')}</table>`
    : '<p class="empty-state">Every scope was read.</p>';
  const disabledTable = disabledRegions.size
    ? `<h3>Opt-in regions not enabled (not scanned)</h3><table id="regions-disabled"><tr><th>Account</th><th>Regions</th></tr>${[...disabledRegions]
        .map(([acct, regions]) => `<tr><td>${esc(acct)}</td><td>${esc(regions.sort().join(', '))}</td></tr>`)
        .join('\n')}</table>`
    : '';
  const shownPassing = d.passing.slice(0, MAX_PASSING_ROWS);
  const passingCut =
    d.passing.length > shownPassing.length
      ? `<p class="note">The first ${fmt(shownPassing.length)} of ${fmt(d.passing.length)} passing results; posture findings --status PASS lists them all.</p>`
      : '';
  const passingTable = d.passing.length
    ? `<details class="passing"><summary>Show the ${fmt(d.passing.length)} passing results</summary><table id="passing">${FINDING_HEAD}${shownPassing.map((f) => findingRow(f, undefined, printed)).join('\n')}</table>${passingCut}</details>`
    : '<p class="empty-state">No passing results.</p>';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(input.title)}</title><style>${REPORT_CSS}</style></head><body>
<header><h1>${esc(input.title)}</h1><p>Generated ${esc(input.generatedAt.toISOString())} · ${fmt(total)} results of ${fmt(d.resources)} resources</p></header>
<main>
<section class="cards" aria-label="Summary">${cards.map(([k, v, cls]) => `<div class="card ${cls}"><b>${fmt(v)}</b><span>${esc(k)}</span></div>`).join('')}</section>
<h2>Compliance</h2>
<div class="charts">
<section class="panel overview"><div>${statusDonut({ id: 'chart-status', title: 'Share of results by status', counts })}</div><div><h3>Results by status</h3>${donutLegend}</div></section>
${panel('Compliance by severity', stackedBarChart({ id: 'chart-severity', title: 'Compliance by severity', rows: d.bySeverity }))}
${panel('Compliance by account', stackedBarChart({ id: 'chart-account', title: 'Compliance by account', rows: d.byAccount }), restNote(d.byAccount, 'accounts', TOP_GROUPS))}
${panel('Compliance by resource type', stackedBarChart({ id: 'chart-type', title: 'Compliance by resource type', rows: d.byType }), restNote(d.byType, 'resource types', TOP_GROUPS))}
${panel('Compliance by policy', stackedBarChart({ id: 'chart-policy', title: 'Compliance by policy', rows: d.byPolicy }), restNote(d.byPolicy, 'policies', TOP_POLICIES), 'wide')}
</div>
${frameworksHtml(input.frameworks ?? [])}
<h2>Scopes not evaluated (${gaps.length})</h2>
<p class="note">Scopes whose last scan could not read them: their resources are neither passing nor failing, only not checked.</p>
${scopesTable}
${disabledTable}
<h2>Failing and errored (${d.failing.length})</h2>
${failingTable}
<h2>Passing (${d.passing.length})</h2>
${passingTable}
</main></body></html>
`;
}
