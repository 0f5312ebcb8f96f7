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

/** Where the SDK client middleware (src/aws/clients.ts) notes the call that failed, e.g. `cloudtrail:DescribeTrails`. */
const OPERATION = Symbol.for('posture.operation');

/** Notes on an SDK error which call failed (`service`, the command name without `Command`); returns it. */
export function noteOperation(err: unknown, service: string, commandName: string | undefined): unknown {
  if (err && typeof err === 'object' && !(OPERATION in err) && commandName) {
    Object.defineProperty(err, OPERATION, { value: `${service}:${commandName.replace(/Command$/, '')}`, enumerable: false });
  }
  return err;
}

/** The call an SDK error came from (`cloudtrail:DescribeTrails`), when a client noted it. */
export function operationOf(err: unknown): string | undefined {
  return err && typeof err === 'object' ? ((err as Record<symbol, string | undefined>)[OPERATION] ?? undefined) : undefined;
}

const httpStatusOf = (err: unknown): number | undefined =>
  err && typeof err === 'object' ? (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode : undefined;

/** Socket-level failures: nothing answered at the endpoint (not a credentials or permission problem). */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|ETIMEDOUT)$/;

/** `ECONNREFUSED` (…) when `err` (or its cause) is a connection failure, else undefined. */
export function unreachableCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.test(code)) return code;
    const errors = (e as { errors?: unknown }).errors; // AggregateError of a dual-stack connect
    if (Array.isArray(errors)) for (const inner of errors) if (unreachableCode(inner)) return unreachableCode(inner);
  }
  return undefined;
}

/**
 * `ExcType: message` — one line, as the ledger and findings show it. An SDK error without an AWS
 * error code (a response the SDK could not read: an HTML page, an empty 404) names the call and the
 * HTTP status instead of the SDK's `Unknown: UnknownError`.
 */
export function describeError(err: unknown): string {
  const name = errorName(err);
  const message = errorMessage(err);
  const status = httpStatusOf(err);
  if (status !== undefined && (name === 'Unknown' || name === 'UnknownError' || message === 'UnknownError' || !message)) {
    const call = operationOf(err) ?? 'an AWS call';
    const label = name === 'Unknown' || name === 'UnknownError' || name === 'Error' ? '' : ` (${name})`;
    return `HTTP ${status}${label} from ${call} without an AWS error code (the endpoint's answer could not be read as an AWS error)`;
  }
  return `${name}: ${message}`;
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
