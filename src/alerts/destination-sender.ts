/**
 * Sends one alert to one destination: the destination's secret (cached), its URL rules, and
 * bounded retries. A destination that just exhausted its retries is not retried again for a
 * minute (later alerts go straight to the caller's DLQ), so one dead receiver cannot stall a batch.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '#core/types.ts';
import { redactedPayload, type AlertPayload } from './alert-payload.ts';
import { secretSchemas, validateDeliveryUrl, type Destination } from './destination-config.ts';
import type { SecretCache } from './destination-secrets.ts';
import type { Fetch } from './http-post.ts';
import { AttemptsFailure, DEFAULT_RETRY, realRetryPorts, withRetries, type RetryPolicy, type RetryPorts } from './retry.ts';
import { postSlack } from './slack-destination.ts';
import { publishAlert } from './sns-destination.ts';
import { postWebhook } from './webhook-destination.ts';

export interface SenderDeps {
  secrets: SecretCache;
  sns: SNSClient;
  /** The stack's alerts topic (destination `default-topic`). */
  defaultTopicArn: string;
  clock: Clock;
  /** Plain http:// to a loopback host: the local runtime and tests only. */
  allowLoopbackHttp: boolean;
  retry?: RetryPolicy;
  retryPorts?: RetryPorts;
  fetch?: Fetch;
  requestTimeoutMs?: number;
  /** How long a destination that exhausted its retries is skipped (default one minute). */
  circuitOpenMs?: number;
}

export class DestinationSender {
  private readonly failing = new Map<string, { until: number; reason: string }>();

  constructor(private readonly deps: SenderDeps) {}

  /** One destination, with retries; throws an AttemptsFailure (or a configuration error) when it does not get through. */
  async deliverTo(d: Destination, payload: AlertPayload): Promise<{ attempts: number }> {
    const now = this.deps.clock.now().getTime();
    const open = this.failing.get(d.destinationId);
    if (open && open.until > now) throw new AttemptsFailure(`${open.reason} (destination failing; not retried until ${new Date(open.until).toISOString()})`, 0);
    const post = { fetch: this.deps.fetch, timeoutMs: this.deps.requestTimeoutMs };
    // The guard every destination goes through: no secret attribute value leaves in a payload.
    const send = await this.sender(d, redactedPayload(payload), post);
    try {
      return await withRetries(send, this.deps.retry ?? DEFAULT_RETRY, this.deps.retryPorts ?? realRetryPorts);
    } catch (err) {
      if (err instanceof AttemptsFailure && err.attempts > 1) {
        this.failing.set(d.destinationId, { until: now + (this.deps.circuitOpenMs ?? 60_000), reason: err.message });
      }
      throw err;
    }
  }

  /** The one-attempt sender of a destination; configuration problems (secret, URL) throw here, before any attempt. */
  private async sender(d: Destination, payload: AlertPayload, post: { fetch?: Fetch; timeoutMs?: number }): Promise<() => Promise<unknown>> {
    const loopback = { allowLoopbackHttp: this.deps.allowLoopbackHttp };
    switch (d.type) {
      case 'sns': {
        // The SDK already retries throttling and 5xx with jittered backoff.
        const topicArn = d.topicArn ?? this.deps.defaultTopicArn;
        return () => publishAlert(this.deps.sns, topicArn, payload);
      }
      case 'slack': {
        const secret = await this.deps.secrets.json(d.secretArn!, secretSchemas.slack);
        const url = validateDeliveryUrl(secret.url, loopback);
        return () => postSlack(url, payload, post);
      }
      case 'webhook': {
        const secret = await this.deps.secrets.json(d.secretArn!, secretSchemas.webhook);
        const url = validateDeliveryUrl(secret.url, loopback);
        return () => postWebhook(url, payload, secret.signingKey, () => this.deps.clock.now(), post);
      }
    }
  }
}
