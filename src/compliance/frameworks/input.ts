/**
 * What a framework status is computed from: the accounts' findings, the scopes the ledger reports
 * as not evaluated now, and the accounts. Read the same way by `posture compliance`, the demo and
 * the console's overview (one reading, so the three cannot disagree).
 */
import type { PolicyCatalog } from '../catalog.ts';
import { collectFindings, type FindingSources } from '../findings.ts';
import type { ComplianceInput, UnreadScope } from './status.ts';

export interface ComplianceInputSources extends Pick<FindingSources, 'accounts' | 'compliance' | 'ledger'> {
  ledger: FindingSources['ledger'] & { currentlyNotEvaluated(accountIds: readonly string[]): Promise<UnreadScope[]> };
}

/** The findings, unread scopes and accounts (default: every onboarded one) the status is computed from. */
export async function complianceInput(target: ComplianceInputSources, catalog: PolicyCatalog, accountIds?: readonly string[]): Promise<ComplianceInput> {
  const accounts = accountIds?.length ? [...accountIds] : (await target.accounts.list()).map((a) => a.accountId);
  const findings = await collectFindings(target, accounts);
  const unread = await target.ledger.currentlyNotEvaluated(accounts);
  return { catalog, findings, unread, accounts };
}
