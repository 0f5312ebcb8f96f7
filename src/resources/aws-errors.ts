/**
 * Classifying SDK v3 errors by AWS error code. Only the codes a caller names are treated as
 * "not found"; everything else (AccessDenied, throttling, network) propagates, so that an
 * unreadable setting is never reported as "not configured".
 */

/** True when `e` carries one of `codes`. Query-protocol services (IAM) name modeled errors
 *  `<Code>Exception`; both spellings match. */
export function hasErrorCode(e: unknown, ...codes: string[]): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as { name?: unknown; Code?: unknown; code?: unknown };
  const seen = [r.Code, r.code, r.name].filter((v): v is string => typeof v === 'string');
  return seen.some((v) => codes.includes(v) || codes.includes(v.replace(/Exception$/, '')));
}

/** `promise`'s value, or null when it fails with one of `codes`; other errors propagate. */
export async function orNull<T>(promise: Promise<T>, ...codes: string[]): Promise<T | null> {
  try {
    return await promise;
  } catch (e) {
    if (hasErrorCode(e, ...codes)) return null;
    throw e;
  }
}

/** True when `e` carries `code` and its message matches `message`: for services that answer
 *  "not found" with a generic code (SageMaker's ValidationException "RecordNotFound", Athena's
 *  InvalidRequestException "WorkGroup … is not found"), where the code alone means more. */
export function hasErrorMessage(e: unknown, code: string, message: RegExp): boolean {
  return hasErrorCode(e, code) && e instanceof Error && message.test(e.message);
}
