/**
 * RealtimeRescan: one SQS batch of CloudTrail events → rescans. Malformed messages go to the DLQ
 * with a reason and the rest of the batch carries on; events of accounts that are not onboarded
 * are dropped and counted; duplicates for one resource coalesce (the newest event names the rescan,
 * every event's actor is kept on what it writes, and each is marked answered); resources
 * that need to settle are deferred through the delay queue; each event is processed once
 * (idempotent on its CloudTrail eventID); a failed rescan fails only the messages behind it.
 * An event is a hint to rescan, never a verdict: events EventBridge does not vouch for are
 * rejected (trust.ts), and a delete event tombstones only what a describe confirms is gone.
 */
import { type Account, excludesResource } from '#accounts/account.ts';
import { getResourceType } from '#resources/index.ts';
import { describeError, mapLimit } from '#core/errors.ts';
import { scopeKey, type Scope, type Trigger } from '#core/types.ts';
import type { ScanDeps } from '#scan/deps.ts';
import { cachedExceptions } from '#compliance/exceptions.ts';
import { ingest, removeResources } from '#scan/ingest.ts';
import { scanContext, scanWholeScope } from '#scan/scan-scope.ts';
import { isCanary, parseMessage, type ParsedMessage } from './envelope.ts';
import { mapEvent, type RescanTarget } from './map-event.ts';
import { mergeActors, type Provenance } from '#core/provenance.ts';
import { trustRejection, type RejectReason } from './trust.ts';

/** Rescans of one batch in flight at once (each is a few API calls and store writes). */
const RESCAN_CONCURRENCY = 8;

export interface QueueMessage {
  messageId: string;
  body: string;
}

export interface RealtimeQueues {
  /** Re-sends an event after `delaySeconds` (SQS delay queue, at most 900 s). */
  defer(body: string, delaySeconds: number): Promise<void>;
  /** Parks an unprocessable message with its reason. */
  deadLetter(body: string, reason: string): Promise<void>;
}

/** Runs `fn` at most once per CloudTrail eventID (Powertools idempotency when deployed). */
export type OncePerEvent = (target: RescanTarget, fn: () => Promise<void>) => Promise<void>;

export interface RealtimeDeps extends ScanDeps {
  queues: RealtimeQueues;
  once: OncePerEvent;
}

export interface RealtimeStats {
  received: number;
  rescanned: number;
  /** Rescans not run: their event was already answered (redelivered, coalesced earlier, or seen through the other source). */
  alreadySeen: number;
  coalesced: number;
  deferred: number;
  deadLettered: number;
  /** `posture accounts verify` canaries recorded. */
  canaries: number;
  dropped: { notOnboarded: number; readOnly: number; failedCall: number; unknownEvent: number };
  /** Events not acted on because of what they claimed (trust.ts) or because they name nothing. */
  rejected: Record<RejectReason, number>;
  /** Delete events whose resource a describe still found: rescanned, not tombstoned. */
  deleteNotConfirmed: number;
  /** Writes dropped because the store already held a newer observation. */
  stale: number;
  failed: number;
}

export interface RealtimeOutcome {
  batchItemFailures: { itemIdentifier: string }[];
  stats: RealtimeStats;
}

interface Pending {
  /** The newest event's target: what the rescan runs as. */
  target: RescanTarget;
  /** Every event coalesced into it (the newest included): their actors are kept, each is marked seen. */
  targets: RescanTarget[];
  messageIds: Set<string>;
}

function coalesceKey(t: RescanTarget, resourceId: string | undefined): string {
  const where = `${t.accountId}|${t.resourceType}`;
  if (t.action === 'rescan-region') return `${where}|${t.region}|*`;
  if (t.action === 'rescan-account') return `${where}|*`;
  return `${where}|${resourceId ?? JSON.stringify(t.ref)}`;
}

/** All-zero stats (the local runtime sums several batches into one). */
export function emptyRealtimeStats(received = 0): RealtimeStats {
  return {
    received,
    rescanned: 0,
    alreadySeen: 0,
    coalesced: 0,
    deferred: 0,
    deadLettered: 0,
    canaries: 0,
    dropped: { notOnboarded: 0, readOnly: 0, failedCall: 0, unknownEvent: 0 },
    rejected: { accountMismatch: 0, untrustedSource: 0, noTarget: 0 },
    deleteNotConfirmed: 0,
    stale: 0,
    failed: 0,
  };
}

