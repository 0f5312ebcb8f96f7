/**
 * What the realtime queue receives: the EventBridge envelope of a CloudTrail API-call event, or a
 * record the log-file reader (cloudtrail-logs.ts) took from a trail's log file in S3. Both parse to
 * one CloudTrailEvent, marked with where it came from.
 */
import { z } from 'zod';
import type { CloudTrailDetail } from '#resources/types.ts';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** eventID prefix of `posture accounts verify` canaries. */
export const CANARY_EVENT_PREFIX = 'posture-canary-';
/** Source of `posture accounts verify`'s canary: real AWS refuses PutEvents with an `aws.*` source. */
export const CANARY_SOURCE = 'posture.canary';
/** The central event bus the member rules forward to (the stack's and the local runtime's). */
export const CENTRAL_BUS_NAME = 'posture-central';
/** Sources only AWS services can emit: EventBridge's PutEvents refuses any source starting with it. */
export const AWS_SOURCE_PREFIX = 'aws.';

/**
 * The central bus rule's pattern (the CDK stack and the local runtime both use it): CloudTrail
 * API calls from AWS services (`aws.*`, which nobody can send with PutEvents) and the verify
 * canary. Who may send at all is the bus policy's decision; what an event may claim is trust.ts's.
 */
export const CENTRAL_EVENT_PATTERN = {
  'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
  source: [{ prefix: AWS_SOURCE_PREFIX }, CANARY_SOURCE],
} as const;

/** A verify canary (sent by `posture accounts verify` through the member rule), not a real API call. */
export function isCanary(event: CloudTrailEvent): boolean {
  const d = event.detail as CloudTrailDetail & { posture?: { canary?: unknown } };
  return event.source === CANARY_SOURCE && d.posture?.canary === true && d.eventID.startsWith(CANARY_EVENT_PREFIX);
}

const detailSchema = z
  .object({
    eventID: z.string().min(1),
    eventName: z.string().min(1),
    eventSource: z.string().min(1),
    eventTime: z.string().min(1),
    awsRegion: z.string().min(1),
    recipientAccountId: z.string().optional(),
    errorCode: z.string().optional(),
    readOnly: z.boolean().optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullish(),
    responseElements: z.record(z.string(), z.unknown()).nullish(),
  })
  .passthrough();

const envelopeSchema = z.object({
  id: z.string().optional(),
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.string().min(1),
  // EventBridge sets `account` to the sender's account; nobody can forge it. It is what a rescan targets.
  account: z.string({ error: 'missing: EventBridge always sets the sender account' }).regex(/^\d{12}$/, 'must be the 12-digit account EventBridge sets'),
  region: z.string(),
  time: z.string().optional(),
  detail: detailSchema,
});

/**
 * A CloudTrail record forwarded from a log file by the log-file reader. `account` and `region` are
 * the object key's (`AWSLogs/[o-id/]<account>/CloudTrail/<region>/…`), which only CloudTrail writes.
 */
export const LOG_FILE_MESSAGE = 'cloudtrail-log';
export const logFileMessageSchema = z.object({
  posture: z.literal(LOG_FILE_MESSAGE),
  bucket: z.string().min(1),
  key: z.string().min(1),
  account: z.string().regex(/^\d{12}$/, 'must be the 12-digit account of the object key'),
  region: z.string().min(1),
  detail: detailSchema,
});
export type LogFileMessage = z.infer<typeof logFileMessageSchema>;

/** Where an event came from: EventBridge (the envelope) or a trail's log file in S3. */
export type EventVia = { source: 'eventbridge' } | { source: 'cloudtrail-s3'; bucket: string; key: string };

export interface CloudTrailEvent {
  /** The account to rescan: EventBridge's sender account, or the log file key's account. */
  account: string;
  /** The envelope's source (`aws.<service>`, or the canary's). */
  source: string;
  region: string;
  detail: CloudTrailDetail;
  via: EventVia;
}

/** The `aws.<service>` source EventBridge gives a CloudTrail event of `eventSource` (`ec2.amazonaws.com` → `aws.ec2`). */
export function awsSourceOf(eventSource: string): string {
  return `${AWS_SOURCE_PREFIX}${eventSource.split('.')[0]}`;
}

/** Messages from the delay queue wrap the original event. */
const deferredSchema = z.object({ settled: z.literal(true), event: z.unknown() });

export interface ParsedMessage {
  event: CloudTrailEvent;
  /** True when the message already waited out its settle delay. */
  settled: boolean;
}

/** At most `max` characters on one line: line breaks and other control characters escaped. */
export function oneLine(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Parses an SQS body; throws a one-line error naming the first bad field. */
export function parseMessage(body: string): ParsedMessage {
  try {
    return parseBody(body);
  } catch (err) {
    // JSON.parse quotes the input and events carry their own IDs: keep the reason one line.
    throw new Error(oneLine((err as Error).message, 1000));
  }
}

function parseBody(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new Error(`message is not JSON: ${oneLine((err as Error).message)}`);
  }
  const deferred = deferredSchema.safeParse(json);
  const raw = deferred.success ? deferred.data.event : json;
  if ((raw as { posture?: unknown } | null)?.posture === LOG_FILE_MESSAGE) {
    const m = logFileMessageSchema.safeParse(raw);
    if (!m.success) throw new Error(issueLine(raw, m.error.issues[0]!));
    const { bucket, key, account, region, detail } = m.data;
    return {
      event: { account, source: awsSourceOf(detail.eventSource), region, detail: detail as CloudTrailDetail, via: { source: 'cloudtrail-s3', bucket, key } },
      settled: deferred.success,
    };
  }
  const r = envelopeSchema.safeParse(raw);
  if (!r.success) throw new Error(issueLine(raw, r.error.issues[0]!));
  return {
    event: { account: r.data.account, source: r.data.source, region: r.data.region, detail: r.data.detail as CloudTrailDetail, via: { source: 'eventbridge' } },
    settled: deferred.success,
  };
}

/** `event <eventID>: <field>: <what is wrong>` on one line. */
function issueLine(raw: unknown, issue: z.core.$ZodIssue): string {
  const eventId = (raw as { detail?: { eventID?: unknown } } | null)?.detail?.eventID;
  return `event ${typeof eventId === 'string' ? oneLine(eventId, 100) : '?'}: ${oneLine(issue.path.join('.'), 100) || '(root)'}: ${oneLine(issue.message)}`;
}
