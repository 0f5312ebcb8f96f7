/**
 * Alert destinations end to end on moto (DynamoDB, Secrets Manager, SQS, SNS) with a real local
 * HTTP receiver: routing (defaults, OutputIds, unknown IDs, minimum severity), the Slack message,
 * the webhook's HMAC signature checked independently, retries, the delivery DLQ, and the cause
 * (the CloudTrail caller the compliance store recorded) in every destination's body.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { alertPayload, type AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { addDestination, removeDestination, type AddDestinationInput } from '../../../src/alerts/destination-admin.ts';
import { DestinationError, secretName, validateDeliveryUrl } from '../../../src/alerts/destination-config.ts';
import { SecretCache } from '../../../src/alerts/destination-secrets.ts';
import { DestinationSender } from '../../../src/alerts/destination-sender.ts';
import { sendDeliveryDeadLetter } from '../../../src/alerts/delivery-dlq.ts';
import { AlertDispatcher, type DeliveryDeadLetter } from '../../../src/alerts/dispatcher.ts';
import type { AwsClients } from '../../../src/aws/clients.ts';
import type { Clock, PolicyResult } from '../../../src/core/types.ts';
import { bootstrapLocal, type LocalInfra } from '../../../src/local/bootstrap.ts';
import type { Resource } from '../../../src/core/resource.ts';
import type { Log } from '../../../src/scan/deps.ts';
import { S3BlobStore } from '../../../src/store/blob-store.ts';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { type AlertItem } from '../../../src/compliance/model.ts';
import { DestinationStore } from '../../../src/store/destination-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ResourceStore } from '../../../src/store/resource-store.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';
import { serializeTransactWrites } from '../../../src/local/serialized-transactions.ts';
import { consoleActor, pipelineActor } from '../../helpers/provenance.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** The receiver: each path answers with its queued statuses (then 200), and records every request. */
const received: Received[] = [];
const plans = new Map<string, { status: number; retryAfter?: string }[]>();
let server: Server;
let base: string;

let clients: AwsClients;
let infra: LocalInfra;
let store: DestinationStore;
let resources: ResourceStore;
let topicQueue: string;
const errors: string[] = [];
const log: Log = { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) };
const clock: Clock = { now: () => new Date() };
/** Backoff waits are recorded, not slept: the policy is what is under test, not the wall clock. */
let sleeps: number[] = [];

const RESOURCE_ID = 'arn:aws:s3:::customer-data';
const resource = {
  ResourceId: RESOURCE_ID,
  ResourceType: 'AWS.S3.Bucket',
  AccountId: '123456789012',
  Region: 'global',
  Name: 'customer-data',
  Arn: RESOURCE_ID,
  Tags: { team: 'data' },
} as unknown as Resource;

function alert(extra: Partial<AlertItem> = {}): AlertItem {
  return {
    alertKey: `AWS.S3.Bucket.Encryption#${RESOURCE_ID}`,
    openedAt: `2026-03-01T10:00:00.000Z#${RESOURCE_ID}`,
    status: 'OPEN',
    policyId: 'AWS.S3.Bucket.Encryption',
    resourceId: RESOURCE_ID,
    resourceType: 'AWS.S3.Bucket',
    accountId: '123456789012',
    region: 'global',
    severity: 'High',
    title: 'Bucket <!channel> is not encrypted',
    trigger: 'scheduled',
    dedup: null,
    description: 'Buckets must encrypt objects at rest.',
    runbook: 'https://runbooks.example.com/s3-encryption',
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
    destinations: null,
    ...extra,
  };
}

function dispatcher(over: { allowLoopbackHttp?: boolean } = {}): AlertDispatcher {
  const sender = new DestinationSender({
    secrets: new SecretCache(clients.get(SecretsManagerClient)),
    sns: clients.get(SNSClient),
    defaultTopicArn: infra.topicArn,
    clock,
    allowLoopbackHttp: over.allowLoopbackHttp ?? true,
    retryPorts: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    requestTimeoutMs: 2_000,
  });
  return new AlertDispatcher({
    destinations: store,
    sender,
    defaultTopicArn: infra.topicArn,
    deadLetter: (m) => sendDeliveryDeadLetter(clients.get(SQSClient), infra.queues.alertDelivery, m),
    log,
    clock,
    registryTtlMs: 0,
  });
}

