/**
 * The end of a scheduled scan: today's compliance summary of the scanned accounts (their current
 * compliance and the scopes the ledger reports as not evaluated now), written over any earlier
 * summary of the same day. Run by the DailyScan's SummarizeScan step and by the local runtime
 * after each scan; real-time rescans never write it.
 */
import { z } from 'zod';
import { mapLimit } from '#core/errors.ts';
import { summarize, summaryItem, type SummaryRow } from '#compliance/daily-summary.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import type { SummaryStore } from '#store/summary-store.ts';
import type { AccountStore } from '#store/account-store.ts';

/** SummarizeScan's input: the execution's start (its day is the summary's) and input (the accounts a baseline scan named). */
export const summarizeScanInputSchema = z.object({
  scanId: z.string().min(1),
  startedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO time'),
  input: z.object({ accountIds: z.array(z.string().regex(/^\d{12}$/)).optional() }).passthrough().nullish(),
});
export type SummarizeScanInput = z.infer<typeof summarizeScanInputSchema>;

const ACCOUNT_CONCURRENCY = 8;

export interface DailySummaryDeps {
  accounts: Pick<AccountStore, 'list'>;
  compliance: Pick<ComplianceStore, 'forAccount'>;
  ledger: Pick<LedgerStore, 'currentlyNotEvaluated'>;
  summaries: Pick<SummaryStore, 'replaceDay'>;
}

export interface DailySummaryOutcome {
  day: string;
  accounts: number;
  rows: number;
  deleted: number;
}

/** Summarises `day` for the scan's accounts: the enabled ones, or those of `accountIds` (as PlanScan chose them). */
export async function recordDailySummary(deps: DailySummaryDeps, day: string, accountIds?: readonly string[]): Promise<DailySummaryOutcome> {
  const ids = (await deps.accounts.list()).filter((a) => a.enabled && (!accountIds || accountIds.includes(a.accountId))).map((a) => a.accountId);
  const rows: SummaryRow[] = [];
  if (ids.length) {
    const compliance = (await mapLimit(ids, ACCOUNT_CONCURRENCY, async (id) => (await deps.compliance.forAccount(id)).map(summaryItem))).flat();
    rows.push(...summarize({ day, compliance, notEvaluated: await deps.ledger.currentlyNotEvaluated(ids) }));
  }
  const { written, deleted } = await deps.summaries.replaceDay(day, ids, rows);
  return { day, accounts: ids.length, rows: written, deleted };
}