export async function processRealtimeBatch(batchDeps: RealtimeDeps, messages: readonly QueueMessage[]): Promise<RealtimeOutcome> {
  // Exceptions are read once per batch, not per resource.
  const deps: RealtimeDeps = batchDeps.exceptions ? { ...batchDeps, exceptions: cachedExceptions(batchDeps.exceptions) } : batchDeps;
  const batch: Batch = { deps, stats: emptyRealtimeStats(messages.length), failures: new Set(), accounts: new Map(), pending: new Map() };
  for (const msg of messages) {
    try {
      const admitted = await admit(batch, msg);
      if (admitted) await plan(batch, msg, admitted);
    } catch (err) {
      // Infrastructure failure (store, queue): let SQS retry this message.
      batch.failures.add(msg.messageId);
      batch.stats.failed++;
      deps.log.error('realtime message failed', { messageId: msg.messageId, error: describeError(err) });
    }
  }
  await rescanPending(batch);
  return { batchItemFailures: [...batch.failures].map((itemIdentifier) => ({ itemIdentifier })), stats: batch.stats };
}

/** One batch's working state: what it counted, which messages SQS must retry, the accounts read, the rescans planned. */
interface Batch {
  deps: RealtimeDeps;
  stats: RealtimeStats;
  failures: Set<string>;
  accounts: Map<string, Account | undefined>;
  pending: Map<string, Pending>;
}

/**
 * Step 1: what a message asks for, if anything. Malformed → the DLQ with its reason; an event
 * EventBridge does not vouch for → rejected; a canary → recorded for its sender; failed, read-only
 * and unknown calls → dropped; an event naming nothing → rejected. Otherwise its rescan targets.
 */
async function admit({ deps, stats }: Batch, msg: QueueMessage): Promise<{ parsed: ParsedMessage; targets: RescanTarget[] } | undefined> {
  let parsed: ParsedMessage;
  try {
    parsed = parseMessage(msg.body);
  } catch (err) {
    await deps.queues.deadLetter(msg.body, (err as Error).message);
    stats.deadLettered++;
    deps.log.warn('malformed realtime message sent to DLQ', { messageId: msg.messageId, reason: (err as Error).message });
    return undefined;
  }
  const rejection = trustRejection(parsed.event);
  if (rejection) {
    stats.rejected[rejection.reason]++;
    deps.log.warn('realtime event rejected', { messageId: msg.messageId, reason: rejection.reason, detail: rejection.message });
    return undefined;
  }
  if (isCanary(parsed.event)) {
    // Proof for `posture accounts verify` that the member rule reaches this path; no rescan.
    // Recorded for the account EventBridge names: nobody can prove another account's rules.
    const { detail } = parsed.event;
    if (await deps.accounts.recordCanary(parsed.event.account, detail.awsRegion, detail.eventID, deps.clock.now().toISOString())) stats.canaries++;
    else stats.dropped.notOnboarded++;
    return undefined;
  }
  const mapped = mapEvent(parsed.event, deps.registry);
  if ('dropped' in mapped) {
    stats.dropped[mapped.dropped]++;
    return undefined;
  }
  if ('rejected' in mapped) {
    stats.rejected[mapped.rejected.reason]++;
    deps.log.warn('realtime event rejected', { messageId: msg.messageId, reason: mapped.rejected.reason, detail: mapped.rejected.message });
    return undefined;
  }
  return { parsed, targets: mapped.targets };
}

/**
 * Step 2: each target of an admitted message against its account (not onboarded → dropped;
 * excluded type or region → skipped), deferred once through the delay queue when the resource
 * must settle, else coalesced with the batch's other rescans of the same resource (newest event wins).
 */
