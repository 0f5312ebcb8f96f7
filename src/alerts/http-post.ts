/**
 * One HTTPS POST of an alert, classified for the retry loop: 2xx delivered; 429, 5xx, timeouts and
 * network errors are worth retrying; any other answer is a configuration problem (a revoked Slack
 * hook, a receiver that rejects the signature) that retrying cannot fix. Redirects are not
 * followed: a webhook must not be bounced to a host the operator did not configure.
 */

/** The message of a failure names the host and status, never the URL (it may carry a token). */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type Fetch = typeof fetch;

export interface PostOptions {
  timeoutMs?: number;
  fetch?: Fetch;
  now?: () => number;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const snippet = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 200);

export async function postJson(url: URL, body: string, headers: Record<string, string>, opts: PostOptions = {}): Promise<number> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'posture-alerts/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? 10_000} ms` : (e.cause?.code ?? e.message);
    throw new DeliveryFailure(`POST ${url.host}: ${why}`, true);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return res.status;
  const detail = snippet(text);
  const message = `POST ${url.host}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`;
  if (res.status === 429 || res.status >= 500) {
    throw new DeliveryFailure(message, true, retryAfterMs(res.headers.get('retry-after'), (opts.now ?? Date.now)()), res.status);
  }
  if (res.status >= 300 && res.status < 400) throw new DeliveryFailure(`${message} (redirects are not followed; configure the final URL)`, false, undefined, res.status);
  throw new DeliveryFailure(message, false, undefined, res.status);
}
