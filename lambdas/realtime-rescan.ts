/** RealtimeRescan: SQS batches of CloudTrail events → rescans, with partial batch failures. */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { realtimeDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { processRealtimeBatch } from '#events/realtime.ts';

let deps: ReturnType<typeof realtimeDeps> | undefined;

async function realtimeHandler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  deps ??= realtimeDeps();
  deps.idempotency.registerLambdaContext(context);
  const out = await processRealtimeBatch(
    deps,
    event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
  );
  const s = out.stats;
  metrics.addMetric('EventsReceived', MetricUnit.Count, s.received);
  metrics.addMetric('Rescans', MetricUnit.Count, s.rescanned);
  metrics.addMetric('EventsAlreadySeen', MetricUnit.Count, s.alreadySeen);
  metrics.addMetric('EventsCoalesced', MetricUnit.Count, s.coalesced);
  metrics.addMetric('EventsDeferred', MetricUnit.Count, s.deferred);
  metrics.addMetric('EventsDeadLettered', MetricUnit.Count, s.deadLettered);
  metrics.addMetric('EventsDroppedNotOnboarded', MetricUnit.Count, s.dropped.notOnboarded);
  metrics.addMetric('EventsRejected', MetricUnit.Count, s.rejected.accountMismatch + s.rejected.untrustedSource + s.rejected.noTarget);
  metrics.addMetric('EventsRejectedAccountMismatch', MetricUnit.Count, s.rejected.accountMismatch);
  metrics.addMetric('DeletesNotConfirmed', MetricUnit.Count, s.deleteNotConfirmed);
  metrics.addMetric('StaleWritesDropped', MetricUnit.Count, s.stale);
  metrics.addMetric('RescanFailures', MetricUnit.Count, s.failed);
  return { batchItemFailures: out.batchItemFailures };
}

export const handler = middy(realtimeHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