async function plan({ deps, stats, accounts, pending }: Batch, msg: QueueMessage, { parsed, targets }: { parsed: ParsedMessage; targets: RescanTarget[] }): Promise<void> {
  let deferred = false;
  for (const target of targets) {
    if (!accounts.has(target.accountId)) accounts.set(target.accountId, await deps.accounts.get(target.accountId));
    const account = accounts.get(target.accountId);
    if (!account?.enabled) {
      stats.dropped.notOnboarded++;
      return;
    }
    if (account.excludeTypes.includes(target.resourceType) || account.excludeRegions.includes(target.region)) continue;
    if (target.settleSeconds && !parsed.settled) {
      if (!deferred) {
        await deps.queues.defer(JSON.stringify({ settled: true, event: JSON.parse(msg.body) }), Math.min(900, target.settleSeconds));
        stats.deferred++;
        deferred = true;
      }
      continue;
    }
    const type = getResourceType(target.resourceType, deps.registry);
    const id = target.ref === undefined ? undefined : type.resourceId({ accountId: target.accountId, region: target.region, partition: deps.partition }, target.ref);
    const key = coalesceKey(target, id);
    const existing = pending.get(key);
    if (existing) {
      stats.coalesced++;
      existing.messageIds.add(msg.messageId);
      existing.targets.push(target);
      if (target.eventTime >= existing.target.eventTime) existing.target = target;
    } else {
      pending.set(key, { target, targets: [target], messageIds: new Set([msg.messageId]) });
    }
  }
}

/** Step 3: the distinct resources, rescanned side by side (as concurrent invocations would), each once per event. */
async function rescanPending({ deps, stats, failures, accounts, pending }: Batch): Promise<void> {
  await mapLimit([...pending.values()], RESCAN_CONCURRENCY, async ({ target, targets, messageIds }) => {
    try {
      const provenance = mergeActors(targets.map((t) => [t.actor]));
      let ran = false;
      await deps.once(target, async () => {
        ran = true;
        const r = await rescan(deps, accounts.get(target.accountId)!, target, provenance);
        if (r.deleteNotConfirmed) stats.deleteNotConfirmed++;
        stats.stale += r.stale;
      });
      if (!ran) {
        stats.alreadySeen++;
        return;
      }
      // The coalesced events were answered by this rescan: marked seen, so the same event arriving
      // again (redelivered, or through the other source — log files after EventBridge) is not rescanned twice.
      for (const other of targets) if (other.eventID !== target.eventID) await deps.once(other, async () => {});
      stats.rescanned++;
    } catch (err) {
      messageIds.forEach((id) => failures.add(id));
      stats.failed++;
      deps.log.error('realtime rescan failed', { eventID: target.eventID, eventName: target.eventName, error: describeError(err) });
    }
  });
}

interface RescanResult {
  deleteNotConfirmed: boolean;
  stale: number;
}

async function rescan(deps: ScanDeps, account: Account, target: RescanTarget, provenance: Provenance): Promise<RescanResult> {
  const type = getResourceType(target.resourceType, deps.registry);
  const scope: Scope = { accountId: target.accountId, region: type.scope === 'global' ? 'global' : target.region, resourceType: type.type };
  const trigger: Trigger = `realtime:${target.eventName}`;
  const scanId = `realtime:${target.eventID}`;
  const result: RescanResult = { deleteNotConfirmed: false, stale: 0 };
  if (target.action === 'rescan-region' || target.action === 'rescan-account') {
    await scanWholeScope(deps, scanId, scope, trigger, provenance);
    return result;
  }
  const ctx = scanContext(deps, account, scope);
  const id = type.resourceId(ctx, target.ref);
  // Delete events too are only a hint: the resource is described, and tombstoned only when AWS
  // says it is gone. The observation time is taken before the call (a verdict is never older
  // than the one it replaces).
  const observedAt = deps.clock.now();
  const fresh = await type.describe(ctx, target.ref);
  if (fresh) {
    if (target.action === 'delete') {
      result.deleteNotConfirmed = true;
      deps.log.warn('delete event but the resource still exists: rescanned, not tombstoned', { eventID: target.eventID, eventName: target.eventName, resourceId: fresh.ResourceId });
    }
    if (!excludesResource(account, fresh.ResourceId)) result.stale = (await ingest(deps, [fresh], scopeKey(scope), trigger, { observedAt, touch: true, provenance })).stale;
  } else if (id) {
    result.stale = (await removeResources(deps, [id], observedAt, { trigger, provenance })).stale;
  } else {
    // The event does not identify the resource's ID (e.g. an IAM path is unknown): reconcile the scope.
    await scanWholeScope(deps, scanId, scope, trigger, provenance);
  }
  return result;
}
