/**
 * The findings tables of the report and the toolbar that searches, filters and sorts them in the
 * page (page-script.ts). Each row carries its sort and filter keys as data attributes, so the
 * script reads no cell text; a failing row carries its policy's remediation and its resource's JSON.
 */
import { SEVERITIES } from '#core/types.ts';
import type { Finding } from '#compliance/findings.ts';
import { CATEGORY_LABEL } from './charts.ts';
import { breakable, esc } from './escape.ts';
import { CATEGORIES, categoryOf } from './report-data.ts';
import { resourceJson } from './resource-json.ts';
import { PAGE_ROWS } from './page-script.ts';
import { timeWithAge } from './time-html.ts';

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Most severe first: the rank the severity filter ("at least") and sort compare. */
const SEVERITY_RANK: Record<string, number> = Object.fromEntries([...SEVERITIES].reverse().map((s, i) => [s, i]));

export interface RowContext {
  generatedAt: Date;
  accountNames?: ReadonlyMap<string, string>;
  /** Resource JSON by resource ID; absent: the rows show none (passing rows). */
  resources?: ReadonlyMap<string, unknown>;
  /** Resource ID → the id of the block already printed for it (shared by every row of the page). */
  printed: Map<string, string>;
}

const statusText = (f: Finding): string => (categoryOf(f) === 'SUPPRESSED' ? `SUPPRESSED${f.suppressedBy ? ` (${f.suppressedBy})` : ''}` : f.status);

/** A reference is a link only when it is an http(s) URL: never a javascript: or data: one. */
const referenceHtml = (ref: string): string =>
  /^https?:\/\/\S+$/i.test(ref.trim()) ? `<a href="${esc(ref.trim())}" rel="noopener noreferrer" target="_blank">${breakable(ref.trim())}</a>` : esc(ref);

/** The policy's description, runbook and reference under a failing finding. */
function remediation(f: Finding): string {
  if (!f.description && !f.runbook && !f.reference) return '<p class="note no-runbook">The policy gives no runbook.</p>';
  return (
    `<details class="remediation"><summary>Remediation</summary>` +
    (f.description ? `<p class="description">${esc(f.description)}</p>` : '') +
    (f.runbook ? `<h4>Runbook</h4><p class="runbook">${esc(f.runbook)}</p>` : '') +
    (f.reference ? `<p class="reference">Reference: ${referenceHtml(f.reference)}</p>` : '') +
    `</details>`
  );
}

/**
 * The resource JSON of a finding. A resource with several failing policies is printed once; its
 * other rows link to that block (the page script opens it and brings its row into view).
 */
function resourceCell(f: Finding, ctx: RowContext): string {
  if (!ctx.resources) return '';
  const anchor = ctx.printed.get(f.resourceId);
  if (anchor) return `<br><a class="json-link" href="#${anchor}">resource JSON (on its first row)</a>`;
  if (!ctx.resources.has(f.resourceId)) return '<p class="note">resource JSON not stored (deleted since the evaluation?)</p>';
  const id = `res-${ctx.printed.size + 1}`;
  ctx.printed.set(f.resourceId, id);
  const json = resourceJson(ctx.resources.get(f.resourceId));
  const note =
    json.truncatedFrom === undefined
      ? ''
      : `<p class="note">Truncated: first ${fmt(json.text.length)} of ${fmt(json.truncatedFrom)} characters. The whole resource: posture resources get ${esc(f.resourceId)}</p>`;
  return `<details class="resource-json" id="${id}" data-resource="${esc(f.resourceId)}"><summary>Resource JSON</summary><pre>${esc(json.text)}</pre>${note}</details>`;
}

