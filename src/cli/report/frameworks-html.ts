/**
 * The report's compliance-framework sections: per framework, its controls with their status across
 * the accounts, the policies behind each, and the failing resources as evidence. Every value is escaped.
 */
import type { ControlState, ControlStatus, FrameworkStatus } from '#compliance/frameworks/status.ts';
import { esc } from './escape.ts';
import { sparkline, trendLine } from '../trend-text.ts';

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
  const items = shown.map((e) => `<li>${esc(e.status)} <code>${esc(e.resourceId)}</code> <small>${esc(e.accountId)} ${esc(e.region)} · ${esc(e.policyId)}</small></li>`).join('');
  const more = c.evidence.length > shown.length ? `<li><small>and ${c.evidence.length - shown.length} more</small></li>` : '';
  return `<ul class="evidence">${items}${more}</ul>${c.counts.suppressed ? `<small>${c.counts.suppressed} suppressed</small>` : ''}`;
}

const controlRow = (c: ControlStatus): string =>
  `<tr class="${ROW_CLASS[c.status]}"><td class="nw">${esc(c.id)}</td><td class="policy">${esc(c.title)}<br><small>${esc(c.section)} · ${esc(c.assessment)}</small></td>` +
  `<td class="status">${esc(controlLabel(c))}${c.reason ? `<br><small>${esc(c.reason)}</small>` : ''}</td>` +
  `<td>${c.policies.map((p) => `<small>${esc(p)}</small>`).join('<br>')}</td><td>${evidenceCell(c)}</td></tr>`;

function frameworkSection(f: FrameworkStatus): string {
  const t = f.totals;
  const coverage = f.coverage === 'mapped' ? ' Only the controls the active pack maps to are listed.' : '';
  return (
    `<section class="framework" id="framework-${esc(f.id)}"><h3>${esc(f.name)}</h3>` +
    `<p class="note">${f.controls.length} controls: ${t.PASSING} passing, ${t.FAILING} failing, ${t.NOT_EVALUATED} not evaluated, ${t.NOT_AUTOMATABLE} not automatable.${coverage}</p>` +
    (f.trend ? `<p class="note trend">Results of its policies, last ${f.trend.points.length} days: ${esc(trendLine(f.trend.latest))} <span class="spark" title="pass rate per day, oldest first">${esc(sparkline(f.trend.points))}</span></p>` : '') +
    `<table><tr><th>Control</th><th>Title</th><th>Status</th><th>Policies</th><th>Failing resources</th></tr>${f.controls.map(controlRow).join('\n')}</table></section>`
  );
}

/** The sections of the frameworks that have controls (a framework known by name only has none to show). */
export function frameworksHtml(frameworks: readonly FrameworkStatus[]): string {
  const shown = frameworks.filter((f) => f.controls.length);
  if (!shown.length) return '';
  return `<h2>Compliance frameworks</h2>\n<p class="note">A control fails when one resource fails a policy mapped to it (suppressed results do not count); an errored verdict, an unread scope or no verdict leaves it not evaluated.</p>\n${shown.map(frameworkSection).join('\n')}`;
}