const admin = (input: Partial<AddDestinationInput> & Pick<AddDestinationInput, 'destinationId' | 'type'>) =>
  addDestination(
    { minSeverity: 'Info', default: false, ...input },
    { store, secrets: clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: true },
  );

async function drain(url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const r = await clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => m.Body!));
  }
}

/** Alerts that reached the stack's topic (an SQS queue subscribes to it, raw delivery off). */
async function topicAlerts(): Promise<AlertPayload[]> {
  return (await drain(topicQueue)).map((b) => JSON.parse((JSON.parse(b) as { Message: string }).Message) as AlertPayload);
}

const at = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      const next = plans.get(path)?.shift() ?? { status: 200 };
      received.push({ path, headers: req.headers, body, status: next.status });
      res.writeHead(next.status, next.retryAfter ? { 'retry-after': next.retryAfter } : {});
      res.end(next.status === 200 ? 'ok' : next.status === 400 ? 'invalid_payload' : 'unavailable');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  clients = await accountClients(randomAccountId());
  infra = await bootstrapLocal(clients, '123456789012', 'dst');
  const doc = documentClient(clients);
  store = new DestinationStore(doc, infra.tables.Destinations);
  resources = new ResourceStore(doc, infra.tables.Resources, new S3BlobStore(clients, infra.bucket));
  await resources.putIfChanged(resource, '123456789012#global#AWS.S3.Bucket', new Date('2026-02-01T08:00:00Z'));

  const sqs = clients.get(SQSClient);
  topicQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'dst-topic-tap' }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: topicQueue, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await clients.get(SNSClient).send(new SubscribeCommand({ TopicArn: infra.topicArn, Protocol: 'sqs', Endpoint: arn }));

  // Slack (a default for High and up), a signed webhook (named by policies only).
  await admin({ destinationId: 'sec-slack', type: 'slack', url: `${base}/slack`, minSeverity: 'High', default: true });
  await admin({ destinationId: 'siem-hook', type: 'webhook', url: `${base}/hook`, signingKey: 'k'.repeat(40) });
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

beforeEach(async () => {
  received.length = 0;
  plans.clear();
  errors.length = 0;
  sleeps = [];
  await clients.get(SQSClient).send(new PurgeQueueCommand({ QueueUrl: infra.queues.alertDelivery }));
  await drain(topicQueue);
});

