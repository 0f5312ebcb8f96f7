/** No secret value leaves in an alert: the payload and every destination redact by the registry. */
import type { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { alertPayload, redactedPayload, type AlertPayload } from '../../src/alerts/alert-payload.ts';
import type { Destination } from '../../src/alerts/destination-config.ts';
import type { SecretCache } from '../../src/alerts/destination-secrets.ts';
import { DestinationSender } from '../../src/alerts/destination-sender.ts';
import type { Fetch } from '../../src/alerts/http-post.ts';
import { REDACTED } from '../../src/resources/redact.ts';
import type { Resource } from '../../src/core/resource.ts';
import type { AlertItem } from '../../src/compliance/model.ts';

const SECRET = 'hunter2-SECRET-alert';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:api';

/** A function as stored before redaction existed: its environment value in the clear. */
const stored: Resource = {
  ResourceId: FN,
  ResourceType: 'AWS.Lambda.Function',
  TimeCreated: null,
  AccountId: '123456789012',
  Region: 'us-east-1',
  Arn: FN,
  Id: null,
  Name: 'api',
  Tags: null,
  Environment: { Variables: { DB_PASSWORD: SECRET }, Error: null },
};

const alert = {
  alertKey: `Test.Leak#${FN}`,
  openedAt: `2026-03-01T10:00:00.000Z#${FN}`,
  status: 'OPEN',
  policyId: 'Test.Leak',
  resourceId: FN,
  resourceType: 'AWS.Lambda.Function',
  accountId: '123456789012',
  region: 'us-east-1',
  severity: 'High',
  title: 'function api has secrets in its environment',
  trigger: 'scheduled',
  dedup: null,
  description: null,
  runbook: null,
  reference: null,
  destinations: null,
} as unknown as AlertItem;

describe('alert payloads carry no secret value', () => {
  it('alertPayload redacts the stored resource by its type', async () => {
    const p = await alertPayload(alert, { get: async () => ({ attributes: stored, firstSeen: '2026-03-01T09:00:00.000Z' }) as never });
    expect(JSON.stringify(p)).not.toContain(SECRET);
    expect(p.resource!.Environment).toEqual({ Variables: { DB_PASSWORD: REDACTED }, Error: null });
  });

  it('every destination (webhook, Slack, SNS) sends the redacted payload, whoever built it', async () => {
    // A payload some future path built from the raw resource.
    const raw: AlertPayload = { ...(await alertPayload(alert, { get: async () => undefined })), resource: stored };
    const bodies: string[] = [];
    const fetch = (async (_url: URL, init: { body: string }) => {
      bodies.push(init.body);
      return new Response(null, { status: 200 });
    }) as unknown as Fetch;
    const secrets = { json: async () => ({ url: 'https://hooks.example.com/x', signingKey: 'k'.repeat(40) }) } as unknown as SecretCache;
    const sns = { send: async (cmd: { input: { Message: string } }) => void bodies.push(cmd.input.Message) } as unknown as SNSClient;
    const sender = new DestinationSender({ secrets, sns, defaultTopicArn: 'arn:aws:sns:us-east-1:123456789012:posture-alerts', clock: { now: () => new Date() }, allowLoopbackHttp: false, fetch });
    const dest = (type: Destination['type']): Destination => ({ destinationId: `d-${type}`, type, minSeverity: 'Info', default: false, ...(type === 'sns' ? { topicArn: 'arn:aws:sns:us-east-1:123456789012:posture-x' } : { secretArn: 'arn:secret' }) });
    for (const t of ['webhook', 'slack', 'sns'] as const) await sender.deliverTo(dest(t), raw);
    expect(bodies).toHaveLength(3);
    for (const b of bodies) expect(b).not.toContain(SECRET);
    expect(bodies[0]).toContain(REDACTED); // the webhook carries the resource JSON, keys kept
    expect(bodies[0]).toContain('DB_PASSWORD');
    expect(redactedPayload(redactedPayload(raw))).toEqual(redactedPayload(raw));
  });
});
