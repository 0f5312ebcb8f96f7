/**
 * "Is it better than last week?": the daily summary rows (daily-summary.ts) as a per-day series —
 * counts and pass rate, overall and per account — with each day's change since the same day a
 * week earlier. Days without a summary stay gaps and a change without a week-old summary is null:
 * nothing is interpolated. Pure, except readTrend, which takes its ports as arguments.
 */
import { COUNT_FIELDS, dayOf, emptySummaryCounts, type DayTotal, type SummaryCounts, type SummaryRow } from './daily-summary.ts';

export const DEFAULT_TREND_DAYS = 30;
/** The comparison: the same day a week earlier. */
export const WEEK_DAYS = 7;

export interface TrendPoint {
  day: string;
  /** null: no summary of that day (a gap, never zeros). */
  counts: SummaryCounts | null;
  /** passing / (passing + failing + error), 0..1; suppressed and not evaluated are left out. null: nothing evaluated or no summary. */
  passRate: number | null;
  /** The same day a week earlier, when it has a summary. */
  weekAgo: { day: string; counts: SummaryCounts; passRate: number | null } | null;
  /** Pass rate change since weekAgo in percentage points (null when either rate is null). */
  passRateChangePts: number | null;
}

export interface TrendSeries {
  points: TrendPoint[];
  /** The newest point with a summary, or null when the window has none. */
  latest: TrendPoint | null;
}

export interface Trend {
  /** First and last day of the window (UTC, inclusive). */
  from: string;
  to: string;
  days: number;
  overall: TrendSeries;
  accounts: ({ accountId: string } & TrendSeries)[];
}

export const passRateOf = (c: SummaryCounts): number | null => {
  const evaluated = c.passing + c.failing + c.error;
  return evaluated ? c.passing / evaluated : null;
};

export const addDays = (day: string, n: number): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

/** The `days` days ending with `today` (oldest first). */
export const windowDays = (today: string, days: number): string[] => Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));

/** One row per (day, account, policy, severity), the last given winning: a day summarised twice keeps the latest. */
export function latestRows<T extends DayTotal & { policyId?: string; severity?: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [`${r.day}\u0000${r.accountId}\u0000${r.policyId ?? '*'}\u0000${r.severity ?? '*'}`, r])).values()];
}

function totalsByDay(rows: readonly DayTotal[]): Map<string, SummaryCounts> {
  const out = new Map<string, SummaryCounts>();
  for (const r of rows) {
    let c = out.get(r.day);
    if (!c) out.set(r.day, (c = emptySummaryCounts()));
    for (const k of COUNT_FIELDS) c[k] += r[k];
  }
  return out;
}

function series(rows: readonly DayTotal[], days: readonly string[]): TrendSeries {
  const totals = totalsByDay(rows);
  const points = days.map((day): TrendPoint => {
    const counts = totals.get(day) ?? null;
    const weekDay = addDays(day, -WEEK_DAYS);
    const weekCounts = totals.get(weekDay);
    const weekAgo = weekCounts ? { day: weekDay, counts: weekCounts, passRate: passRateOf(weekCounts) } : null;
    const passRate = counts && passRateOf(counts);
    return {
      day,
      counts,
      passRate,
      weekAgo,
      passRateChangePts: counts && passRate !== null && weekAgo && weekAgo.passRate !== null ? (passRate - weekAgo.passRate) * 100 : null,
    };
  });
  return { points, latest: points.findLast((p) => p.counts !== null) ?? null };
}

/**
 * The series of the `days` days ending with `today`, overall and per account. Rows older than the
 * window only serve as the week-ago comparison of its first days (give `days + 7` days of rows).
 */
export function trend(rows: readonly (SummaryRow | DayTotal)[], today: string | Date, days = DEFAULT_TREND_DAYS): Trend {
  const to = typeof today === 'string' ? today : dayOf(today);
  const window = windowDays(to, days);
  const unique = latestRows(rows).filter((r) => r.day <= to);
  const byAccount = new Map<string, DayTotal[]>();
  for (const r of unique) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  return {
    from: window[0]!,
    to,
    days,
    overall: series(unique, window),
    accounts: [...byAccount.keys()].sort().map((accountId) => ({ accountId, ...series(byAccount.get(accountId)!, window) })),
  };
}

/** What readTrend reads (SummaryStore and AccountStore implement it). */
export interface TrendSources {
  summaries: { range(accountIds: readonly string[], fromDay: string, toDay: string): Promise<SummaryRow[]> };
  accounts: { list(): Promise<readonly { accountId: string }[]> };
  clock: { now(): Date };
}

export interface TrendOptions {
  /** Days in the window, ending today (default 30). */
  days?: number;
  /** Accounts (default: every onboarded one). */
  accounts?: readonly string[];
  /** Only these policies (e.g. those mapped to a framework's controls); default: all. */
  policies?: Iterable<string>;
}

/**
 * The summary rows a trend of `days` days ending today reads (with the week before, for the
 * comparison): one ranged Query per account.
 */
export async function readTrendRows(deps: Pick<TrendSources, 'summaries' | 'clock'>, accountIds: readonly string[], days = DEFAULT_TREND_DAYS): Promise<{ today: string; rows: SummaryRow[] }> {
  if (!Number.isInteger(days) || days < 1) throw new Error(`trend: days must be a positive whole number, got ${days}`);
  const today = dayOf(deps.clock.now());
  const rows = accountIds.length ? await deps.summaries.range(accountIds, addDays(today, -(days - 1) - WEEK_DAYS), today) : [];
  return { today, rows };
}

/** Only the rows of these policies (e.g. those mapped to a framework's controls). */
export const rowsOfPolicies = (rows: readonly SummaryRow[], policies: Iterable<string>): SummaryRow[] => {
  const ids = new Set(policies);
  return rows.filter((r) => ids.has(r.policyId));
};

/** The trend over the last `days` days, for a CLI target or the console. */
export async function readTrend(deps: TrendSources, opts: TrendOptions = {}): Promise<Trend> {
  const days = opts.days ?? DEFAULT_TREND_DAYS;
  const ids = opts.accounts ?? (await deps.accounts.list()).map((a) => a.accountId);
  const { today, rows } = await readTrendRows(deps, ids, days);
  return trend(opts.policies ? rowsOfPolicies(rows, opts.policies) : rows, today, days);
}
