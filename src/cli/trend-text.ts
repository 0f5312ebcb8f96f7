/**
 * The compliance trend as text, for `posture status` and any other command or report that shows
 * it: the pass-rate line with its week-over-week change, a sparkline of the daily pass rates, and
 * one table row per series (overall, then each account).
 */
import { WEEK_DAYS, type Trend, type TrendPoint, type TrendSeries } from '#compliance/trend.ts';

const BARS = '▁▂▃▄▅▆▇█';
/** A day without a summary, or with nothing evaluated. */
export const SPARK_GAP = '·';

export const percent = (rate: number | null): string => (rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`);

/** `+2.1 pts vs 7 days ago`, or why there is no change to show. */
export function weekChangeText(p: TrendPoint): string {
  if (!p.weekAgo) return `no summary from ${WEEK_DAYS} days ago yet`;
  if (p.passRateChangePts === null) return `nothing evaluated ${p.passRate === null ? 'that day' : `${WEEK_DAYS} days ago`}`;
  const pts = Math.round(p.passRateChangePts * 10) / 10;
  return `${pts > 0 ? '+' : pts < 0 ? '−' : '±'}${Math.abs(pts).toFixed(1)} pts vs ${WEEK_DAYS} days ago`;
}

/** `pass rate 87.5% (+2.1 pts vs 7 days ago) on 2026-03-02`, or `no daily summary yet`. */
export function trendLine(latest: TrendPoint | null): string {
  if (!latest) return 'no daily summary yet';
  return `pass rate ${percent(latest.passRate)} (${weekChangeText(latest)}) on ${latest.day}`;
}

/** One character per day, oldest first: the pass rate from ▁ (0 %) to █ (100 %), · for a gap. */
export function sparkline(points: readonly TrendPoint[]): string {
  return points.map((p) => (p.passRate === null ? SPARK_GAP : BARS[Math.min(BARS.length - 1, Math.floor(p.passRate * BARS.length))])).join('');
}

export interface TrendRow {
  label: string;
  sparkline: string;
  passRate: string;
  change: string;
  failing: number | null;
  notEvaluated: number | null;
}

const rowOf = (label: string, s: TrendSeries): TrendRow => ({
  label,
  sparkline: sparkline(s.points),
  passRate: percent(s.latest?.passRate ?? null),
  change: s.latest ? weekChangeText(s.latest) : 'no daily summary yet',
  failing: s.latest?.counts?.failing ?? null,
  notEvaluated: s.latest?.counts?.notEvaluated ?? null,
});

/** Table rows: `all accounts`, then one per account (labelled by name when `names` has it). */
export function trendRows(t: Trend, names: ReadonlyMap<string, string> = new Map()): TrendRow[] {
  return [rowOf('all accounts', t.overall), ...t.accounts.map((a) => rowOf(names.get(a.accountId) ?? a.accountId, a))];
}