describe('destinations: configuration', () => {
  it('stores URLs only in Secrets Manager and keeps a webhook key when re-added without one', async () => {
    const secret = await clients.get(SecretsManagerClient).send(new GetSecretValueCommand({ SecretId: secretName('siem-hook') }));
    expect(JSON.parse(secret.SecretString!)).toEqual({ url: `${base}/hook`, signingKey: 'k'.repeat(40) });
    const item = (await store.load()).destinations.find((d) => d.destinationId === 'siem-hook')!;
    expect(JSON.stringify(item)).not.toContain(base);
    expect(item.secretArn).toBe(secret.ARN);

    const again = await admin({ destinationId: 'siem-hook', type: 'webhook', minSeverity: 'Low' });
    expect(again.secret).toMatchObject({ created: false, updated: false, keyGenerated: false });
    expect(again.destination.minSeverity).toBe('Low');
    await admin({ destinationId: 'siem-hook', type: 'webhook', minSeverity: 'Info' });
  });

  it('generates a signing key for a new webhook, and removal schedules the secret for deletion', async () => {
    const r = await admin({ destinationId: 'tmp-hook', type: 'webhook', url: `${base}/tmp` });
    expect(r.secret).toMatchObject({ created: true, keyGenerated: true });
    const value = JSON.parse((await clients.get(SecretsManagerClient).send(new GetSecretValueCommand({ SecretId: secretName('tmp-hook') }))).SecretString!);
    expect(value.signingKey).toMatch(/^[0-9a-f]{64}$/);
    const removed = await removeDestination('tmp-hook', { store, secrets: clients.get(SecretsManagerClient) });
    expect(removed).toMatchObject({ removed: { destinationId: 'tmp-hook' }, secretDeleted: 'posture/destinations/tmp-hook' });
    expect((await store.load()).destinations.map((d) => d.destinationId)).not.toContain('tmp-hook');
    // Added again inside the recovery window: the secret is restored and updated.
    const back = await admin({ destinationId: 'tmp-hook', type: 'webhook', url: `${base}/tmp2` });
    expect(back.secret).toMatchObject({ created: false, updated: true });
    await removeDestination('tmp-hook', { store, secrets: clients.get(SecretsManagerClient) });
  });

  it('rejects plain http (except loopback where allowed), missing URLs and bad IDs with one-line errors', async () => {
    expect(() => validateDeliveryUrl('http://hooks.example.com/x', { allowLoopbackHttp: true })).toThrow('url: http://hooks.example.com is not allowed; use https://');
    expect(() => validateDeliveryUrl('http://127.0.0.1:8080/x', { allowLoopbackHttp: false })).toThrow(/only allowed for a local runtime/);
    expect(() => validateDeliveryUrl('https://user:pw@hooks.example.com/x', { allowLoopbackHttp: false })).toThrow(/credentials in the URL/);
    expect(validateDeliveryUrl('https://hooks.slack.com/services/T/B/x', { allowLoopbackHttp: false }).host).toBe('hooks.slack.com');
    await expect(admin({ destinationId: 'no-url', type: 'slack' })).rejects.toThrow('destination no-url: url: required for a new slack destination (--url-env NAME or --url-stdin)');
    await expect(admin({ destinationId: 'Bad_ID', type: 'slack', url: `${base}/x` })).rejects.toThrow(/destination Bad_ID: destinationId: lower-case/);
    await expect(admin({ destinationId: 'x-topic', type: 'sns', topicArn: 'arn:aws:sns:us-east-1:123456789012:other' })).rejects.toThrow(/topicArn: an SNS topic ARN whose name starts with posture-/);
    await expect(admin({ destinationId: 'default-topic', type: 'slack', url: `${base}/x` })).rejects.toThrow(DestinationError);
  });

  it('skips an invalid stored item, naming it, and keeps the others', async () => {
    await documentClient(clients).send(new PutCommand({ TableName: infra.tables.Destinations, Item: { destinationId: 'broken', type: 'pager', minSeverity: 'High', default: true } }));
    const loaded = await store.load();
    expect(loaded.errors).toEqual([expect.stringMatching(/^destination broken: type: /)]);
    expect(loaded.destinations.map((d) => d.destinationId)).toEqual(['sec-slack', 'siem-hook']);
    const r = await dispatcher().dispatch(alert(), await alertPayload(alert(), resources));
    expect(r.outcomes.map((o) => o.destinationId).sort()).toEqual(['default-topic', 'sec-slack']);
    expect(errors).toContainEqual(expect.stringContaining('destination broken: type:'));
    await removeDestination('broken', { store, secrets: clients.get(SecretsManagerClient) });
  });
});

