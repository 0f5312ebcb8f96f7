/**
 * The rehearsal's stand-in for Lambda's event source pollers, driven by the template's
 * AWS::Lambda::EventSourceMapping resources: an SQS batch (BatchSize, partial batch failures:
 * only the messages not named in `batchItemFailures` are deleted) and DynamoDB stream records
 * (from the shard's iterator, the function's `batchItemFailures` retried from that record).
 * moto's own delivery (one message at a time, failures ignored) is switched off in the launcher.
 */
import { spawnSync } from 'node:child_process';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { pythonExecutable } from '../../../src/core/paths.ts';
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

/**
 * DynamoDB stream records after `after` (a sequence number per shard), read with botocore: the
 * project's Node dependencies have no DynamoDB Streams client. Records keep the stream's wire
 * shape ({S: ...} attribute values), which is also what Lambda hands a function.
 */
function readStream(endpoint: string, tableName: string, after: Record<string, string>): { shard: string; record: Json }[] {
  const script = `
import boto3, json, sys
args = json.loads(sys.argv[1])
kw = dict(endpoint_url=args["endpoint"], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
arn = boto3.client("dynamodb", **kw).describe_table(TableName=args["table"])["Table"]["LatestStreamArn"]
streams = boto3.client("dynamodbstreams", **kw)
out = []
for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
    sid = shard["ShardId"]
    seq = args["after"].get(sid)
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=sid, **({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": seq} if seq else {"ShardIteratorType": "TRIM_HORIZON"}))["ShardIterator"]
    while it:
        page = streams.get_records(ShardIterator=it, Limit=1000)
        for r in page["Records"]:
            r["eventSourceARN"] = arn
            out.append({"shard": sid, "record": r})
        it = page.get("NextShardIterator") if page["Records"] else None
print(json.dumps(out, default=lambda o: o.timestamp() if hasattr(o, "timestamp") else str(o)))
`;
  const r = spawnSync(pythonExecutable(), ['-c', script, JSON.stringify({ endpoint, table: tableName, after })], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`reading the stream of ${tableName}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { shard: string; record: Json }[];
}

/** A DynamoDB stream poller of one table's mapping: batches of BatchSize, retried from the first failure. */
export class StreamPoller {
  private readonly position: Record<string, string> = {};

  constructor(
    private readonly endpoint: string,
    private readonly fleet: Fleet,
    private readonly deployed: DeployedStack,
    private readonly tableName: string,
  ) {}

  async poll(): Promise<{ delivered: number; failed: number }> {
    const mapping = eventSourceMappings(this.deployed).find((m) => m.eventSourceArn === `table:${this.tableName}`);
    if (!mapping) throw new Error(`no event source mapping reads the stream of ${this.tableName}`);
    const records = readStream(this.endpoint, this.tableName, this.position);
    let delivered = 0;
    let failed = 0;
    for (let i = 0; i < records.length; i += mapping.batchSize) {
      const batch = records.slice(i, i + mapping.batchSize);
      const out = (await this.fleet.invoke(mapping.functionName, { Records: batch.map((b) => b.record) })) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
      const firstFailure = (out?.batchItemFailures ?? [])[0]?.itemIdentifier;
      for (const b of batch) {
        const seq = (b.record.dynamodb as { SequenceNumber: string }).SequenceNumber;
        if (firstFailure && seq === firstFailure) {
          failed++;
          return { delivered, failed }; // retried from here on the next poll
        }
        this.position[b.shard] = seq;
        delivered++;
      }
    }
    return { delivered, failed };
  }
}
