/** CloudTrailLogs: SQS batches of S3 notifications of trail log files → write events on the realtime queue, with partial batch failures. */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logSourceDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import { processLogNotifications } from '#events/cloudtrail-logs.ts';

let deps: ReturnType<typeof logSourceDeps> | undefined;

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function logFilesHandler(event: SQSEvent): Promise<SQSBatchResponse> {
  deps ??= logSourceDeps();
  const out = await processLogNotifications(
    deps,
    event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
  );
  const s = out.stats;
  metrics.addMetric('LogNotifications', MetricUnit.Count, s.notifications);
  metrics.addMetric('LogFilesRead', MetricUnit.Count, s.files.read);
  metrics.addMetric('LogFilesSkipped', MetricUnit.Count, sum(s.files.skipped));
  metrics.addMetric('LogFilesRejected', MetricUnit.Count, sum(s.files.rejected));
  metrics.addMetric('LogFilesDroppedNotOnboarded', MetricUnit.Count, s.files.dropped.notOnboarded);
  metrics.addMetric('LogFilesDroppedNotThisSource', MetricUnit.Count, s.files.dropped.notThisSource);
  metrics.addMetric('LogRecordsRead', MetricUnit.Count, s.records.read);
  metrics.addMetric('LogEventsForwarded', MetricUnit.Count, s.records.forwarded);
  metrics.addMetric('LogRecordsDropped', MetricUnit.Count, sum(s.records.dropped));
  metrics.addMetric('LogRecordsRejected', MetricUnit.Count, sum(s.records.rejected));
  metrics.addMetric('LogRecordsRejectedAccountMismatch', MetricUnit.Count, s.records.rejected.accountMismatch);
  metrics.addMetric('LogRecordsOversize', MetricUnit.Count, s.records.oversize);
  metrics.addMetric('LogMessagesDeadLettered', MetricUnit.Count, s.deadLettered);
  metrics.addMetric('LogNotificationFailures', MetricUnit.Count, s.failed);
  if (s.records.forwarded > 0) metrics.addMetric('LogDeliveryLagSeconds', MetricUnit.Seconds, s.maxLagSeconds);
  return { batchItemFailures: out.batchItemFailures };
}

export const handler = middy(logFilesHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