describe('destinations: delivery', () => {
  it('signs the webhook payload: HMAC-SHA256 over "<timestamp>.<raw body>", verified independently', async () => {
    const a = alert({ destinations: ['siem-hook'] });
    const before = Math.floor(Date.now() / 1000);
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes).toEqual([{ destinationId: 'siem-hook', status: 'delivered', attempts: 1 }]);
    const [req] = at('/hook');
    expect(req).toBeDefined();
    const ts = req!.headers['x-posture-timestamp'] as string;
    expect(Number(ts)).toBeGreaterThanOrEqual(before);
    expect(Number(ts)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const expected = `sha256=${createHmac('sha256', 'k'.repeat(40)).update(`${ts}.${req!.body}`).digest('hex')}`;
    expect(req!.headers['x-posture-signature']).toBe(expected);
    // A different key or a replayed body under a new timestamp does not verify.
    expect(createHmac('sha256', 'other-key').update(`${ts}.${req!.body}`).digest('hex')).not.toBe(expected.slice(7));
    expect(createHmac('sha256', 'k'.repeat(40)).update(`${Number(ts) + 600}.${req!.body}`).digest('hex')).not.toBe(expected.slice(7));
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-posture-delivery']).toMatch(/^[0-9a-f]{32}$/);

    const body = JSON.parse(req!.body) as AlertPayload;
    expect(body).toMatchObject({
      kind: 'opened',
      title: 'Bucket <!channel> is not encrypted',
      severity: 'High',
      policyId: 'AWS.S3.Bucket.Encryption',
      description: 'Buckets must encrypt objects at rest.',
      runbook: 'https://runbooks.example.com/s3-encryption',
      reference: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
      accountId: '123456789012',
      region: 'global',
      resourceId: RESOURCE_ID,
      resourceType: 'AWS.S3.Bucket',
      firstSeen: '2026-02-01T08:00:00.000Z',
      openedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(body.resource).toMatchObject({ Name: 'customer-data', Tags: { team: 'data' } });
  });

  it('posts a readable, escaped Slack message, and default routing also reaches the topic', async () => {
    const a = alert();
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes.map((o) => [o.destinationId, o.status]).sort()).toEqual([
      ['default-topic', 'delivered'],
      ['sec-slack', 'delivered'],
    ]);
    expect(at('/hook')).toHaveLength(0);
    const [req] = at('/slack');
    expect(req!.headers['x-posture-signature']).toBeUndefined();
    const msg = JSON.parse(req!.body) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
    expect(msg.text).toBe(`[High] Bucket &lt;!channel&gt; is not encrypted: ${RESOURCE_ID} (account 123456789012, global)`);
    // Only plain_text (never parsed for mentions) may keep the raw title; every mrkdwn text is escaped.
    expect(msg.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: '[High] Bucket <!channel> is not encrypted' } });
    const mrkdwn = JSON.stringify(msg.blocks.slice(1)) + msg.text;
    expect(mrkdwn).not.toContain('<!channel>');
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('*Account*\\n`123456789012`');
    expect(all).toContain('*Region*\\n`global`');
    expect(all).toContain(`\`${RESOURCE_ID}\``);
    expect(all).toContain('<https://runbooks.example.com/s3-encryption|runbook>');
    expect(all).toContain('resource first seen 2026-02-01T08:00:00.000Z');
    const topic = await topicAlerts();
    expect(topic.map((t) => [t.alertKey, t.severity])).toEqual([[a.alertKey, 'High']]);
  });

  it('filters by minimum severity per destination', async () => {
    const a = alert({ severity: 'Medium' });
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes.map((o) => o.destinationId)).toEqual(['default-topic']);
    expect(r.belowSeverity).toEqual(['sec-slack']);
    expect(at('/slack')).toHaveLength(0);
    expect(await topicAlerts()).toHaveLength(1);
  });

  it('routes OutputIds exactly; an unknown ID is logged and falls back to the defaults', async () => {
    const named = alert({ destinations: ['siem-hook'], severity: 'Critical' });
    const r1 = await dispatcher().dispatch(named, await alertPayload(named, resources));
    expect(r1.outcomes.map((o) => o.destinationId)).toEqual(['siem-hook']);
    expect(at('/slack')).toHaveLength(0);
    expect(await topicAlerts()).toHaveLength(0);

    const unknown = alert({ destinations: ['siem-hook', 'pagerduty-x'], severity: 'Critical' });
    const r2 = await dispatcher().dispatch(unknown, await alertPayload(unknown, resources));
    expect(r2.unknown).toEqual(['pagerduty-x']);
    expect(r2.outcomes.map((o) => o.destinationId).sort()).toEqual(['default-topic', 'sec-slack', 'siem-hook']);
    expect(errors).toEqual([
      `alert ${unknown.alertKey}: policy AWS.S3.Bucket.Encryption names destination 'pagerduty-x', which is not configured; sent to the default destinations instead`,
    ]);
  });

  it('retries 503s with backoff: exactly one successful delivery', async () => {
    plans.set('/hook', [{ status: 503 }, { status: 503 }]);
    const a = alert({ destinations: ['siem-hook'] });
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes).toEqual([{ destinationId: 'siem-hook', status: 'delivered', attempts: 3 }]);
    expect(at('/hook').map((q) => q.status)).toEqual([503, 503, 200]);
    expect(at('/hook').filter((q) => q.status === 200)).toHaveLength(1);
    // Equal jitter with random()=0.5: 3/4 of 500 ms, then of 1000 ms.
    expect(sleeps).toEqual([375, 750]);
    // Each attempt is signed for its own send; every one verifies.
    for (const q of at('/hook')) {
      const ts = q.headers['x-posture-timestamp'] as string;
      expect(q.headers['x-posture-signature']).toBe(`sha256=${createHmac('sha256', 'k'.repeat(40)).update(`${ts}.${q.body}`).digest('hex')}`);
    }
    expect(await drain(infra.queues.alertDelivery)).toEqual([]);
  });

  it('respects Retry-After on 429', async () => {
    plans.set('/hook', [{ status: 429, retryAfter: '2' }]);
    const a = alert({ destinations: ['siem-hook'] });
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(sleeps).toEqual([2000]);
  });

  it('parks a permanent failure (400) on the DLQ with its reason, without retrying, and still delivers elsewhere', async () => {
    plans.set('/hook', [{ status: 400 }]);
    const a = alert({ destinations: ['siem-hook', 'sec-slack'] });
    const r = await dispatcher().dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes).toEqual([
      { destinationId: 'siem-hook', status: 'dead-lettered', attempts: 1, reason: `POST ${new URL(base).host}: HTTP 400 invalid_payload` },
      { destinationId: 'sec-slack', status: 'delivered', attempts: 1 },
    ]);
    expect(at('/hook')).toHaveLength(1);
    expect(at('/slack')).toHaveLength(1);
    const dlq = (await drain(infra.queues.alertDelivery)).map((b) => JSON.parse(b) as DeliveryDeadLetter);
    expect(dlq).toEqual([
      expect.objectContaining({ destinationId: 'siem-hook', destinationType: 'webhook', attempts: 1, reason: expect.stringContaining('HTTP 400'), alert: a }),
    ]);
    // The reason names the host, never the URL path (which can carry a token).
    expect(dlq[0]!.reason).not.toContain('/hook');
  });

  it('parks a destination that stays down after bounded retries, then skips it for a while', async () => {
    plans.set('/hook', Array.from({ length: 4 }, () => ({ status: 503 })));
    const d = dispatcher();
    const a = alert({ destinations: ['siem-hook'] });
    const r = await d.dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes[0]).toMatchObject({ status: 'dead-lettered', attempts: 4, reason: expect.stringContaining('gave up after 4 attempts') });
    expect(sleeps).toEqual([375, 750, 1500]);
    const b = alert({ destinations: ['siem-hook'], openedAt: `2026-03-01T11:00:00.000Z#${RESOURCE_ID}` });
    const r2 = await d.dispatch(b, await alertPayload(b, resources));
    expect(r2.outcomes[0]).toMatchObject({ status: 'dead-lettered', attempts: 0, reason: expect.stringContaining('destination failing') });
    expect(at('/hook')).toHaveLength(4);
    expect((await drain(infra.queues.alertDelivery)).map((m) => (JSON.parse(m) as DeliveryDeadLetter).alert.openedAt)).toEqual([a.openedAt, b.openedAt]);
  });

  it('refuses plain http to loopback when not allowed (deployed), before any request', async () => {
    const a = alert({ destinations: ['siem-hook'] });
    const r = await dispatcher({ allowLoopbackHttp: false }).dispatch(a, await alertPayload(a, resources));
    expect(r.outcomes[0]).toMatchObject({ status: 'dead-lettered', attempts: 0, reason: expect.stringContaining('only allowed for a local runtime') });
    expect(at('/hook')).toHaveLength(0);
  });

  it('carries the cause the store recorded to Slack, the topic and the webhook: "opened after …", then "resolved after …"', async () => {
    const compliance = new ComplianceStore(serializeTransactWrites(documentClient(clients)), { compliance: infra.tables.Compliance, alerts: infra.tables.Alerts });
    const ref = { resourceId: RESOURCE_ID, resourceType: 'AWS.S3.Bucket', accountId: '123456789012', region: 'global', scope: '123456789012#global#AWS.S3.Bucket' };
    const result = (status: PolicyResult['status']): PolicyResult => ({
      policyId: 'AWS.S3.Bucket.PublicAcl',
      resourceId: RESOURCE_ID,
      resourceType: 'AWS.S3.Bucket',
      status,
      errorMessage: null,
      severity: 'Critical',
      title: 'Bucket ACL grants public read',
      dedup: null,
      suppressed: false,
    });
    // The caller chose its session name and user agent: both arrive escaped in Slack.
    const opener = { ...pipelineActor, eventName: 'PutBucketAcl', eventSource: 's3.amazonaws.com', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/<!channel>', userAgent: 'Boto3/1.34 <!here>\nX: y' };
    const fixer = { ...consoleActor, eventName: 'PutBucketAcl', eventSource: 's3.amazonaws.com', eventTime: '2026-12-05T12:40:00Z' };
    const opened = (await compliance.apply(ref, [result('FAIL')], 'realtime:PutBucketAcl', new Date(), { provenance: { actors: [opener] } })).opened[0]!;
    expect(opened.provenance).toEqual({ actors: [opener] });
    const openedCause = 'opened after arn:aws:sts::111122223333:assumed-role/Admin/<!channel> called PutBucketAcl from 203.0.113.7 at 2026-12-05 12:03:11 UTC';

    const d = dispatcher();
    await d.dispatch(opened, await alertPayload(opened, resources));
    const named = { ...opened, destinations: ['siem-hook'] };
    await d.dispatch(named, await alertPayload(named, resources));
    const [slackReq] = at('/slack');
    const slackBlocks = (JSON.parse(slackReq!.body) as { blocks: { text?: { text: string } }[] }).blocks.map((b) => b.text?.text ?? '');
    expect(slackBlocks).toContain(
      '*Cause*\nopened after arn:aws:sts::111122223333:assumed-role/Admin/&lt;!channel&gt; called PutBucketAcl from 203.0.113.7 at 2026-12-05 12:03:11 UTC\n*User agent* `Boto3/1.34 &lt;!here&gt; X: y`',
    );
    const [topicMsg] = await topicAlerts();
    expect(topicMsg).toMatchObject({ kind: 'opened', cause: openedCause, provenance: { actors: [opener] } });
    const [hookReq] = at('/hook');
    expect(JSON.parse(hookReq!.body)).toMatchObject({ kind: 'opened', cause: openedCause, provenance: { actors: [opener] } });

    received.length = 0;
    const resolved = (await compliance.apply(ref, [result('PASS')], 'realtime:PutBucketAcl', new Date(), { provenance: { actors: [fixer] } })).resolved[0]!;
    await d.dispatch(resolved, await alertPayload(resolved, resources));
    const resolvedCause = 'resolved after arn:aws:iam::111122223333:user/alice called PutBucketAcl from 198.51.100.23 at 2026-12-05 12:40:00 UTC';
    expect(JSON.parse(at('/slack')[0]!.body).blocks.map((b: { text?: { text: string } }) => b.text?.text ?? '')).toContain(
      `*Cause*\n${resolvedCause}\n*User agent* \`console.ec2.amazonaws.com\``,
    );
    expect(await topicAlerts()).toEqual([expect.objectContaining({ kind: 'resolved', cause: resolvedCause, provenance: { actors: [fixer] } })]);
  });

  it('routes a resolution where the opened alert went (destinations carried from the policy result)', async () => {
    const compliance = new ComplianceStore(serializeTransactWrites(documentClient(clients)), { compliance: infra.tables.Compliance, alerts: infra.tables.Alerts });
    const ref = { resourceId: RESOURCE_ID, resourceType: 'AWS.S3.Bucket', accountId: '123456789012', region: 'global', scope: '123456789012#global#AWS.S3.Bucket' };
    const result = (status: PolicyResult['status']): PolicyResult => ({
      policyId: 'AWS.S3.Bucket.Logging',
      resourceId: RESOURCE_ID,
      resourceType: 'AWS.S3.Bucket',
      status,
      errorMessage: null,
      severity: 'Critical',
      title: 'Bucket logging disabled',
      dedup: null,
      suppressed: false,
      destinations: ['siem-hook'],
    });
    const opened = (await compliance.apply(ref, [result('FAIL')], 'scheduled', new Date())).opened[0]!;
    expect(opened.destinations).toEqual(['siem-hook']);
    const resolved = (await compliance.apply(ref, [result('PASS')], 'scheduled', new Date())).resolved[0]!;
    expect(resolved.destinations).toEqual(['siem-hook']);
    const d = dispatcher();
    for (const x of [opened, resolved]) await d.dispatch(x, await alertPayload(x, resources));
    expect(at('/hook').map((q) => (JSON.parse(q.body) as AlertPayload).kind)).toEqual(['opened', 'resolved']);
    expect(at('/slack')).toHaveLength(0);
    // Different transitions, different delivery IDs.
    expect(new Set(at('/hook').map((q) => q.headers['x-posture-delivery'])).size).toBe(2);
  });
});
