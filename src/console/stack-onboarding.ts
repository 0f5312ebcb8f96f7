/**
 * The Connect-an-account wizard on a deployed stack (OnboardingPort), the one copy used by the
 * console API in Lambda (lambdas/runtime/console-deps.ts, from its environment) and by `posture
 * console --stack` (src/cli/console-onboarding.ts, from the stack's outputs): the member template
 * published where quick-create reads it, the checks of `posture accounts verify` through the
 * member's audit role, and the baseline scan as a DailyScan execution for the one account.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsClients } from '#aws/clients.ts';
import { describeBaselineScan, startBaselineScan } from '#onboarding/baseline-scan.ts';
import { publishMemberTemplate, verifyAccount } from '#onboarding/onboarding.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { OnboardingPort } from './ports.ts';

/** What the wizard needs of a deployed stack. */
export interface StackDeployment {
  /** Clients of the security account (the role that assumes the member audit roles). */
  clients: AwsClients;
  accounts: AccountStore;
  partition: string;
  /** The DailyScan state machine (baseline scans). */
  stateMachineArn: string;
  /** The central event bus the member rules target. */
  eventBusArn: string;
  /** The member-templates bucket (read by the member accounts through its policy). */
  templatesBucket: string;
  /** The deployment's audit role name (accounts without one of their own). */
  auditRoleName: string;
  /** Every role name the stack's sts:AssumeRole grant covers. */
  assumableRoleNames: readonly string[];
}

/** Execution names of the wizard's baseline scans start with this. */
export const CONSOLE_SCAN_PREFIX = 'console-onboard';

export function stackOnboarding(d: StackDeployment): OnboardingPort {
  const sfn = d.clients.get(SFNClient);
  return {
    async memberSetup() {
      // The template holds no secret (the ExternalId is a parameter of the link): publishing it
      // again for each wizard keeps its AuditRoleName default the deployment's.
      const templateUrl = await publishMemberTemplate(d.clients, d.templatesBucket, d.auditRoleName);
      return { eventBusArn: d.eventBusArn, auditRoleName: d.auditRoleName, templateUrl };
    },
    verify: (account) =>
      verifyAccount(d, account, d.eventBusArn, {
        auditRoleName: d.auditRoleName,
        assumableRoleNames: [...d.assumableRoleNames],
        partition: d.partition,
        // The audit role is read-only: a canary needs credentials that may PutEvents in the member.
        skipCanary: `not sent: the audit role is read-only; send one with posture accounts verify --id ${account.accountId} --member-profile PROFILE (events:PutEvents in ${account.accountId})`,
      }),
    async startScan(accountId) {
      const runId = await startBaselineScan(sfn, d.stateMachineArn, [accountId], CONSOLE_SCAN_PREFIX);
      return { runId, accountId, state: 'RUNNING', scanId: null, planned: null, error: null };
    },
    async scanRun(runId) {
      const s = await describeBaselineScan(sfn, d.stateMachineArn, runId);
      return s && { runId, accountId: s.accountIds[0] ?? '', state: s.state, scanId: s.scanId, planned: null, error: s.error };
    },
  };
}
