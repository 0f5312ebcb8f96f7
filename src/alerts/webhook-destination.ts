/**
 * Generic HTTPS webhook: the alert payload as JSON, signed with HMAC-SHA256 so the receiver can
 * check it came from this Posture deployment and was not replayed (docs/destinations.md):
 *
 *   X-Posture-Timestamp: <unix seconds>
 *   X-Posture-Signature: sha256=<hex HMAC-SHA256(key, "<timestamp>.<raw body>")>
 *   X-Posture-Delivery:  <stable ID of this alert transition, for de-duplication>
 *
 * The timestamp is inside the signed material, so a captured request cannot be re-sent later
 * under a fresh timestamp; receivers reject timestamps older than a few minutes.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AlertPayload } from './alert-payload.ts';
import { postJson, type PostOptions } from './http-post.ts';

export const SIGNATURE_HEADER = 'X-Posture-Signature';
export const TIMESTAMP_HEADER = 'X-Posture-Timestamp';
export const DELIVERY_HEADER = 'X-Posture-Delivery';

export function webhookSignature(signingKey: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', signingKey).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** The same for every retry and re-delivery of one transition (opened or resolved). */
export function deliveryId(p: Pick<AlertPayload, 'alertKey' | 'openedAt' | 'kind' | 'resourceId'>): string {
  return createHash('sha256').update(`${p.alertKey}\n${p.openedAt}\n${p.resourceId}\n${p.kind}`).digest('hex').slice(0, 32);
}

/** Receivers commonly cap request bodies near 1 MB: a huge resource JSON is replaced by a note rather than failing delivery. */
export const MAX_WEBHOOK_BYTES = 1_000_000;

export function webhookBody(payload: AlertPayload): string {
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) <= MAX_WEBHOOK_BYTES) return body;
  return JSON.stringify({ ...payload, resource: null, resourceOmitted: 'resource JSON exceeds 1 MB; see posture resources get' });
}

export function signedRequest(payload: AlertPayload, signingKey: string, now: Date): { body: string; headers: Record<string, string> } {
  const body = webhookBody(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    body,
    headers: {
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: webhookSignature(signingKey, timestamp, body),
      [DELIVERY_HEADER]: deliveryId(payload),
    },
  };
}

/** Each attempt is signed afresh, so a retry after a long Retry-After still has a current timestamp. */
export async function postWebhook(url: URL, payload: AlertPayload, signingKey: string, now: () => Date, opts?: PostOptions): Promise<number> {
  const { body, headers } = signedRequest(payload, signingKey, now());
  return postJson(url, body, headers, opts);
}
