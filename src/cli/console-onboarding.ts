/**
 * The console's onboarding and alerting ports on a CLI target (`posture console --endpoint` or
 * `--stack`): the same member set-up, verify checks and baseline scan `posture accounts add|verify`
 * run, and the clients `posture destinations` uses. Locally a baseline scan runs in this process
 * through a local runtime attached to the endpoint (as `accounts add` does); against a stack the
 * deployed console's own port (src/console/stack-onboarding.ts) runs on the stack's outputs.
 */
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { ScanRun } from '#console/contract/accounts.ts';
import type { AlertingPort, OnboardingPort } from '#console/ports.ts';
import { stackOnboarding, type StackDeployment } from '#console/stack-onboarding.ts';
import { partitionOf } from '#core/partitions.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { deploymentRoles, eventBus, memberSetup, verifyChecks } from './commands/accounts.ts';
import { alertsTopicArn } from './commands/destinations.ts';
import type { Target } from './target.ts';

/** A local baseline scan, reporting its scan ID and plan as they become known. */
type LocalScan = (accountId: string, progress: { onScanId(id: string): void; onPlan(n: number): void }) => Promise<string>;

const localScan =
  (endpoint: string): LocalScan =>
  async (accountId, progress) => {
    const rt = await startLocalRuntime({ endpoint });
    try {
      let known = false;
      return await rt.scan({
        accountIds: [accountId],
        onPlan: (n) => progress.onPlan(n),
        onScope: (e) => {
          if (!known) progress.onScanId(e.scanId);
          known = true;
        },
      });
    } finally {
      await rt.close();
    }
  };

/** A deployed stack as the wizard needs it, from its outputs (throws one line naming a missing output). */
export function stackDeployment(target: Target): StackDeployment {
  const output = (key: string) => {
    const v = target.outputs[key];
    if (!v) throw new Error(`--stack ${target.name}: output ${key} is missing; update the stack (npx cdk deploy)`);
    return v;
  };
  const roles = deploymentRoles(target);
  return {
    clients: target.clients,
    accounts: target.accounts,
    partition: partitionOf(target.clients.region),
    stateMachineArn: output(OUTPUTS.stateMachineArn),
    eventBusArn: eventBus(target),
    templatesBucket: output(OUTPUTS.templatesBucket),
    auditRoleName: roles.auditRoleName,
    assumableRoleNames: roles.assumable ?? [roles.auditRoleName],
  };
}

export function consoleOnboarding(target: Target, scan: LocalScan = localScan(target.name)): OnboardingPort {
  if (target.kind === 'stack') {
    // Read the outputs on first use: a stack without them fails the wizard's request, not the console.
    let port: OnboardingPort | undefined;
    const stack = () => (port ??= stackOnboarding(stackDeployment(target)));
    return {
      memberSetup: async () => stack().memberSetup(),
      verify: async (account) => stack().verify(account),
      startScan: async (accountId) => stack().startScan(accountId),
      scanRun: async (runId) => stack().scanRun(runId),
    };
  }
  // Local runs live in this process (the console server's): the run ID names one of these.
  const runs = new Map<string, ScanRun>();
  return {
    memberSetup: () => memberSetup(target),
    verify: (account) => verifyChecks({ target, endpoint: target.name }, account),
    async startScan(accountId) {
      const run: ScanRun = { runId: `local-${randomUUID()}`, accountId, state: 'RUNNING', scanId: null, planned: null, error: null };
      runs.set(run.runId, run);
      scan(accountId, { onScanId: (id) => (run.scanId = id), onPlan: (n) => (run.planned = n) }).then(
        (scanId) => Object.assign(run, { state: 'SUCCEEDED', scanId }),
        (err: unknown) => Object.assign(run, { state: 'FAILED', error: err instanceof Error ? err.message : String(err) }),
      );
      return { ...run };
    },
    async scanRun(runId) {
      const run = runs.get(runId);
      return run && { ...run };
    },
  };
}

export function consoleAlerting(target: Target): AlertingPort {
  return {
    secrets: target.clients.get(SecretsManagerClient),
    sns: target.clients.get(SNSClient),
    topicArn: alertsTopicArn(target),
    allowLoopbackHttp: target.kind === 'local',
    source: { name: target.name, securityAccountId: target.securityAccountId, region: target.clients.region },
  };
}
