/**
 * The Overview page's numbers, computed with the domain functions the CLI uses: the pass rate and
 * 30-day trend of `posture status` (readTrend), the framework status of `posture compliance`
 * (complianceInput + allFrameworkStatus + readFrameworkTrends), each account's last scan of
 * `posture accounts verify` (lastScanSummary), and the findings of `posture findings`.
 *
 * What each read costs: the trend is one Query per account on DailySummary (a sort-key range);
 * findings one Query per account on Compliance's byAccount index (+ a byScope-index Query per
 * scope for "last verified"); each account's last scan is one Query of that scan's entries, but
 * finding WHICH scan is newest (LedgerStore.lastScheduledScan) and the scopes not evaluated
 * (currentlyNotEvaluated) are Scans of ScanLedger's byScope index (keys, outcome, trigger and
 * account projected; bounded by the ledger's TTL) — the two reads not yet on a key, to move onto an
 * index keyed by account before the console is scaled (issue #16 item 6).
 */
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { complianceInput } from '#compliance/frameworks/input.ts';
import { allFrameworkStatus } from '#compliance/frameworks/status.ts';
import { readFrameworkTrends } from '#compliance/frameworks/trends.ts';
import { catalogIndex, joinCatalog } from '#compliance/catalog.ts';
import { lastScanSummary } from '#compliance/scan-summary.ts';
import { readTrend } from '#compliance/trend.ts';
import { SEVERITIES } from '#core/types.ts';
import { TOP_FAILING_POLICIES, type Overview } from './contract/overview.ts';
import type { ConsolePorts } from './ports.ts';

export async function computeOverview(ports: ConsolePorts): Promise<Overview> {
  const catalog = await ports.catalog();
  const accounts = await ports.accounts.list();
  const ids = accounts.map((a) => a.accountId);
  const trendSources = { summaries: ports.summaries, accounts: ports.accounts, clock: ports.clock };
  const [input, trend, frameworkTrends, lastScans] = await Promise.all([
    complianceInput(ports, catalog, ids),
    readTrend(trendSources, { accounts: ids }),
    readFrameworkTrends(trendSources, catalog, FRAMEWORKS, ids),
    Promise.all(ids.map((id) => lastScanSummary(ports.ledger, id))),
  ]);
  const findings = joinCatalog(input.findings, catalog);
  const frameworks = allFrameworkStatus({ ...input, findings, trend: (id) => frameworkTrends.get(id) });
  const failing = findings.filter((f) => f.status === 'FAIL' && !f.suppressed);

  const policies = catalogIndex(catalog);
  const byPolicy = new Map<string, Overview['topFailingPolicies'][number]>();
  for (const f of failing) {
    const p = byPolicy.get(f.policyId) ?? { policyId: f.policyId, title: policies.get(f.policyId)?.displayName ?? null, severity: f.severity, failing: 0 };
    p.failing++;
    byPolicy.set(f.policyId, p);
  }
  const latest = trend.overall.latest;
  return {
    generatedAt: ports.clock.now().toISOString(),
    passRate: latest?.passRate ?? null,
    passRateChangePts: latest?.passRateChangePts ?? null,
    results: {
      pass: findings.filter((f) => f.status === 'PASS').length,
      fail: failing.length,
      error: findings.filter((f) => f.status === 'ERROR').length,
      suppressed: findings.filter((f) => f.status === 'FAIL' && f.suppressed).length,
    },
    failingBySeverity: [...SEVERITIES].reverse().map((severity) => ({ severity, count: failing.filter((f) => f.severity === severity).length })),
    accounts: accounts.map((a, i) => {
      const scan = lastScans[i] ?? null;
      return {
        accountId: a.accountId,
        name: a.name,
        failing: failing.filter((f) => f.accountId === a.accountId).length,
        lastScan: scan && { scanId: scan.scanId, finishedAt: scan.finishedAt, scopes: scan.scopes, ok: scan.ok, notEvaluated: scan.notEvaluated },
      };
    }),
    topFailingPolicies: [...byPolicy.values()]
      .sort((a, b) => b.failing - a.failing || SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.policyId.localeCompare(b.policyId))
      .slice(0, TOP_FAILING_POLICIES),
    notEvaluated: input.unread.map((s) => ({ accountId: s.accountId, region: s.region, resourceType: s.resourceType, outcome: s.outcome, message: 'message' in s ? ((s as { message?: string | null }).message ?? null) : null })),
    trend: trend.overall.points.map((p) => ({ day: p.day, passRate: p.passRate, passing: p.counts?.passing ?? null, failing: p.counts?.failing ?? null })),
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
