/**
 * What a real-time event may claim (DESIGN §5, trust rules). Anyone the bus policy admits (the
 * whole Organization) can PutEvents a CloudTrail-shaped event, so only what EventBridge vouches
 * for is believed: the envelope `account` (set by EventBridge to the sender, never forgeable)
 * names the account to rescan, and an `aws.*` source (which PutEvents refuses) proves an AWS
 * service emitted it. Everything else in the event is a hint to rescan, never a verdict.
 *
 * Records forwarded from CloudTrail log files (via `cloudtrail-s3`) never passed through
 * EventBridge, so the `aws.*` source check says nothing about them and does not apply. What
 * vouches for them instead: from outside the security account the realtime queue admits only the
 * central bus rule (its queue policy; the rule's target always delivers the EventBridge envelope,
 * never this shape), and of Posture's functions only the log-file reader may send to it; the
 * reader reads only the trail buckets the deployment names, whose policy lets only CloudTrail write
 * `AWSLogs/` (README, security model); and it takes `account` from the object key, for an
 * onboarded account whose record names that bucket. So the key's account is the trusted one, and
 * the record's own `recipientAccountId` must be present and equal it (the reader checks this too;
 * checked again here because this is where every event is judged).
 */
import type { CloudTrailDetail } from '#resources/types.ts';
import { AWS_SOURCE_PREFIX, CANARY_SOURCE, oneLine, type CloudTrailEvent } from './envelope.ts';

export type RejectReason = 'accountMismatch' | 'untrustedSource' | 'noTarget';

export interface Rejection {
  reason: RejectReason;
  /** One line naming the event and what it claimed. */
  message: string;
}

const named = (d: CloudTrailDetail) => `event ${oneLine(d.eventID, 100)} (${oneLine(d.eventSource, 60)} ${oneLine(d.eventName, 60)})`;

/** Why the event must not be acted on, or undefined when EventBridge (or the log file's key) vouches for what it claims. */
export function trustRejection(event: CloudTrailEvent): Rejection | undefined {
  const d = event.detail;
  if (event.via.source === 'cloudtrail-s3') {
    if (d.recipientAccountId !== event.account) {
      return {
        reason: 'accountMismatch',
        message: `${named(d)} from s3://${oneLine(event.via.bucket, 63)}/${oneLine(event.via.key, 200)}: detail.recipientAccountId ${oneLine(String(d.recipientAccountId ?? '(missing)'), 20)} is not the log file's account (${event.account})`,
      };
    }
    return undefined;
  }
  if (!event.source.startsWith(AWS_SOURCE_PREFIX) && event.source !== CANARY_SOURCE) {
    return { reason: 'untrustedSource', message: `${named(d)}: source ${oneLine(event.source, 60)} is not an AWS service (aws.*): PutEvents can send it` };
  }
  if (d.recipientAccountId !== undefined && d.recipientAccountId !== event.account) {
    return {
      reason: 'accountMismatch',
      message: `${named(d)}: detail.recipientAccountId ${oneLine(d.recipientAccountId, 20)} is not the account EventBridge names as its sender (${event.account})`,
    };
  }
  return undefined;
}
