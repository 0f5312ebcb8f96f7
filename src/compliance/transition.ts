/**
 * The compliance transition rules, as pure functions (no store, no clock): given the stored
 * verdict of a (resource, policy) pair and a new result, what changes — the new item, the alert it
 * opens or resolves — or why nothing is written. The store executes these plans under its
 * conditional writes; the upload preview, the demo and the CLI read the same plans, so no rule is
 * written twice.
 *
 * - A transition into FAIL (not suppressed) opens exactly one alert; PASS or a suppression
 *   resolves it; ERROR keeps an open alert open (an evaluation that failed says nothing of a fix).
 * - A result observed before the stored verdict is stale and dropped: no verdict is replaced by
 *   an older one. An unchanged verdict is not rewritten, unless asked to record a newer
 *   observation (`touch`).
 * - A pair is removed (resource deleted, policy gone) with its open alert resolved, unless its
 *   verdict was observed after the removal was.
 */
import { scanWindow, type Provenance } from '#core/provenance.ts';
import type { PolicyResult, Status, Trigger } from '#core/types.ts';
import type { AlertItem, ComplianceItem, ResourceRef } from './model.ts';

/** A verdict that alerts: FAIL and not suppressed. */
export const alerting = (status: Status, suppressed: boolean): boolean => status === 'FAIL' && !suppressed;

/** True when the stored verdict was observed after `observedAt` (ISO strings compare in time order). */
export const observedLater = (prev: ComplianceItem | undefined, observedAt: string): boolean => prev?.observedAt !== undefined && prev.observedAt > observedAt;

/** The stored verdict already says what the result says. */
export function sameState(prev: ComplianceItem, r: PolicyResult): boolean {
  return (
    prev.status === r.status &&
    prev.suppressed === r.suppressed &&
    (prev.suppressedBy ?? null) === (r.suppressedBy ?? null) &&
    prev.severity === r.severity &&
    (prev.errorMessage ?? null) === (r.errorMessage ?? null)
  );
}

export interface TransitionContext {
  resource: ResourceRef;
  trigger: Trigger;
  now: Date;
  /** When the resource was read from AWS (ISO). */
  observedAt: string;
  /** Record a newer observation of an unchanged verdict (real-time rescans). */
  touch?: boolean;
  /** The CloudTrail events behind a real-time rescan; absent: the transition's scan window is recorded. */
  provenance?: Provenance;
  /** When the scope's previous successful scan started (scans: the lower bound of the change window). */
  since?: string;
}

/** A transition's provenance: the events behind it, or the window in which a scan's change happened. */
export function transitionProvenance(previous: ComplianceItem | undefined, ctx: Pick<TransitionContext, 'provenance' | 'observedAt' | 'trigger' | 'since'>): Provenance | undefined {
  if (ctx.provenance) return ctx.provenance;
  // Re-evaluations of stored resources (an upload, an exception) saw no change in AWS: no window.
  if (ctx.trigger !== 'scheduled') return undefined;
  return scanWindow(previous?.observedAt, ctx.since, ctx.observedAt);
}

export type Transition =
  /** Nothing to write: the verdict is the same (and no newer observation to record). */
  | { kind: 'unchanged' }
  /** The stored verdict was observed later: the result is dropped. */
  | { kind: 'stale' }
  /** The same verdict, observed later: only the observation time moves. */
  | { kind: 'touch'; previous: ComplianceItem }
  /** A new verdict (version + 1), with the alert it opens or resolves. */
  | { kind: 'change'; previous?: ComplianceItem; item: ComplianceItem; opened?: AlertItem; resolved?: AlertItem };

/** The alert a pair's resolution writes: RESOLVED at `now` by `by` (a trigger, `deleted`, `suppressed`…), caused as `provenance` says. */
export function resolvedAlert(prev: ComplianceItem, now: Date, by: string, provenance?: Provenance): AlertItem {
  return {
    alertKey: prev.alertKey!,
    openedAt: prev.alertOpenedAt!,
    status: 'RESOLVED',
    policyId: prev.policyId,
    resourceId: prev.resourceId,
    resourceType: prev.resourceType,
    accountId: prev.accountId,
    region: prev.region,
    severity: prev.severity,
    title: prev.title ?? prev.policyId,
    trigger: prev.trigger,
    dedup: null,
    description: null,
    runbook: null,
    reference: null,
    destinations: prev.alertDestinations ?? null,
    resolvedAt: now.toISOString(),
    resolvedBy: by,
    ...(provenance ? { resolvedProvenance: provenance } : {}),
  };
}

