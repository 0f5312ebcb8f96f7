/**
 * Delivers one alert transition to its destinations (routing.ts), each independently: bounded
 * retries per destination, and a destination that still fails is parked on the delivery DLQ with
 * the alert and the reason. The stream record itself succeeds, so a retry of it can never re-send
 * to the destinations that already got the alert. Only when the DLQ itself cannot be written does
 * dispatch throw: then a repeat is the lesser harm than a lost alert.
 */
import type { Clock } from '#core/types.ts';
import type { Log } from '#scan/deps.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { LoadedDestinations } from '#store/destination-store.ts';
import type { AlertPayload } from './alert-payload.ts';
import type { Destination } from './destination-config.ts';
import type { DestinationSender } from './destination-sender.ts';
import { AttemptsFailure } from './retry.ts';
import { effectiveDestinations, routeAlert } from './routing.ts';

/** What goes on the delivery DLQ: enough to re-deliver (the payload is rebuilt from the alert). */
export interface DeliveryDeadLetter {
  destinationId: string;
  destinationType: Destination['type'];
  reason: string;
  attempts: number;
  failedAt: string;
  alert: AlertItem;
}

export interface DeliveryOutcome {
  destinationId: string;
  status: 'delivered' | 'dead-lettered';
  attempts: number;
  reason?: string;
}

export interface DispatchReport {
  outcomes: DeliveryOutcome[];
  unknown: string[];
  belowSeverity: string[];
}

export interface DispatcherDeps {
  /** The Destinations table (or any source of it). */
  destinations: { load(): Promise<LoadedDestinations> };
  sender: DestinationSender;
  /** The stack's alerts topic (destination `default-topic`). */
  defaultTopicArn: string;
  deadLetter: (message: DeliveryDeadLetter) => Promise<void>;
  log: Log;
  clock: Clock;
  /** How long the destination list is reused before the table is read again. */
  registryTtlMs?: number;
}

export class AlertDispatcher {
  private registry?: { at: number; value: Promise<Destination[]> };

  constructor(private readonly deps: DispatcherDeps) {}

  /** Every destination (the built-in topic included), read at most once per TTL. */
  async destinations(): Promise<Destination[]> {
    const now = this.deps.clock.now().getTime();
    if (!this.registry || now - this.registry.at >= (this.deps.registryTtlMs ?? 60_000)) {
      const value = this.deps.destinations.load().then((loaded) => {
        for (const e of loaded.errors) this.deps.log.error(`alert destinations: ${e} (skipped)`);
        return effectiveDestinations(loaded.destinations, this.deps.defaultTopicArn);
      });
      value.catch(() => (this.registry = undefined));
      this.registry = { at: now, value };
    }
    return this.registry.value;
  }

  async dispatch(alert: AlertItem, payload: AlertPayload): Promise<DispatchReport> {
    const route = routeAlert(alert, await this.destinations());
    for (const id of route.unknown) {
      this.deps.log.error(`alert ${alert.alertKey}: policy ${alert.policyId} names destination '${id}', which is not configured; sent to the default destinations instead`, {
        alertKey: alert.alertKey,
        policyId: alert.policyId,
        destinationId: id,
      });
    }
    const dlqErrors: Error[] = [];
    const outcomes = await Promise.all(
      route.targets.map(async (d): Promise<DeliveryOutcome> => {
        try {
          const { attempts } = await this.deps.sender.deliverTo(d, payload);
          return { destinationId: d.destinationId, status: 'delivered', attempts };
        } catch (err) {
          const attempts = err instanceof AttemptsFailure ? err.attempts : 0; // 0: a configuration error stopped it before any attempt
          const reason = (err as Error).message;
          this.deps.log.error(`alert ${alert.alertKey}: delivery to ${d.destinationId} failed: ${reason}; parked on the delivery DLQ`, {
            alertKey: alert.alertKey,
            destinationId: d.destinationId,
          });
          try {
            await this.deps.deadLetter({ destinationId: d.destinationId, destinationType: d.type, reason, attempts, failedAt: this.deps.clock.now().toISOString(), alert });
          } catch (dlqErr) {
            dlqErrors.push(new Error(`delivery DLQ: ${(dlqErr as Error).message} (alert ${alert.alertKey} for ${d.destinationId})`));
          }
          return { destinationId: d.destinationId, status: 'dead-lettered', attempts, reason };
        }
      }),
    );
    if (dlqErrors.length) throw dlqErrors[0]!;
    return { outcomes, unknown: route.unknown, belowSeverity: route.belowSeverity };
  }
}
