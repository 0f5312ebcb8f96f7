/**
 * The actor of a CloudTrail event (userIdentity, source IP, user agent, the call and its time):
 * what a real-time rescan keeps as its provenance. Values come from the event as delivered and
 * are bounded in length — they are a record of who claimed to call, shown to people, never a
 * verdict (the rescan's describe is).
 */
import type { Actor } from '#core/provenance.ts';
import type { CloudTrailDetail } from '#resources/types.ts';

/** Longest value kept per field (user agents can be long; ARNs are at most 2,048). */
const MAX_FIELD = 2048;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v.slice(0, MAX_FIELD) : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function actorOf(detail: CloudTrailDetail, via: Actor['via']): Actor {
  const d = detail as CloudTrailDetail & { sourceIPAddress?: unknown; userAgent?: unknown };
  const who = obj(detail.userIdentity);
  const issuer = obj(obj(who.sessionContext).sessionIssuer);
  return {
    eventID: detail.eventID,
    eventName: detail.eventName,
    eventSource: detail.eventSource,
    eventTime: detail.eventTime,
    awsRegion: detail.awsRegion,
    via,
    identityType: str(who.type),
    arn: str(who.arn),
    principalId: str(who.principalId),
    accountId: str(who.accountId),
    sessionIssuer: str(issuer.arn),
    invokedBy: str(who.invokedBy),
    sourceIPAddress: str(d.sourceIPAddress),
    userAgent: str(d.userAgent),
  };
}