function findingRow(f: Finding, ctx: RowContext): string {
  const cat = categoryOf(f).toLowerCase();
  const name = ctx.accountNames?.get(f.accountId);
  // Search text beyond the keys: the title, the account's name, the exception, the trigger, the cause (who changed it).
  const q = [f.title, name, f.suppressedBy, f.trigger, f.cause].filter(Boolean).join(' ');
  // A failing row says what caused it: the call and its caller, or the scan window.
  const cause = f.status !== 'PASS' && f.cause ? `<small class="cause">${esc(f.cause)}</small>` : '';
  const data =
    `data-cat="${cat}" data-status="${CATEGORIES.indexOf(categoryOf(f))}" data-sev="${SEVERITY_RANK[f.severity] ?? SEVERITIES.length}" data-policy="${esc(f.policyId)}" ` +
    `data-acct="${esc(f.accountId)}" data-region="${esc(f.region)}" data-res="${esc(f.resourceId)}" data-type="${esc(f.resourceType)}" data-changed="${esc(f.lastChanged)}"` +
    (f.errorMessage ? ` data-err="${esc(f.errorMessage)}"` : '') +
    (q ? ` data-q="${esc(q)}"` : '');
  return (
    `<tr class="${cat}" ${data}><td class="status">${esc(statusText(f))}</td><td class="nw">${esc(f.severity)}</td>` +
    `<td class="policy">${esc(f.title ?? f.policyId)}<br><small class="id">${esc(f.policyId).replace(/\./g, '.<wbr>')}</small>${ctx.resources ? remediation(f) : ''}</td>` +
    `<td class="nw">${esc(f.accountId)}${name ? `<br><small>${esc(name)}</small>` : ''}</td><td class="nw">${esc(f.region)}</td>` +
    `<td class="resource"><code class="id">${breakable(f.resourceId)}</code><br><small>${esc(f.resourceType)}</small>${resourceCell(f, ctx)}</td>` +
    `<td class="changed">${timeWithAge(f.lastChanged, ctx.generatedAt)}<small class="trigger">${esc(f.trigger)}</small>${cause}</td><td>${esc(f.errorMessage ?? '')}</td></tr>`
  );
}

/** Column, sort key (a row data attribute) and whether it compares as a number. */
const COLUMNS: [label: string, key: string, numeric: boolean][] = [
  ['Status', 'status', true],
  ['Severity', 'sev', true],
  ['Policy', 'policy', false],
  ['Account', 'acct', false],
  ['Region', 'region', false],
  ['Resource', 'res', false],
  ['Last changed', 'changed', false],
  ['Error', 'err', false],
];

const HEAD = `<thead><tr>${COLUMNS.map(([label, key, num]) => `<th aria-sort="none"><button type="button" class="sort" data-key="${key}"${num ? ' data-num' : ''}>${esc(label)}</button></th>`).join('')}</tr></thead>`;

/** A findings table the toolbar filters; `id` names it for the script and the tests. */
export const findingsTable = (id: string, findings: readonly Finding[], ctx: RowContext): string =>
  `<p class="shown" data-count-for="${id}" aria-live="polite"></p><table id="${id}" class="findings">${HEAD}<tbody>${findings.map((f) => findingRow(f, ctx)).join('\n')}</tbody></table>` +
  `<p class="more" data-more-for="${id}" hidden><button type="button" name="more">Show ${PAGE_ROWS} more</button> <button type="button" name="all">Show all</button></p>`;

const options = (values: readonly [string, string][]): string => values.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('');

/** Search, filters and a reset, over every findings table of the page. */
export function findingsToolbar(findings: readonly Finding[], accountNames?: ReadonlyMap<string, string>): string {
  const accounts = [...new Set(findings.map((f) => f.accountId))].sort();
  const types = [...new Set(findings.map((f) => f.resourceType))].sort();
  const severities = [...SEVERITIES].reverse().map((s, i) => [String(i), i === 0 ? s : `${s} and above`] as [string, string]);
  return (
    `<div id="finding-filters" class="toolbar" role="search" aria-label="Search and filter the findings">` +
    `<label>Search <input type="search" name="q" placeholder="policy, resource, account, message…" autocomplete="off"></label>` +
    `<label>Severity <select name="sev">${options([['', 'Any'], ...severities])}</select></label>` +
    `<label>Status <select name="cat">${options([['', 'Any'], ...CATEGORIES.map((c) => [c.toLowerCase(), CATEGORY_LABEL[c]] as [string, string])])}</select></label>` +
    `<label>Account <select name="acct">${options([['', 'Any'], ...accounts.map((a) => [a, accountNames?.get(a) ? `${a} (${accountNames.get(a)})` : a] as [string, string])])}</select></label>` +
    `<label>Type <select name="type">${options([['', 'Any'], ...types.map((t) => [t, t] as [string, string])])}</select></label>` +
    `<button type="button" name="reset">Reset</button><output name="result" aria-live="polite">${fmt(findings.length)} results</output></div>`
  );
}
