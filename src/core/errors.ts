/** Classifies AWS errors into scan-ledger outcomes, so a denied or throttled scope is never read as "no resources". */
export type ScopeOutcome = 'OK' | 'ACCESS_DENIED' | 'THROTTLED' | 'REGION_DISABLED' | 'ERROR';

const ACCESS = /AccessDenied|UnauthorizedOperation|AuthorizationError|NotAuthorized|InvalidClientTokenId|UnrecognizedClient|AuthFailure|ExpiredToken/i;
const THROTTLE = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|Rate exceeded/i;
const REGION = /OptInRequired|InvalidRegion|not enabled for region|UnknownEndpoint|region is disabled/i;

export function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: string; Code?: string; code?: string };
    return e.name ?? e.Code ?? e.code ?? 'Error';
  }
  return 'Error';
}

export function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 500);
}

export function classifyError(err: unknown): ScopeOutcome {
  const text = `${errorName(err)} ${errorMessage(err)}`;
  if (REGION.test(text)) return 'REGION_DISABLED';
  if (ACCESS.test(text)) return 'ACCESS_DENIED';
  if (THROTTLE.test(text)) return 'THROTTLED';
  return 'ERROR';
}

/** `ExcType: message` — one line, as the ledger and findings show it. */
export function describeError(err: unknown): string {
  return `${errorName(err)}: ${errorMessage(err)}`;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}
