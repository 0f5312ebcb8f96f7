/**
 * The deployed handler path of the log-file source: lambdas/cloudtrail-logs.ts invoked with an SQS
 * event of S3 notifications, its ports built by logSourceDeps() from the Lambda environment (the
 * contract plus LOG_SOURCE_ENV), every AWS call going to moto (AWS_ENDPOINT_URL). A log file's
 * write event reaches the realtime queue; a notification whose object is missing is handed back.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOG_SOURCE_ENV } from '../../../lambdas/runtime/env.ts';
import { parseAccount } from '../../../src/accounts/account.ts';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { parseMessage } from '../../../src/events/envelope.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { setLambdaEnvironment } from '../../helpers/lambda-env.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

let clients: AwsClients;
let infra: LocalInfra;
let bucket: string;
const member = randomAccountId();
let handler: (event: SQSEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const saved = { ...process.env };

/** A Lambda context (not an AWS service): only what the middlewares read. */
const context = { functionName: 'posture-cloudtrail-logs', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:posture-cloudtrail-logs', memoryLimitInMB: '1024', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 300_000 } as unknown as Context;

const key = `AWSLogs/${member}/CloudTrail/us-east-1/2026/12/05/${member}_CloudTrail_us-east-1_20261205T1305Z_h4nDl3r.json.gz`;
const notification = (messageId: string, objectKey: string): SQSRecord =>
  ({ messageId, body: JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: objectKey } } }] }) }) as SQSRecord;

beforeAll(async () => {
  const accountId = randomAccountId();
  clients = await accountClients(accountId);
  infra = await bootstrapLocal(clients, accountId, 'ctl');
  bucket = `trail-${accountId}`;
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
  await new AccountStore(documentClient(clients), infra.tables.Accounts).put(parseAccount({ accountId: member, name: 'member', externalId: 'ext-123', cloudtrailBucket: bucket }));
  const record = {
    eventVersion: '1.10', eventID: 'handler-event-1', eventTime: '2026-12-05T13:01:02Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
    awsRegion: 'us-east-1', recipientAccountId: member, sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.22.0',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${member}:assumed-role/Admin/deploy-pipeline`, accountId: member },
    requestParameters: { groupId: 'sg-0123456789abcdef0' }, responseElements: { _return: true }, readOnly: false, eventType: 'AwsApiCall',
  };
  await clients.get(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: [record] })) }));
  await setLambdaEnvironment(infra, accountId);
  Object.assign(process.env, { [LOG_SOURCE_ENV.realtimeQueueUrl]: infra.queues.realtime, [LOG_SOURCE_ENV.deadLetterQueueUrl]: infra.queues.cloudtrailLogsDlq, [LOG_SOURCE_ENV.buckets]: `other-trail,${bucket}` });
  ({ handler } = (await import('../../../lambdas/cloudtrail-logs.ts')) as unknown as { handler: typeof handler });
}, 60_000);

afterAll(() => {
  process.env = saved;
});

describe('lambdas/cloudtrail-logs.ts', () => {
  it('forwards the log file\'s write event to the realtime queue and hands back the notification of a missing object', async () => {
    const out = await handler({ Records: [notification('m-1', key), notification('m-2', key.replace('h4nDl3r', 'missing'))] }, context);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    const r = await clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: infra.queues.realtime, MaxNumberOfMessages: 10 }));
    expect(r.Messages).toHaveLength(1);
    const { event } = parseMessage(r.Messages![0]!.Body!);
    expect(event).toMatchObject({ account: member, region: 'us-east-1', via: { source: 'cloudtrail-s3', bucket, key }, detail: { eventID: 'handler-event-1', sourceIPAddress: '203.0.113.7' } });
  });
});
