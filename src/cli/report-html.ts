/** A self-contained HTML report of findings and not-evaluated scopes (no scripts, no external assets). */
import type { LedgerEntry } from '#store/ledger-store.ts';
import type { Finding } from './findings.ts';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReport(opts: { title: string; generatedAt: Date; findings: Finding[]; notEvaluated: LedgerEntry[] }): string {
  const { findings } = opts;
  const count = (pred: (f: Finding) => boolean) => findings.filter(pred).length;
  const failing = findings.filter((f) => f.status !== 'PASS');
  const summary = [
    ['Resources evaluated', new Set(findings.map((f) => f.resourceId)).size],
    ['Failing', count((f) => f.status === 'FAIL' && !f.suppressed)],
    ['Errors', count((f) => f.status === 'ERROR')],
    ['Passing', count((f) => f.status === 'PASS')],
    ['Suppressed', count((f) => f.suppressed)],
    ['Scopes not evaluated', opts.notEvaluated.length],
  ];
  const row = (f: Finding) =>
    `<tr class="${esc(f.status.toLowerCase())}"><td>${esc(f.status)}${f.suppressed ? ' (suppressed)' : ''}</td><td>${esc(f.severity)}</td>` +
    `<td>${esc(f.title ?? f.policyId)}<br><small>${esc(f.policyId)}</small></td><td>${esc(f.accountId)}</td><td>${esc(f.region)}</td>` +
    `<td><code>${esc(f.resourceId)}</code><br><small>${esc(f.resourceType)}</small></td><td>${esc(f.trigger)}</td><td>${esc(f.errorMessage ?? '')}</td></tr>`;
  const ledgerRow = (e: LedgerEntry) =>
    `<tr><td>${esc(e.outcome)}</td><td>${esc(e.accountId)}</td><td>${esc(e.region)}</td><td>${esc(e.resourceType)}</td><td>${esc(e.message ?? '')}</td></tr>`;
  const head = '<tr><th>Status</th><th>Severity</th><th>Policy</th><th>Account</th><th>Region</th><th>Resource</th><th>Trigger</th><th>Error</th></tr>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}th{background:#f3f3f3}
tr.fail td:first-child{color:#b00020;font-weight:600}tr.error td:first-child{color:#b36b00;font-weight:600}tr.pass td:first-child{color:#1b7f3b}
.cards{display:flex;gap:1rem;margin:1rem 0 2rem}.card{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem}.card b{display:block;font-size:1.4rem}
code{font-size:.8rem;word-break:break-all}small{color:#666}
</style></head><body>
<h1>${esc(opts.title)}</h1><p>Generated ${esc(opts.generatedAt.toISOString())}</p>
<div class="cards">${summary.map(([k, v]) => `<div class="card"><b>${esc(v)}</b>${esc(k)}</div>`).join('')}</div>
<h2>Failing and errored (${failing.length})</h2>
<table>${head}${failing.map(row).join('\n')}</table>
<h2>Scopes not evaluated (${opts.notEvaluated.length})</h2>
<table><tr><th>Outcome</th><th>Account</th><th>Region</th><th>Type</th><th>Reason</th></tr>${opts.notEvaluated.map(ledgerRow).join('\n')}</table>
<h2>All results (${findings.length})</h2>
<table>${head}${findings.map(row).join('\n')}</table>
</body></html>
`;
}
