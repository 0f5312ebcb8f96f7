/** ScanScope: scans a batch of scopes until done or out of time; the state machine loops on `done`. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { z } from 'zod';
import { lambdaDeps } from '#aws/lambda-deps.ts';
import { logger, metrics, tracer } from '#aws/powertools.ts';
import { scanBatch, type ScanBatchOutput } from '#scan/scan-scope.ts';

const scope = z.object({ accountId: z.string().regex(/^\d{12}$/), region: z.string().min(1), resourceType: z.string().min(1) });
const input = z.object({
  scanId: z.string().min(1),
  scopes: z.array(scope),
  cursor: z
    .object({
      index: z.number().int().min(0),
      pageToken: z.string().optional(),
      seenParts: z.number().int().min(0).optional(),
      startedAt: z.string().optional(),
      resourceCount: z.number().optional(),
      changedCount: z.number().optional(),
    })
    .optional(),
});

/** Time kept back for the last page's writes and the return to Step Functions. */
const SAFETY_MS = 90_000;

async function scanScopeHandler(event: unknown, context: Context): Promise<ScanBatchOutput> {
  const parsed = input.safeParse(event);
  if (!parsed.success) throw new Error(`ScanScope input: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { env, scan } = lambdaDeps();
  const deadline = Date.now() + Math.min(env.scanTimeBudgetMs, context.getRemainingTimeInMillis() - SAFETY_MS);
  const out = await scanBatch(scan, parsed.data, { deadline });
  metrics.addMetric('ScopeBatchInvocations', MetricUnit.Count, 1);
  if (!out.done) logger.info('scan batch continues', { scanId: out.scanId, cursor: out.cursor });
  return out;
}

export const handler = middy(scanScopeHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
