/**
 * Exceptions: accepted risks beyond the engine's suppression patterns. An exception names a policy
 * ID and a resource-ID glob (`*` any run of characters, `?` one), with a reason, an owner and an
 * expiry date (valid through that day, UTC). Applied where results meet compliance (ingest, an
 * upload's re-evaluation, and `posture exceptions add|remove` at once through
 * src/publish/exception-effect.ts): a matching, unexpired exception marks a FAIL suppressed, so it
 * never alerts; once it has expired the next evaluation stores the FAIL unsuppressed, and the
 * transition opens the alert. The rules live here; src/store/exception-store.ts keeps them in DynamoDB.
 */
import type { PolicyResult } from '#core/types.ts';

export interface PolicyException {
  exceptionId: string;
  policyId: string;
  /** Glob over resource IDs. */
  resourcePattern: string;
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`: the last day the exception applies (UTC). */
  expires: string;
  createdAt: string;
}

export type ExceptionInput = Pick<PolicyException, 'policyId' | 'resourcePattern' | 'reason' | 'owner' | 'expires'>;

export class ExceptionError extends Error {}

const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The instant the exception stops applying: midnight UTC after its expiry day. */
export function expiresAt(expires: string): number {
  return Date.parse(`${expires}T00:00:00Z`) + DAY_MS;
}

export const isActive = (e: Pick<PolicyException, 'expires'>, now: Date): boolean => now.getTime() < expiresAt(e.expires);

/** Validates an exception; throws an ExceptionError with a one-line message. */
export function validateException(input: Partial<ExceptionInput>, now: Date): ExceptionInput {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const policyId = str(input.policyId);
  const resourcePattern = str(input.resourcePattern);
  const reason = str(input.reason);
  const owner = str(input.owner);
  const expires = str(input.expires);
  if (!policyId) throw new ExceptionError('policy: required (a policy ID, e.g. AWS.S3.Bucket.Encryption)');
  if (!POLICY_ID.test(policyId)) throw new ExceptionError(`policy: '${policyId}' is not a policy ID (letters, digits, . _ : -)`);
  if (!resourcePattern) throw new ExceptionError('resource: required (a resource-ID glob; * matches any characters, ? one)');
  if (/^\*+$/.test(resourcePattern)) throw new ExceptionError('resource: a bare * would except every resource; name the resources');
  if (/[\r\n]/.test(resourcePattern)) throw new ExceptionError('resource: the pattern must be one line');
  if (!reason) throw new ExceptionError('reason: required (why the risk is accepted)');
  if (!owner) throw new ExceptionError('owner: required (who answers for the exception)');
  const m = DATE.exec(expires);
  if (!m) throw new ExceptionError(`expires: '${expires}' is not a date (YYYY-MM-DD)`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== expires) throw new ExceptionError(`expires: '${expires}' is not a calendar date`);
  if (expiresAt(expires) <= now.getTime()) throw new ExceptionError(`expires: ${expires} is in the past`);
  return { policyId, resourcePattern, reason, owner, expires };
}

/** A glob over resource IDs as an anchored regular expression (`*` any run, `?` one character). */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** The exceptions loaded for one batch, matched with the batch's clock. */
export class ExceptionSet {
  private readonly byPolicy = new Map<string, { e: PolicyException; re: RegExp }[]>();

  constructor(readonly exceptions: readonly PolicyException[]) {
    // Deterministic: the same result is attributed to the same exception every time.
    for (const e of [...exceptions].sort((a, b) => a.exceptionId.localeCompare(b.exceptionId))) {
      const list = this.byPolicy.get(e.policyId) ?? [];
      list.push({ e, re: globToRegExp(e.resourcePattern) });
      this.byPolicy.set(e.policyId, list);
    }
  }

  match(policyId: string, resourceId: string, now: Date): PolicyException | undefined {
    return this.byPolicy.get(policyId)?.find((x) => isActive(x.e, now) && x.re.test(resourceId))?.e;
  }

  /** FAIL results under an active exception come back suppressed, naming it. Others are unchanged. */
  apply(results: readonly PolicyResult[], now: Date): PolicyResult[] {
    if (this.byPolicy.size === 0) return [...results];
    return results.map((r) => {
      if (r.status !== 'FAIL' || r.suppressed) return r;
      const e = this.match(r.policyId, r.resourceId, now);
      return e ? { ...r, suppressed: true, suppressedBy: e.exceptionId } : r;
    });
  }
}

/** Where ingest gets the exceptions from. */
export interface ExceptionSource {
  load(): Promise<ExceptionSet>;
}

/** A source that loads once and then answers from memory (one scan batch, one realtime batch). */
export function cachedExceptions(source: ExceptionSource): ExceptionSource {
  let loaded: Promise<ExceptionSet> | undefined;
  return {
    load: () => {
      loaded ??= source.load().catch((err: unknown) => {
        loaded = undefined;
        throw err;
      });
      return loaded;
    },
  };
}
