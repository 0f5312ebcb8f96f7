/**
 * `posture destinations` against a local runtime's endpoint (moto, its default account, as
 * `posture demo --keep-running` leaves it): add from an environment variable, list without
 * secrets, test delivery to a local receiver (signature checked with the key from Secrets
 * Manager), redrive from the delivery DLQ, remove, and the one-line usage errors.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, GetQueueUrlCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sendDeliveryDeadLetter } from '../../../src/alerts/delivery-dlq.ts';
import { registerDestinations } from '../../../src/cli/commands/destinations.ts';
import { createClients } from '../../../src/aws/clients.ts';
import { bootstrapLocal } from '../../../src/local/bootstrap.ts';
import { EMULATOR_CREDENTIALS } from '../../../src/local/runtime.ts';
import type { AlertItem } from '../../../src/compliance/model.ts';
import { motoEndpoint } from '../../helpers/moto.ts';

const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let base: string;
let endpoint: string;
let out: string[] = [];
let err: string[] = [];

async function posture(...args: string[]): Promise<number> {
  out = [];
  err = [];
  process.exitCode = 0;
  const program = new Command('posture').exitOverride();
  registerDestinations(program);
  await program.parseAsync(['node', 'posture', 'destinations', ...args, '--endpoint', endpoint]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ path: req.url ?? '/', headers: req.headers, body });
      res.writeHead(req.url === '/revoked' ? 404 : 200).end(req.url === '/revoked' ? 'no_service' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  endpoint = motoEndpoint();
  // What the local runtime creates on its emulator (idempotent).
  await bootstrapLocal(createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS }), '123456789012');
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});

afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.CLI_HOOK_URL;
  await new Promise((r) => server?.close(r));
});

afterEach(() => {
  process.exitCode = 0;
});

describe('posture destinations', () => {
  it('adds a webhook from an environment variable, lists it, tests it, and never prints the URL', async () => {
    process.env.CLI_HOOK_URL = `${base}/cli-hook?token=s3cr3t`;
    expect(await posture('add', '--id', 'cli-hook', '--type', 'webhook', '--url-env', 'CLI_HOOK_URL', '--min-severity', 'medium', '--description', 'SIEM intake')).toBe(0);
    expect(out).toContain('cli-hook: webhook, min severity Medium');
    expect(out).toContain('secret posture/destinations/cli-hook: created');
    expect(out.join('\n')).toContain('a signing key was generated');

    expect(await posture('list')).toBe(0);
    const table = out.join('\n');
    expect(table).toMatch(/default-topic\s+sns\s+Info\s+yes\s+arn:aws:sns:us-east-1:123456789012:posture-alerts/);
    expect(table).toMatch(/cli-hook\s+webhook\s+Medium\s+no\s+posture\/destinations\/cli-hook\s+SIEM intake/);
    expect(await posture('list', '--json')).toBe(0);
    const listed = JSON.parse(out.join('\n')) as { destinationId: string }[];
    expect(listed.map((d) => d.destinationId)).toEqual(expect.arrayContaining(['default-topic', 'cli-hook']));

    expect(await posture('test', '--id', 'cli-hook', '--severity', 'critical')).toBe(0);
    expect(out).toEqual(['delivered a Critical test alert to cli-hook (webhook) in 1 attempt']);
    const req = requests.find((r) => r.path === '/cli-hook?token=s3cr3t')!;
    const secret = await createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS })
      .get(SecretsManagerClient)
      .send(new GetSecretValueCommand({ SecretId: 'posture/destinations/cli-hook' }));
    const { signingKey } = JSON.parse(secret.SecretString!) as { signingKey: string };
    const ts = req.headers['x-posture-timestamp'] as string;
    expect(req.headers['x-posture-signature']).toBe(`sha256=${createHmac('sha256', signingKey).update(`${ts}.${req.body}`).digest('hex')}`);
    expect(JSON.parse(req.body)).toMatchObject({ severity: 'Critical', kind: 'opened', policyId: 'Posture.DestinationTest', accountId: '123456789012' });

    for (const line of [...out, ...err]) expect(line).not.toContain('s3cr3t');
  });

  it('reports a receiver that refuses, with the host and status, and exit code 1', async () => {
    process.env.CLI_HOOK_URL = `${base}/revoked`;
    expect(await posture('add', '--id', 'cli-slack', '--type', 'slack', '--url-env', 'CLI_HOOK_URL')).toBe(0);
    expect(await posture('test', '--id', 'cli-slack')).toBe(1);
    expect(err).toEqual([`posture destinations test: cli-slack: POST ${new URL(base).host}: HTTP 404 no_service`]);
    expect(await posture('remove', '--id', 'cli-slack')).toBe(0);
  });

  it('rejects bad input with one line and exit code 2, before any change', async () => {
    expect(await posture('add', '--id', 'x-hook', '--type', 'webhook', '--url-env', 'POSTURE_UNSET_VAR')).toBe(2);
    expect(err).toEqual(['posture destinations add: url-env: environment variable POSTURE_UNSET_VAR is not set']);
    process.env.CLI_HOOK_URL = 'http://hooks.example.com/x';
    expect(await posture('add', '--id', 'x-hook', '--type', 'webhook', '--url-env', 'CLI_HOOK_URL')).toBe(2);
    expect(err).toEqual(['posture destinations add: destination x-hook: url: http://hooks.example.com is not allowed; use https://']);
    expect(await posture('add', '--id', 'x-hook', '--type', 'pager')).toBe(2);
    expect(err).toEqual(["posture destinations add: type: 'pager' is not one of sns, slack, webhook"]);
    expect(await posture('add', '--id', 'x-hook', '--type', 'slack', '--url-env', 'CLI_HOOK_URL', '--min-severity', 'urgent')).toBe(2);
    expect(err).toEqual(["posture destinations add: min-severity: 'urgent' is not one of Info, Low, Medium, High, Critical"]);
    expect(await posture('test', '--id', 'nope')).toBe(2);
    expect(err).toEqual(['posture destinations test: id: no destination nope (see posture destinations list)']);
    expect(await posture('list')).toBe(0);
    expect(out.join('\n')).not.toContain('x-hook');
  });

  it('redrives parked deliveries: delivered ones leave the queue, the others stay with their reason', async () => {
    const sqs = createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS }).get(SQSClient);
    const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'posture-alert-delivery-dlq' }))).QueueUrl!;
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    const alert = (n: number): AlertItem => ({
      alertKey: `AWS.IAM.User.MFA#user-${n}`,
      openedAt: `2026-03-01T10:00:00.000Z#user-${n}`,
      status: 'OPEN',
      policyId: 'AWS.IAM.User.MFA',
      resourceId: `user-${n}`,
      resourceType: 'AWS.IAM.User',
      accountId: '111111111111',
      region: 'global',
      severity: 'High',
      title: 'User without MFA',
      trigger: 'scheduled',
      dedup: null,
      description: null,
      runbook: null,
      reference: null,
      destinations: ['cli-hook'],
    });
    const park = (destinationId: string, a: AlertItem) =>
      sendDeliveryDeadLetter(sqs, queueUrl, { destinationId, destinationType: 'webhook', reason: 'POST h: HTTP 503 (gave up after 4 attempts)', attempts: 4, failedAt: '2026-03-01T10:00:05.000Z', alert: a });
    await park('cli-hook', alert(1));
    await park('retired-hook', alert(2));
    const before = requests.length;

    expect(await posture('redrive')).toBe(1);
    expect(out).toEqual(['delivered AWS.IAM.User.MFA#user-1 to cli-hook', '1 redelivered, 1 still failing']);
    expect(err).toEqual(['posture destinations redrive: retired-hook: AWS.IAM.User.MFA#user-2: destination retired-hook is no longer configured (left on the queue)']);
    const sent = requests.slice(before);
    expect(sent.map((r) => (JSON.parse(r.body) as { alertKey: string }).alertKey)).toEqual(['AWS.IAM.User.MFA#user-1']);
    // The failed one is still on the queue (in flight for the visibility timeout), the delivered one is gone.
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(attrs.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    expect(await posture('redrive', '--max', 'zero')).toBe(2);
    expect(err).toEqual(["posture destinations redrive: max: 'zero' is not a positive integer"]);
  });

  it('changes the built-in topic only in severity and default flag, and removes a destination with its secret', async () => {
    expect(await posture('add', '--id', 'default-topic', '--type', 'sns', '--min-severity', 'High', '--default')).toBe(0);
    expect(await posture('list', '--json')).toBe(0);
    const topic = (JSON.parse(out.join('\n')) as { destinationId: string; minSeverity: string; topicArn: string }[]).find((d) => d.destinationId === 'default-topic');
    expect(topic).toMatchObject({ minSeverity: 'High', topicArn: 'arn:aws:sns:us-east-1:123456789012:posture-alerts' });
    expect(await posture('remove', '--id', 'default-topic')).toBe(0);
    expect(out[0]).toBe('default-topic: back to its defaults (min severity Info, default)');

    expect(await posture('remove', '--id', 'cli-hook')).toBe(0);
    expect(out[0]).toBe('removed cli-hook; secret posture/destinations/cli-hook is deleted after 7 days (restored if the ID is added again before)');
    expect(await posture('remove', '--id', 'cli-hook')).toBe(1);
    expect(err).toEqual(['posture destinations remove: no destination cli-hook']);
  });
});
