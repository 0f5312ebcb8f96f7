/**
 * Creates the security account's infrastructure on the emulator — the same tables (from TABLES),
 * scan bucket, alerts topic, central event bus with its CloudTrail rule, and realtime queues the
 * CDK stack deploys — so the local runtime runs the deployed code paths, not look-alikes.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '#aws/clients.ts';
import { CENTRAL_BUS_NAME, CENTRAL_EVENT_PATTERN } from '#events/envelope.ts';
import { TABLES, type TableDef, type TableId, type TableNames } from '#store/tables.ts';

export const LOCAL_PREFIX = 'posture';

export interface LocalInfra {
  tables: TableNames;
  bucket: string;
  topicArn: string;
  busName: string;
  queues: { realtime: string; delay: string; deadLetter: string; alertDelivery: string; cloudtrailLogs: string; cloudtrailLogsDlq: string };
}

function createTableInput(name: string, def: TableDef): CreateTableCommandInput {
  const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter((k) => k !== undefined);
  const attrs = [...new Map(keys.map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }])).values()];
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attrs,
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    GlobalSecondaryIndexes: def.indexes.length
      ? def.indexes.map((i) => ({
          IndexName: i.indexName,
          KeySchema: keySchema(i.partitionKey, i.sortKey),
          Projection: i.include ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: i.include } : { ProjectionType: 'ALL' as const },
        }))
      : undefined,
    StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
  };
}

/** The local runtime's table names (also what `--endpoint` targets read). */
export function localTableNames(prefix = LOCAL_PREFIX): TableNames {
  return Object.fromEntries((Object.keys(TABLES) as TableId[]).map((id) => [id, `${prefix}-${id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`])) as TableNames;
}

export const localBucketName = (accountId: string, prefix = LOCAL_PREFIX): string => `${prefix}-scans-${accountId}`;

export async function ensureTables(clients: AwsClients, prefix = LOCAL_PREFIX): Promise<TableNames> {
  const ddb = clients.get(DynamoDBClient);
  const names = localTableNames(prefix);
  await Promise.all(
    (Object.keys(TABLES) as TableId[]).map(async (id) => {
      const name = names[id];
      try {
        await ddb.send(new CreateTableCommand(createTableInput(name, TABLES[id])));
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err;
        await ddb.send(new DescribeTableCommand({ TableName: name }));
      }
    }),
  );
  return names;
}

export async function bootstrapLocal(clients: AwsClients, accountId: string, prefix = LOCAL_PREFIX): Promise<LocalInfra> {
  const tables = await ensureTables(clients, prefix);
  const bucket = localBucketName(accountId, prefix);
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
    if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
  });
  const topic = await clients.get(SNSClient).send(new CreateTopicCommand({ Name: `${prefix}-alerts` }));

  const sqs = clients.get(SQSClient);
  const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  // The CloudTrail log-file source's queue (S3 notifications of trail buckets) and its DLQ.
  const [realtime, delay, deadLetter, alertDelivery, cloudtrailLogs, cloudtrailLogsDlq] = await Promise.all([
    queue(`${prefix}-realtime`),
    queue(`${prefix}-realtime-delay`),
    queue(`${prefix}-realtime-dlq`),
    queue(`${prefix}-alert-delivery-dlq`),
    queue(`${prefix}-cloudtrail-logs`),
    queue(`${prefix}-cloudtrail-logs-dlq`),
  ]);
  const realtimeArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: realtime, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;

  const events = clients.get(EventBridgeClient);
  await events.send(new CreateEventBusCommand({ Name: CENTRAL_BUS_NAME })).catch((err: Error) => {
    if (err.name !== 'ResourceAlreadyExistsException') throw err;
  });
  await events.send(
    new PutRuleCommand({ Name: `${prefix}-cloudtrail`, EventBusName: CENTRAL_BUS_NAME, EventPattern: JSON.stringify(CENTRAL_EVENT_PATTERN) }),
  );
  await events.send(new PutTargetsCommand({ Rule: `${prefix}-cloudtrail`, EventBusName: CENTRAL_BUS_NAME, Targets: [{ Id: 'realtime', Arn: realtimeArn }] }));
  return { tables, bucket, topicArn: topic.TopicArn!, busName: CENTRAL_BUS_NAME, queues: { realtime, delay, deadLetter, alertDelivery, cloudtrailLogs, cloudtrailLogsDlq } };
}
