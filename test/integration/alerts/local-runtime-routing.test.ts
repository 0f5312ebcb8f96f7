/**
 * Per-policy routing through the whole local runtime: the Python engine returns a policy's
 * `OutputIds` (or its `destinations()` result), ingest carries it onto the alert, and the
 * runtime's dispatcher routes it — to a webhook on this machine, the stack's topic, or both when
 * an ID is unknown. Deleting the resource resolves the alerts, which go where the opened ones went.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { addDestination } from '../../../src/alerts/destination-admin.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { S3_BUCKET } from '../../../src/resources/s3-bucket.ts';
import type { AnyResourceType } from '../../../src/resources/index.ts';
import { DestinationStore } from '../../../src/store/destination-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

/** Three policies on buckets named routed-*: one names its output, one computes it, one names none. */
const POLICIES: Record<string, string> = {
  'named.yml': `AnalysisType: policy
Filename: named.py
PolicyID: Test.Route.Named
Enabled: true
ResourceTypes: [AWS.S3.Bucket]
Severity: Medium
OutputIds: [local-hook]
`,
  'named.py': `def policy(resource):
    return not resource["Name"].startswith("routed-")
`,
  'computed.yml': `AnalysisType: policy
Filename: computed.py
PolicyID: Test.Route.Computed
Enabled: true
ResourceTypes: [AWS.S3.Bucket]
Severity: High
`,
  'computed.py': `def policy(resource):
    return not resource["Name"].startswith("routed-")


def destinations(resource):
    return ["local-hook", "not-configured"]
`,
  'plain.yml': `AnalysisType: policy
Filename: plain.py
PolicyID: Test.Route.Plain
Enabled: true
ResourceTypes: [AWS.S3.Bucket]
Severity: Low
`,
  'plain.py': `def policy(resource):
    return not resource["Name"].startswith("routed-")
`,
};

let rt: LocalRuntime;
let dir: string;
let member: Member;
let server: Server;
let tap: string;
const hook: AlertPayload[] = [];
const errors: string[] = [];

async function topicAlerts(): Promise<AlertPayload[]> {
  const out: AlertPayload[] = [];
  for (;;) {
    const r = await rt.clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: tap, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => JSON.parse((JSON.parse(m.Body!) as { Message: string }).Message) as AlertPayload));
  }
}

const summary = (list: AlertPayload[]) => list.map((a) => `${a.policyId} ${a.kind}`).sort();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hook.push(JSON.parse(body) as AlertPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

  // The engine loads specs from directories named like Panther's (`*policies*`).
  dir = mkdtempSync(join(tmpdir(), 'routing-policies-'));
  for (const [name, text] of Object.entries(POLICIES)) writeFileSync(join(dir, name), text);

  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({
    endpoint: motoEndpoint(),
    credentials: await accountCredentials(securityAccountId),
    policyDirs: [dir],
    registry: [S3_BUCKET] as AnyResourceType[],
    log: { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
  });
  member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1' && !r.startsWith('cn-') && !r.startsWith('us-gov-'));
  await rt.deps.accounts.put(member.account);
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: 'routed-bucket' }));

  await addDestination(
    { destinationId: 'local-hook', type: 'webhook', minSeverity: 'Info', default: false, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` },
    { store: new DestinationStore(documentClient(rt.clients), rt.infra.tables.Destinations), secrets: rt.clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: true },
  );
  const sqs = rt.clients.get(SQSClient);
  tap = (await sqs.send(new CreateQueueCommand({ QueueName: 'routing-topic-tap' }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: tap, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await rt.clients.get(SNSClient).send(new SubscribeCommand({ TopicArn: rt.infra.topicArn, Protocol: 'sqs', Endpoint: arn }));
}, 120_000);

afterAll(async () => {
  await rt?.close();
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('per-policy routing in the local runtime', () => {
  it('sends OutputIds and destinations() alerts to the named webhook, unknown IDs also to the defaults, others to the topic', async () => {
    await rt.scan({ accountIds: [member.account.accountId] });
    expect(rt.worker.ready.policies).toHaveLength(3);
    expect(summary(hook)).toEqual(['Test.Route.Computed opened', 'Test.Route.Named opened']);
    expect(summary(await topicAlerts())).toEqual(['Test.Route.Computed opened', 'Test.Route.Plain opened']);
    expect(errors).toEqual([expect.stringContaining("policy Test.Route.Computed names destination 'not-configured', which is not configured")]);
    expect(hook.find((a) => a.policyId === 'Test.Route.Named')).toMatchObject({ severity: 'Medium', resourceType: 'AWS.S3.Bucket', accountId: member.account.accountId });
  });

  it('routes the resolutions (resource deleted) where the opened alerts went', async () => {
    hook.length = 0;
    await member.clients.get(S3Client).send(new DeleteBucketCommand({ Bucket: 'routed-bucket' }));
    await rt.scan({ accountIds: [member.account.accountId] });
    expect(summary(hook)).toEqual(['Test.Route.Computed resolved', 'Test.Route.Named resolved']);
    expect(summary(await topicAlerts())).toEqual(['Test.Route.Computed resolved', 'Test.Route.Plain resolved']);
  });
});
