/**
 * A scan, summarized from its ledger entries: scopes OK and not evaluated, grouped by outcome with
 * their reasons. What `posture status`, `posture accounts verify` and the console's overview show.
 */
import type { ScopeOutcome } from '#core/errors.ts';
import type { LedgerEntry } from '#core/ledger.ts';

/** What the summary reads of the scan ledger (LedgerStore implements it). */
export interface ScanLedger {
  lastScheduledScan(accountId?: string): Promise<{ scanId: string; finishedAt: string } | undefined>;
  forScanOf(scanId: string, accountId?: string): Promise<LedgerEntry[]>;
}

export interface NotEvaluatedGroup {
  outcome: Exclude<ScopeOutcome, 'OK'>;
  count: number;
  scopes: { scope: string; message: string | null }[];
}

export interface ScanSummary {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  scopes: number;
  ok: number;
  notEvaluated: number;
  byOutcome: NotEvaluatedGroup[];
}

/** The newest scheduled scan (of one account, if given), summarized from its ledger entries. */
export async function lastScanSummary(ledger: ScanLedger, accountId?: string): Promise<ScanSummary | null> {
  const last = await ledger.lastScheduledScan(accountId);
  if (!last) return null;
  return summarizeScan(last.scanId, await ledger.forScanOf(last.scanId, accountId));
}

export function summarizeScan(scanId: string, entries: readonly LedgerEntry[]): ScanSummary {
  const groups = new Map<NotEvaluatedGroup['outcome'], NotEvaluatedGroup>();
  let ok = 0;
  for (const e of [...entries].sort((a, b) => a.scope.localeCompare(b.scope))) {
    if (e.outcome === 'OK') {
      ok++;
      continue;
    }
    const outcome = e.outcome;
    const g = groups.get(outcome) ?? { outcome, count: 0, scopes: [] };
    g.count++;
    g.scopes.push({ scope: e.scope, message: e.message });
    groups.set(outcome, g);
  }
  const times = entries.map((e) => [e.startedAt, e.finishedAt] as const);
  return {
    scanId,
    startedAt: times.map(([s]) => s).sort()[0] ?? '',
    finishedAt: times.map(([, f]) => f).sort().at(-1) ?? '',
    scopes: entries.length,
    ok,
    notEvaluated: entries.length - ok,
    byOutcome: [...groups.values()].sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome)),
  };
}
