/** Builds the domain's ports for the deployed system from the Lambda environment (once per container). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { RoleAssumer } from '#accounts/credentials.ts';
import { SecretCache } from '#alerts/destination-secrets.ts';
import { DestinationSender } from '#alerts/destination-sender.ts';
import { AlertDispatcher } from '#alerts/dispatcher.ts';
import { sendDeliveryDeadLetter } from '#alerts/delivery-dlq.ts';
import { systemClock } from '#core/types.ts';
import { powertoolsOnce, type PowertoolsOnce } from '#events/idempotency.ts';
import type { RealtimeDeps } from '#events/realtime.ts';
import { homeRegionOf, partitionOf } from '#core/partitions.ts';
import { LambdaEvaluator } from '#scan/evaluators.ts';
import type { ScanDeps } from '#scan/deps.ts';
import { AccountStore } from '#store/account-store.ts';
import { S3BlobStore } from '#store/blob-store.ts';
import { ComplianceStore } from '#store/compliance-store.ts';
import { DestinationStore } from '#store/destination-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { ExceptionStore } from '#store/exception-store.ts';
import { LedgerStore } from '#store/ledger-store.ts';
import { ResourceStore } from '#store/resource-store.ts';
import { createClients, type AwsClients } from '#aws/clients.ts';
import { readLambdaEnv, type LambdaEnv } from './env.ts';
import { domainLog } from './powertools.ts';


export interface LambdaContextDeps {
  env: LambdaEnv;
  clients: AwsClients;
  scan: ScanDeps;
}

let cached: LambdaContextDeps | undefined;

export function lambdaDeps(): LambdaContextDeps {
  if (cached) return cached;
  const env = readLambdaEnv();
  const clients = createClients({ region: env.region });
  const doc = documentClient(clients);
  const partition = partitionOf(env.region);
  const blobs = new S3BlobStore(clients, env.scanBucket);
  const scan: ScanDeps = {
    accounts: new AccountStore(doc, env.tables.Accounts),
    // An account onboarded without --role-name is assumed through the deployment's -c auditRoleName.
    access: new RoleAssumer({ base: clients, partition, defaultRoleName: env.auditRoleName }),
    resources: new ResourceStore(doc, env.tables.Resources, blobs),
    compliance: new ComplianceStore(doc, { compliance: env.tables.Compliance, alerts: env.tables.Alerts }),
    ledger: new LedgerStore(doc, env.tables.ScanLedger),
    exceptions: new ExceptionStore(doc, env.tables.Exceptions),
    evaluator: new LambdaEvaluator(clients.get(LambdaClient), env.engineFunction),
    blobs,
    clock: systemClock,
    partition,
    homeRegion: homeRegionOf(partition),
    log: domainLog,
    // Alert delivery is driven by the Alerts table stream (dispatch-alerts), not inline.
  };
  cached = { env, clients, scan };
  return cached;
}

export function realtimeDeps(): RealtimeDeps & { idempotency: PowertoolsOnce } {
  const { env, clients, scan } = lambdaDeps();
  const sqs = clients.get(SQSClient);
  const idempotency = powertoolsOnce(env.tables.Idempotency, clients.get(DynamoDBClient));
  return {
    ...scan,
    queues: {
      defer: async (body, delaySeconds) => {
        await sqs.send(new SendMessageCommand({ QueueUrl: env.realtimeDelayQueue, MessageBody: body, DelaySeconds: delaySeconds }));
      },
      deadLetter: async (body, reason) => {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: env.realtimeDeadLetterQueue,
            MessageBody: body,
            MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
          }),
        );
      },
    },
    once: idempotency.once,
    idempotency,
  };
}

let dispatcher: AlertDispatcher | undefined;

/** The alert dispatcher of dispatch-alerts (once per container: its secret and destination caches live with it). */
export function alertDispatcher(): AlertDispatcher {
  if (dispatcher) return dispatcher;
  const { env, clients } = lambdaDeps();
  const sqs = clients.get(SQSClient);
  dispatcher = new AlertDispatcher({
    destinations: new DestinationStore(documentClient(clients), env.tables.Destinations),
    sender: new DestinationSender({
      secrets: new SecretCache(clients.get(SecretsManagerClient)),
      sns: clients.get(SNSClient),
      defaultTopicArn: env.alertsTopic,
      clock: systemClock,
      // Deployed: https only; loopback inside Lambda is the runtime API.
      allowLoopbackHttp: false,
    }),
    defaultTopicArn: env.alertsTopic,
    deadLetter: (message) => sendDeliveryDeadLetter(sqs, env.alertDeliveryDeadLetterQueue, message),
    log: domainLog,
    clock: systemClock,
  });
  return dispatcher;
}
