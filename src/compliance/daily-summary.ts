/**
 * The scan ledger's daily compliance summary (DESIGN §7; "is it better than last week?"): per UTC
 * day, account, policy and severity, how many verdicts pass, fail, are suppressed or errored, and
 * how many of the policy's resource-type scopes in that account are not evaluated (their newest
 * ledger entry is not OK: LedgerStore.currentlyNotEvaluated). Pure: the caller reads the state;
 * src/store/summary-store.ts keeps the rows, src/scan/daily-summary.ts writes them after a scan.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '#core/types.ts';
import { isDisabledRegion, type LedgerEntry } from '#core/ledger.ts';
import type { ComplianceItem } from './model.ts';

const count = z.number().int().min(0);

/** One summary row: the one declaration of what the store keeps and the trend reads. */
export const summaryRowSchema = z.object({
  /** UTC day, `YYYY-MM-DD`. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD day'),
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account ID'),
  policyId: z.string().min(1),
  severity: z.enum(SEVERITIES as readonly Severity[] as [Severity, ...Severity[]]),
  passing: count,
  /** FAIL and not suppressed. */
  failing: count,
  /** FAIL under an exception or a suppression pattern: accepted risk, neither failing nor passing. */
  suppressed: count,
  error: count,
  /** The policy's resource-type scopes in the account whose newest ledger entry is not OK. */
  notEvaluated: count,
});
export type SummaryRow = z.infer<typeof summaryRowSchema>;
export type SummaryCounts = Pick<SummaryRow, 'passing' | 'failing' | 'suppressed' | 'error' | 'notEvaluated'>;
export const COUNT_FIELDS = ['passing', 'failing', 'suppressed', 'error', 'notEvaluated'] as const satisfies readonly (keyof SummaryCounts)[];

export const emptySummaryCounts = (): SummaryCounts => ({ passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 0 });

/**
 * An account's totals of one summarised day (the sum of its rows): what a trend over many accounts
 * and days reads instead of every policy's row. Kept beside the rows by the summary store.
 */
export const dayTotalSchema = summaryRowSchema.omit({ policyId: true, severity: true });
export type DayTotal = z.infer<typeof dayTotalSchema>;

/** Each account's total of the rows (accounts whose rows are all zero, or absent, have none). */
export function dayTotals(rows: readonly SummaryRow[]): DayTotal[] {
  const out = new Map<string, DayTotal>();
  for (const r of rows) {
    const key = `${r.day}\u0000${r.accountId}`;
    let t = out.get(key);
    if (!t) out.set(key, (t = { day: r.day, accountId: r.accountId, ...emptySummaryCounts() }));
    for (const k of COUNT_FIELDS) t[k] += r[k];
  }
  return [...out.values()].filter((t) => COUNT_FIELDS.some((k) => t[k] > 0));
}

/** The UTC day of an instant, as summary rows name it. */
export const dayOf = (at: Date | string): string => new Date(at).toISOString().slice(0, 10);

/** What a policy applies to: its resource types (null: every type) and the severity it is summarised under. */
export interface PolicyScope {
  policyId: string;
  severity: Severity;
  resourceTypes: readonly string[] | null;
}

/** A scope the ledger reports as not evaluated now (the fields of a LedgerEntry the summary reads). */
export type NotEvaluatedScope = Pick<LedgerEntry, 'accountId' | 'region' | 'resourceType' | 'outcome'>;

/**
 * The policies as the stored compliance shows them: each with the types it has verdicts for and
 * the severity of its PASS verdicts (the spec's; a FAIL may carry a dynamic `severity()`), else
 * its most frequent one. A policy that has no verdict anywhere is not known here.
 */
