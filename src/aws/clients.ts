/**
 * One factory for SDK v3 clients, bound to a credential source and an optional endpoint (moto
 * server locally, real AWS when deployed). Clients are cached per constructor and region.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

// SDK v3 client constructors take their own config types; all accept the fields we set.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClientCtor<T> = new (config: any) => T;

export interface AwsClients {
  /** A client of the given type for `region` (default: the factory's region). */
  get<T>(ctor: ClientCtor<T>, region?: string): T;
  readonly region: string;
}

export interface ClientOptions {
  region: string;
  credentials?: Credentials;
  /** Endpoint for every service (AWS_ENDPOINT_URL semantics): the local emulator. */
  endpoint?: string;
  maxAttempts?: number;
}

export function createClients(opts: ClientOptions): AwsClients {
  const cache = new Map<string, unknown>();
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
          // Adaptive retry: client-side rate limiting plus jittered backoff on throttling.
          retryMode: 'adaptive',
          maxAttempts: opts.maxAttempts ?? 8,
        });
        cache.set(key, client);
      }
      return client;
    },
  };
}
