/**
 * Each framework's trend: the daily summary rows (trend.ts) of the policies that report against
 * it, over the last days. Read once per framework for `posture compliance`, the report and the demo.
 */
import type { PolicyCatalog } from '#compliance/catalog.ts';
import { readTrend, type TrendSeries, type TrendSources } from '#compliance/trend.ts';
import type { Framework } from './framework.ts';
import { frameworkPolicies } from './status.ts';

/** Framework ID → the overall series of its policies (frameworks no enabled policy reports against have none). */
export async function readFrameworkTrends(deps: TrendSources, catalog: PolicyCatalog, frameworks: readonly Framework[], accounts: readonly string[]): Promise<Map<string, TrendSeries>> {
  const out = new Map<string, TrendSeries>();
  for (const f of frameworks) {
    const policies = frameworkPolicies(f, catalog);
    if (policies.length) out.set(f.id, (await readTrend(deps, { accounts, policies })).overall);
  }
  return out;
}
