/**
 * The Compliance and Alerts tables: executes the transitions the compliance domain plans
 * (src/compliance/transition.ts). A (resource, policy) item is written only when its state
 * changes; a change into FAIL opens an alert and a change to PASS (or deletion) resolves it, in the
 * same DynamoDB transaction, guarded by an optimistic version so that concurrent writers (a daily
 * scan and a real-time rescan of the same resource) produce exactly one alert per transition.
 * Each item records when its resource was observed; a result observed before the stored one is
 * dropped (and counted) under the same conditional write: no verdict is replaced by an older one.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PolicyResult, Trigger } from '#core/types.ts';
import type { AlertItem, ComplianceIndex, ComplianceItem, ResourceRef } from '#compliance/model.ts';
import { planRemoval, planTransition, transitionProvenance, type Transition } from '#compliance/transition.ts';
import type { Provenance } from '#core/provenance.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';
import type { FindingRecord, HistoryStore } from './history-store.ts';

/** `resolvedBy` of an alert whose policy no longer runs on its resource. */
export const POLICY_NOT_RUN = 'policy-not-run';

/** DynamoDB allows 100 actions per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

interface PlannedTransition {
  policyId: string;
  /** Only records a newer observation of the same verdict. */
  touch?: boolean;
  ops: unknown[];
  opened?: AlertItem;
  resolved?: AlertItem;
}

export interface TransitionOutcome {
  changed: number;
  /** Results dropped because the stored verdict came from a newer observation. */
  stale: number;
  opened: AlertItem[];
  resolved: AlertItem[];
}

export interface ApplyOptions {
  /** The pairs' stored state as the caller already read it (forScope); re-read on a conflict. */
  current?: Map<string, ComplianceItem>;
  /** When the resource was read from AWS; default: `now`. */
  observedAt?: Date;
  /** Record the observation on unchanged verdicts too (real-time rescans). */
  touch?: boolean;
  /** The CloudTrail events behind a real-time rescan (absent: a scan's window is recorded). */
  provenance?: Provenance;
  /** When the scope's previous successful scan started (the lower bound of a scan's window). */
  since?: string;
  /**
   * The results are every result the engine gives this resource now (a scan's or a rescan's
   * evaluation): a stored pair of a policy without one — disabled, deselected by the frameworks,
   * removed from the pack, retargeted — is removed and its open alert resolved (`policy-not-run`).
   * A policy that failed to load still answers, with ERROR, so its pairs are never dropped this way.
   */
  complete?: boolean;
}

/** What removed a resource's pairs: the trigger, the events behind it, the scope's previous scan start. */
export interface RemovalCause {
  trigger: Trigger;
  provenance?: Provenance;
  since?: string;
}

/** A partition of one of the Compliance table's indexes. */
export type CompliancePartition = { index: 'byAccount'; value: string; statusPrefix?: string } | { index: 'byPolicy' | 'byScope'; value: string };

/** The ExclusiveStartKey that resumes a query of `index` right after `item`. */
export function pageKey(index: CompliancePartition['index'], item: ComplianceItem): Record<string, unknown> {
  const base = { resourceId: item.resourceId, policyId: item.policyId };
  if (index === 'byAccount') return { ...base, accountId: item.accountId, statusKey: item.statusKey };
  if (index === 'byScope') return { ...base, scope: item.scope };
  return base;
}

