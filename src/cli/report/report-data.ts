/** The numbers behind the report: results counted by status, grouped by severity, account, type and policy. */
import { SEVERITIES } from '#core/types.ts';
import type { Finding } from '#compliance/findings.ts';
import type { FrameworkStatus } from '#compliance/frameworks/status.ts';

/** A suppressed FAIL is its own category: accepted risk, neither failing nor passing. */
export const CATEGORIES = ['FAIL', 'ERROR', 'SUPPRESSED', 'PASS'] as const;
export type Category = (typeof CATEGORIES)[number];

export const categoryOf = (f: Pick<Finding, 'status' | 'suppressed'>): Category => (f.status === 'FAIL' && f.suppressed ? 'SUPPRESSED' : f.status);

export type Counts = Record<Category, number>;

export interface Tally extends Counts {
  label: string;
  total: number;
  /** Set on the row that sums the groups left out of a top-N chart. */
  rest?: number;
}

/** A scope the report lists as not evaluated (from the scan ledger, or a scan interrupted before it). */
export interface NotEvaluatedScope {
  accountId: string;
  region: string;
  resourceType: string;
  outcome: string;
  message: string | null;
}

export interface ReportInput {
  title: string;
  generatedAt: Date;
  findings: readonly Finding[];
  notEvaluated: readonly NotEvaluatedScope[];
  /** Resource JSON by resource ID, shown under each failing finding (missing ones say so). */
  resources?: ReadonlyMap<string, unknown>;
  /** Account names by ID, for chart labels. */
  accountNames?: ReadonlyMap<string, string>;
  /** Status per compliance framework (a section each); absent: no catalog was read. */
  frameworks?: readonly FrameworkStatus[];
}

/**
 * Opt-in regions that are not enabled are recorded as REGION_DISABLED for the whole region: a
 * deliberate account setting, listed apart (one line per account) so real gaps are not drowned.
 */
export function splitNotEvaluated(scopes: readonly NotEvaluatedScope[]): { gaps: NotEvaluatedScope[]; disabledRegions: Map<string, string[]> } {
  const disabledRegions = new Map<string, string[]>();
  const gaps: NotEvaluatedScope[] = [];
  for (const e of scopes) {
    if (e.outcome === 'REGION_DISABLED' && e.resourceType === '*') disabledRegions.set(e.accountId, [...(disabledRegions.get(e.accountId) ?? []), e.region]);
    else gaps.push(e);
  }
  return { gaps, disabledRegions };
}

/** The scopes not evaluated of one outcome in one account and region: counted, not listed one by one. */
export interface ScopeGroup {
  outcome: string;
  accountId: string;
  region: string;
  scopes: number;
  /** The resource types of its scopes, sorted ('*' for a whole-region scope). */
  types: string[];
  /** Distinct reasons, the most frequent first (a missing message counts as ''). */
  reasons: { message: string; scopes: number }[];
}

/** Per outcome: how many scopes and in how many accounts, the most scopes first. */
export interface OutcomeSummary {
  outcome: string;
  scopes: number;
  accounts: number;
}

/** Scopes not evaluated grouped by outcome, account and region (in that order), with counts. */
export function groupNotEvaluated(scopes: readonly NotEvaluatedScope[]): { groups: ScopeGroup[]; outcomes: OutcomeSummary[] } {
  const groups = new Map<string, { g: ScopeGroup; types: Set<string>; reasons: Map<string, number> }>();
  for (const e of scopes) {
    const key = JSON.stringify([e.outcome, e.accountId, e.region]);
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { g: { outcome: e.outcome, accountId: e.accountId, region: e.region, scopes: 0, types: [], reasons: [] }, types: new Set(), reasons: new Map() }));
    entry.g.scopes++;
    entry.types.add(e.resourceType);
    entry.reasons.set(e.message ?? '', (entry.reasons.get(e.message ?? '') ?? 0) + 1);
  }
  const list = [...groups.values()].map(({ g, types, reasons }) => ({
    ...g,
    types: [...types].sort(),
    reasons: [...reasons].map(([message, n]) => ({ message, scopes: n })).sort((a, b) => b.scopes - a.scopes || a.message.localeCompare(b.message)),
  }));
  const sorted = list.sort((a, b) => a.outcome.localeCompare(b.outcome) || a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  const outcomes = new Map<string, { scopes: number; accounts: Set<string> }>();
  for (const g of sorted) {
    const o = outcomes.get(g.outcome) ?? { scopes: 0, accounts: new Set<string>() };
    o.scopes += g.scopes;
    o.accounts.add(g.accountId);
    outcomes.set(g.outcome, o);
  }
  return {
    groups: sorted,
    outcomes: [...outcomes].map(([outcome, o]) => ({ outcome, scopes: o.scopes, accounts: o.accounts.size })).sort((a, b) => b.scopes - a.scopes || a.outcome.localeCompare(b.outcome)),
  };
}

