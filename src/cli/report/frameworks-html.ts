/**
 * The report's compliance-framework sections: per framework, a header with its controls' statuses
 * as a bar and the trend of its policies' pass rate, then its controls with their status across
 * the accounts, the policies behind each, and the failing resources as evidence. Every value is escaped.
 */
import { CONTROL_STATUSES, type ControlState, type ControlStatus, type FrameworkStatus } from '#compliance/frameworks/status.ts';
import { trendChart } from './charts.ts';
import { breakable, esc } from './escape.ts';
import { trendLine } from '../trend-text.ts';

/** The row classes of the findings tables, so the colours match. */
const ROW_CLASS: Record<ControlState, string> = { FAILING: 'fail', NOT_EVALUATED: 'error', PASSING: 'pass', NOT_AUTOMATABLE: 'suppressed' };
export const CONTROL_LABEL: Record<ControlState, string> = { FAILING: 'Failing', NOT_EVALUATED: 'Not evaluated', PASSING: 'Passing', NOT_AUTOMATABLE: 'Not automatable' };

/** A control's status as shown: "(manual)" only where the benchmark itself calls the control manual. */
export const controlLabel = (c: Pick<ControlStatus, 'status' | 'assessment'>): string =>
  c.status === 'NOT_AUTOMATABLE' && c.assessment === 'Manual' ? `${CONTROL_LABEL[c.status]} (manual)` : CONTROL_LABEL[c.status];

/** Evidence rows shown per control; the rest are counted (posture compliance --format json lists them all). */
export const MAX_EVIDENCE_ROWS = 25;

function evidenceCell(c: ControlStatus): string {
  if (!c.evidence.length) return c.counts.suppressed ? `<small>${c.counts.suppressed} suppressed</small>` : '';
  const shown = c.evidence.slice(0, MAX_EVIDENCE_ROWS);
  const items = shown.map((e) => `<li>${esc(e.status)} <code class="id">${breakable(e.resourceId)}</code> <small>${esc(e.accountId)} ${esc(e.region)} · ${esc(e.policyId)}</small></li>`).join('');
  const more = c.evidence.length > shown.length ? `<li><small>and ${c.evidence.length - shown.length} more</small></li>` : '';
  return `<ul class="evidence">${items}${more}</ul>${c.counts.suppressed ? `<small>${c.counts.suppressed} suppressed</small>` : ''}`;
}

const controlRow = (c: ControlStatus): string =>
  `<tr class="${ROW_CLASS[c.status]}"><td class="nw">${esc(c.id)}</td><td class="policy">${esc(c.title)}<br><small>${esc(c.section)} · ${esc(c.assessment)}</small></td>` +
  `<td class="status">${esc(controlLabel(c))}${c.reason ? `<br><small>${esc(c.reason)}</small>` : ''}</td>` +
  `<td>${c.policies.map((p) => `<small>${esc(p)}</small>`).join('<br>')}</td><td>${evidenceCell(c)}</td></tr>`;

/** The controls' statuses as one bar of proportional segments (SVG: widths need no inline style), with the counts under it. */
function statusBar(f: FrameworkStatus): string {
  const n = Math.max(1, f.controls.length);
  let x = 0;
  const segs = CONTROL_STATUSES.filter((s) => f.totals[s] > 0).map((s) => {
    const w = (1000 * f.totals[s]) / n;
    const seg = `<rect class="seg ${ROW_CLASS[s]}" data-state="${s}" data-count="${f.totals[s]}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="14"><title>${esc(`${f.totals[s]} ${CONTROL_LABEL[s].toLowerCase()}`)}</title></rect>`;
    x += w;
    return seg;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="control-bar" viewBox="0 0 1000 14" preserveAspectRatio="none" aria-hidden="true">${segs.join('')}</svg>` +
    `<ul class="legend">${CONTROL_STATUSES.map((s) => `<li><span class="swatch ${ROW_CLASS[s]}"></span>${f.totals[s]} ${esc(CONTROL_LABEL[s].toLowerCase())}</li>`).join('')}</ul>`
  );
}

function frameworkSection(f: FrameworkStatus): string {
  const t = f.totals;
  const coverage = f.coverage === 'mapped' ? ` ${esc(f.scope ?? 'Only the controls the active pack maps to are listed.')}` : '';
  const trend = f.trend
    ? `<div class="fw-trend">${trendChart({ id: `trend-${f.id}`, title: `${f.name}: daily pass rate of its policies`, points: f.trend.points })}<p class="note trend">Results of its policies, last ${f.trend.points.length} days: ${esc(trendLine(f.trend.latest))}</p></div>`
    : '';
  return (
    `<section class="framework panel" id="framework-${esc(f.id)}"><h3>${esc(f.name)} <small>${esc(f.id)}</small></h3>` +
    `<div class="fw-head"><div class="fw-status">${statusBar(f)}` +
    `<p class="note">${f.controls.length} controls: ${t.PASSING} passing, ${t.FAILING} failing, ${t.NOT_EVALUATED} not evaluated, ${t.NOT_AUTOMATABLE} not automatable.${coverage}</p></div>${trend}</div>` +
    `<details class="controls"${t.FAILING || t.NOT_EVALUATED ? ' open' : ''}><summary>The ${f.controls.length} controls</summary>` +
    `<table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Policies</th><th>Failing resources</th></tr></thead><tbody>${f.controls.map(controlRow).join('\n')}</tbody></table></details></section>`
  );
}

/** The frameworks that get a section: those with controls (a framework known by name only has none to show). */
export const shownFrameworks = (frameworks: readonly FrameworkStatus[]): FrameworkStatus[] => frameworks.filter((f) => f.controls.length);

/** The navigation entries of the framework sections: anchor, short ID (as the CLI spells it) with its failing controls, full name. */
export const frameworkNav = (frameworks: readonly FrameworkStatus[]): { href: string; label: string; title: string }[] =>
  shownFrameworks(frameworks).map((f) => ({ href: `#framework-${f.id}`, label: `${f.id}${f.totals.FAILING ? ` (${f.totals.FAILING} failing)` : ''}`, title: f.name }));

/** The sections of the frameworks that have controls. */
export function frameworksHtml(frameworks: readonly FrameworkStatus[]): string {
  const shown = shownFrameworks(frameworks);
  if (!shown.length) return '';
  return `<section id="frameworks"><h2>Compliance frameworks</h2>\n<p class="note">A control fails when one resource fails a policy mapped to it (suppressed results do not count); an errored verdict, an unread scope or no verdict leaves it not evaluated.</p>\n${shown.map(frameworkSection).join('\n')}</section>`;
}
