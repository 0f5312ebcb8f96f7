/**
 * The local runtime: the deployed system's domain code in one process. AWS APIs and the stores run
 * on an emulator (moto server, started here unless an endpoint is given), the evaluator is the
 * Python worker, and the realtime queues are the emulator's SQS, polled in-process.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RoleAssumer, type MemberAccess } from '#accounts/credentials.ts';
import { DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { alertPayload, type AlertPayload } from '#alerts/alert-payload.ts';
import type { AlertDispatcher } from '#alerts/dispatcher.ts';
import { createClients, type AwsClients, type Credentials } from '#aws/clients.ts';
import { mapLimit } from '#core/errors.ts';
import type { Evaluator, PolicyResult, Scope } from '#core/types.ts';
import type { HistoryStore } from '#store/history-store.ts';
import { emptyRealtimeStats, processRealtimeBatch, type RealtimeDeps, type RealtimeOutcome } from '#events/realtime.ts';
import { addLogSourceStats, emptyLogSourceStats, processLogNotifications, type LogSourceDeps, type LogSourceOutcome } from '#events/cloudtrail-logs.ts';
import { composeLogSource } from '#compose/log-source.ts';
import { REGISTRY, resourceTypeNames, type AnyResourceType } from '#resources/index.ts';
import { notScannedNotes, unscannedPantherTypes } from '#resources/panther-types.ts';
import { silentLog, type Log } from '#scan/deps.ts';
import { planScan } from '#scan/plan.ts';
import { scanBatch } from '#scan/scan-scope.ts';
import { runScopes } from '#scan/scope-order.ts';
import { cachedExceptions } from '#compliance/exceptions.ts';
import { recordDailySummary } from '#scan/daily-summary.ts';
import { dayOf } from '#compliance/daily-summary.ts';
import type { SummaryStore } from '#store/summary-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import type { LedgerEntry } from '#core/ledger.ts';
import { BUNDLE_TTL_SECONDS } from '#publish/active-bundle.ts';
import { ActiveBundleEvaluator } from './active-bundle-evaluator.ts';
import { bootstrapLocal, ensureTables, type LocalInfra } from './bootstrap.ts';
import { MemoryBlobStore } from './memory-dynamodb/blob-store.ts';
import { memoryStoreClients } from './memory-dynamodb/clients.ts';
import type { BlobStore } from '#store/blob-store.ts';
import { startEmulator, type Emulator } from './emulator.ts';
import { projectRoot } from '#core/paths.ts';
import { composeDeps, type Composed } from '#compose/deps.ts';
import { PythonWorker } from './python-worker.ts';
import { choiceEnv, chooseFrameworks, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { serializeTransactWrites } from './serialized-transactions.ts';
import { EMULATOR_CLIENT_OPTIONS } from './emulator-retry.ts';

export interface LocalRuntimeOptions {
  /**
   * Where the security account's state lives: 'emulator' (default) — tables, bucket, queues, topic
   * and bus on moto, as deployed; 'memory' — `posture scan`'s one-shot store: the same tables in an
   * in-process DynamoDB (src/local/memory-dynamodb/), blobs in memory, no queues, topic or uploads
   * to watch, alerts kept as rows (nothing outlives the run). Needs `access` (the scanned accounts
   * are reached with the caller's credentials).
   */
  store?: 'emulator' | 'memory';
  /** A running emulator for the stores and, unless `access` is given, the scanned accounts' APIs;
   *  when absent (and no `storeEndpoint`) one is started (and stopped by close()). */
  endpoint?: string;
  /** A running emulator for the stores only (tables, bucket, queues); default `endpoint`. */
  storeEndpoint?: string;
  /** Credentials of the security account on the store emulator (default: the emulator's default account). */
  credentials?: Credentials;
  /** How the scanned accounts' APIs are reached; default: role assumption on the store emulator
   *  (the demo's emulated organization). `posture scan` passes the caller's real credentials here. */
  access?: MemberAccess;
  /** The audit role assumed in accounts that name none of their own (the deployment's -c auditRoleName; default DEFAULT_AUDIT_ROLE_NAME). */
  auditRoleName?: string;
  /** Partition and home region of the scanned accounts (default aws, us-east-1). */
  partition?: string;
  homeRegion?: string;
  /** The resource types to scan (default: the whole registry). */
  registry?: readonly AnyResourceType[];
  /** Policy directories; default: the built-in pack. */
  policyDirs?: string[];
  /**
   * The frameworks whose policies run (`posture scan --frameworks`); default the stack's default,
   * CIS and FSBP (compliance/frameworks/selection.ts). Policies without Reports always run.
   */
  frameworks?: FrameworkChoice;
  /** A bundle zip to evaluate with instead of directories (`posture scan --policies`: the built-in pack with the custom one added). */
  bundleZip?: string;
  /** Receives every batch of policy results the evaluator returns (progress counts). */
  onEvaluated?: (results: readonly PolicyResult[]) => void;
  log?: Log;
  /** Seconds between the worker's checks for an uploaded bundle (default BUNDLE_TTL_SECONDS). */
  bundleTtlSeconds?: number;
  /** Receives every dispatched alert (after its destinations; by default only the local SNS topic). */
  onAlert?: (alert: AlertPayload) => void;
  /** Trail buckets whose CloudTrail log files feed the real-time path (the stack's -c posture:cloudtrailBuckets). */
  cloudtrailBuckets?: string[];
}

