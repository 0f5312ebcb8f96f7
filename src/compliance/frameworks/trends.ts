/**
 * Each framework's trend: the daily summary rows (trend.ts) of the policies that report against
 * it, over the last days: the rows read once for all frameworks (`posture compliance`, the report,
 * the demo, the console).
 */
import type { PolicyCatalog } from '#compliance/catalog.ts';
import { readTrendRows, rowsOfPolicies, trend, type TrendSeries, type TrendSources } from '#compliance/trend.ts';
import type { SummaryRow } from '#compliance/daily-summary.ts';
import type { Framework } from './framework.ts';
import { frameworkPolicies } from './status.ts';

/** Framework ID → the overall series of its policies over summary rows already read (frameworks no enabled policy reports against have none). */
export function frameworkTrendsOf(rows: readonly SummaryRow[], today: string, catalog: PolicyCatalog, frameworks: readonly Framework[]): Map<string, TrendSeries> {
  const out = new Map<string, TrendSeries>();
  for (const f of frameworks) {
    const policies = frameworkPolicies(f, catalog);
    if (policies.length) out.set(f.id, trend(rowsOfPolicies(rows, policies), today).overall);
  }
  return out;
}

/** The same, reading the accounts' rows once. */
export async function readFrameworkTrends(deps: TrendSources, catalog: PolicyCatalog, frameworks: readonly Framework[], accounts: readonly string[]): Promise<Map<string, TrendSeries>> {
  const { today, rows } = await readTrendRows(deps, accounts);
  return frameworkTrendsOf(rows, today, catalog, frameworks);
}
