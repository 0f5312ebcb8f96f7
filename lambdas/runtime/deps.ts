/** Builds the domain's ports for the deployed system from the Lambda environment (once per container), through composeDeps. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RoleAssumer } from '#accounts/credentials.ts';
import type { AlertDispatcher } from '#alerts/dispatcher.ts';
import { createClients, type AwsClients } from '#aws/clients.ts';
import { composeDeps, type Composed } from '#compose/deps.ts';
import type { PowertoolsOnce } from '#events/idempotency.ts';
import type { RealtimeDeps } from '#events/realtime.ts';
import { homeRegionOf, partitionOf } from '#core/partitions.ts';
import { LambdaEvaluator } from '#scan/evaluators.ts';
import type { ScanDeps } from '#scan/deps.ts';
import type { LogSourceDeps } from '#events/cloudtrail-logs.ts';
import { composeLogSource } from '#compose/log-source.ts';
import { readLambdaEnv, readLogSourceEnv, type LambdaEnv } from './env.ts';
import { domainLog } from './powertools.ts';

export interface LambdaContextDeps {
  env: LambdaEnv;
  clients: AwsClients;
  scan: ScanDeps;
}

let cached: (LambdaContextDeps & { composed: Composed }) | undefined;

function composed(): LambdaContextDeps & { composed: Composed } {
  if (cached) return cached;
  const env = readLambdaEnv();
  const clients = createClients({ region: env.region });
  const partition = partitionOf(env.region);
  const graph = composeDeps({
    clients,
    tables: env.tables,
    bucket: env.scanBucket,
    topicArn: env.alertsTopic,
    queues: { delay: env.realtimeDelayQueue, deadLetter: env.realtimeDeadLetterQueue, alertDelivery: env.alertDeliveryDeadLetterQueue },
    partition,
    homeRegion: homeRegionOf(partition),
    // An account onboarded without --role-name is assumed through the deployment's -c auditRoleName.
    access: new RoleAssumer({ base: clients, partition, defaultRoleName: env.auditRoleName }),
    evaluator: new LambdaEvaluator(clients.get(LambdaClient), env.engineFunction),
    log: domainLog,
    historyDays: env.historyDays,
    // Alert delivery is driven by the Alerts table stream (dispatch-alerts), not inline; https only
    // (loopback inside Lambda is the runtime API).
  });
  cached = { env, clients, scan: graph.scan, composed: graph };
  return cached;
}

/** The whole composition, for a handler that needs more than one flow's ports (the console API). */
export function composedDeps(): LambdaContextDeps & { composed: Composed } {
  return composed();
}

export function lambdaDeps(): LambdaContextDeps {
  return composed();
}

export function realtimeDeps(): RealtimeDeps & { idempotency: PowertoolsOnce } {
  const { composed: graph } = composed();
  return { ...graph.realtime, idempotency: graph.idempotency };
}

/** The CloudTrail log-file reader's ports (its own variables on top of the contract). */
export function logSourceDeps(): LogSourceDeps {
  const { env, clients } = composed();
  const source = readLogSourceEnv();
  return composeLogSource({
    clients,
    accountsTable: env.tables.Accounts,
    realtimeQueueUrl: source.realtimeQueueUrl,
    deadLetterQueueUrl: source.deadLetterQueueUrl,
    buckets: source.buckets,
    log: domainLog,
  });
}

/** What summarize-scan reads and writes: the scan's stores and the daily summary. */
export function summaryDeps(): ScanDeps & { summaries: Composed['summaries'] } {
  const { composed: graph } = composed();
  return { ...graph.scan, summaries: graph.summaries };
}

/** The alert dispatcher of dispatch-alerts (once per container: its secret and destination caches live with it). */
export function alertDispatcher(): AlertDispatcher {
  return composed().composed.dispatcher;
}
