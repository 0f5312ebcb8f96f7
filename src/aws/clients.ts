/**
 * One factory for SDK v3 clients, bound to a credential source and an optional endpoint (moto
 * server locally, real AWS when deployed). Clients are cached per constructor and region, and
 * every client gets the same resilience settings:
 * - adaptive retry mode (client-side rate limiting + jittered exponential backoff on throttling);
 * - a request timeout, so a call that hangs is cut and retried instead of eating the time budget;
 * - a per-service concurrency cap shared by all of the factory's clients (AWS throttles per
 *   account and service, so one scope's describe fan-out must not starve another's).
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { meterCall, type Meter } from '#core/usage.ts';
import { noteOperation } from '#core/errors.ts';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

// SDK v3 client constructors take their own config types; all accept the fields we set.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClientCtor<T> = new (config: any) => T;

export interface AwsClients {
  /** A client of the given type for `region` (default: the factory's region). */
  get<T>(ctor: ClientCtor<T>, region?: string): T;
  readonly region: string;
}

/** Requests in flight per service (IAM's control plane throttles early; EC2/S3 take more). */
export const DEFAULT_CONCURRENCY: Record<string, number> = { iam: 4, sts: 4, ec2: 8, s3: 16, default: 8 };

export interface ClientOptions {
  region: string;
  credentials?: Credentials;
  /** Endpoint for every service (AWS_ENDPOINT_URL semantics): the local emulator. */
  endpoint?: string;
  maxAttempts?: number;
  /** Default 'adaptive'. Tests that inject random (rate-independent) throttles use 'standard'. */
  retryMode?: 'adaptive' | 'standard';
  /** Per-attempt timeout of one HTTP request. */
  requestTimeoutMs?: number;
  /** Per-service concurrency caps (by SDK service id, lower case); `default` for the rest. */
  concurrency?: Record<string, number>;
  /** Called for every HTTP attempt (benchmarks count API calls with it). */
  onCall?: (service: string, operation: string) => void;
  /** Whose calls these clients make, for the per-scope usage the ledger keeps (default `own`). */
  meter?: Meter;
  /** Middleware a runtime adds to every client (e.g. the local runtime's emulator workarounds). */
  decorators?: readonly ClientDecorator[];
  /** Answers requests in place of HTTP (the local runtime's in-memory DynamoDB for one-shot scans). */
  requestHandler?: object;
}

/** Adds middleware to one SDK client as it is created. */
export type ClientDecorator = (client: MiddlewareClient) => void;

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** The part of an SDK v3 client that decorators use. */
export interface MiddlewareClient {
  config: { serviceId?: string };
  middlewareStack: {
    add(mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>, opts: { step: string; name: string; priority?: string }): void;
  };
}

export function createClients(opts: ClientOptions): AwsClients {
  const cache = new Map<string, unknown>();
  const caps = { ...DEFAULT_CONCURRENCY, ...opts.concurrency };
  const semaphores = new Map<string, Semaphore>();
  const semaphore = (service: string) => {
    let s = semaphores.get(service);
    if (!s) semaphores.set(service, (s = new Semaphore(caps[service] ?? caps.default ?? 8)));
    return s;
  };
  return {
    region: opts.region,
    get<T>(ctor: ClientCtor<T>, region = opts.region): T {
      const key = `${ctor.name}@${region}`;
      let client = cache.get(key) as T | undefined;
      if (!client) {
        client = new ctor({
          region,
          credentials: opts.credentials,
          endpoint: opts.endpoint,
          // S3 on an emulator endpoint needs path-style addressing; other clients ignore it.
          forcePathStyle: opts.endpoint ? true : undefined,
          retryMode: opts.retryMode ?? 'adaptive',
          maxAttempts: opts.maxAttempts ?? 8,
          // Current smithy handlers only warn on a request timeout unless told to throw; a hung
          // call must fail (TimeoutError is retryable) instead of eating the scan's time budget.
          // An HTTP/1.1 handler for every client: Kinesis defaults to HTTP/2 (for SubscribeToShard,
          // which Posture never calls), and HTTP/1.1 serves every call Posture makes, on AWS and on
          // the emulator (moto's server speaks HTTP/1.1 only).
          requestHandler: opts.requestHandler ?? new NodeHttpHandler({ requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000, throwOnRequestTimeout: true }),
        });
        const c = client as unknown as MiddlewareClient;
        const service = (c.config.serviceId ?? ctor.name.replace(/Client$/, '')).toLowerCase().replace(/\s+/g, '');
        // Held across retries and backoff: a throttled service slows down as a whole.
        // A failed call's error notes which call it was (describeError names it when AWS gave no code).
        c.middlewareStack.add(
          (next, ctx) => (args) => semaphore(service).run(() => next(args)).catch((err: unknown) => Promise.reject(noteOperation(err, service, ctx.commandName))),
          { step: 'initialize', name: 'postureConcurrencyCap' },
        );
        // What the caller injects (the local runtime: the emulator's race retry, src/local/).
        for (const decorate of opts.decorators ?? []) decorate(c);
        const onCall = opts.onCall;
        const meter = opts.meter ?? 'own';
        // The deserialize step runs once per HTTP attempt (inside the retry loop).
        c.middlewareStack.add(
          (next, ctx) => (args) => {
            const operation = ctx.commandName ?? 'unknown';
            meterCall(meter, service, operation, (args as { input?: unknown }).input);
            onCall?.(service, operation);
            return next(args);
          },
          { step: 'deserialize', name: 'postureCallCounter' },
        );
        cache.set(key, client);
      }
      return client;
    },
  };
}
