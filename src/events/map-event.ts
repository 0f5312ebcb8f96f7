/** Maps a CloudTrail event to rescan targets through the registry's event declarations. */
import { eventMap, eventRules, REGISTRY, type AnyResourceType, type EventMap } from '#resources/index.ts';
import type { EventAction } from '#resources/types.ts';
import type { Actor } from '#core/provenance.ts';
import { actorOf } from './actor.ts';
import type { CloudTrailEvent } from './envelope.ts';
import type { Rejection } from './trust.ts';

export interface RescanTarget {
  accountId: string;
  /** Region of the event (API calls of global types are made in the home region). */
  region: string;
  resourceType: string;
  action: EventAction;
  /** The resource the event names (rescan/delete). */
  ref?: unknown;
  eventID: string;
  eventName: string;
  eventTime: string;
  settleSeconds?: number;
  /** Who made the call, from where: the provenance the rescan keeps. */
  actor: Actor;
}

export type DropReason = 'readOnly' | 'failedCall' | 'unknownEvent';

export type MapOutcome = { targets: RescanTarget[] } | { dropped: DropReason } | { rejected: Rejection };

const maps = new WeakMap<readonly AnyResourceType[], EventMap>();

/**
 * Maps through `registry`'s event declarations (the event map is built once per registry). The
 * account is the envelope's (EventBridge's word, checked against CloudTrail's by trust.ts); an
 * event that names no resource a rule can act on is rejected with a reason, never dropped silently.
 */
export function mapEvent(event: CloudTrailEvent, registry: readonly AnyResourceType[] = REGISTRY): MapOutcome {
  let map = maps.get(registry);
  if (!map) maps.set(registry, (map = eventMap(registry)));
  const d = event.detail;
  if (d.errorCode) return { dropped: 'failedCall' };
  if (d.readOnly === true) return { dropped: 'readOnly' };
  const rules = eventRules(d.eventSource, d.eventName, map);
  if (rules.length === 0) return { dropped: 'unknownEvent' };
  const accountId = event.account;
  const targets: RescanTarget[] = [];
  const actor = actorOf(d, event.via.source);
  for (const { type, rule } of rules) {
    const base = {
      accountId,
      region: d.awsRegion,
      resourceType: type.type,
      action: rule.action,
      eventID: d.eventID,
      eventName: d.eventName,
      eventTime: d.eventTime,
      settleSeconds: rule.settleSeconds,
      actor,
    };
    if (rule.action === 'rescan' || rule.action === 'delete') {
      for (const ref of rule.refs?.(d) ?? []) targets.push({ ...base, ref });
    } else {
      targets.push(base);
    }
  }
  if (targets.length === 0) {
    const bindings = rules.map(({ type }) => type.type).join(', ');
    return { rejected: { reason: 'noTarget', message: `event ${d.eventID} (${d.eventSource} ${d.eventName}): names no resource to rescan (${bindings})` } };
  }
  return { targets };
}