const hasOpenAlert = (prev: ComplianceItem | undefined): prev is ComplianceItem => Boolean(prev?.alertKey && prev.alertOpenedAt);

/** What a new result does to a pair whose stored verdict is `previous` (undefined: none yet). */
export function planTransition(previous: ComplianceItem | undefined, r: PolicyResult, ctx: TransitionContext): Transition {
  if (observedLater(previous, ctx.observedAt)) return { kind: 'stale' };
  if (previous && sameState(previous, r)) return ctx.touch && previous.observedAt !== ctx.observedAt ? { kind: 'touch', previous } : { kind: 'unchanged' };
  const { resource, trigger, now } = ctx;
  const ts = now.toISOString();
  const provenance = transitionProvenance(previous, ctx);
  const item: ComplianceItem = {
    resourceId: resource.resourceId,
    policyId: r.policyId,
    scope: resource.scope,
    accountId: resource.accountId,
    region: resource.region,
    resourceType: resource.resourceType,
    status: r.status,
    errorMessage: r.errorMessage ?? null,
    severity: r.severity,
    suppressed: r.suppressed,
    suppressedBy: r.suppressedBy ?? null,
    title: r.title ?? previous?.title ?? null,
    description: r.description ?? previous?.description ?? null,
    runbook: r.runbook ?? previous?.runbook ?? null,
    reference: r.reference ?? previous?.reference ?? null,
    trigger,
    ...(provenance ? { provenance } : {}),
    lastChanged: ts,
    observedAt: ctx.observedAt,
    statusKey: `${r.status}#${r.policyId}`,
    version: (previous?.version ?? 0) + 1,
    alertKey: previous?.alertKey,
    alertOpenedAt: previous?.alertOpenedAt,
    alertDestinations: previous?.alertDestinations,
  };
  if (alerting(r.status, r.suppressed) && !hasOpenAlert(previous)) {
    const opened: AlertItem = {
      alertKey: `${r.policyId}#${r.dedup ?? resource.resourceId}`,
      openedAt: `${ts}#${resource.resourceId}`,
      status: 'OPEN',
      policyId: r.policyId,
      resourceId: resource.resourceId,
      resourceType: resource.resourceType,
      accountId: resource.accountId,
      region: resource.region,
      severity: r.severity,
      title: r.title ?? r.policyId,
      trigger,
      ...(provenance ? { provenance } : {}),
      dedup: r.dedup ?? null,
      description: r.description ?? null,
      runbook: r.runbook ?? null,
      reference: r.reference ?? null,
      destinations: r.destinations?.length ? [...r.destinations] : null,
    };
    item.alertKey = opened.alertKey;
    item.alertOpenedAt = opened.openedAt;
    item.alertDestinations = opened.destinations;
    return { kind: 'change', previous, item, opened };
  }
  if (hasOpenAlert(previous) && (r.status === 'PASS' || r.suppressed)) {
    // ERROR keeps an open alert open: an evaluation that failed says nothing about a fix.
    const resolved = resolvedAlert(previous, now, r.suppressed ? 'suppressed' : trigger, provenance);
    delete item.alertKey;
    delete item.alertOpenedAt;
    delete item.alertDestinations;
    return { kind: 'change', previous, item, resolved };
  }
  return { kind: 'change', previous, item };
}

export type Removal = { kind: 'stale' } | { kind: 'remove'; previous: ComplianceItem; resolved?: AlertItem };

/** A pair leaves (its resource is gone, or its policy no longer applies), as seen at `observedAt`; `by` names the cause. */
export function planRemoval(previous: ComplianceItem, now: Date, by: string, observedAt?: string, provenance?: Provenance): Removal {
  if (observedAt !== undefined && observedLater(previous, observedAt)) return { kind: 'stale' };
  return { kind: 'remove', previous, ...(hasOpenAlert(previous) ? { resolved: resolvedAlert(previous, now, by, provenance) } : {}) };
}
