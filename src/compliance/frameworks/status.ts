/**
 * Where the estate stands against a framework: each control's status across the accounts, from
 * the findings of the policies mapped to it, the scopes the ledger could not read, and the
 * framework model (manual controls). A control fails on one unsuppressed failing resource; an
 * errored verdict, an unread scope or no verdict at all leaves it not evaluated — never passing.
 * The same judgement runs on two sources of verdict counts: the findings themselves (`posture
 * compliance`, the report: with evidence) and the daily summary's counts per account and policy
 * (the console's overview, which must not read every result of an organization).
 */
import type { LedgerEntry } from '#core/ledger.ts';
import { requirementsOf, type CatalogEntry, type PolicyCatalog } from '../catalog.ts';
import type { Finding } from '../findings.ts';
import type { Control, Framework } from './framework.ts';
import { FRAMEWORKS, findFramework } from './index.ts';
import type { TrendSeries } from '#compliance/trend.ts';
import type { SummaryRow } from '#compliance/daily-summary.ts';

export const CONTROL_STATUSES = ['FAILING', 'NOT_EVALUATED', 'PASSING', 'NOT_AUTOMATABLE'] as const;
export type ControlState = (typeof CONTROL_STATUSES)[number];

/** A scope the ledger reports as not evaluated right now (its newest entry is not OK). */
export type UnreadScope = Pick<LedgerEntry, 'accountId' | 'region' | 'resourceType'> & { outcome: string };

/** A failing or errored verdict behind a control: the evidence. */
export interface Evidence {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  policyId: string;
  status: 'FAIL' | 'ERROR';
  errorMessage: string | null;
}

export interface ControlStatus {
  id: string;
  title: string;
  section: string;
  assessment: Control['assessment'];
  status: ControlState;
  /** Why it is not evaluated or not automatable; null when passing or failing. */
  reason: string | null;
  /** The enabled policies of the active pack mapped to it. */
  policies: string[];
  counts: Tally;
  /** Each account's own status for this control. */
  accounts: Record<string, ControlState>;
  evidence: Evidence[];
}

export interface FrameworkStatus {
  id: string;
  name: string;
  coverage: Framework['coverage'];
  /** What a deliberately partial control list is (the framework model's `scope`), for the exports to say. */
  scope?: string;
  totals: Record<ControlState, number>;
  controls: ControlStatus[];
  /** The pass rate of the framework's policies over the last days (the daily summary), when the caller read it. */
  trend?: TrendSeries;
}

export interface ComplianceInput {
  catalog: PolicyCatalog;
  /** The accounts' findings (already restricted to `accounts`). */
  findings: readonly Finding[];
  unread: readonly UnreadScope[];
  accounts: readonly string[];
  /** Daily history per framework ID (the daily summary, see trend.ts), when available. */
  trend?: (frameworkId: string) => TrendSeries | undefined;
}

const NO_POLICY = 'no policy of the active pack reports against this control';
const MANUAL = 'a manual control: the benchmark leaves it to an auditor';

interface Judged {
  status: ControlState;
  reason: string | null;
}

/** Verdict counts of a control's policies (all accounts, or one). */
export interface Tally {
  pass: number;
  fail: number;
  error: number;
  suppressed: number;
}

const emptyTally = (): Tally => ({ pass: 0, fail: 0, error: 0, suppressed: 0 });

/** The status of one control over its verdict counts and unread scopes (listed, or only counted). */
function judge(t: Tally, unread: readonly UnreadScope[] | number): Judged {
  if (t.fail) return { status: 'FAILING', reason: null };
  if (t.error) return { status: 'NOT_EVALUATED', reason: `${t.error} verdict(s) errored` };
  if (typeof unread === 'number') {
    if (unread) return { status: 'NOT_EVALUATED', reason: `${unread} scope(s) of its policies not evaluated` };
  } else if (unread.length) {
    const names = unread.slice(0, 3).map((s) => `${s.accountId} ${s.region} ${s.resourceType} (${s.outcome})`);
    return { status: 'NOT_EVALUATED', reason: `scope(s) not evaluated: ${names.join(', ')}${unread.length > 3 ? `, +${unread.length - 3} more` : ''}` };
  }
  if (!t.pass && !t.suppressed) return { status: 'NOT_EVALUATED', reason: 'no verdict: no resource of its policies\' types was evaluated' };
  return { status: 'PASSING', reason: null };
}