export interface LocalRuntime {
  endpoint: string;
  securityAccountId: string;
  clients: AwsClients;
  infra: LocalInfra;
  deps: RealtimeDeps;
  /** Routes alerts to the configured destinations, like the deployed dispatch-alerts. */
  dispatcher: AlertDispatcher;
  worker: PythonWorker;
  /** The daily compliance summary, written after each scan (not after real-time rescans). */
  summaries: SummaryStore;
  /** The resources' history (absent in a one-shot runtime, which keeps none). */
  history?: HistoryStore;
  /** Plans and runs a full scan, then writes the day's compliance summary of its accounts (unless aborted); returns its scanId. */
  scan(opts?: ScanOptions): Promise<string>;
  /** Drains what is on the realtime and delay queues (several receives in flight) and processes it as one batch per queue. */
  pollRealtime(): Promise<RealtimeOutcome>;
  /** The CloudTrail log-file source's ports on the emulator (buckets: opts.cloudtrailBuckets; mutable, like deps). */
  logSource: LogSourceDeps;
  /** Drains the log-file source's queue (S3 notifications) in batches of 10, as its event source mapping does; forwards to the realtime queue. */
  pollLogFiles(): Promise<LogSourceOutcome>;
  close(): Promise<void>;
}

export interface ScanOptions {
  accountIds?: string[];
  onPage?: (scope: Scope, resources: number) => void;
  onPlan?: (scopes: number, planned: readonly Scope[]) => void;
  /** Called when a scope (or a whole account-region, `*`) is recorded in the scan ledger. */
  onScope?: (entry: LedgerEntry) => void;
  /** Aborting stops the scan after the pages in flight; scopes not reached have no ledger entry. */
  signal?: AbortSignal;
}

/** Scopes in flight (API pressure per service is capped by the clients: DEFAULT_CONCURRENCY). */
const SCOPE_CONCURRENCY = 8;

/** One poll drains a queue like the deployed event source mapping's batching window: receive
 *  calls (10 messages each, the SQS maximum) several in flight, until the queue is empty or the
 *  batch is full; then one batch, so that duplicates across the receives coalesce. */
const RECEIVES_IN_FLIGHT = 4;
const POLL_BATCH_MAX = 500;

interface ReceivedMessage {
  messageId: string;
  body: string;
  receipt: string;
}