export function policiesOf(items: readonly Pick<ComplianceItem, 'policyId' | 'resourceType' | 'severity' | 'status'>[]): PolicyScope[] {
  const seen = new Map<string, { types: Set<string>; pass: Map<Severity, number>; all: Map<Severity, number> }>();
  for (const c of items) {
    let p = seen.get(c.policyId);
    if (!p) seen.set(c.policyId, (p = { types: new Set(), pass: new Map(), all: new Map() }));
    p.types.add(c.resourceType);
    p.all.set(c.severity, (p.all.get(c.severity) ?? 0) + 1);
    if (c.status === 'PASS') p.pass.set(c.severity, (p.pass.get(c.severity) ?? 0) + 1);
  }
  const mode = (m: Map<Severity, number>): Severity =>
    [...m].sort((a, b) => b[1] - a[1] || SEVERITIES.indexOf(b[0]) - SEVERITIES.indexOf(a[0]))[0]![0];
  return [...seen]
    .map(([policyId, p]) => ({ policyId, severity: mode(p.pass.size ? p.pass : p.all), resourceTypes: [...p.types].sort() }))
    .sort((a, b) => a.policyId.localeCompare(b.policyId));
}

/** What the summary reads of a compliance item. */
export type SummaryItem = Pick<ComplianceItem, 'scope' | 'accountId' | 'policyId' | 'resourceType' | 'severity' | 'status' | 'suppressed'>;

/** Only those fields: an organization's items are many, and their policy texts are not counted. */
export const summaryItem = (c: SummaryItem): SummaryItem => ({
  scope: c.scope,
  accountId: c.accountId,
  policyId: c.policyId,
  resourceType: c.resourceType,
  severity: c.severity,
  status: c.status,
  suppressed: c.suppressed,
});

export interface SummarizeInput {
  day: string;
  /** The current compliance items of the accounts summarised. */
  compliance: readonly SummaryItem[];
  /** The scopes not evaluated now (LedgerStore.currentlyNotEvaluated of the same accounts). */
  notEvaluated: readonly NotEvaluatedScope[];
  /** What each policy applies to; default: policiesOf(compliance). */
  policies?: readonly PolicyScope[];
}

/** Whether the gap covers a scan scope (`account#region#type`, as ComplianceItem.scope names it). */
const covers = (gap: NotEvaluatedScope, scope: string): boolean => {
  const [accountId, region, resourceType] = scope.split('#');
  return gap.accountId === accountId && (gap.region === '*' || gap.region === region) && (gap.resourceType === '*' || gap.resourceType === resourceType);
};

/**
 * The summary rows of one day. A verdict whose scope is not evaluated now (its newest ledger entry
 * is not OK, or the whole account could not be read) is not counted as passing or failing: it was
 * not verified, so its scope counts as not evaluated for each policy of its type instead. A region
 * the account has not opted into is a setting, not a gap. Rows whose counts are all zero are left out.
 */
export function summarize(input: SummarizeInput): SummaryRow[] {
  const gaps = input.notEvaluated.filter((g) => !isDisabledRegion(g));
  const rows = new Map<string, SummaryRow>();
  const row = (accountId: string, policyId: string, severity: Severity): SummaryRow => {
    const key = `${accountId}\u0000${policyId}\u0000${severity}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { day: input.day, accountId, policyId, severity, ...emptySummaryCounts() }));
    return r;
  };
  for (const c of input.compliance) {
    if (gaps.some((g) => covers(g, c.scope))) continue;
    const r = row(c.accountId, c.policyId, c.severity);
    if (c.status === 'PASS') r.passing++;
    else if (c.status === 'ERROR') r.error++;
    else if (c.suppressed) r.suppressed++;
    else r.failing++;
  }
  const policies = input.policies ?? policiesOf(input.compliance);
  for (const gap of gaps) {
    for (const p of policies) {
      if (gap.resourceType !== '*' && p.resourceTypes && !p.resourceTypes.includes(gap.resourceType)) continue;
      row(gap.accountId, p.policyId, p.severity).notEvaluated++;
    }
  }
  return [...rows.values()]
    .filter((r) => COUNT_FIELDS.some((k) => r[k] > 0))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.policyId.localeCompare(b.policyId) || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
