/**
 * The alert payload delivered to destinations: everything on-call needs without a console — and
 * never a secret value. The resource is the stored, redacted one (the registry redacts each type's
 * secretAttributes before storage); `redactedPayload` redacts it again by its type's declaration,
 * for resources stored before redaction existed, and the sender applies it to every payload it
 * delivers (SNS, Slack, webhook), whoever built it.
 */
import { redactResource } from '#resources/index.ts';
import type { Resource } from '#core/resource.ts';
import { causeText, type Provenance } from '#core/provenance.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { ResourceStore } from '#store/resource-store.ts';

export interface AlertPayload {
  kind: 'opened' | 'resolved';
  alertKey: string;
  title: string;
  severity: string;
  policyId: string;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: string;
  trigger: string;
  /**
   * What caused this transition, as stored: the opening's for an opened alert, the resolution's for
   * a resolved one — the CloudTrail events' actors, or the window in which a scan saw the change
   * (null: not known, e.g. an upload or an exception re-evaluated a stored resource).
   */
  provenance: Provenance | null;
  /** The provenance as one line: "opened after arn:… called … from … at … UTC", "resolved after …", or the scan window. */
  cause: string | null;
  openedAt: string;
  resolvedAt: string | null;
  firstSeen: string | null;
  resource: Resource | null;
}

export async function alertPayload(alert: AlertItem, resources: Pick<ResourceStore, 'get'>): Promise<AlertPayload> {
  const stored = await resources.get(alert.resourceId);
  const kind = alert.status === 'OPEN' ? 'opened' : 'resolved';
  const provenance = (kind === 'opened' ? alert.provenance : alert.resolvedProvenance) ?? null;
  return {
    kind,
    alertKey: alert.alertKey,
    title: alert.title,
    severity: alert.severity,
    policyId: alert.policyId,
    description: alert.description,
    runbook: alert.runbook,
    reference: alert.reference,
    accountId: alert.accountId,
    region: alert.region,
    resourceId: alert.resourceId,
    resourceType: alert.resourceType,
    trigger: alert.trigger,
    provenance,
    cause: causeText(kind, provenance) ?? null,
    openedAt: alert.openedAt.split('#')[0]!,
    resolvedAt: alert.resolvedAt ?? null,
    firstSeen: stored?.firstSeen ?? null,
    resource: stored?.attributes ? redactResource(stored.attributes) : null,
  };
}

/** `p` with its resource's secret attributes redacted (the same object when nothing was secret). */
export function redactedPayload(p: AlertPayload): AlertPayload {
  const resource = p.resource && redactResource(p.resource);
  return resource === p.resource ? p : { ...p, resource };
}

/** SNS subjects are limited to 100 printable ASCII characters. */
export function alertSubject(p: AlertPayload): string {
  const s = `[Posture ${p.severity}] ${p.kind === 'opened' ? '' : 'RESOLVED: '}${p.title}`;
  const ascii = s.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}
