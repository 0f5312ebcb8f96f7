/**
 * A DailyScan batch that failed after its retries (DESIGN §4: "failed scopes are retried with
 * backoff, then recorded in the ledger"). The Distributed Map's child execution catches the
 * ScanScope failure and calls this (lambdas/record-batch-failure.ts): every scope of the batch
 * that has no ledger entry in this scan yet gets an ERROR entry carrying the failure's cause, so
 * it shows as not evaluated and its old PASS results are not trusted. Scopes the batch finished
 * before it failed keep their own entry (OK or not).
 */
import { type Clock, scopeKey } from '#core/types.ts';
import type { BatchFailureInput } from './batch-contract.ts';
import type { LedgerStore } from '#store/ledger-store.ts';

/** What Step Functions puts in a Catch's ResultPath: the error name and its cause. */
export type TaskFailure = BatchFailureInput['failure'];

export interface BatchFailureOutcome {
  scanId: string;
  /** Scopes given an ERROR entry now. */
  recorded: number;
  /** Scopes that already had an entry in this scan (kept). */
  kept: number;
  message: string;
}

/** Longest message kept in a ledger entry. */
const MAX_MESSAGE = 1000;

/**
 * One line from a Step Functions failure: `Error: errorType: errorMessage` when the cause is a
 * Lambda error document (`{"errorType","errorMessage","trace"}`), else `Error: cause`.
 */
export function failureMessage(failure: TaskFailure): string {
  const error = failure.Error || 'States.TaskFailed';
  let cause = (failure.Cause ?? '').trim();
  try {
    const doc = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (doc && typeof doc === 'object' && typeof doc.errorMessage === 'string') {
      cause = typeof doc.errorType === 'string' && doc.errorType !== error ? `${doc.errorType}: ${doc.errorMessage}` : doc.errorMessage;
    }
  } catch {
    // Not JSON: the cause as Step Functions gave it.
  }
  const line = `${error}${cause ? `: ${cause.split('\n')[0]}` : ''}`;
  return `scan batch failed after its retries: ${line}`.slice(0, MAX_MESSAGE);
}

export async function recordBatchFailure(ports: { ledger: Pick<LedgerStore, 'recordIfAbsent'>; clock: Clock }, input: BatchFailureInput): Promise<BatchFailureOutcome> {
  const message = failureMessage(input.failure);
  const now = ports.clock.now().toISOString();
  let recorded = 0;
  for (const scope of input.scopes) {
    const wrote = await ports.ledger.recordIfAbsent({
      scanId: input.scanId,
      scope: scopeKey(scope),
      accountId: scope.accountId,
      region: scope.region,
      resourceType: scope.resourceType,
      startedAt: now,
      finishedAt: now,
      resourceCount: 0,
      changedCount: 0,
      deletedCount: 0,
      outcome: 'ERROR',
      message,
      trigger: 'scheduled',
    });
    if (wrote) recorded++;
  }
  return { scanId: input.scanId, recorded, kept: input.scopes.length - recorded, message };
}
