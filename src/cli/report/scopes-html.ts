/**
 * The scopes a scan could not read, summarised: one row per outcome, account and region with the
 * number of scopes, their types and their distinct reasons (an interrupted scan of a large estate
 * leaves hundreds of scopes: a list of them would bury the pattern). Opt-in regions not enabled are apart.
 */
import { esc } from './escape.ts';
import { groupNotEvaluated, splitNotEvaluated, type NotEvaluatedScope, type ScopeGroup } from './report-data.ts';

/** Reasons shown per group; the others are counted. */
export const MAX_REASONS = 3;

const fmt = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

const accountCell = (id: string, names?: ReadonlyMap<string, string>) => `${esc(id)}${names?.get(id) ? `<br><small>${esc(names.get(id))}</small>` : ''}`;

function groupRow(g: ScopeGroup, names?: ReadonlyMap<string, string>): string {
  const types = g.types.map((t) => `<code>${esc(t === '*' ? '* (every type)' : t)}</code>`).join(', ');
  const shown = g.reasons.slice(0, MAX_REASONS);
  const reasons = shown.map((r) => `<li>${esc(r.message || '(no message)')}${g.reasons.length > 1 ? ` <small>(${plural(r.scopes, 'scope')})</small>` : ''}</li>`).join('');
  const more = g.reasons.length > shown.length ? `<li><small>and ${plural(g.reasons.length - shown.length, 'other reason')}</small></li>` : '';
  return (
    `<tr data-outcome="${esc(g.outcome)}"><td class="nw">${esc(g.outcome)}</td><td class="nw">${accountCell(g.accountId, names)}</td><td class="nw">${esc(g.region)}</td>` +
    `<td class="num">${fmt(g.scopes)}</td><td class="types">${types}</td><td><ul class="reasons">${reasons}${more}</ul></td></tr>`
  );
}

/** The section's body: the per-outcome summary, the grouped table, the disabled regions. */
export function scopesHtml(scopes: readonly NotEvaluatedScope[], names?: ReadonlyMap<string, string>): string {
  const { gaps, disabledRegions } = splitNotEvaluated(scopes);
  const { groups, outcomes } = groupNotEvaluated(gaps);
  const summary = outcomes.length
    ? `<ul class="outcomes">${outcomes.map((o) => `<li><b>${esc(o.outcome)}</b> ${plural(o.scopes, 'scope')} in ${plural(o.accounts, 'account')}</li>`).join('')}</ul>`
    : '';
  const table = groups.length
    ? `<table id="not-evaluated"><thead><tr><th>Outcome</th><th>Account</th><th>Region</th><th>Scopes</th><th>Resource types</th><th>Reason</th></tr></thead><tbody>${groups.map((g) => groupRow(g, names)).join('\n')}</tbody></table>`
    : '<p class="empty-state">Every scope was read.</p>';
  const disabled = disabledRegions.size
    ? `<h3>Opt-in regions not enabled (not scanned)</h3><table id="regions-disabled"><thead><tr><th>Account</th><th>Regions</th></tr></thead><tbody>${[...disabledRegions]
        .map(([acct, regions]) => `<tr><td>${accountCell(acct, names)}</td><td>${esc(regions.sort().join(', '))}</td></tr>`)
        .join('\n')}</tbody></table>`
    : '';
  return `${summary}${table}${disabled}`;
}
