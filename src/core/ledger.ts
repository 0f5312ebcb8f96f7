/**
 * The scan ledger's record (DESIGN §2): one entry per scope per scan — when it ran, what it read,
 * changed and deleted, and its outcome — so a scope that could not be read is reported as not
 * evaluated, never as passing. Read by the scan, findings, status, cost, the report and the daily
 * compliance summary (src/compliance/daily-summary.ts) alike;
 * src/store/ledger-store.ts keeps it in DynamoDB.
 */
import type { ScopeOutcome } from './errors.ts';
import type { Trigger } from './types.ts';
import type { Usage } from './usage.ts';

export interface LedgerEntry {
  scanId: string;
  /** `account#region#type` */
  scope: string;
  accountId: string;
  region: string;
  resourceType: string;
  startedAt: string;
  finishedAt: string;
  resourceCount: number;
  changedCount: number;
  deletedCount: number;
  /** Writes dropped because the store already held a newer observation (a real-time rescan won). */
  staleCount?: number;
  outcome: ScopeOutcome;
  message: string | null;
  /** What ran the scan of this scope: the schedule, or a CloudTrail event (region/account rescans). */
  trigger?: Trigger;
  /** What scanning the scope used (absent on entries written before it was recorded). */
  usage?: Usage;
}

/** When a scope was last read completely (an OK entry), and by what. */
export interface VerifiedScope {
  scope: string;
  finishedAt: string;
  trigger: Trigger;
}

/**
 * A region the account has not opted into, recorded once for the whole region (type `*`): a
 * deliberate account setting, not a gap, so it is never counted as not evaluated.
 */
export const isDisabledRegion = (e: Pick<LedgerEntry, 'outcome' | 'resourceType'>): boolean => e.outcome === 'REGION_DISABLED' && e.resourceType === '*';
