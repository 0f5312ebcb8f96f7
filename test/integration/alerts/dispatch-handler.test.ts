/**
 * The deployed handler path: lambdas/dispatch-alerts.ts invoked with an Alerts-table stream event,
 * its ports built by lambdaDeps() from the Lambda environment, every AWS call going to moto
 * (AWS_ENDPOINT_URL). A destination's failure is parked on the delivery DLQ and does not fail the
 * record; a record that starts too close to the timeout is handed back untouched.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { addDestination } from '../../../src/alerts/destination-admin.ts';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import type { DeliveryDeadLetter } from '../../../src/alerts/dispatcher.ts';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import type { AlertItem } from '../../../src/compliance/model.ts';
import { DestinationStore } from '../../../src/store/destination-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';
import { setLambdaEnvironment } from '../../helpers/lambda-env.ts';

const bodies: { path: string; body: string }[] = [];
let server: Server;
let clients: AwsClients;
let infra: LocalInfra;
let topicQueue: string;
let handler: (event: DynamoDBStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** A Lambda context (not an AWS service): only what the middlewares and the handler read. */
const context = (remainingMs: number): Context =>
  ({
    functionName: 'posture-dispatch-alerts',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:posture-dispatch-alerts',
    memoryLimitInMB: '512',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

const alert = (n: number, extra: Partial<AlertItem> = {}): AlertItem => ({
  alertKey: `AWS.EC2.SecurityGroup.SSHOpenToWorld#sg-${n}`,
  openedAt: `2026-03-01T10:00:0${n}.000Z#sg-${n}`,
  status: 'OPEN',
  policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld',
  resourceId: `sg-${n}`,
  resourceType: 'AWS.EC2.SecurityGroup',
  accountId: '123456789012',
  region: 'us-east-1',
  severity: 'High',
  title: 'SSH open to the world',
  trigger: 'realtime:AuthorizeSecurityGroupIngress',
  dedup: null,
  description: 'Port 22 is open to 0.0.0.0/0.',
  runbook: 'Remove the rule.',
  reference: null,
  destinations: ['ops-hook', 'default-topic'],
  ...extra,
});

const image = (a: AlertItem) => marshall(a, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
const record = (seq: string, eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newImage?: AlertItem, oldImage?: AlertItem): DynamoDBRecord => ({
  eventName,
  dynamodb: { SequenceNumber: seq, NewImage: newImage && image(newImage), OldImage: oldImage && image(oldImage) } as DynamoDBRecord['dynamodb'],
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '/', body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const accountId = randomAccountId();
  clients = await accountClients(accountId);
  infra = await bootstrapLocal(clients, accountId, 'dsp');
  const store = new DestinationStore(documentClient(clients), infra.tables.Destinations);
  // Loopback http is allowed at config time here; the deployed dispatcher must refuse it (below).
  const admin = { store, secrets: clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: true };
  await addDestination({ destinationId: 'ops-hook', type: 'webhook', minSeverity: 'Info', default: false, url: `${base}/ops`, signingKey: 's'.repeat(32) }, admin);
  const sqs = clients.get(SQSClient);
  topicQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'dsp-topic-tap' }))).QueueUrl!;
  const tapArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: topicQueue, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await clients.get(SNSClient).send(new SubscribeCommand({ TopicArn: infra.topicArn, Protocol: 'sqs', Endpoint: tapArn }));

  // The Lambda environment, as the CDK contract sets it; the SDK reaches moto through AWS_ENDPOINT_URL.
  await setLambdaEnvironment(infra, accountId);
  ({ handler } = (await import('../../../lambdas/dispatch-alerts.ts')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

async function drain(url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const r = await clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => m.Body!));
  }
}

const dlq = async () => (await drain(infra.queues.alertDelivery)).map((b) => JSON.parse(b) as DeliveryDeadLetter);
const topicAlerts = async () => (await drain(topicQueue)).map((b) => JSON.parse((JSON.parse(b) as { Message: string }).Message) as AlertPayload);

describe('dispatch-alerts handler', () => {
  it('delivers each transition once, parks a failing destination, and fails no record for it', async () => {
    const opened = alert(1);
    const resolved = { ...opened, status: 'RESOLVED' as const, resolvedAt: '2026-03-02T00:00:00.000Z', resolvedBy: 'scheduled' };
    const event: DynamoDBStreamEvent = {
      Records: [
        record('1', 'INSERT', opened),
        record('2', 'MODIFY', resolved, opened),
        record('3', 'MODIFY', { ...resolved, resolvedBy: 'deleted' }, resolved), // not a transition
        record('4', 'REMOVE', undefined, opened),
      ],
    };
    const out = await handler(event, context(300_000));
    expect(out).toEqual({ batchItemFailures: [] });
    // The topic got the opening and the resolution, once each.
    expect((await topicAlerts()).map((p) => [p.alertKey, p.kind])).toEqual([
      [opened.alertKey, 'opened'],
      [opened.alertKey, 'resolved'],
    ]);
    // Deployed, plain http to loopback is refused (in Lambda it would reach the runtime API): parked, never sent.
    const parked = await dlq();
    expect(parked.map((m) => [m.destinationId, m.alert.status, m.attempts])).toEqual([
      ['ops-hook', 'OPEN', 0],
      ['ops-hook', 'RESOLVED', 0],
    ]);
    expect(parked[0]!.reason).toContain('only allowed for a local runtime');
    expect(bodies).toHaveLength(0);
  });

  it('hands a record back untouched when too little time is left', async () => {
    const out = await handler({ Records: [record('9', 'INSERT', alert(9))] }, context(60_000));
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '9' }] });
    expect(await topicAlerts()).toEqual([]);
    expect(await dlq()).toEqual([]);
  });
});
