/** DispatchAlerts: the Alerts table stream (the outbox) → the SNS topic; each transition once. */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { alertPayload } from '#alerts/alert-payload.ts';
import { alertTransition } from '#alerts/stream.ts';
import { publishAlert } from '#alerts/sns-destination.ts';
import { lambdaDeps } from '#aws/lambda-deps.ts';
import { logger, metrics, tracer } from '#aws/powertools.ts';
import type { AlertItem } from '#store/compliance-store.ts';

const image = (i: Record<string, unknown> | undefined): AlertItem | undefined =>
  i ? (unmarshall(i as Record<string, AttributeValue>) as AlertItem) : undefined;

async function dispatchHandler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { env, clients, scan } = lambdaDeps();
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const alert = alertTransition(record.eventName, image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage));
    if (!alert) continue;
    try {
      await publishAlert(clients.get(SNSClient), env.alertsTopic, await alertPayload(alert, scan.resources));
      metrics.addMetric(alert.status === 'OPEN' ? 'AlertsOpened' : 'AlertsResolved', MetricUnit.Count, 1);
    } catch (err) {
      logger.error('alert delivery failed', { alertKey: alert.alertKey, error: (err as Error).message });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      break; // stream order: later records are retried after this one
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy(dispatchHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
