/**
 * Calls that an emulator may not implement. AWS answers every modeled operation with an AWS error
 * document; an emulator that lacks one (moto answers DescribeStaleSecurityGroups,
 * ListResourcesForWebACL and CloudFront ListDistributionsByWebACLId with an HTML error page)
 * would otherwise fail the whole describe, after the SDK retried the "5xx" eight times.
 *
 * `orNotImplemented` turns exactly that answer (an HTML page with status 404/500/501 that the
 * SDK could not parse) into `NOT_IMPLEMENTED`, at once and without retries, and remembers it for
 * the rest of the scope so the call is not tried again. Every real AWS error (AccessDenied,
 * throttling, NotFound, a 5xx with an AWS error body) still propagates.
 */
import type { ScanContext } from './types.ts';

export const NOT_IMPLEMENTED: unique symbol = Symbol('operation missing at the endpoint');

export class NotImplementedByEndpoint extends Error {
  override readonly name = 'NotImplementedByEndpoint';
}

interface HtmlAnswer {
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  $metadata?: { httpStatusCode?: number };
  Code?: unknown;
}

/** An unparseable HTML error page instead of an AWS error document. */
export function isEmulatorGap(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as HtmlAnswer;
  const status = r.$response?.statusCode ?? r.$metadata?.httpStatusCode;
  const type = r.$response?.headers?.['content-type'] ?? '';
  // A modeled AWS error carries its code; a deserialization failure does not.
  return r.Code === undefined && [404, 500, 501].includes(status ?? 0) && type.startsWith('text/html');
}

interface CommandWithStack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      opts: { step: 'deserialize'; name: string; priority: 'high' },
    ): void;
  };
}

/** `command` with a middleware (inside the retry loop, around the deserializer) that turns an
 *  emulator gap into a non-retryable NotImplementedByEndpoint. */
function failFast<C>(command: C): C {
  (command as unknown as CommandWithStack).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        if (isEmulatorGap(e)) throw new NotImplementedByEndpoint(`${(e as Error).message.split('\n')[0]}`);
        throw e;
      }
    },
    { step: 'deserialize', name: 'postureNotImplemented', priority: 'high' },
  );
  return command;
}

const memoKey = (operation: string, region: string) => `not-implemented:${operation}:${region}`;

/**
 * `send(command)`'s answer, or NOT_IMPLEMENTED when the endpoint does not implement `operation`
 * (then later calls in the same scope return NOT_IMPLEMENTED without a request).
 */
export async function orNotImplemented<C, T>(
  ctx: ScanContext,
  operation: string,
  command: C,
  send: (command: C) => Promise<T>,
): Promise<T | typeof NOT_IMPLEMENTED> {
  const key = memoKey(operation, ctx.region);
  if (ctx.cache.has(key)) return NOT_IMPLEMENTED;
  try {
    return await send(failFast(command));
  } catch (e) {
    if (e instanceof NotImplementedByEndpoint || isEmulatorGap(e)) {
      ctx.cache.set(key, Promise.resolve(true));
      return NOT_IMPLEMENTED;
    }
    throw e;
  }
}
