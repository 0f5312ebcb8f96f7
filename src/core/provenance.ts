/**
 * Provenance: who and what caused a change Posture recorded (DESIGN §5, §7). A real-time rescan
 * carries the CloudTrail events behind it — every event a coalesced rescan stands for — as
 * actors; a change only a scan found carries the window in which it happened (between the
 * previous observation and this one). One declaration, stored on resource versions, compliance
 * transitions and alerts, and rendered into one sentence by `provenanceText`.
 */
import { z } from 'zod';

/** At most this many actors are kept on one record (a rescan-region event storm); the rest are counted. */
export const MAX_ACTORS = 50;

export const actorSchema = z.object({
  eventID: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  eventTime: z.string(),
  awsRegion: z.string(),
  /** How the event reached Posture: the member EventBridge rule, or a CloudTrail log file in S3. */
  via: z.enum(['eventbridge', 'cloudtrail-s3']),
  /** userIdentity.type: IAMUser, AssumedRole, Root, AWSService, FederatedUser, … */
  identityType: z.string().nullable(),
  arn: z.string().nullable(),
  principalId: z.string().nullable(),
  /** userIdentity.accountId: the caller's account (not always the resource's). */
  accountId: z.string().nullable(),
  /** sessionContext.sessionIssuer.arn: the role behind an assumed-role session. */
  sessionIssuer: z.string().nullable(),
  /** userIdentity.invokedBy: the AWS service that made the call on the caller's behalf. */
  invokedBy: z.string().nullable(),
  sourceIPAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type Actor = z.infer<typeof actorSchema>;

export const provenanceSchema = z.object({
  /** The CloudTrail events that caused the rescan, oldest first (absent: no event did). */
  actors: z.array(actorSchema).optional(),
  /** Earlier events beyond MAX_ACTORS that are not listed. */
  moreActors: z.number().int().positive().optional(),
  /** A change found by a scan: it happened after `from` (the previous observation; null: never seen before) and by `to`. */
  window: z.object({ from: z.string().nullable(), to: z.string() }).optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** Actors of several events as one list: each event once, oldest first, the newest MAX_ACTORS (the earlier ones counted). */
export function mergeActors(lists: readonly (readonly Actor[])[]): Provenance {
  const byId = new Map<string, Actor>();
  for (const list of lists) for (const a of list) if (!byId.has(a.eventID)) byId.set(a.eventID, a);
  const all = [...byId.values()].sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventID.localeCompare(b.eventID)));
  const kept = all.slice(-MAX_ACTORS);
  return { actors: kept, ...(all.length > kept.length ? { moreActors: all.length - kept.length } : {}) };
}

/**
 * The window in which a change a scan found happened: after the newest of the previous
 * observation of the old state and the start of the scope's previous successful scan (`since`),
 * by this observation. `from` is null when neither is known (first seen by this scan).
 */
export function scanWindow(previousObservedAt: string | undefined, since: string | undefined, to: string): Provenance {
  const known = [previousObservedAt, since].filter((t): t is string => typeof t === 'string' && t <= to).sort();
  return { window: { from: known.at(-1) ?? null, to } };
}

/** Who acted, in as few words as the record allows: the ARN, else the principal, else the type. */
export function actorName(a: Actor): string {
  return a.arn ?? (a.invokedBy ? `${a.invokedBy} (AWS service)` : null) ?? a.principalId ?? a.identityType ?? 'an unknown caller';
}

/** "2026-12-05 12:03:11 UTC" (an unparsable value is returned as it is). */
export const utcTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
};

/** One actor as a clause: "arn:… called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC". */
export function actorClause(a: Actor): string {
  const from = a.sourceIPAddress ? ` from ${a.sourceIPAddress}` : '';
  return `${actorName(a)} called ${a.eventName}${from} at ${utcTime(a.eventTime)}`;
}

/**
 * The cause as one sentence fragment, after a verb ("opened after …", "changed after …"):
 * the newest actor (and how many more), or the scan window. Undefined when nothing is known
 * (an upload or an exception re-evaluated a stored resource).
 */
export function provenanceText(p: Provenance | null | undefined): string | undefined {
  if (!p) return undefined;
  const actors = p.actors ?? [];
  if (actors.length) {
    const others = actors.length - 1 + (p.moreActors ?? 0);
    return `after ${actorClause(actors.at(-1)!)}${others ? ` (and ${others} earlier event${others === 1 ? '' : 's'})` : ''}`;
  }
  if (p.window) {
    return p.window.from
      ? `found by a scan: changed between ${utcTime(p.window.from)} and ${utcTime(p.window.to)} (no CloudTrail event was seen)`
      : `found by a scan at ${utcTime(p.window.to)}: first seen then`;
  }
  return undefined;
}

/** The newest event behind a change (the one `provenanceText` names), if any. */
export const newestActor = (p: Provenance | null | undefined): Actor | undefined => p?.actors?.at(-1);

/**
 * Text from an event (ARNs, user agents, IPs: attacker-influenced) kept to one line: control
 * characters and line or paragraph separators become spaces, runs of whitespace one space.
 */
// eslint-disable-next-line no-control-regex
export const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s{2,}/g, ' ').trim();

/**
 * The cause as one line, led by what happened: "opened after arn:… called … from … at …" when
 * events are known; the scan window as `provenanceText` words it otherwise (it names itself);
 * undefined when nothing is known.
 */
export function causeText(verb: string, p: Provenance | null | undefined): string | undefined {
  const text = provenanceText(p);
  if (!text) return undefined;
  return oneLine(p?.actors?.length ? `${verb} ${text}` : text);
}
