/** Findings: compliance state joined with the scan ledger's "not evaluated" scopes. */
import type { Severity, Status, Trigger } from '#core/types.ts';
import { SEVERITIES } from '#core/types.ts';
import type { ScanDeps } from '#scan/deps.ts';
import type { LedgerEntry } from '#store/ledger-store.ts';

export interface Finding {
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: string;
  policyId: string;
  title: string | null;
  severity: Severity;
  status: Status;
  suppressed: boolean;
  errorMessage: string | null;
  trigger: Trigger;
  lastChanged: string;
}

export async function collectFindings(deps: Pick<ScanDeps, 'accounts' | 'compliance'>, accountIds?: readonly string[]): Promise<Finding[]> {
  const ids = accountIds ?? (await deps.accounts.list()).map((a) => a.accountId);
  const rows: Finding[] = [];
  for (const id of ids) {
    for (const c of await deps.compliance.forAccount(id)) {
      rows.push({
        accountId: c.accountId,
        region: c.region,
        resourceId: c.resourceId,
        resourceType: c.resourceType,
        policyId: c.policyId,
        title: c.title,
        severity: c.severity,
        status: c.status,
        suppressed: c.suppressed,
        errorMessage: c.errorMessage,
        trigger: c.trigger,
        lastChanged: c.lastChanged,
      });
    }
  }
  return sortFindings(rows);
}

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, ERROR: 1, PASS: 2 };

export function sortFindings(rows: Finding[]): Finding[] {
  return rows.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.accountId.localeCompare(b.accountId) ||
      a.resourceId.localeCompare(b.resourceId) ||
      a.policyId.localeCompare(b.policyId),
  );
}

/** Scopes of a scan that could not be read: reported as not evaluated, never as passing. */
export async function notEvaluated(deps: Pick<ScanDeps, 'ledger'>, scanId: string): Promise<LedgerEntry[]> {
  return (await deps.ledger.forScan(scanId)).filter((e) => e.outcome !== 'OK');
}