async function drainQueue(sqs: SQSClient, url: string): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  const seen = new Set<string>();
  while (out.length < POLL_BATCH_MAX) {
    const rounds = await Promise.all(
      Array.from({ length: RECEIVES_IN_FLIGHT }, () => sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))),
    );
    let full = true;
    for (const r of rounds) {
      if ((r.Messages?.length ?? 0) < 10) full = false;
      for (const m of r.Messages ?? []) {
        if (seen.has(m.MessageId!)) continue;
        seen.add(m.MessageId!);
        out.push({ messageId: m.MessageId!, body: m.Body!, receipt: m.ReceiptHandle! });
      }
    }
    // A receive that came back short: the queue is drained for now.
    if (!full) break;
  }
  return out;
}

/** The emulator's default credentials; moto maps them to its default account. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export async function startLocalRuntime(opts: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  let emulator: Emulator | undefined;
  let worker: PythonWorker | undefined;
  let active: ActiveBundleEvaluator | undefined;
  const memory = opts.store === 'memory';
  if (memory && !opts.access) throw new Error('the in-memory store scans with the caller\'s access: pass access');
  const log = opts.log ?? silentLog;
  const onLog = (line: string) => log.info(line);
  // Panther-documented types Posture does not scan stay valid: such policies load, and never see a resource.
  const knownTypes = unscannedPantherTypes();
  const pack = opts.bundleZip ? { bundleZip: opts.bundleZip } : { policyDirs: opts.policyDirs ?? [join(projectRoot, 'policies')] };
  // The policy worker and the store start side by side: neither needs the other to start.
  // The engine leaves out the policies of the frameworks not chosen, as the deployed engine does.
  const env = choiceEnv(opts.frameworks ?? chooseFrameworks());
  const starting = PythonWorker.start({ ...pack, resourceTypes: resourceTypeNames(), knownTypes, onLog, env });
  try {
    const store = memory ? await memoryStore() : await emulatorStore(opts, (e) => (emulator = e));
    const { endpoint, clients, securityAccountId, infra } = store;
    worker = await starting;
    for (const e of worker.ready.errors) log.warn(e);
    for (const note of notScannedNotes(worker.ready.targets)) log.warn(note);
    // A bundle published by `posture upload --endpoint` replaces the directories, as in the
    // deployed engine; watched from here, so the worker never holds S3 credentials. A one-shot
    // store has nothing to watch: no upload can reach it.
    active = memory ? undefined : new ActiveBundleEvaluator({
      s3: clients.get(S3Client),
      bucket: infra.bucket,
      ttlSeconds: opts.bundleTtlSeconds ?? BUNDLE_TTL_SECONDS,
      builtIn: worker,
      startBundle: (bundleZip) => PythonWorker.start({ bundleZip, resourceTypes: resourceTypeNames(), knownTypes, onLog, env }),
      log,
    });
    const watcher: Evaluator = active ?? worker;
    const onEvaluated = opts.onEvaluated;
    const evaluator: Evaluator = onEvaluated
      ? {
          evaluate: async (resources, lookups) => {
            const results = await watcher.evaluate(resources, lookups);
            onEvaluated(results);
            return results;
          },
        }
      : watcher;

    const sqs = clients.get(SQSClient);
    const graph: Composed = composeDeps(
      {
        clients,
        tables: infra.tables,
        bucket: infra.bucket,
        topicArn: infra.topicArn,
        queues: infra.queues,
        partition: opts.partition ?? 'aws',
        homeRegion: opts.homeRegion ?? 'us-east-1',
        access:
          opts.access ??
          new RoleAssumer({
            base: clients,
            partition: opts.partition ?? 'aws',
            defaultRoleName: opts.auditRoleName ?? DEFAULT_AUDIT_ROLE_NAME,
            endpoint,
            sessionName: 'posture-local',
            clientOptions: EMULATOR_CLIENT_OPTIONS,
          }),
        evaluator,
        log,
      },
      {
        // The emulator's transactions run one at a time (serialized-transactions.ts); the in-memory
        // database runs each request whole.
        // A one-shot scan keeps no history: its state is discarded with it.
        ...(memory ? { blobs: store.blobs, noHistory: true } : { transactDoc: serializeTransactWrites }),
        // Local only: receivers on this machine (tests, a local webhook) may use plain http.
        allowLoopbackHttp: true,
        // `posture destinations add` against this runtime takes effect at the next alert.
        registryTtlMs: 0,
        registry: opts.registry,
        // No table stream here: deliver in-process, through the same payload, routing and senders.
        // A one-shot scan has no destinations: its alerts stay rows, reported in its summary.
        onAlerts: memory ? undefined : async (opened, resolved) => {
          for (const alert of [...opened, ...resolved]) {
            const payload = await alertPayload(alert, graph.scan.resources);
            await graph.dispatcher.dispatch(alert, payload);
            opts.onAlert?.(payload);
          }
        },
      },
    );
    const { realtime: deps, dispatcher, idempotency } = graph;
    // No Lambda invocation here: give in-progress records the realtime function's 15-minute horizon.
    idempotency.registerLambdaContext({ getRemainingTimeInMillis: () => 15 * 60_000 });

    const logSource = composeLogSource({
      clients,
      accountsTable: infra.tables.Accounts,
      realtimeQueueUrl: infra.queues.realtime,
      deadLetterQueueUrl: infra.queues.cloudtrailLogsDlq,
      buckets: opts.cloudtrailBuckets ?? [],
      log,
      ...(opts.registry ? { registry: opts.registry } : {}),
    });

    const runningWorker = worker;
    return {
      endpoint,
      securityAccountId,
      clients,
      infra,
      deps,
      dispatcher,
      worker: runningWorker,
      summaries: graph.summaries,
      ...(graph.history ? { history: graph.history } : {}),
      async scan(scanOpts = {}) {
        const startedAt = new Date();
        const scanId = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 4)}`;
        const { onScope, signal } = scanOpts;
        let scanDeps: RealtimeDeps = deps;
        if (onScope) {
          // The same store, with each ledger entry also reported as it is recorded.
          const ledger = Object.create(deps.ledger) as LedgerStore;
          ledger.record = async (entry) => {
            await deps.ledger.record(entry);
            onScope(entry);
          };
          scanDeps = { ...deps, ledger };
        }
        const plan = await planScan(scanDeps, scanId, scanOpts.accountIds);
        scanOpts.onPlan?.(plan.scopes.length, plan.scopes);
        // Scopes run several at a time, each as a batch of one (the deployed unit of work, with its
        // ledger entry); types that look others up wait for them per account (scope-order.ts).
        // An aborted scan is out of time: no new page or scope starts (the cursor is dropped).
        const budget = { get deadline() { return signal?.aborted ? 0 : Number.POSITIVE_INFINITY; }, onPage: scanOpts.onPage };
        // Exceptions are read once for the whole scan, as once per batch deployed.
        const perScan: RealtimeDeps = scanDeps.exceptions ? { ...scanDeps, exceptions: cachedExceptions(scanDeps.exceptions) } : scanDeps;
        await runScopes(plan.scopes, scanDeps.registry ?? REGISTRY, SCOPE_CONCURRENCY, async (scope) => {
          if (!signal?.aborted) await scanBatch(perScan, { scanId, scopes: [scope] }, budget);
        });
        // As the DailyScan's SummarizeScan step: the day the scan started, its accounts. An
        // interrupted scan verified only part of them, so it leaves the day's summary as it was.
        if (!signal?.aborted) await recordDailySummary({ ...deps, summaries: graph.summaries }, dayOf(startedAt), scanOpts.accountIds);
        return scanId;
      },
      async pollRealtime() {
        if (memory) throw new Error('a one-shot (in-memory) runtime has no real-time queues');
        const merged: RealtimeOutcome = {
          batchItemFailures: [],
          stats: emptyRealtimeStats(),
        };
        for (const url of [infra.queues.realtime, infra.queues.delay]) {
          const msgs = await drainQueue(sqs, url);
          if (msgs.length === 0) continue;
          const out = await processRealtimeBatch(deps, msgs);
          const failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
          const done = msgs.filter((m) => !failed.has(m.messageId));
          await mapLimit(
            Array.from({ length: Math.ceil(done.length / 10) }, (_, i) => done.slice(i * 10, i * 10 + 10)),
            RECEIVES_IN_FLIGHT,
            (chunk) => sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: chunk.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receipt })) })),
          );
          merged.batchItemFailures.push(...out.batchItemFailures);
          for (const k of ['received', 'rescanned', 'alreadySeen', 'coalesced', 'deferred', 'deadLettered', 'canaries', 'deleteNotConfirmed', 'stale', 'failed'] as const) merged.stats[k] += out.stats[k];
          for (const k of Object.keys(out.stats.dropped) as (keyof RealtimeOutcome['stats']['dropped'])[]) merged.stats.dropped[k] += out.stats.dropped[k];
          for (const k of Object.keys(out.stats.rejected) as (keyof RealtimeOutcome['stats']['rejected'])[]) merged.stats.rejected[k] += out.stats.rejected[k];
        }
        return merged;
      },
      logSource,
      async pollLogFiles() {
        if (memory) throw new Error('a one-shot (in-memory) runtime has no real-time queues');
        const url = infra.queues.cloudtrailLogs;
        const merged: LogSourceOutcome = { batchItemFailures: [], stats: emptyLogSourceStats() };
        const msgs = await drainQueue(sqs, url);
        // Batches of 10 (the deployed event source mapping's batch size): a failure retries only its messages.
        for (let i = 0; i < msgs.length; i += 10) {
          const batch = msgs.slice(i, i + 10);
          const out = await processLogNotifications(logSource, batch);
          const failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
          const done = batch.filter((m) => !failed.has(m.messageId));
          if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: done.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }));
          merged.batchItemFailures.push(...out.batchItemFailures);
          addLogSourceStats(merged.stats, out.stats);
        }
        return merged;
      },
      async close() {
        await active?.stop();
        await runningWorker.stop();
        await emulator?.stop();
      },
    };
  } catch (err) {
    await active?.stop();
    await (worker ?? (await starting.catch(() => undefined)))?.stop();
    await emulator?.stop();
    throw err;
  }
}

interface StoreParts {
  endpoint: string;
  clients: AwsClients;
  securityAccountId: string;
  infra: LocalInfra;
  blobs?: BlobStore;
}

/** The security account's infrastructure on moto (started here unless an endpoint is given). */
async function emulatorStore(opts: LocalRuntimeOptions, started: (e: Emulator) => void): Promise<StoreParts> {
  const given = opts.storeEndpoint ?? opts.endpoint;
  const emulator = given ? undefined : await startEmulator();
  if (emulator) started(emulator);
  const endpoint = given ?? emulator!.endpoint;
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: opts.credentials ?? EMULATOR_CREDENTIALS, ...EMULATOR_CLIENT_OPTIONS });
  const securityAccountId = (await clients.get(STSClient).send(new GetCallerIdentityCommand({}))).Account!;
  return { endpoint, clients, securityAccountId, infra: await bootstrapLocal(clients, securityAccountId) };
}

/** The one-shot store: the same tables (from TABLES) in the in-memory DynamoDB; names for the rest, which nothing calls. */
async function memoryStore(): Promise<StoreParts> {
  const clients = memoryStoreClients();
  const tables = await ensureTables(clients);
  const blobs = new MemoryBlobStore();
  const none = 'none:one-shot';
  return {
    endpoint: 'memory:',
    clients,
    securityAccountId: MEMORY_ACCOUNT_ID,
    infra: { tables, bucket: blobs.bucket, topicArn: none, busName: none, queues: { realtime: none, delay: none, deadLetter: none, alertDelivery: none, cloudtrailLogs: none, cloudtrailLogsDlq: none } },
    blobs,
  };
}

/** The security account of a one-shot store (it has none: the caller scans with its own credentials). */
const MEMORY_ACCOUNT_ID = '000000000000';
