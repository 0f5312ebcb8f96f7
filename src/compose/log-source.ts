/**
 * The ports of the CloudTrail log-file source (src/events/cloudtrail-logs.ts) on real AWS APIs:
 * S3 GetObject streams the log file, SQS SendMessageBatch forwards to the realtime queue, and the
 * source's DLQ takes what cannot be processed. The Lambda (lambdas/cloudtrail-logs.ts) and the
 * local runtime build them here and differ only in the names they pass.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '#aws/clients.ts';
import { systemClock } from '#core/types.ts';
import type { LogSourceDeps } from '#events/cloudtrail-logs.ts';
import type { AnyResourceType } from '#resources/index.ts';
import type { Log } from '#scan/deps.ts';
import { AccountStore } from '#store/account-store.ts';
import { documentClient } from '#store/dynamo.ts';

export interface LogSourceInfrastructure {
  clients: AwsClients;
  accountsTable: string;
  /** The queue RealtimeRescan consumes. */
  realtimeQueueUrl: string;
  /** The log source's own dead-letter queue. */
  deadLetterQueueUrl: string;
  buckets: readonly string[];
  log: Log;
  registry?: readonly AnyResourceType[];
}

export function composeLogSource(infra: LogSourceInfrastructure): LogSourceDeps {
  const s3 = infra.clients.get(S3Client);
  const sqs = infra.clients.get(SQSClient);
  return {
    objects: {
      async read(bucket, key) {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!r.Body) throw new Error(`s3://${bucket}/${key}: GetObject returned no body`);
        return r.Body as AsyncIterable<Uint8Array>;
      },
    },
    realtime: {
      async sendBatch(bodies) {
        const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: infra.realtimeQueueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));
        const failed = r.Failed ?? [];
        if (failed.length) throw new Error(`realtime queue refused ${failed.length} of ${bodies.length} message(s): ${failed[0]!.Code ?? '?'}: ${failed[0]!.Message ?? ''}`);
      },
    },
    async deadLetter(body, reason) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: infra.deadLetterQueueUrl, MessageBody: body, MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } } }),
      );
    },
    accounts: new AccountStore(documentClient(infra.clients), infra.accountsTable),
    buckets: infra.buckets,
    ...(infra.registry ? { registry: infra.registry } : {}),
    log: infra.log,
    clock: systemClock,
  };
}