export const emptyCounts = (): Counts => ({ FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0 });

export function countAll(findings: readonly Finding[]): Counts {
  const c = emptyCounts();
  for (const f of findings) c[categoryOf(f)]++;
  return c;
}

/** Rows for a chart, one per key, in `order` when given (keys absent from the data still get a row). */
export function tally(findings: readonly Finding[], key: (f: Finding) => string, order?: readonly string[]): Tally[] {
  const rows = new Map<string, Tally>((order ?? []).map((k) => [k, { label: k, ...emptyCounts(), total: 0 }]));
  for (const f of findings) {
    const k = key(f);
    let row = rows.get(k);
    if (!row) rows.set(k, (row = { label: k, ...emptyCounts(), total: 0 }));
    row[categoryOf(f)]++;
    row.total++;
  }
  return [...rows.values()];
}

/** Worst first: most failing, then most errors, then most results; ties by label. */
export const byConcern = (a: Tally, b: Tally): number => b.FAIL - a.FAIL || b.ERROR - a.ERROR || b.total - a.total || a.label.localeCompare(b.label);

/** The first `n` rows, and one row summing the rest when there is a rest. */
export function topN(rows: readonly Tally[], n: number, restLabel: (k: number) => string): Tally[] {
  if (rows.length <= n) return [...rows];
  const rest = rows.slice(n);
  const sum: Tally = { label: restLabel(rest.length), ...emptyCounts(), total: 0, rest: rest.length };
  for (const r of rest) {
    for (const c of CATEGORIES) sum[c] += r[c];
    sum.total += r.total;
  }
  return [...rows.slice(0, n), sum];
}

export const TOP_POLICIES = 10;
export const TOP_GROUPS = 15;

export interface ReportData {
  counts: Counts;
  resources: number;
  accounts: number;
  bySeverity: Tally[];
  byAccount: Tally[];
  byType: Tally[];
  byPolicy: Tally[];
  /** FAIL (suppressed or not) and ERROR results, worst first. */
  failing: Finding[];
  passing: Finding[];
}

export function reportData(input: Pick<ReportInput, 'findings' | 'accountNames'>): ReportData {
  const { findings } = input;
  const accountLabel = (id: string) => {
    const name = input.accountNames?.get(id);
    return name ? `${id} (${name})` : id;
  };
  const others = (one: string, many: string) => (k: number) => `${k} other ${k === 1 ? one : many}`;
  return {
    counts: countAll(findings),
    resources: new Set(findings.map((f) => f.resourceId)).size,
    accounts: new Set(findings.map((f) => f.accountId)).size,
    // Most severe first, every level shown so that charts of different reports compare.
    bySeverity: tally(findings, (f) => f.severity, [...SEVERITIES].reverse()),
    byAccount: topN(tally(findings, (f) => accountLabel(f.accountId)).sort(byConcern), TOP_GROUPS, others('account', 'accounts')),
    byType: topN(tally(findings, (f) => f.resourceType).sort(byConcern), TOP_GROUPS, others('resource type', 'resource types')),
    byPolicy: topN(tally(findings, (f) => f.policyId).sort(byConcern), TOP_POLICIES, others('policy', 'policies')),
    // Stable sort: within a category the findings keep their order (severity, account, resource).
    failing: findings.filter((f) => f.status !== 'PASS').sort((a, b) => CATEGORIES.indexOf(categoryOf(a)) - CATEGORIES.indexOf(categoryOf(b))),
    passing: findings.filter((f) => f.status === 'PASS'),
  };
}