export class ComplianceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { compliance: string; alerts: string },
    /** Where transitions that move a verdict or an alert are recorded (absent: not recorded). */
    private readonly history?: HistoryStore,
  ) {}

  /** One write: a single conditional PutItem when only the compliance item changes (most
   *  transitions), a transaction when an alert opens or resolves with it. */
  private async write(ops: unknown[]): Promise<void> {
    const single =
      ops.length === 1
        ? (ops[0] as { Put?: ConstructorParameters<typeof PutCommand>[0]; Update?: ConstructorParameters<typeof UpdateCommand>[0]; Delete?: ConstructorParameters<typeof DeleteCommand>[0] })
        : undefined;
    if (single?.Put) {
      await this.doc.send(new PutCommand(single.Put));
      return;
    }
    if (single?.Update) {
      await this.doc.send(new UpdateCommand(single.Update));
      return;
    }
    if (single?.Delete) {
      await this.doc.send(new DeleteCommand(single.Delete));
      return;
    }
    await this.doc.send(new TransactWriteCommand({ TransactItems: ops as never }));
  }

  async forResource(resourceId: string): Promise<Map<string, ComplianceItem>> {
    const items = await queryAll<ComplianceItem>(this.doc, {
      TableName: this.tables.compliance,
      KeyConditionExpression: 'resourceId = :r',
      ExpressionAttributeValues: { ':r': resourceId },
      ConsistentRead: true,
    });
    return new Map(items.map((i) => [i.policyId, i]));
  }

  async forScope(scope: string): Promise<ComplianceIndex> {
    const items = await queryAll<ComplianceItem>(this.doc, {
      TableName: this.tables.compliance,
      IndexName: 'byScope',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'scope' },
      ExpressionAttributeValues: { ':s': scope },
    });
    const index: ComplianceIndex = new Map();
    for (const i of items) {
      let m = index.get(i.resourceId);
      if (!m) index.set(i.resourceId, (m = new Map()));
      m.set(i.policyId, i);
    }
    return index;
  }

  /** Every stored verdict of one policy (the byPolicy index): what an exception of it can cover. */
  async forPolicy(policyId: string): Promise<ComplianceItem[]> {
    return queryAll<ComplianceItem>(this.doc, {
      TableName: this.tables.compliance,
      IndexName: 'byPolicy',
      KeyConditionExpression: 'policyId = :p',
      ExpressionAttributeValues: { ':p': policyId },
    });
  }

  /**
   * How many stored verdicts of one policy pass and how many fail unsuppressed: Select COUNT
   * queries of the byPolicy index, page by page (no item is read back).
   */
  async countsForPolicy(policyId: string): Promise<{ passing: number; failing: number }> {
    const count = async (filter: string, values: Record<string, unknown>): Promise<number> => {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const r = await this.doc.send(
          new QueryCommand({
            TableName: this.tables.compliance,
            IndexName: 'byPolicy',
            KeyConditionExpression: 'policyId = :p',
            FilterExpression: filter,
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':p': policyId, ...values },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        n += r.Count ?? 0;
        start = r.LastEvaluatedKey;
      } while (start);
      return n;
    };
    const [passing, failing] = await Promise.all([
      count('#st = :pass', { ':pass': 'PASS' }),
      count('#st = :fail AND suppressed <> :t', { ':fail': 'FAIL', ':t': true }),
    ]);
    return { passing, failing };
  }

  async forAccount(accountId: string): Promise<ComplianceItem[]> {
    return queryAll<ComplianceItem>(this.doc, {
      TableName: this.tables.compliance,
      IndexName: 'byAccount',
      KeyConditionExpression: 'accountId = :a',
      ExpressionAttributeValues: { ':a': accountId },
    });
  }

  /** One stored verdict. */
  async get(resourceId: string, policyId: string): Promise<ComplianceItem | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tables.compliance, Key: { resourceId, policyId } }));
    return r.Item as ComplianceItem | undefined;
  }

  /**
   * One page of an index partition (the console's findings list): byAccount (optionally only the
   * statusKeys starting with `statusPrefix`), byPolicy or byScope, in the index's order, resuming
   * after `start` (an item's keys, see pageKey). `next` is absent after the partition's last item.
   */
  async page(partition: CompliancePartition, limit: number, start?: Record<string, unknown>): Promise<{ items: ComplianceItem[]; next?: Record<string, unknown> }> {
    const q =
      partition.index === 'byAccount'
        ? {
            KeyConditionExpression: partition.statusPrefix ? 'accountId = :v AND begins_with(statusKey, :p)' : 'accountId = :v',
            ExpressionAttributeValues: { ':v': partition.value, ...(partition.statusPrefix ? { ':p': partition.statusPrefix } : {}) },
          }
        : partition.index === 'byPolicy'
          ? { KeyConditionExpression: 'policyId = :v', ExpressionAttributeValues: { ':v': partition.value } }
          : { KeyConditionExpression: '#s = :v', ExpressionAttributeNames: { '#s': 'scope' }, ExpressionAttributeValues: { ':v': partition.value } };
    const r = await this.doc.send(new QueryCommand({ TableName: this.tables.compliance, IndexName: partition.index, Limit: limit, ExclusiveStartKey: start, ...q }));
    return { items: (r.Items ?? []) as ComplianceItem[], ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}) };
  }

  /** Every alert of one (policy, resource or dedup key) pair, oldest first: the history of its transitions into and out of FAIL. */
  async alertHistory(alertKey: string): Promise<AlertItem[]> {
    return queryAll<AlertItem>(this.doc, {
      TableName: this.tables.alerts,
      KeyConditionExpression: 'alertKey = :k',
      ExpressionAttributeValues: { ':k': alertKey },
    });
  }

  async alerts(status: 'OPEN' | 'RESOLVED'): Promise<AlertItem[]> {
    return queryAll<AlertItem>(this.doc, {
      TableName: this.tables.alerts,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status },
    });
  }

  /**
   * Applies one resource's results, observed (read from AWS) at `observedAt`; writes only the
   * pairs whose state changed, all in one transaction when they fit. `current` (from forScope)
   * saves the read; when another writer got there first, the affected pairs are re-read and
   * decided again one by one. A pair whose stored verdict was observed later is left alone.
   * `touch` (real-time rescans) also records a newer observation of an unchanged verdict, so that
   * a scan page read before it cannot replace it: a real-time rescan races scan pages, and the
   * daily scan itself still writes nothing for what did not change.
   */
  async apply(resource: ResourceRef, results: readonly PolicyResult[], trigger: Trigger, now: Date, opts: ApplyOptions = {}): Promise<TransitionOutcome> {
    const out: TransitionOutcome = { changed: 0, stale: 0, opened: [], resolved: [] };
    const obs = (opts.observedAt ?? now).toISOString();
    const ctx = { resource, trigger, now, observedAt: obs, touch: opts.touch, provenance: opts.provenance, since: opts.since };
    const decide = (prev: ComplianceItem | undefined, r: PolicyResult): PlannedTransition | 'done' => {
      const t = planTransition(prev, r, ctx);
      if (t.kind === 'stale') out.stale++;
      return t.kind === 'stale' || t.kind === 'unchanged' ? 'done' : this.ops(t, r.policyId, obs);
    };
    let state = opts.current ?? (await this.forResource(resource.resourceId));
    const plans = results.flatMap((r) => {
      const d = decide(state.get(r.policyId), r);
      return d === 'done' ? [] : [d];
    });
    const retry: PolicyResult[] = [];
    const alone = plans.filter((p) => p.ops.length === 1);
    const withAlerts = plans.filter((p) => p.ops.length > 1);
    const groups = [...alone.map((p) => [p]), ...chunkPlans(withAlerts)];
    for (const group of groups) {
      try {
        await this.write(group.flatMap((p) => p.ops));
        for (const p of group) record(out, p);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        retry.push(...results.filter((r) => group.some((p) => p.policyId === r.policyId)));
      }
    }
    if (opts.complete) {
      const answered = new Set(results.map((r) => r.policyId));
      const gone = [...state.values()].filter((item) => !answered.has(item.policyId));
      if (gone.length) {
        const removal = await this.removeItems(gone, now, POLICY_NOT_RUN, obs);
        out.resolved.push(...removal.resolved);
        out.stale += removal.stale;
        out.changed += gone.length - removal.stale;
      }
    }
    for (const result of retry) {
      for (let attempt = 0; ; attempt++) {
        state = await this.forResource(resource.resourceId);
        const p = decide(state.get(result.policyId), result);
        if (p === 'done') break;
        try {
          await this.write(p.ops);
          record(out, p);
          break;
        } catch (err) {
          if (!isConditionFailure(err) || attempt >= 4) throw err;
        }
      }
    }
    return out;
  }

  /**
   * The resource is gone (AWS said so at `observedAt`): its compliance items are removed and
   * their open alerts resolve — except verdicts observed after that, which stay.
   */
  async resourceDeleted(resourceId: string, now: Date, observedAt: Date = now, cause?: RemovalCause): Promise<{ resolved: AlertItem[]; stale: number }> {
    return this.removeItems([...(await this.forResource(resourceId)).values()], now, 'deleted', observedAt.toISOString(), cause);
  }

  /**
   * Pairs whose policy no longer applies to their resource (an upload removed, disabled or
   * retargeted it): the items go and their open alerts resolve, `by` naming the cause. A pair
   * another writer changed meanwhile is left to that writer.
   */
  async removePairs(items: readonly ComplianceItem[], now: Date, by: string): Promise<AlertItem[]> {
    return (await this.removeItems(items, now, by)).resolved;
  }

  private async removeItems(
    items: readonly ComplianceItem[],
    now: Date,
    by: string,
    observedAt?: string,
    cause?: RemovalCause,
  ): Promise<{ resolved: AlertItem[]; stale: number }> {
    const resolved: AlertItem[] = [];
    let stale = 0;
    for (const prev of items) {
      const provenance = cause && observedAt ? transitionProvenance(prev, { ...cause, observedAt }) : undefined;
      const removal = planRemoval(prev, now, by, observedAt, provenance);
      if (removal.kind === 'stale') {
        stale++;
        continue;
      }
      const ops: unknown[] = [
        {
          Delete: {
            TableName: this.tables.compliance,
            Key: { resourceId: prev.resourceId, policyId: prev.policyId },
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': prev.version },
          },
        },
      ];
      if (removal.resolved) ops.push(this.resolveOp(removal.resolved));
      // A resolution by the resource's deletion is part of its history (a removed policy's is the upload's).
      if (removal.resolved && this.history && observedAt && cause) {
        ops.push(this.findingOp(prev, null, observedAt, now, cause.trigger, removal.resolved.resolvedProvenance, 'resolved'));
      }
      try {
        await this.write(ops);
        if (removal.resolved) resolved.push(removal.resolved);
      } catch (err) {
        if (!isConditionFailure(err)) throw err; // someone else already handled this pair
      }
    }
    return { resolved, stale };
  }

  private resolveOp(alert: AlertItem): unknown {
    return {
      Update: {
        TableName: this.tables.alerts,
        Key: { alertKey: alert.alertKey, openedAt: alert.openedAt },
        UpdateExpression: `SET #s = :r, resolvedAt = :now, resolvedBy = :by${alert.resolvedProvenance ? ', resolvedProvenance = :p' : ''}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'RESOLVED', ':now': alert.resolvedAt, ':by': alert.resolvedBy, ...(alert.resolvedProvenance ? { ':p': alert.resolvedProvenance } : {}) },
      },
    };
  }

  /** The writes of one planned transition, guarded by the pair's version and observation time. */
  private ops(t: Extract<Transition, { kind: 'touch' | 'change' }>, policyId: string, observedAt: string): PlannedTransition {
    const prev = t.previous;
    if (t.kind === 'touch') {
      // No new version: the state is the same, only the observation moves.
      const update = {
        TableName: this.tables.compliance,
        Key: { resourceId: t.previous.resourceId, policyId },
        UpdateExpression: 'SET observedAt = :obs',
        ConditionExpression: 'version = :v AND (attribute_not_exists(observedAt) OR observedAt < :obs)',
        ExpressionAttributeValues: { ':v': t.previous.version, ':obs': observedAt },
      };
      return { policyId, touch: true, ops: [{ Update: update }] };
    }
    const ops: unknown[] = [
      {
        Put: {
          TableName: this.tables.compliance,
          Item: t.item,
          ...(prev
            ? {
                ConditionExpression: 'version = :v AND (attribute_not_exists(observedAt) OR observedAt <= :obs)',
                ExpressionAttributeValues: { ':v': prev.version, ':obs': observedAt },
              }
            : { ConditionExpression: 'attribute_not_exists(resourceId)' }),
        },
      },
    ];
    if (t.opened) ops.push({ Put: { TableName: this.tables.alerts, Item: t.opened, ConditionExpression: 'attribute_not_exists(alertKey)' } });
    if (t.resolved) ops.push(this.resolveOp(t.resolved));
    // The history keeps what moved: a verdict's status, or an alert. A first PASS, or a new
    // severity or message of the same status, is not a change anyone reads a timeline for.
    const moved = (prev && prev.status !== t.item.status) || t.opened || t.resolved;
    if (this.history && moved) {
      ops.push(this.findingOp(t.item, t.item.status, observedAt, new Date(t.item.lastChanged), t.item.trigger, t.item.provenance, t.opened ? 'opened' : t.resolved ? 'resolved' : undefined, prev?.status ?? null));
    }
    return { policyId, ops, opened: t.opened, resolved: t.resolved };
  }

  /** The history record of a pair's transition (written in the transition's own transaction). */
  private findingOp(
    pair: ComplianceItem,
    toStatus: ComplianceItem['status'] | null,
    observedAt: string,
    now: Date,
    trigger: Trigger,
    provenance: Provenance | undefined,
    alert: 'opened' | 'resolved' | undefined,
    fromStatus: ComplianceItem['status'] | null = pair.status,
  ): unknown {
    const record: FindingRecord = {
      kind: 'finding',
      resourceId: pair.resourceId,
      resourceType: pair.resourceType,
      accountId: pair.accountId,
      region: pair.region,
      observedAt,
      recordedAt: now.toISOString(),
      trigger,
      ...(provenance ? { provenance } : {}),
      policyId: pair.policyId,
      fromStatus,
      toStatus,
      severity: pair.severity,
      title: pair.title,
      ...(alert ? { alert } : {}),
    };
    return this.history!.putOp(record);
  }
}

function record(out: TransitionOutcome, p: PlannedTransition): void {
  if (p.touch) return;
  out.changed++;
  if (p.opened) out.opened.push(p.opened);
  if (p.resolved) out.resolved.push(p.resolved);
}

/** Transitions grouped into transactions of at most 100 actions, a transition never split. */
function chunkPlans(plans: PlannedTransition[]): PlannedTransition[][] {
  const chunks: PlannedTransition[][] = [];
  let current: PlannedTransition[] = [];
  let size = 0;
  for (const p of plans) {
    if (current.length && size + p.ops.length > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += p.ops.length;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
