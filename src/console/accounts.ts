/**
 * Cloud Accounts, computed with the onboarding code the CLI uses: each account's newest scheduled
 * scan (lastScanSummary, as `posture accounts verify` shows it) and its real-time canaries; the
 * wizard's set-up (the ExternalId generated as `posture accounts add` does, the member templates
 * with the parameters filled, the quick-create link, the permission list of a manual role); the
 * account validated by validateNewAccount. The Accounts table is small and read whole by design.
 */
import type { Account } from '#accounts/account.ts';
import { lastScanSummary } from '#compliance/scan-summary.ts';
import { auditRoleTrustPolicy, SECURITY_AUDIT_POLICY } from '#onboarding/audit-role.ts';
import { renderCloudFormation, renderTerraform } from '#onboarding/member-template.ts';
import { generateExternalId, quickCreateLink, validateNewAccount } from '#onboarding/onboarding.ts';
import { iamActions } from '#resources/index.ts';
import type { AccountRow, NewAccount, Setup } from './contract/accounts.ts';
import type { ConsolePorts } from './ports.ts';

export async function accountRow(ports: ConsolePorts, a: Account): Promise<AccountRow> {
  const [lastScan, canaries] = await Promise.all([lastScanSummary(ports.ledger, a.accountId), ports.accounts.canaryArrivals(a.accountId)]);
  const newest = new Map<string, string>();
  for (const c of canaries.values()) if ((newest.get(c.region) ?? '') < c.receivedAt) newest.set(c.region, c.receivedAt);
  return {
    accountId: a.accountId,
    name: a.name,
    enabled: a.enabled,
    addedAt: a.addedAt ?? null,
    roleName: a.roleName ?? null,
    excludeRegions: a.excludeRegions,
    excludeTypes: a.excludeTypes,
    excludeResources: a.excludeResources,
    lastScan,
    canaries: [...newest].map(([region, receivedAt]) => ({ region, receivedAt })).sort((x, y) => x.region.localeCompare(y.region)),
  };
}

export async function listAccounts(ports: ConsolePorts): Promise<AccountRow[]> {
  return Promise.all((await ports.accounts.list()).map((a) => accountRow(ports, a)));
}

/** The account the wizard describes, validated as `posture accounts add` validates it (throws one line naming the field). */
export function candidateAccount(input: NewAccount): Account {
  return validateNewAccount(input);
}

/** The role set-up step: an ExternalId (generated unless given), the filled templates, the quick-create link, the manual permission list. */
export async function memberSetup(ports: ConsolePorts, onboarding: ConsolePorts['onboarding'], input: Omit<NewAccount, 'externalId'> & { externalId?: string }): Promise<Setup> {
  const externalId = input.externalId ?? generateExternalId();
  candidateAccount({ ...input, externalId });
  const { eventBusArn, auditRoleName, templateUrl } = await onboarding.memberSetup();
  const filled = { securityAccountId: ports.securityAccountId, externalId, eventBusArn, auditRoleName };
  return {
    externalId,
    securityAccountId: ports.securityAccountId,
    eventBusArn,
    auditRoleName,
    quickCreateUrl: quickCreateLink(ports.region, templateUrl, filled),
    cloudFormation: renderCloudFormation(filled),
    terraform: renderTerraform(filled),
    manual: {
      trustPolicy: JSON.stringify(JSON.parse(auditRoleTrustPolicy(ports.securityAccountId, externalId, ports.partition)), null, 2),
      managedPolicyArn: `arn:${ports.partition}:iam::aws:${SECURITY_AUDIT_POLICY}`,
      extraActions: iamActions(),
    },
  };
}
