/**
 * The rehearsal's stand-in for Lambda's event source pollers, driven by the template's
 * AWS::Lambda::EventSourceMapping resources: an SQS batch (BatchSize, partial batch failures:
 * only the messages not named in `batchItemFailures` are deleted) and DynamoDB stream records
 * (from the shard's iterator, the function's `batchItemFailures` retried from that record).
 * moto's own delivery (one message at a time, failures ignored) is switched off in the launcher.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { resourcesOfType, type DeployedStack, type Json } from './deploy.ts';
import type { Fleet } from './fleet.ts';

interface Mapping {
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
}

/** The template's event source mappings, resolved against the deployed stack. */
export function eventSourceMappings(deployed: DeployedStack): Mapping[] {
  return resourcesOfType(deployed.template, 'AWS::Lambda::EventSourceMapping').map((id) => {
    const p = deployed.template.Resources[id]!.Properties as Json & {
      FunctionName: { Ref: string };
      EventSourceArn: { 'Fn::GetAtt': [string, string] };
      BatchSize?: number;
      FunctionResponseTypes?: string[];
    };
    const [logicalId, attr] = p.EventSourceArn['Fn::GetAtt'];
    const physical = deployed.physical[logicalId]!;
    const type = deployed.template.Resources[logicalId]!.Type;
    let arn: string;
    if (type === 'AWS::SQS::Queue' && attr === 'Arn') arn = `arn:aws:sqs:us-east-1:${physical.split('/')[3]}:${physical.split('/').pop()}`;
    else if (type === 'AWS::DynamoDB::Table' && attr === 'StreamArn') arn = `table:${physical}`;
    else throw new Error(`event source ${logicalId}.${attr}: not rehearsed`);
    return {
      functionName: deployed.physical[p.FunctionName.Ref]!,
      eventSourceArn: arn,
      batchSize: p.BatchSize ?? 10,
      reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    };
  });
}

export interface SqsPollOutcome {
  delivered: Message[];
  failed: string[];
}

/** One poll of one queue's mapping: receive a batch, invoke, delete what succeeded. */
export async function pollQueue(clients: AwsClients, fleet: Fleet, deployed: DeployedStack, queueUrl: string): Promise<SqsPollOutcome> {
  const queueName = queueUrl.split('/').pop()!;
  const mapping = eventSourceMappings(deployed).find((m) => m.eventSourceArn.endsWith(`:${queueName}`));
  if (!mapping) throw new Error(`no event source mapping reads ${queueUrl}`);
  const sqs = clients.get(SQSClient);
  const received = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: mapping.batchSize, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return { delivered: [], failed: [] };
  const event = {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType, stringListValues: [], binaryListValues: [] }]),
      ),
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: mapping.eventSourceArn,
      awsRegion: clients.region,
    })),
  };
  let failed: string[];
  try {
    const out = (await fleet.invoke(mapping.functionName, event)) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
    failed = mapping.reportBatchItemFailures ? (out?.batchItemFailures ?? []).map((f) => f.itemIdentifier) : [];
  } catch {
    failed = messages.map((m) => m.MessageId!); // the whole batch comes back after its visibility timeout
  }
  const done = messages.filter((m) => !failed.includes(m.MessageId!));
  if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  return { delivered: messages, failed };
}
