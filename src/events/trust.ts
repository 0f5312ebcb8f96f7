/**
 * What a real-time event may claim (DESIGN §5, trust rules). Anyone the bus policy admits (the
 * whole Organization) can PutEvents a CloudTrail-shaped event, so only what EventBridge vouches
 * for is believed: the envelope `account` (set by EventBridge to the sender, never forgeable)
 * names the account to rescan, and an `aws.*` source (which PutEvents refuses) proves an AWS
 * service emitted it. Everything else in the event is a hint to rescan, never a verdict.
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

/** Why the event must not be acted on, or undefined when EventBridge vouches for what it claims. */
export function trustRejection(event: CloudTrailEvent): Rejection | undefined {
  const d = event.detail;
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