/** Where a control's verdicts come from: the findings, or the daily summary's counts. */
interface VerdictSource {
  accounts: readonly string[];
  tally(policies: readonly CatalogEntry[], accountId?: string): Tally;
  unread(policies: readonly CatalogEntry[], accountId?: string): readonly UnreadScope[] | number;
  evidence(policies: readonly CatalogEntry[]): Evidence[];
}

function tallyOf(findings: readonly Finding[]): Tally {
  const t = emptyTally();
  for (const f of findings) {
    if (f.status === 'PASS') t.pass++;
    else if (f.status === 'ERROR') t.error++;
    else if (f.suppressed) t.suppressed++;
    else t.fail++;
  }
  return t;
}

function findingsSource(input: ComplianceInput): VerdictSource {
  const byPolicy = new Map<string, Finding[]>();
  for (const f of input.findings) byPolicy.set(f.policyId, [...(byPolicy.get(f.policyId) ?? []), f]);
  const of = (policies: readonly CatalogEntry[]) => policies.flatMap((p) => byPolicy.get(p.policyId) ?? []);
  return {
    accounts: input.accounts,
    tally: (policies, accountId) => tallyOf(of(policies).filter((f) => !accountId || f.accountId === accountId)),
    unread: (policies, accountId) => input.unread.filter((s) => touches(policies, s) && (!accountId || s.accountId === accountId)),
    evidence: (policies) =>
      of(policies)
        .filter((f) => (f.status === 'FAIL' && !f.suppressed) || f.status === 'ERROR')
        .map((f): Evidence => ({ accountId: f.accountId, region: f.region, resourceType: f.resourceType, resourceId: f.resourceId, policyId: f.policyId, status: f.status as 'FAIL' | 'ERROR', errorMessage: f.errorMessage }))
        .sort((a, b) => a.status.localeCompare(b.status) || a.accountId.localeCompare(b.accountId) || a.resourceId.localeCompare(b.resourceId) || a.policyId.localeCompare(b.policyId)),
  };
}

/** What the summary-based status reads: each account's newest summary rows (see daily-summary.ts). */
export interface SummaryStatusInput {
  catalog: PolicyCatalog;
  rows: readonly SummaryRow[];
  accounts: readonly string[];
  trend?: (frameworkId: string) => TrendSeries | undefined;
}

function summarySource(input: SummaryStatusInput): VerdictSource {
  const rowsOf = (policies: readonly CatalogEntry[], accountId?: string) => {
    const ids = new Set(policies.map((p) => p.policyId));
    return input.rows.filter((r) => ids.has(r.policyId) && (!accountId || r.accountId === accountId));
  };
  return {
    accounts: input.accounts,
    tally: (policies, accountId) => {
      const t = emptyTally();
      for (const r of rowsOf(policies, accountId)) {
        t.pass += r.passing;
        t.fail += r.failing;
        t.error += r.error;
        t.suppressed += r.suppressed;
      }
      return t;
    },
    unread: (policies, accountId) => rowsOf(policies, accountId).reduce((n, r) => n + r.notEvaluated, 0),
    evidence: () => [],
  };
}

const touches = (policies: readonly CatalogEntry[], s: UnreadScope): boolean =>
  // A disabled opt-in region is an account setting, not a gap (the report lists it apart).
  s.outcome !== 'REGION_DISABLED' && (s.resourceType === '*' || policies.some((p) => !p.resourceTypes.length || p.resourceTypes.includes(s.resourceType)));

