/**
 * The compliance vocabulary (DESIGN §7): a (resource, policy) verdict as stored, the alert a
 * transition into FAIL opens, and the resource a verdict belongs to. The rules that move between
 * them live in transition.ts; the DynamoDB adapter (src/store/compliance-store.ts) only executes them.
 */
import type { Provenance } from '#core/provenance.ts';
import type { Severity, Status, Trigger } from '#core/types.ts';

export interface ComplianceItem {
  resourceId: string;
  policyId: string;
  /** The resource's scan scope (`account#region#type`). */
  scope: string;
  accountId: string;
  region: string;
  resourceType: string;
  status: Status;
  errorMessage: string | null;
  severity: Severity;
  suppressed: boolean;
  /** The exception behind `suppressed` (null: not suppressed, or by the engine's patterns). */
  suppressedBy?: string | null;
  title: string | null;
  /** Policy text, kept for exports (written with state changes only). */
  description?: string | null;
  runbook?: string | null;
  reference?: string | null;
  trigger: Trigger;
  /** What caused this verdict's last change: the CloudTrail actors, or the scan window. */
  provenance?: Provenance;
  lastChanged: string;
  /** When the resource behind this verdict was read from AWS (absent on items written before it was recorded). */
  observedAt?: string;
  /** `status#policyId`: sort key of the byAccount index. */
  statusKey: string;
  version: number;
  /** Set while an alert is open for this pair. */
  alertKey?: string;
  alertOpenedAt?: string;
  /** The open alert's destination IDs (null: default routing), so its resolution goes the same way. */
  alertDestinations?: string[] | null;
}

export interface AlertItem {
  alertKey: string;
  /** `<ISO time>#<resourceId>`: unique per transition even when a dedup key groups resources. */
  openedAt: string;
  status: 'OPEN' | 'RESOLVED';
  policyId: string;
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  severity: Severity;
  title: string;
  trigger: Trigger;
  /** What caused the transition into FAIL: the CloudTrail actors, or the scan window. */
  provenance?: Provenance;
  dedup: string | null;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  /** Destination IDs named by the policy (`OutputIds` or `destinations()`); null: default routing. */
  destinations?: string[] | null;
  resolvedAt?: string;
  resolvedBy?: string;
  /** What caused the resolution (the fix's actors, or the scan window). */
  resolvedProvenance?: Provenance;
}

export interface ResourceRef {
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  scope: string;
}

/** Current compliance of many resources: resourceId → policyId → item. */
export type ComplianceIndex = Map<string, Map<string, ComplianceItem>>;
