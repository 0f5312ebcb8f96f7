/**
 * The second real-time source (DESIGN §5): CloudTrail log files a trail already delivers to S3.
 * One SQS batch of S3 object-created notifications → for each log file of a bucket the deployment
 * names and an account onboarded with that bucket, its write events of the registry's services,
 * forwarded to the realtime queue (the one RealtimeRescan consumes) as `cloudtrail-log` messages —
 * so coalescing, settle deferral, the DLQ and the idempotency by eventID (an event already seen
 * through EventBridge is not processed twice) are the EventBridge path's, not a copy.
 * Trust: the account is the object key's; every record must name it as `recipientAccountId` and
 * the key's region as `awsRegion` (trust.ts explains why the key is believed).
 */
import type { Account } from '#accounts/account.ts';
import { describeError } from '#core/errors.ts';
import type { Clock } from '#core/types.ts';
import type { AnyResourceType } from '#resources/index.ts';
import type { Log } from '#scan/deps.ts';
import { parseLogKey, type LogFileKey, type SkippedKind } from './cloudtrail-key.ts';
import { awsSourceOf, LOG_FILE_MESSAGE, logFileMessageSchema, oneLine, type CloudTrailEvent, type LogFileMessage } from './envelope.ts';
import { logRecords, MalformedLogFile } from './log-records.ts';
import { mapEvent, type DropReason } from './map-event.ts';
import type { QueueMessage } from './realtime.ts';
import { parseS3Notification, type CreatedObject } from './s3-notification.ts';

/** SQS's largest message (256 KiB): a record whose message is larger is dead-lettered, never dropped silently. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
/** SendMessageBatch: at most 10 entries, and the same byte limit for the whole batch. */
const BATCH_ENTRIES = 10;

export interface LogSourceDeps {
  /** Streams an object's bytes; throws when it cannot be read (the notification is then retried). */
  objects: { read(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> };
  /** Sends bodies to the realtime queue (one SendMessageBatch); throws unless every one was accepted. */
  realtime: { sendBatch(bodies: readonly string[]): Promise<void> };
  /** Parks what cannot be processed on the log source's DLQ, with a reason. */
  deadLetter(body: string, reason: string): Promise<void>;
  accounts: { get(accountId: string): Promise<Account | undefined> };
  /** The trail buckets the deployment reads (`-c posture:cloudtrailBuckets`); objects of any other are refused. */
  buckets: readonly string[];
  registry?: readonly AnyResourceType[];
  log: Log;
  clock: Clock;
}

export interface LogSourceStats {
  notifications: number;
  /** `s3:TestEvent`s S3 sends when a notification configuration is saved. */
  testEvents: number;
  /** Notifications (and oversize records) parked on the DLQ with a reason. */
  deadLettered: number;
  /** Notifications SQS retries (an object could not be read, or the realtime queue refused a send). */
  failed: number;
  files: {
    read: number;
    skipped: Record<SkippedKind, number>;
    /** Objects of a bucket the deployment does not name. */
    rejected: { unknownBucket: number; malformed: number };
    /** Not read: the key's account is not onboarded (or disabled), or names another trail bucket. */
    dropped: { notOnboarded: number; notThisSource: number };
  };
  records: {
    read: number;
    forwarded: number;
    dropped: Record<DropReason, number>;
    rejected: { accountMismatch: number; regionMismatch: number; malformed: number; noTarget: number };
    /** Write events whose realtime message would exceed SQS's limit: dead-lettered with a reason. */
    oversize: number;
  };
  /** Seconds from the oldest forwarded event's eventTime to its forwarding (the trail's delivery delay plus ours). */
  maxLagSeconds: number;
}

export interface LogSourceOutcome {
  batchItemFailures: { itemIdentifier: string }[];
  stats: LogSourceStats;
}

export function emptyLogSourceStats(): LogSourceStats {
  return {
    notifications: 0,
    testEvents: 0,
    deadLettered: 0,
    failed: 0,
    files: { read: 0, skipped: { digest: 0, insight: 0, notLogFile: 0 }, rejected: { unknownBucket: 0, malformed: 0 }, dropped: { notOnboarded: 0, notThisSource: 0 } },
    records: { read: 0, forwarded: 0, dropped: { readOnly: 0, failedCall: 0, unknownEvent: 0 }, rejected: { accountMismatch: 0, regionMismatch: 0, malformed: 0, noTarget: 0 }, oversize: 0 },
    maxLagSeconds: 0,
  };
}

/** Adds `b` into `a` (the local runtime and the bench sum several batches). */
export function addLogSourceStats(a: LogSourceStats, b: LogSourceStats): void {
  const add = (x: Record<string, unknown>, y: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(y)) {
      if (typeof v === 'number') x[k] = k === 'maxLagSeconds' ? Math.max(x[k] as number, v) : (x[k] as number) + v;
      else add(x[k] as Record<string, unknown>, v as Record<string, unknown>);
    }
  };
  add(a as unknown as Record<string, unknown>, b as unknown as Record<string, unknown>);
}