/** The framework's controls, plus any control ID the pack maps to that the model does not list. */
function controlsOf(framework: Framework, catalog: PolicyCatalog): Control[] {
  const listed = new Set(framework.controls.map((c) => c.id));
  const extra = new Set<string>();
  for (const p of catalog.policies) for (const r of requirementsOf(p)) if (r.frameworkId === framework.id && !listed.has(r.control)) extra.add(r.control);
  return [
    ...framework.controls,
    ...[...extra].sort().map((id): Control => ({ id, title: '(not in Posture\'s control list for this framework)', section: 'unlisted', assessment: 'Automated' })),
  ];
}

/** The enabled policies of the catalog that report against `framework` (whose daily summary rows make its trend). */
export function frameworkPolicies(framework: Framework, catalog: PolicyCatalog): string[] {
  return catalog.policies.filter((p) => p.enabled && requirementsOf(p).some((r) => r.frameworkId === framework.id)).map((p) => p.policyId);
}

function statusOf(framework: Framework, catalog: PolicyCatalog, source: VerdictSource, trend: TrendSeries | undefined): FrameworkStatus {
  const mapped = new Map<string, CatalogEntry[]>();
  for (const p of catalog.policies) {
    if (!p.enabled) continue;
    for (const r of requirementsOf(p)) {
      if (r.frameworkId !== framework.id) continue;
      const list = mapped.get(r.control) ?? [];
      if (!list.includes(p)) list.push(p);
      mapped.set(r.control, list);
    }
  }
  const controls = controlsOf(framework, catalog).map((c): ControlStatus => {
    const policies = mapped.get(c.id) ?? [];
    const base = { id: c.id, title: c.title, section: c.section, assessment: c.assessment, policies: policies.map((p) => p.policyId).sort() };
    if (!policies.length) {
      const reason = c.notAutomatable ?? (c.assessment === 'Manual' ? MANUAL : NO_POLICY);
      return { ...base, status: 'NOT_AUTOMATABLE', reason, counts: emptyTally(), accounts: Object.fromEntries(source.accounts.map((a) => [a, 'NOT_AUTOMATABLE'])), evidence: [] };
    }
    const counts = source.tally(policies);
    const overall = judge(counts, source.unread(policies));
    const accounts = Object.fromEntries(source.accounts.map((a) => [a, judge(source.tally(policies, a), source.unread(policies, a)).status]));
    return { ...base, ...overall, counts, accounts, evidence: source.evidence(policies) };
  });
  const totals = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Record<ControlState, number>;
  return { id: framework.id, name: framework.name, coverage: framework.coverage, ...(framework.scope ? { scope: framework.scope } : {}), totals, controls, ...(trend ? { trend } : {}) };
}

/** A framework's status from the findings (with the failing resources as evidence). */
export function frameworkStatus(framework: Framework, input: ComplianceInput): FrameworkStatus {
  return statusOf(framework, input.catalog, findingsSource(input), input.trend?.(framework.id));
}

/**
 * A framework's status from the daily summary's counts (no evidence): what the console's overview
 * shows of an organization whose results are too many to read per request.
 */
export function frameworkStatusFromSummary(framework: Framework, input: SummaryStatusInput): FrameworkStatus {
  return statusOf(framework, input.catalog, summarySource(input), input.trend?.(framework.id));
}

/** Every known framework's status (the overview), in the model's order. */
export const allFrameworkStatus = (input: ComplianceInput): FrameworkStatus[] => FRAMEWORKS.map((f) => frameworkStatus(f, input));

/** `Reports` keys of the pack that name no framework Posture knows (their mappings reach exports only). */
export function unknownFrameworkKeys(catalog: PolicyCatalog): string[] {
  return [...new Set(catalog.policies.flatMap((p) => Object.keys(p.reports)).filter((k) => !findFramework(k)))].sort();
}
