/** Findings: compliance state joined with the scan ledger's "not evaluated" scopes. */
import { type Severity, type Status, type Trigger, SEVERITIES } from '#core/types.ts';
import { causeText, type Provenance } from '#core/provenance.ts';
import type { ComplianceItem } from '#compliance/model.ts';
import type { LedgerEntry, VerifiedScope } from '#core/ledger.ts';
import type { Requirement } from './catalog.ts';

/** What findings read (ports: the stores implement them). */
export interface FindingSources {
  accounts: { list(): Promise<readonly { accountId: string }[]> };
  compliance: { forAccount(accountId: string): Promise<ComplianceItem[]> };
  ledger: { lastVerifiedMany(scopes: readonly string[]): Promise<Map<string, VerifiedScope>>; forScan(scanId: string): Promise<LedgerEntry[]> };
}

export interface Finding {
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: string;
  policyId: string;
  title: string | null;
  severity: Severity;
  status: Status;
  suppressed: boolean;
  /** The exception that suppressed it, if any. */
  suppressedBy: string | null;
  errorMessage: string | null;
  /** What caused the last change of state. */
  trigger: Trigger;
  lastChanged: string;
  /** What caused the last change of state, as stored: the CloudTrail actors, or the scan window (null: not known). */
  provenance: Provenance | null;
  /** The provenance as one line: "failing after arn:… called … from … at …", or the scan window (null: not known). */
  cause: string | null;
  /** When the resource was last evaluated (its scope's newest OK scan, or a later change), and by what. */
  lastVerified: string | null;
  verifiedBy: Trigger | null;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  /** The framework controls its policy reports against (set by joinCatalog; absent: not joined). */
  requirements?: Requirement[];
}


/** Every finding of the accounts (default: all onboarded), with freshness when a ledger is given. */
export async function collectFindings(
  deps: Pick<FindingSources, 'accounts' | 'compliance'> & Partial<Pick<FindingSources, 'ledger'>>,
  accountIds?: readonly string[],
): Promise<Finding[]> {
  const ids = accountIds ?? (await deps.accounts.list()).map((a) => a.accountId);
  const items: ComplianceItem[] = [];
  for (const id of ids) items.push(...(await deps.compliance.forAccount(id)));
  const verified = deps.ledger ? await deps.ledger.lastVerifiedMany([...new Set(items.map((c) => c.scope))]) : new Map<string, VerifiedScope>();
  return sortFindings(items.map((c) => toFinding(c, verified.get(c.scope))));
}

/** How a finding's cause line starts: its state since the change. */
const STATUS_VERB: Record<Status, string> = { FAIL: 'failing', PASS: 'passing', ERROR: 'in error' };

export function toFinding(c: ComplianceItem, scope?: VerifiedScope): Finding {
  // A real-time rescan of one resource writes no ledger entry; a change it made is newer than the scan.
  // `posture upload` and `posture exceptions` re-evaluate the stored copy and verify nothing: the scan stays the last check.
  const byScan = scope && (c.trigger.startsWith('upload:') || c.trigger.startsWith('exception:') || scope.finishedAt >= c.lastChanged);
  return {
    accountId: c.accountId,
    region: c.region,
    resourceId: c.resourceId,
    resourceType: c.resourceType,
    policyId: c.policyId,
    title: c.title,
    severity: c.severity,
    status: c.status,
    suppressed: c.suppressed,
    suppressedBy: c.suppressedBy ?? null,
    errorMessage: c.errorMessage,
    trigger: c.trigger,
    lastChanged: c.lastChanged,
    provenance: c.provenance ?? null,
    cause: causeText(STATUS_VERB[c.status], c.provenance) ?? null,
    lastVerified: byScan ? scope.finishedAt : c.lastChanged,
    verifiedBy: byScan ? scope.trigger : c.trigger,
    description: c.description ?? null,
    runbook: c.runbook ?? null,
    reference: c.reference ?? null,
  };
}


export interface StaleScope {
  scope: string;
  accountId: string;
  region: string;
  resourceType: string;
  /** The newest OK scan of the scope, or null when it has none in the ledger. */
  lastVerified: string | null;
  verifiedBy: Trigger | null;
}

export const STALE_AFTER_HOURS = 36;

/**
 * Scopes holding findings that no scan verified in the last 36 hours (newest OK ledger entry older,
 * or none). The scopes considered are those of the accounts' stored compliance.
 */
export async function staleScopes(deps: FindingSources, now: Date, accountIds?: readonly string[], hours = STALE_AFTER_HOURS): Promise<StaleScope[]> {
  const ids = accountIds ?? (await deps.accounts.list()).map((a) => a.accountId);
  const scopes = new Set<string>();
  for (const id of ids) for (const c of await deps.compliance.forAccount(id)) scopes.add(c.scope);
  const verified = await deps.ledger.lastVerifiedMany([...scopes]);
  const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
  return [...scopes]
    .sort()
    .filter((s) => !verified.has(s) || verified.get(s)!.finishedAt < cutoff)
    .map((s) => {
      const [accountId = '', region = '', resourceType = ''] = s.split('#');
      const v = verified.get(s);
      return { scope: s, accountId, region, resourceType, lastVerified: v?.finishedAt ?? null, verifiedBy: v?.trigger ?? null };
    });
}

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, ERROR: 1, PASS: 2 };

export function sortFindings(rows: Finding[]): Finding[] {
  return rows.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.accountId.localeCompare(b.accountId) ||
      a.resourceId.localeCompare(b.resourceId) ||
      a.policyId.localeCompare(b.policyId),
  );
}

/** Scopes of a scan that could not be read: reported as not evaluated, never as passing. */
export async function notEvaluated(deps: { ledger: Pick<FindingSources['ledger'], 'forScan'> }, scanId: string): Promise<LedgerEntry[]> {
  return (await deps.ledger.forScan(scanId)).filter((e) => e.outcome !== 'OK');
}
