/**
 * The console API's ports in Lambda (src/console/ports.ts), composed once per container from the
 * stores of the one composition (lambdas/runtime/deps.ts → src/compose/deps.ts) plus the audit log
 * and the console's own environment (CONSOLE_ENV).
 */
import { partitionOf } from '#core/partitions.ts';
import { systemClock } from '#core/types.ts';
import type { ConsolePorts } from '#console/ports.ts';
import { stackOnboarding } from '#console/stack-onboarding.ts';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { catalogLookup, evaluatorExceptionEngine } from '#publish/exception-change.ts';
import { LambdaEvaluator, lambdaRequest } from '#scan/evaluators.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { enginePolicyEngine } from './engine-policy-engine.ts';
import { engineCatalog } from '#publish/engine-catalog.ts';
import { AuditStore } from '#store/audit-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { composedDeps } from './deps.ts';
import { readConsoleEnv, type ConsoleEnv } from './env.ts';

export interface ConsoleLambdaDeps {
  ports: ConsolePorts;
  /** The state machine and policy bucket the console's changes reach (baseline scan, publish). */
  console: ConsoleEnv;
}

let cached: ConsoleLambdaDeps | undefined;

/** The stack's functions always keep a history (lambdas/runtime/deps.ts); a composition without one is a wiring error. */
function missingHistory(): never {
  throw new Error('console: the composition keeps no resource history (noHistory), and the resource page shows it');
}

export function consoleDeps(): ConsoleLambdaDeps {
  if (cached) return cached;
  const { env, clients, scan, composed } = composedDeps();
  const consoleEnv = readConsoleEnv();
  const catalog = engineCatalog(clients.get(LambdaClient), env.engineFunction);
  const ports: ConsolePorts = {
    accounts: scan.accounts,
    resources: scan.resources,
    compliance: scan.compliance,
    ledger: scan.ledger,
    exceptions: composed.exceptions,
    destinations: composed.destinations,
    summaries: composed.summaries,
    history: composed.history ?? missingHistory(),
    audit: new AuditStore(documentClient(clients), env.tables.ConsoleAudit),
    // The engine function answers with the pack it evaluates with (uploaded, else built in).
    catalog,
    // An exception takes effect at once: the engine function re-evaluates the affected pairs with
    // the active pack; the Alerts table stream delivers what that opens or resolves.
    exceptionEngine: async (fn) => {
      const active = await catalog();
      return fn(
        evaluatorExceptionEngine({
          label: `the active bundle ${active.source.slice(0, 12)}`,
          lookupPolicy: (policyId) => catalogLookup(active, policyId),
          resources: scan.resources,
          compliance: scan.compliance,
          evaluator: new LambdaEvaluator(clients.get(LambdaClient), env.engineFunction),
          exceptions: composed.exceptions,
          clock: systemClock,
        }),
      );
    },
    // Cloud Accounts: the connect wizard (member set-up, verify through the audit role, baseline scan).
    onboarding: stackOnboarding({
      clients,
      accounts: scan.accounts,
      partition: partitionOf(env.region),
      stateMachineArn: consoleEnv.stateMachineArn,
      eventBusArn: consoleEnv.eventBusArn,
      templatesBucket: consoleEnv.templatesBucket,
      auditRoleName: env.auditRoleName,
      assumableRoleNames: consoleEnv.assumableAuditRoleNames,
    }),
    // Detections: drafts run in the engine function's console actions, never in this function.
    policyEngine: enginePolicyEngine({
      request: lambdaRequest(clients.get(LambdaClient), env.engineFunction),
      s3: clients.get(S3Client),
      bucket: consoleEnv.policyBucket,
      resources: scan.resources,
      compliance: scan.compliance,
      exceptions: composed.exceptions,
      clock: systemClock,
      // The Detections list shows the published pack at once (the engine checks the key on every console action).
      onPublished: () => catalog.forget(),
    }),
    alerting: {
      secrets: clients.get(SecretsManagerClient),
      sns: clients.get(SNSClient),
      topicArn: env.alertsTopic,
      allowLoopbackHttp: false,
      source: { name: 'the deployed stack', securityAccountId: consoleEnv.securityAccountId, region: env.region },
    },
    clock: systemClock,
    securityAccountId: consoleEnv.securityAccountId,
    partition: partitionOf(env.region),
    region: env.region,
  };
  cached = { ports, console: consoleEnv };
  return cached;
}
