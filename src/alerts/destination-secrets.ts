/**
 * Destination secrets (webhook URL, signing key) from Secrets Manager, cached briefly per
 * container: a burst of alerts costs one read, and a rotated secret takes effect within the TTL.
 * Secret values never appear in errors or logs; only the secret's name or ARN does.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';
import { DestinationError } from './destination-config.ts';

export const SECRET_TTL_MS = 5 * 60_000;

export class SecretCache {
  private readonly cache = new Map<string, { value: Promise<string>; expires: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ttlMs = SECRET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private raw(secretId: string): Promise<string> {
    const hit = this.cache.get(secretId);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = this.client.send(new GetSecretValueCommand({ SecretId: secretId })).then((r) => {
      if (r.SecretString === undefined) throw new DestinationError(`secret ${secretId}: has no string value`);
      return r.SecretString;
    });
    // A failed read is not cached: the next alert tries again.
    value.catch(() => this.cache.delete(secretId));
    this.cache.set(secretId, { value, expires: this.now() + this.ttlMs });
    return value;
  }

  /** The secret as JSON validated by `schema`; a malformed secret is a DestinationError naming the field. */
  async json<T>(secretId: string, schema: z.ZodType<T>): Promise<T> {
    const raw = await this.raw(secretId);
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new DestinationError(`secret ${secretId}: not a JSON object`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new DestinationError(`secret ${secretId}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
    }
    return parsed.data;
  }

  /** Forget a secret (after `posture destinations add` replaced it in this process). */
  forget(secretId: string): void {
    this.cache.delete(secretId);
  }
}
