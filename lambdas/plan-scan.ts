/** PlanScan: writes the scan's scopes to S3 (never into the state payload) and returns where. */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { lambdaDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { planToBucket } from '#scan/plan.ts';
import { planScanInputSchema, type PlanScanOutput } from '#scan/batch-contract.ts';


async function planScanHandler(event: unknown): Promise<PlanScanOutput> {
  const parsed = planScanInputSchema.safeParse(event ?? {});
  if (!parsed.success) throw new Error(`PlanScan input: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { scan } = lambdaDeps();
  const scanId = `${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const out = await planToBucket(scan, scanId, parsed.data.accountIds);
  metrics.addMetric('ScopesPlanned', MetricUnit.Count, out.scopeCount);
  logger.info('scan planned', { scanId, scopes: out.scopeCount });
  return out;
}

export const handler = middy(planScanHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
