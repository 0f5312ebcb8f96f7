/**
 * Bounded retries for one destination: exponential backoff with jitter, or the receiver's
 * Retry-After when it gives one. The bound matters: the dispatcher runs inside a stream batch, and
 * a destination that stays down is parked on the delivery DLQ instead of holding the batch.
 */
import { DeliveryFailure } from './http-post.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not waited for: the delivery goes to the DLQ instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

export interface RetryPorts {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const realRetryPorts: RetryPorts = { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random };

/** Delay before retry number `retry` (1-based): half fixed, half random ("equal jitter"). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export interface Attempted<T> {
  value: T;
  attempts: number;
}

/** Runs `fn` until it succeeds, fails for good, or the attempts are spent; failures carry the attempt count. */
export async function withRetries<T>(fn: () => Promise<T>, policy: RetryPolicy, ports: RetryPorts): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt };
    } catch (err) {
      const failure = err instanceof DeliveryFailure ? err : new DeliveryFailure((err as Error).message, false);
      if (!failure.retryable) throw new AttemptsFailure(failure.message, attempt);
      if (attempt >= policy.maxAttempts) throw new AttemptsFailure(`${failure.message} (gave up after ${attempt} attempts)`, attempt);
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
        throw new AttemptsFailure(`${failure.message} (Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s exceeds the ${policy.maxRetryAfterMs / 1000} s retry bound)`, attempt);
      }
      await ports.sleep(failure.retryAfterMs ?? backoffMs(attempt, policy, ports.random));
    }
  }
}

export class AttemptsFailure extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}
