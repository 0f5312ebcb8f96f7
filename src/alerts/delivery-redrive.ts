/**
 * Re-delivery from the delivery DLQ (`posture destinations redrive`): each parked (alert,
 * destination) is sent again to that destination only, with the payload rebuilt from the alert
 * item and the resource's current JSON. A message is deleted only after its delivery succeeded;
 * one that fails again stays on the queue (visible again after the visibility timeout).
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResourceStore } from '#store/resource-store.ts';
import { alertPayload } from './alert-payload.ts';
import type { Destination } from './destination-config.ts';
import type { DestinationSender } from './destination-sender.ts';
import type { DeliveryDeadLetter } from './dispatcher.ts';

export interface RedrivePorts {
  sqs: SQSClient;
  queueUrl: string;
  destinations: readonly Destination[];
  sender: DestinationSender;
  resources: Pick<ResourceStore, 'get'>;
}

export interface RedriveOptions {
  /** Only messages of this destination (the others stay parked). */
  destinationId?: string;
  /** At most this many messages are taken off the queue. */
  max: number;
  /** Seconds a message taken but not redelivered stays invisible. */
  visibilityTimeout?: number;
}

export interface RedriveResult {
  delivered: { destinationId: string; alertKey: string }[];
  failed: { destinationId: string; alertKey: string; reason: string }[];
  /** Messages of other destinations, or not a delivery record (left on the queue). */
  skipped: number;
}

function parse(body: string | undefined): DeliveryDeadLetter | undefined {
  try {
    const m = JSON.parse(body ?? '') as DeliveryDeadLetter;
    return typeof m?.destinationId === 'string' && typeof m.alert?.alertKey === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

export async function redriveDeliveries(ports: RedrivePorts, opts: RedriveOptions): Promise<RedriveResult> {
  const out: RedriveResult = { delivered: [], failed: [], skipped: 0 };
  const byId = new Map(ports.destinations.map((d) => [d.destinationId, d]));
  let taken = 0;
  while (taken < opts.max) {
    const r = await ports.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: ports.queueUrl, MaxNumberOfMessages: Math.min(10, opts.max - taken), WaitTimeSeconds: 0, VisibilityTimeout: opts.visibilityTimeout ?? 60 }),
    );
    const messages = r.Messages ?? [];
    if (messages.length === 0) break;
    taken += messages.length;
    for (const m of messages) {
      const parked = parse(m.Body);
      if (!parked || (opts.destinationId && parked.destinationId !== opts.destinationId)) {
        out.skipped++;
        continue;
      }
      const { destinationId } = parked;
      const alertKey = parked.alert.alertKey;
      const destination = byId.get(destinationId);
      if (!destination) {
        out.failed.push({ destinationId, alertKey, reason: `destination ${destinationId} is no longer configured` });
        continue;
      }
      try {
        await ports.sender.deliverTo(destination, await alertPayload(parked.alert, ports.resources));
      } catch (err) {
        out.failed.push({ destinationId, alertKey, reason: (err as Error).message });
        continue;
      }
      await ports.sqs.send(new DeleteMessageCommand({ QueueUrl: ports.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      out.delivered.push({ destinationId, alertKey });
    }
  }
  return out;
}
