/** The alert payload delivered to destinations: everything on-call needs without a console. */
import type { Resource } from '#resources/types.ts';
import type { AlertItem } from '#store/compliance-store.ts';
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
  openedAt: string;
  resolvedAt: string | null;
  firstSeen: string | null;
  resource: Resource | null;
}

export async function alertPayload(alert: AlertItem, resources: Pick<ResourceStore, 'get'>): Promise<AlertPayload> {
  const stored = await resources.get(alert.resourceId);
  return {
    kind: alert.status === 'OPEN' ? 'opened' : 'resolved',
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
    openedAt: alert.openedAt.split('#')[0]!,
    resolvedAt: alert.resolvedAt ?? null,
    firstSeen: stored?.firstSeen ?? null,
    resource: stored?.attributes ?? null,
  };
}

/** SNS subjects are limited to 100 printable ASCII characters. */
export function alertSubject(p: AlertPayload): string {
  const s = `[Posture ${p.severity}] ${p.kind === 'opened' ? '' : 'RESOLVED: '}${p.title}`;
  const ascii = s.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}