export async function processLogNotifications(deps: LogSourceDeps, messages: readonly QueueMessage[]): Promise<LogSourceOutcome> {
  const stats = emptyLogSourceStats();
  const failures: { itemIdentifier: string }[] = [];
  const accounts = new Map<string, Promise<Account | undefined>>();
  for (const msg of messages) {
    stats.notifications++;
    let objects: CreatedObject[];
    try {
      const n = parseS3Notification(msg.body);
      if ('test' in n) {
        stats.testEvents++;
        continue;
      }
      objects = n.objects;
    } catch (err) {
      // Parked with its reason; only when the DLQ itself fails is the notification handed back for a retry.
      await deadLetter(deps, stats, msg.body, (err as Error).message, msg.messageId).catch((dlqErr: unknown) => {
        failures.push({ itemIdentifier: msg.messageId });
        stats.failed++;
        deps.log.error('cloudtrail log source: DLQ send failed: retried', { messageId: msg.messageId, error: describeError(dlqErr) });
      });
      continue;
    }
    try {
      for (const object of objects) await processObject(deps, stats, accounts, object, msg);
    } catch (err) {
      // S3 or SQS failed: SQS retries the notification (records already forwarded are deduplicated downstream by eventID).
      failures.push({ itemIdentifier: msg.messageId });
      stats.failed++;
      deps.log.error('cloudtrail log file failed: retried', { messageId: msg.messageId, error: describeError(err) });
    }
  }
  return { batchItemFailures: failures, stats };
}

async function deadLetter(deps: LogSourceDeps, stats: LogSourceStats, body: string, reason: string, messageId?: string): Promise<void> {
  await deps.deadLetter(body, reason);
  stats.deadLettered++;
  deps.log.warn('cloudtrail log source: sent to DLQ', { ...(messageId ? { messageId } : {}), reason });
}

/** One created object: refused, skipped or dropped (never read), or read and forwarded. */
async function processObject(
  deps: LogSourceDeps,
  stats: LogSourceStats,
  accounts: Map<string, Promise<Account | undefined>>,
  { bucket, key }: CreatedObject,
  msg: QueueMessage,
): Promise<void> {
  const where = `s3://${oneLine(bucket, 63)}/${oneLine(key, 300)}`;
  if (!deps.buckets.includes(bucket)) {
    stats.files.rejected.unknownBucket++;
    deps.log.warn('cloudtrail log source: object of a bucket the deployment does not name: not read', { object: where, buckets: deps.buckets.join(',') });
    return;
  }
  const parsed = parseLogKey(key);
  if ('skipped' in parsed) {
    stats.files.skipped[parsed.skipped]++;
    deps.log.info('cloudtrail log source: skipped', { reason: parsed.reason });
    return;
  }
  const file = parsed.logFile;
  if (!accounts.has(file.account)) accounts.set(file.account, deps.accounts.get(file.account));
  const account = await accounts.get(file.account)!;
  if (!account?.enabled) {
    stats.files.dropped.notOnboarded++;
    deps.log.info('cloudtrail log source: account not onboarded (or disabled): not read', { object: where, account: file.account });
    return;
  }
  if (account.cloudtrailBucket !== bucket) {
    stats.files.dropped.notThisSource++;
    deps.log.warn('cloudtrail log source: the account names another trail bucket (or none): not read', { object: where, account: file.account, cloudtrailBucket: account.cloudtrailBucket ?? '(none)' });
    return;
  }
  const body = await deps.objects.read(bucket, key);
  const out = new Outbox(deps, stats);
  try {
    for await (const record of logRecords(body)) await forwardRecord(deps, stats, out, { bucket, key, file, where }, record);
  } catch (err) {
    if (!(err instanceof MalformedLogFile)) throw err;
    // Retrying cannot repair the file: park the notification with the reason (records already forwarded stay forwarded).
    await out.flush();
    stats.files.rejected.malformed++;
    await deadLetter(deps, stats, msg.body, `${where}: ${err.message}`, msg.messageId);
    return;
  }
  await out.flush();
  stats.files.read++;
}

interface FileRef {
  bucket: string;
  key: string;
  file: LogFileKey;
  where: string;
}

