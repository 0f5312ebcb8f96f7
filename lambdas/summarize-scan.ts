/**
 * SummarizeScan: the last step of a DailyScan execution. Writes the day's compliance summary of
 * the scanned accounts (src/scan/daily-summary.ts) — the day of the execution's start, so a retry
 * or a run past midnight rewrites the same day — whether or not some batches failed (their scopes
 * are ERROR in the ledger and count as not evaluated).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { dayOf } from '#compliance/daily-summary.ts';
import { summaryDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { recordDailySummary, summarizeScanInputSchema, type DailySummaryOutcome } from '#scan/daily-summary.ts';

async function summarizeScanHandler(event: unknown): Promise<DailySummaryOutcome & { scanId: string }> {
  const parsed = summarizeScanInputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`SummarizeScan input: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { scanId, startedAt, input } = parsed.data;
  const out = await recordDailySummary(summaryDeps(), dayOf(startedAt), input?.accountIds);
  metrics.addMetric('SummaryRowsWritten', MetricUnit.Count, out.rows);
  logger.info('daily summary written', { scanId, ...out });
  return { scanId, ...out };
}

export const handler = middy(summarizeScanHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
