/**
 * DispatchAlerts: the Alerts table stream (the outbox) → each transition's destinations, once.
 * Per-destination failures are parked on the delivery DLQ by the dispatcher and do not fail the
 * record; a record fails (and the stream retries from it) only when nothing was delivered for it
 * yet or its failure could not be parked.
 */
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { alertPayload } from '#alerts/alert-payload.ts';
import { alertTransition } from '#alerts/stream.ts';
import { alertDispatcher, lambdaDeps } from '#lambda-runtime/deps.ts';
import { logger, metrics, tracer } from '#lambda-runtime/powertools.ts';
import type { AlertItem } from '#compliance/model.ts';

/** A record may take ~100 s (retries with backoff); none starts without this much time left. */
const RESERVE_MS = 120_000;

const image = (i: Record<string, unknown> | undefined): AlertItem | undefined =>
  i ? (unmarshall(i as Record<string, AttributeValue>) as AlertItem) : undefined;

async function dispatchHandler(event: DynamoDBStreamEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> {
  const { scan } = lambdaDeps();
  const dispatcher = alertDispatcher();
  for (const record of event.Records) {
    const alert = alertTransition(record.eventName, image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage));
    if (!alert) continue;
    const retryFromHere = { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    // Out of time: hand the rest back untouched rather than time out half-way through a record.
    if (context.getRemainingTimeInMillis() < RESERVE_MS) return retryFromHere;
    try {
      const report = await dispatcher.dispatch(alert, await alertPayload(alert, scan.resources));
      metrics.addMetric(alert.status === 'OPEN' ? 'AlertsOpened' : 'AlertsResolved', MetricUnit.Count, 1);
      const delivered = report.outcomes.filter((o) => o.status === 'delivered').length;
      if (delivered) metrics.addMetric('AlertDeliveries', MetricUnit.Count, delivered);
      if (report.outcomes.length > delivered) metrics.addMetric('AlertDeliveriesDeadLettered', MetricUnit.Count, report.outcomes.length - delivered);
      if (report.unknown.length) metrics.addMetric('AlertUnknownDestinations', MetricUnit.Count, report.unknown.length);
    } catch (err) {
      logger.error('alert dispatch failed; the stream retries from this record', { alertKey: alert.alertKey, error: (err as Error).message });
      return retryFromHere; // stream order: later records are retried after this one
    }
  }
  return { batchItemFailures: [] };
}

export const handler = middy(dispatchHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
