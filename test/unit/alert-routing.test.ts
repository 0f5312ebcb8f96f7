/** Alert routing, backoff and message formatting: the pure parts of alert destinations. */
import { describe, expect, it } from 'vitest';
import type { AlertPayload } from '../../src/alerts/alert-payload.ts';
import type { Destination } from '../../src/alerts/destination-config.ts';
import { DeliveryFailure, retryAfterMs } from '../../src/alerts/http-post.ts';
import { AttemptsFailure, backoffMs, DEFAULT_RETRY, withRetries } from '../../src/alerts/retry.ts';
import { effectiveDestinations, routeAlert } from '../../src/alerts/routing.ts';
import { slackMessage } from '../../src/alerts/slack-destination.ts';
import { deliveryId, MAX_WEBHOOK_BYTES, signedRequest, webhookSignature } from '../../src/alerts/webhook-destination.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:posture-alerts';
const slack: Destination = { destinationId: 'slack', type: 'slack', minSeverity: 'High', default: true, secretArn: 'arn:s' };
const hook: Destination = { destinationId: 'hook', type: 'webhook', minSeverity: 'Info', default: false, secretArn: 'arn:h' };
const ids = (r: ReturnType<typeof routeAlert>) => r.targets.map((d) => d.destinationId).sort();

describe('routeAlert', () => {
  const all = effectiveDestinations([slack, hook], TOPIC);

  it('sends unnamed alerts to the defaults at or above their minimum severity', () => {
    expect(ids(routeAlert({ severity: 'Critical' }, all))).toEqual(['default-topic', 'slack']);
    const low = routeAlert({ severity: 'Low', destinations: null }, all);
    expect(ids(low)).toEqual(['default-topic']);
    expect(low.belowSeverity).toEqual(['slack']);
  });

  it('sends named alerts exactly there, still filtered by severity', () => {
    expect(ids(routeAlert({ severity: 'Info', destinations: ['hook'] }, all))).toEqual(['hook']);
    const r = routeAlert({ severity: 'Medium', destinations: ['slack'] }, all);
    expect(r.targets).toEqual([]);
    expect(r.belowSeverity).toEqual(['slack']);
  });

  it('adds the defaults when a named ID is unknown, and de-duplicates', () => {
    const r = routeAlert({ severity: 'High', destinations: ['hook', 'gone', 'hook', 'slack'] }, all);
    expect(r.unknown).toEqual(['gone']);
    expect(ids(r)).toEqual(['default-topic', 'hook', 'slack']);
  });

  it('falls back to the built-in topic when nothing is flagged default', () => {
    const none = effectiveDestinations([{ destinationId: 'default-topic', type: 'sns', minSeverity: 'Info', default: false }, hook], TOPIC);
    expect(ids(routeAlert({ severity: 'Low' }, none))).toEqual(['default-topic']);
  });

  it('lets a stored default-topic change only its severity and default flag', () => {
    const [topic] = effectiveDestinations([{ destinationId: 'default-topic', type: 'sns', minSeverity: 'Medium', default: false, topicArn: 'arn:aws:sns:us-east-1:123456789012:posture-other' }], TOPIC);
    expect(topic).toMatchObject({ destinationId: 'default-topic', topicArn: TOPIC, minSeverity: 'Medium', default: false });
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 500, maxDelayMs: 8_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('does not wait for a Retry-After beyond the bound, and never retries a permanent failure', async () => {
    const sleeps: number[] = [];
    const ports = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 };
    const tooLong = withRetries(() => Promise.reject(new DeliveryFailure('POST h: HTTP 429', true, 120_000, 429)), DEFAULT_RETRY, ports);
    await expect(tooLong).rejects.toThrow('POST h: HTTP 429 (Retry-After 120 s exceeds the 30 s retry bound)');
    let calls = 0;
    const permanent = withRetries(() => (calls++, Promise.reject(new DeliveryFailure('POST h: HTTP 403', false, undefined, 403))), DEFAULT_RETRY, ports);
    await expect(permanent).rejects.toBeInstanceOf(AttemptsFailure);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

const payload: AlertPayload = {
  kind: 'resolved',
  alertKey: 'P#r',
  title: 'x'.repeat(200),
  severity: 'Critical',
  policyId: 'P',
  description: 'Use `aws s3api` & <b>check</b>',
  runbook: 'not a url <@U123>',
  reference: 'https://example.com/a|b',
  accountId: '111111111111',
  region: 'eu-west-1',
  resourceId: 'weird`id<!here>',
  resourceType: 'AWS.S3.Bucket',
  trigger: 'realtime:PutBucketAcl',
  provenance: null,
  cause: null,
  openedAt: '2026-03-01T10:00:00.000Z',
  resolvedAt: '2026-03-02T10:00:00.000Z',
  firstSeen: null,
  resource: null,
};

describe('message formats', () => {
  it('keeps Slack blocks within limits and escapes everything that could mention or link', () => {
    const m = slackMessage(payload);
    const header = m.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.startsWith('RESOLVED [Critical] xxx')).toBe(true);
    const mrkdwn = JSON.stringify(m.blocks.slice(1));
    expect(mrkdwn).toContain('`weird\'id&lt;!here&gt;`');
    expect(mrkdwn).toContain('&amp; &lt;b&gt;check&lt;/b&gt;');
    expect(mrkdwn).toContain('*Runbook*: not a url &lt;@U123&gt;');
    // A URL with a `|` would break the link syntax: shown as text instead.
    expect(mrkdwn).toContain('*Reference*: https://example.com/a|b');
    expect(mrkdwn).toContain('Resolved 2026-03-02T10:00:00.000Z');
    expect(mrkdwn).not.toContain('resource first seen');
  });

  it('signs "<timestamp>.<body>" and gives each transition its own stable delivery ID', () => {
    // Expected value computed outside Node: python3 hmac.new(b'key', b'1700000000.{"a":1}', sha256).
    expect(webhookSignature('key', '1700000000', '{"a":1}')).toBe('sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03');
    expect(webhookSignature('key', '1700000000', '{"a":1}')).not.toBe(webhookSignature('key', '1700000001', '{"a":1}'));
    const huge = signedRequest({ ...payload, resource: { Blob: 'x'.repeat(MAX_WEBHOOK_BYTES) } as unknown as AlertPayload['resource'] }, 'key', new Date(0));
    expect(Buffer.byteLength(huge.body)).toBeLessThan(MAX_WEBHOOK_BYTES);
    expect(JSON.parse(huge.body)).toMatchObject({ resource: null, resourceOmitted: expect.stringContaining('exceeds 1 MB'), alertKey: 'P#r' });
    expect(huge.headers['X-Posture-Signature']).toBe(webhookSignature('key', '0', huge.body));
    expect(deliveryId(payload)).toBe(deliveryId({ ...payload }));
    expect(deliveryId(payload)).not.toBe(deliveryId({ ...payload, kind: 'opened' }));
  });
});
