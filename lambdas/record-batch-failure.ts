/**
 * RecordBatchFailure: the Catch of a DailyScan batch whose ScanScope failed after its retries.
 * Records ERROR ledger entries for the batch's scopes that have none in this scan; the child
 * execution then fails, so the map run counts it and the execution ends FAILED.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { lambdaDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { recordBatchFailure, type BatchFailureOutcome } from '#scan/batch-failure.ts';
import { batchFailureInputSchema } from '#scan/batch-contract.ts';


async function recordBatchFailureHandler(event: unknown): Promise<BatchFailureOutcome> {
  const parsed = batchFailureInputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`RecordBatchFailure input: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { scan } = lambdaDeps();
  const out = await recordBatchFailure({ ledger: scan.ledger, clock: scan.clock }, parsed.data);
  metrics.addMetric('ScanBatchesFailed', MetricUnit.Count, 1);
  metrics.addMetric('ScopesNotEvaluatedByBatchFailure', MetricUnit.Count, out.recorded);
  logger.error('scan batch failed after its retries; its scopes are recorded as ERROR', { scanId: out.scanId, recorded: out.recorded, kept: out.kept, cause: out.message });
  return out;
}

export const handler = middy(recordBatchFailureHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
