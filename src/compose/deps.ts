/**
 * The one composition of Posture's object graph (stores, real-time queues and idempotency, the
 * alert dispatcher) from the infrastructure a runtime has: the Lambda functions
 * (lambdas/runtime/deps.ts) and the local runtime (src/local/runtime.ts) both build their ports
 * here and differ only in what they pass — the evaluator, the member access, and the overrides a
 * runtime injects (the emulator's serialized transactions, in-process alert delivery).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MemberAccess } from '#accounts/credentials.ts';
import { sendDeliveryDeadLetter } from '#alerts/delivery-dlq.ts';
import { SecretCache } from '#alerts/destination-secrets.ts';
import { DestinationSender } from '#alerts/destination-sender.ts';
import { AlertDispatcher } from '#alerts/dispatcher.ts';
import type { AwsClients } from '#aws/clients.ts';
import { systemClock, type Evaluator } from '#core/types.ts';
import type { AlertItem } from '#compliance/model.ts';
import { powertoolsOnce, type PowertoolsOnce } from '#events/idempotency.ts';
import type { RealtimeDeps } from '#events/realtime.ts';
import type { AnyResourceType } from '#resources/index.ts';
import type { Log, ScanDeps } from '#scan/deps.ts';
import { AccountStore } from '#store/account-store.ts';
import { S3BlobStore, type BlobStore } from '#store/blob-store.ts';
import { ComplianceStore } from '#store/compliance-store.ts';
import { DestinationStore } from '#store/destination-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { ExceptionStore } from '#store/exception-store.ts';
import { LedgerStore } from '#store/ledger-store.ts';
import { ResourceStore } from '#store/resource-store.ts';
import { DEFAULT_HISTORY_DAYS, HistoryStore } from '#store/history-store.ts';
import { SummaryStore } from '#store/summary-store.ts';
import type { TableNames } from '#store/tables.ts';

/** What a runtime has: its clients and the names of the stack's (or the emulator's) resources. */
export interface Infrastructure {
  clients: AwsClients;
  tables: TableNames;
  bucket: string;
  topicArn: string;
  queues: { delay: string; deadLetter: string; alertDelivery: string };
  partition: string;
  /** Region for the API calls of global types. */
  homeRegion: string;
  access: MemberAccess;
  evaluator: Evaluator;
  log: Log;
  /** Days the resource history keeps a record (default DEFAULT_HISTORY_DAYS). */
  historyDays?: number;
}

/** What a runtime injects on top. */
export interface Overrides {
  /** Wraps the document client the resource and compliance stores write through (the emulator serializes transactions). */
  transactDoc?: (doc: DynamoDBDocumentClient) => DynamoDBDocumentClient;
  /** Keep no resource history (a one-shot scan's state is discarded with it). */
  noHistory?: boolean;
  /** Deliver alerts as they are written (no table stream locally); deployed, the stream does. */
  onAlerts?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>;
  /** Receivers on this machine may use plain http (local only). */
  allowLoopbackHttp?: boolean;
  /** How long the dispatcher keeps the destination registry (0: re-read for every alert). */
  registryTtlMs?: number;
  registry?: readonly AnyResourceType[];
  /** Where large resource bodies and a long scope's seen IDs go (default: the scan bucket in S3; a one-shot scan keeps them in memory). */
  blobs?: BlobStore;
}

export interface Composed {
  scan: ScanDeps;
  realtime: RealtimeDeps;
  idempotency: PowertoolsOnce;
  dispatcher: AlertDispatcher;
  /** The daily compliance summary, written at the end of a scheduled scan (src/scan/daily-summary.ts). */
  summaries: SummaryStore;
  /** The accepted risks the scan applies (the console manages them). */
  exceptions: ExceptionStore;
  /** The alert destinations (the dispatcher's registry; the console's Destinations page). */
  destinations: DestinationStore;
  /** The resources' history (absent when the runtime keeps none). */
  history?: HistoryStore;
}

export function composeDeps(infra: Infrastructure, overrides: Overrides = {}): Composed {
  const { clients, tables } = infra;
  const doc = documentClient(clients);
  const sqs = clients.get(SQSClient);
  const blobs = overrides.blobs ?? new S3BlobStore(clients, infra.bucket);
  const exceptions = new ExceptionStore(doc, tables.Exceptions);
  // One client for both: the emulator's serialized transactions must queue behind each other.
  const txDoc = overrides.transactDoc ? overrides.transactDoc(doc) : doc;
  const history = overrides.noHistory ? undefined : new HistoryStore(doc, tables.ResourceHistory, infra.historyDays ?? DEFAULT_HISTORY_DAYS, blobs);
  const scan: ScanDeps = {
    accounts: new AccountStore(doc, tables.Accounts),
    access: infra.access,
    resources: new ResourceStore(txDoc, tables.Resources, blobs, history),
    compliance: new ComplianceStore(txDoc, { compliance: tables.Compliance, alerts: tables.Alerts }, history),
    ledger: new LedgerStore(doc, tables.ScanLedger),
    exceptions,
    evaluator: infra.evaluator,
    blobs,
    clock: systemClock,
    partition: infra.partition,
    homeRegion: infra.homeRegion,
    log: infra.log,
    ...(overrides.registry ? { registry: overrides.registry } : {}),
    ...(overrides.onAlerts ? { onAlerts: overrides.onAlerts } : {}),
  };
  const idempotency = powertoolsOnce(tables.Idempotency, clients.get(DynamoDBClient));
  const realtime: RealtimeDeps = {
    ...scan,
    queues: {
      defer: async (body, delaySeconds) => {
        await sqs.send(new SendMessageCommand({ QueueUrl: infra.queues.delay, MessageBody: body, DelaySeconds: delaySeconds }));
      },
      deadLetter: async (body, reason) => {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: infra.queues.deadLetter,
            MessageBody: body,
            MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
          }),
        );
      },
    },
    once: idempotency.once,
  };
  const destinations = new DestinationStore(doc, tables.Destinations);
  const dispatcher = new AlertDispatcher({
    destinations,
    sender: new DestinationSender({
      secrets: new SecretCache(clients.get(SecretsManagerClient)),
      sns: clients.get(SNSClient),
      defaultTopicArn: infra.topicArn,
      clock: systemClock,
      allowLoopbackHttp: overrides.allowLoopbackHttp ?? false,
    }),
    defaultTopicArn: infra.topicArn,
    deadLetter: (message) => sendDeliveryDeadLetter(sqs, infra.queues.alertDelivery, message),
    log: infra.log,
    clock: systemClock,
    ...(overrides.registryTtlMs !== undefined ? { registryTtlMs: overrides.registryTtlMs } : {}),
  });
  return { scan, realtime, idempotency, dispatcher, exceptions, destinations, summaries: new SummaryStore(doc, tables.DailySummary), ...(history ? { history } : {}) };
}
