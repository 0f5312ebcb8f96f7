/**
 * The Overview page's numbers, computed with the domain functions the CLI uses and read on keys
 * only, so an organization with millions of results opens it as fast as a demo:
 *
 * - the counts (pass rate, failing by severity and per account, top failing policies, framework
 *   status) come from each account's newest daily summary (`posture status`'s rows, written by
 *   every scheduled scan: src/scan/daily-summary.ts), judged by the same framework rules as
 *   `posture compliance` (frameworkStatusFromSummary) — the page says which day they are of; the
 *   Findings page is where each verdict is read as it stands now;
 * - the 30-day trend from each account's day totals (SummaryStore.totals: one ranged Query of ~37
 *   items per account), which also name each account's newest summarised day, whose rows are then
 *   read (one Query per account);
 * - the scopes not evaluated now from the ledger (LedgerStore.currentlyNotEvaluated: Queries per
 *   account), and each account's last scan (lastScanSummary: the byAccount index newest first).
 */
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { frameworkStatusFromSummary } from '#compliance/frameworks/status.ts';
import { catalogIndex } from '#compliance/catalog.ts';
import { lastScanSummary } from '#compliance/scan-summary.ts';
import { addDays, DEFAULT_TREND_DAYS, trend, WEEK_DAYS } from '#compliance/trend.ts';
import { dayOf } from '#compliance/daily-summary.ts';
import { mapLimit } from '#core/errors.ts';
import { SEVERITIES } from '#core/types.ts';
import { TOP_FAILING_POLICIES, type Overview } from './contract/overview.ts';
import type { ConsolePorts } from './ports.ts';

/** Accounts read at once (each a few Queries). */
const ACCOUNT_CONCURRENCY = 8;

export async function computeOverview(ports: ConsolePorts): Promise<Overview> {
  const catalog = await ports.catalog();
  const accounts = await ports.accounts.list();
  const ids = accounts.map((a) => a.accountId);
  const today = dayOf(ports.clock.now());
  const [totals, unread, lastScans] = await Promise.all([
    ports.summaries.totals(ids, addDays(today, -(DEFAULT_TREND_DAYS - 1) - WEEK_DAYS), today),
    ports.ledger.currentlyNotEvaluated(ids),
    mapLimit(ids, ACCOUNT_CONCURRENCY, (id) => lastScanSummary(ports.ledger, id)),
  ]);
  const overall = trend(totals, today);
  const newestDay = new Map<string, string>();
  for (const t of totals) if ((newestDay.get(t.accountId) ?? '') < t.day) newestDay.set(t.accountId, t.day);
  const current = { rows: (await mapLimit([...newestDay], ACCOUNT_CONCURRENCY, ([a, day]) => ports.summaries.range([a], day, day))).flat(), days: newestDay };
  const frameworks = FRAMEWORKS.map((f) => frameworkStatusFromSummary(f, { catalog, rows: current.rows, accounts: ids }));

  const sum = (pick: (r: (typeof current.rows)[number]) => number, where: (r: (typeof current.rows)[number]) => boolean = () => true) =>
    current.rows.filter(where).reduce((n, r) => n + pick(r), 0);
  const policies = catalogIndex(catalog);
  const byPolicy = new Map<string, Overview['topFailingPolicies'][number]>();
  for (const r of current.rows) {
    if (!r.failing) continue;
    const p = byPolicy.get(r.policyId) ?? { policyId: r.policyId, title: policies.get(r.policyId)?.displayName ?? null, severity: r.severity, failing: 0 };
    p.failing += r.failing;
    // A policy whose severity() varies is listed under its most severe failing one.
    if (SEVERITIES.indexOf(r.severity) > SEVERITIES.indexOf(p.severity)) p.severity = r.severity;
    byPolicy.set(r.policyId, p);
  }
  const days = [...current.days.values()].sort();
  const latest = overall.overall.latest;
  return {
    generatedAt: ports.clock.now().toISOString(),
    countsAsOf: days.length ? { oldest: days[0]!, newest: days.at(-1)! } : null,
    passRate: latest?.passRate ?? null,
    passRateChangePts: latest?.passRateChangePts ?? null,
    results: {
      pass: sum((r) => r.passing),
      fail: sum((r) => r.failing),
      error: sum((r) => r.error),
      suppressed: sum((r) => r.suppressed),
    },
    failingBySeverity: [...SEVERITIES].reverse().map((severity) => ({ severity, count: sum((r) => r.failing, (r) => r.severity === severity) })),
    accounts: accounts.map((a, i) => {
      const scan = lastScans[i] ?? null;
      return {
        accountId: a.accountId,
        name: a.name,
        failing: sum((r) => r.failing, (r) => r.accountId === a.accountId),
        summaryDay: current.days.get(a.accountId) ?? null,
        lastScan: scan && { scanId: scan.scanId, finishedAt: scan.finishedAt, scopes: scan.scopes, ok: scan.ok, notEvaluated: scan.notEvaluated },
      };
    }),
    topFailingPolicies: [...byPolicy.values()]
      .sort((a, b) => b.failing - a.failing || SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.policyId.localeCompare(b.policyId))
      .slice(0, TOP_FAILING_POLICIES),
    notEvaluated: unread.map((s) => ({ accountId: s.accountId, region: s.region, resourceType: s.resourceType, outcome: s.outcome, message: s.message ?? null })),
    trend: overall.overall.points.map((p) => ({ day: p.day, passRate: p.passRate, passing: p.counts?.passing ?? null, failing: p.counts?.failing ?? null })),
    frameworks: frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      coverage: f.coverage,
      controls: f.controls.length,
      passing: f.totals.PASSING,
      failing: f.totals.FAILING,
      notEvaluated: f.totals.NOT_EVALUATED,
      notAutomatable: f.totals.NOT_AUTOMATABLE,
    })),
  };
}