async function forwardRecord(deps: LogSourceDeps, stats: LogSourceStats, out: Outbox, ref: FileRef, record: unknown): Promise<void> {
  stats.records.read++;
  const candidate = { posture: LOG_FILE_MESSAGE, bucket: ref.bucket, key: ref.key, account: ref.file.account, region: ref.file.region, detail: record };
  const r = logFileMessageSchema.safeParse(candidate);
  const eventId = (record as { eventID?: unknown } | null)?.eventID;
  const named = `${ref.where} event ${typeof eventId === 'string' ? oneLine(eventId, 100) : '?'}`;
  if (!r.success) {
    stats.records.rejected.malformed++;
    const issue = r.error.issues[0]!;
    deps.log.warn(`cloudtrail log record rejected (malformed): ${named}: ${oneLine(issue.path.join('.'), 100)}: ${oneLine(issue.message)}`);
    return;
  }
  const message: LogFileMessage = r.data;
  const d = message.detail;
  if (d.recipientAccountId !== ref.file.account) {
    stats.records.rejected.accountMismatch++;
    deps.log.warn(`cloudtrail log record rejected (accountMismatch): ${named}: recipientAccountId ${oneLine(String(d.recipientAccountId ?? '(missing)'), 20)} is not the key's account ${ref.file.account}`);
    return;
  }
  if (d.awsRegion !== ref.file.region) {
    stats.records.rejected.regionMismatch++;
    deps.log.warn(`cloudtrail log record rejected (regionMismatch): ${named}: awsRegion ${oneLine(d.awsRegion, 30)} is not the key's region ${ref.file.region}`);
    return;
  }
  // The EventBridge path's mapping decides what is a write of a scanned type (one event list, the registry's).
  const event: CloudTrailEvent = { account: message.account, source: awsSourceOf(d.eventSource), region: message.region, detail: d as CloudTrailEvent['detail'], via: { source: 'cloudtrail-s3', bucket: ref.bucket, key: ref.key } };
  const mapped = mapEvent(event, deps.registry);
  if ('dropped' in mapped) {
    stats.records.dropped[mapped.dropped]++;
    return;
  }
  if ('rejected' in mapped) {
    stats.records.rejected.noTarget++;
    deps.log.warn(`cloudtrail log record rejected (noTarget): ${ref.where}: ${mapped.rejected.message}`);
    return;
  }
  const body = JSON.stringify(message);
  const bytes = Buffer.byteLength(body);
  if (bytes > SQS_MAX_MESSAGE_BYTES) {
    stats.records.oversize++;
    // The record itself does not fit on a queue either: the DLQ gets where to find it.
    const pointer = JSON.stringify({ posture: LOG_FILE_MESSAGE, bucket: ref.bucket, key: ref.key, account: message.account, eventID: d.eventID, eventSource: d.eventSource, eventName: d.eventName, bytes });
    await deadLetter(deps, stats, pointer, `${named} (${oneLine(d.eventSource, 60)} ${oneLine(d.eventName, 60)}): its realtime message is ${bytes} bytes, over SQS's ${SQS_MAX_MESSAGE_BYTES}`);
    return;
  }
  const lag = (deps.clock.now().getTime() - Date.parse(d.eventTime)) / 1000;
  if (Number.isFinite(lag)) stats.maxLagSeconds = Math.max(stats.maxLagSeconds, Math.round(lag));
  await out.add(body, bytes);
}

/** SendMessageBatch calls in flight per log file (SQS does not keep order anyway; the consumer coalesces by eventTime). */
const SENDS_IN_FLIGHT = 4;

/** Collects realtime messages into SendMessageBatch calls (≤ 10 entries and ≤ 256 KiB each), a few in flight. */
class Outbox {
  private bodies: string[] = [];
  private bytes = 0;
  private inFlight: Promise<void>[] = [];

  constructor(
    private readonly deps: LogSourceDeps,
    private readonly stats: LogSourceStats,
  ) {}

  async add(body: string, bytes: number): Promise<void> {
    if (this.bodies.length === BATCH_ENTRIES || this.bytes + bytes > SQS_MAX_MESSAGE_BYTES) await this.send();
    this.bodies.push(body);
    this.bytes += bytes;
  }

  /** Sends what is collected and waits for every send: the file is forwarded (or this throws). */
  async flush(): Promise<void> {
    await this.send();
    const all = this.inFlight;
    this.inFlight = [];
    await Promise.all(all);
  }

  private async send(): Promise<void> {
    if (this.bodies.length === 0) return;
    const bodies = this.bodies;
    this.bodies = [];
    this.bytes = 0;
    if (this.inFlight.length >= SENDS_IN_FLIGHT) await this.inFlight.shift();
    const sending = this.deps.realtime.sendBatch(bodies).then(() => {
      this.stats.records.forwarded += bodies.length;
    });
    // Awaited by flush() or a later send(); marked handled so a failure waits for them.
    sending.catch(() => {});
    this.inFlight.push(sending);
  }
}
