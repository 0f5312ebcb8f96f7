/**
 * The console's onboarding and alerting ports on a CLI target (`posture console --endpoint` or
 * `--stack`): the same member set-up, verify checks and baseline scan `posture accounts add|verify`
 * run, and the clients `posture destinations` uses. Locally a baseline scan runs in this process
 * through a local runtime attached to the endpoint (as `accounts add` does); against a stack it is
 * a StartExecution of the DailyScan state machine for that account.
 */
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { ScanRun } from '#console/contract/accounts.ts';
import type { AlertingPort, OnboardingPort } from '#console/ports.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { memberSetup, verifyChecks } from './commands/accounts.ts';
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

export function consoleOnboarding(target: Target, scan: LocalScan = localScan(target.name)): OnboardingPort {
  // Local runs live in this process (the console server's): the run ID names one of these.
  const runs = new Map<string, ScanRun>();
  return {
    memberSetup: () => memberSetup(target),
    verify: (account) => verifyChecks({ target, endpoint: target.kind === 'local' ? target.name : undefined }, account),
    async startScan(accountId) {
      if (target.kind === 'stack') {
        const arn = target.outputs[OUTPUTS.stateMachineArn];
        if (!arn) throw new Error(`--stack ${target.name}: output ${OUTPUTS.stateMachineArn} is missing; is this a Posture stack?`);
        const r = await target.clients.get(SFNClient).send(new StartExecutionCommand({ stateMachineArn: arn, name: `console-onboard-${accountId}-${Date.now()}`, input: JSON.stringify({ accountIds: [accountId] }) }));
        return { runId: r.executionArn!, accountId, state: 'RUNNING', scanId: null, planned: null, error: null };
      }
      const run: ScanRun = { runId: `local-${randomUUID()}`, accountId, state: 'RUNNING', scanId: null, planned: null, error: null };
      runs.set(run.runId, run);
      scan(accountId, { onScanId: (id) => (run.scanId = id), onPlan: (n) => (run.planned = n) }).then(
        (scanId) => Object.assign(run, { state: 'SUCCEEDED', scanId }),
        (err: unknown) => Object.assign(run, { state: 'FAILED', error: err instanceof Error ? err.message : String(err) }),
      );
      return { ...run };
    },
    async scanRun(runId) {
      if (target.kind === 'local') {
        const run = runs.get(runId);
        return run && { ...run };
      }
      if (!runId.startsWith('arn:')) return undefined;
      const d = await target.clients.get(SFNClient).send(new DescribeExecutionCommand({ executionArn: runId }));
      const input = JSON.parse(d.input ?? '{}') as { accountIds?: string[] };
      const output = d.output ? (JSON.parse(d.output) as { scanId?: string }) : {};
      const state = d.status === 'RUNNING' ? 'RUNNING' : d.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
      return { runId, accountId: input.accountIds?.[0] ?? '', state, scanId: output.scanId ?? null, planned: null, error: d.error ? `${d.error}: ${d.cause ?? ''}` : null };
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
