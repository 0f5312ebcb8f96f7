/** ScanScope: scans a batch of scopes until done or out of time; the state machine loops on `done`. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { lambdaDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { scanBatch, type ScanBatchOutput } from '#scan/scan-scope.ts';
import { scanBatchInputSchema } from '#scan/batch-contract.ts';

/** Time kept back for the last page's writes and the return to Step Functions. */
const SAFETY_MS = 90_000;

async function scanScopeHandler(event: unknown, context: Context): Promise<ScanBatchOutput> {
  const parsed = scanBatchInputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`ScanScope input: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { env, scan } = lambdaDeps();
  const deadline = Date.now() + Math.min(env.scanTimeBudgetMs, context.getRemainingTimeInMillis() - SAFETY_MS);
  const out = await scanBatch(scan, parsed.data, { deadline });
  metrics.addMetric('ScopeBatchInvocations', MetricUnit.Count, 1);
  if (!out.done) logger.info('scan batch continues', { scanId: out.scanId, cursor: out.cursor });
  return out;
}

export const handler = middy(scanScopeHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
