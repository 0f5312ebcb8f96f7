/**
 * Where one alert goes. A policy that names destinations (`OutputIds` or `destinations()`) is sent
 * exactly there; one that names none goes to the destinations flagged `default`. Then each
 * destination's minimum severity filters. A resolution carries the opened alert's destinations
 * and severity, so it is routed the same way.
 *
 * Nothing is lost to configuration drift: a named ID that is not configured is reported, and the
 * alert also goes to the defaults; when no destination is flagged default, the stack's own topic is.
 */
import type { Severity } from '#core/types.ts';
import { DEFAULT_TOPIC_ID, severityRank, type Destination } from './destination-config.ts';

/** The built-in destination: the stack's alerts topic, default for everything unless overridden. */
export function builtInTopic(topicArn: string): Destination {
  return { destinationId: DEFAULT_TOPIC_ID, type: 'sns', minSeverity: 'Info', default: true, topicArn, description: "the stack's alerts topic" };
}

/** Stored destinations plus the built-in topic; a stored `default-topic` item may only change its severity, default flag and description. */
export function effectiveDestinations(stored: readonly Destination[], topicArn: string): Destination[] {
  const builtIn = builtInTopic(topicArn);
  const override = stored.find((d) => d.destinationId === DEFAULT_TOPIC_ID);
  const topic: Destination = override
    ? { ...builtIn, minSeverity: override.minSeverity, default: override.default, description: override.description ?? builtIn.description, updatedAt: override.updatedAt }
    : builtIn;
  return [topic, ...stored.filter((d) => d.destinationId !== DEFAULT_TOPIC_ID)];
}

export interface Route {
  /** Where the alert is delivered. */
  targets: Destination[];
  /** Named by the policy but not configured. */
  unknown: string[];
  /** Chosen, but the alert is below their minimum severity. */
  belowSeverity: string[];
}

export function routeAlert(alert: { destinations?: string[] | null; severity: Severity }, all: readonly Destination[]): Route {
  const byId = new Map(all.map((d) => [d.destinationId, d]));
  const named = [...new Set(alert.destinations ?? [])];
  const unknown = named.filter((id) => !byId.has(id));
  const chosen = new Map<string, Destination>();
  for (const id of named) if (byId.has(id)) chosen.set(id, byId.get(id)!);
  if (named.length === 0 || unknown.length > 0) {
    const defaults = all.filter((d) => d.default);
    for (const d of defaults.length ? defaults : all.filter((d) => d.destinationId === DEFAULT_TOPIC_ID)) chosen.set(d.destinationId, d);
  }
  const targets: Destination[] = [];
  const belowSeverity: string[] = [];
  for (const d of chosen.values()) {
    if (severityRank(alert.severity) >= severityRank(d.minSeverity)) targets.push(d);
    else belowSeverity.push(d.destinationId);
  }
  return { targets, unknown, belowSeverity };
}
