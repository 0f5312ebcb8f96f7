/**
 * The Compliance and Alerts tables. A (resource, policy) item is written only when its state
 * changes; a change into FAIL opens an alert and a change to PASS (or deletion) resolves it, in the
 * same DynamoDB transaction, guarded by an optimistic version so that concurrent writers (a daily
 * scan and a real-time rescan of the same resource) produce exactly one alert per transition.
 * Each item records when its resource was observed; a result observed before the stored one is
 * dropped (and counted) under the same conditional write: no verdict is replaced by an older one.
 */
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PolicyResult, Severity, Status, Trigger } from '#core/types.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';

export interface ComplianceItem {
  resourceId: string;
  policyId: string;
  /** The resource's scan scope (`account#region#type`). */
  scope: string;
  accountId: string;
  region: string;
  resourceType: string;
  status: Status;
  errorMessage: string | null;
  severity: Severity;
  suppressed: boolean;
  /** The exception behind `suppressed` (null: not suppressed, or by the engine's patterns). */
  suppressedBy?: string | null;
  title: string | null;
  /** Policy text, kept for exports (written with state changes only). */
  description?: string | null;
  runbook?: string | null;
  reference?: string | null;
  trigger: Trigger;
  lastChanged: string;
  /** When the resource behind this verdict was read from AWS (absent on items written before it was recorded). */
  observedAt?: string;
  /** `status#policyId`: sort key of the byAccount index. */
  statusKey: string;
  version: number;
  /** Set while an alert is open for this pair. */
  alertKey?: string;
  alertOpenedAt?: string;
  /** The open alert's destination IDs (null: default routing), so its resolution goes the same way. */
  alertDestinations?: string[] | null;
}

export interface AlertItem {
  alertKey: string;
  /** `<ISO time>#<resourceId>`: unique per transition even when a dedup key groups resources. */
  openedAt: string;
  status: 'OPEN' | 'RESOLVED';
  policyId: string;
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  severity: Severity;
  title: string;
  trigger: Trigger;
  dedup: string | null;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  /** Destination IDs named by the policy (`OutputIds` or `destinations()`); null: default routing. */
  destinations?: string[] | null;
  resolvedAt?: string;
  resolvedBy?: string;
}

export interface ResourceRef {
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  scope: string;
}

/** Current compliance of many resources: resourceId → policyId → item. */
export type ComplianceIndex = Map<string, Map<string, ComplianceItem>>;

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
}

/** True when the stored verdict was observed after `observedAt` (ISO strings compare in time order). */
const newerThan = (prev: ComplianceItem | undefined, observedAt: string): boolean => prev?.observedAt !== undefined && prev.observedAt > observedAt;

const alerting = (status: Status, suppressed: boolean): boolean => status === 'FAIL' && !suppressed;

function sameState(prev: ComplianceItem, r: PolicyResult): boolean {
  return (
    prev.status === r.status &&
    prev.suppressed === r.suppressed &&
    (prev.suppressedBy ?? null) === (r.suppressedBy ?? null) &&
    prev.severity === r.severity &&
    (prev.errorMessage ?? null) === (r.errorMessage ?? null)
  );
}

export interface ComplianceStoreOptions {
  /**
   * Run transactions one at a time. Only for the emulator: moto's TransactWriteItems deep-copies
   * the tables it touches and is not thread-safe (concurrent calls fail with HTTP 500). DynamoDB
   * isolates transactions itself, so the optimistic-version logic under test is the same.
   */
  serializeTransactions?: boolean;
}

export class ComplianceStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { compliance: string; alerts: string },
    private readonly options: ComplianceStoreOptions = {},
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
    const run = () => this.doc.send(new TransactWriteCommand({ TransactItems: ops as never }));
    if (!this.options.serializeTransactions) {
      await run();
      return;
    }
    const mine = this.queue.then(run, run);
    this.queue = mine.catch(() => undefined);
    await mine;
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

  async forAccount(accountId: string): Promise<ComplianceItem[]> {
    return queryAll<ComplianceItem>(this.doc, {
      TableName: this.tables.compliance,
      IndexName: 'byAccount',
      KeyConditionExpression: 'accountId = :a',
      ExpressionAttributeValues: { ':a': accountId },
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
    const decide = (prev: ComplianceItem | undefined, r: PolicyResult): PlannedTransition | 'done' => {
      if (newerThan(prev, obs)) {
        out.stale++;
        return 'done';
      }
      if (prev && sameState(prev, r)) return opts.touch && prev.observedAt !== obs ? this.touchPlan(prev, obs) : 'done';
      return this.plan(resource, prev, r, trigger, now, obs);
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

  /** Records a newer observation of an unchanged verdict (no new version: the state is the same). */
  private touchPlan(prev: ComplianceItem, observedAt: string): PlannedTransition {
    return {
      policyId: prev.policyId,
      touch: true,
      ops: [
        {
          Update: {
            TableName: this.tables.compliance,
            Key: { resourceId: prev.resourceId, policyId: prev.policyId },
            UpdateExpression: 'SET observedAt = :obs',
            ConditionExpression: 'version = :v AND (attribute_not_exists(observedAt) OR observedAt < :obs)',
            ExpressionAttributeValues: { ':v': prev.version, ':obs': observedAt },
          },
        },
      ],
    };
  }

  /**
   * The resource is gone (AWS said so at `observedAt`): its compliance items are removed and
   * their open alerts resolve — except verdicts observed after that, which stay.
   */
  async resourceDeleted(resourceId: string, now: Date, observedAt: Date = now): Promise<{ resolved: AlertItem[]; stale: number }> {
    const resolved: AlertItem[] = [];
    let stale = 0;
    const obs = observedAt.toISOString();
    const items = await this.forResource(resourceId);
    for (const prev of items.values()) {
      if (newerThan(prev, obs)) {
        stale++;
        continue;
      }
      const ops: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Delete: {
            TableName: this.tables.compliance,
            Key: { resourceId, policyId: prev.policyId },
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': prev.version },
          },
        },
      ];
      const alert = prev.alertKey && prev.alertOpenedAt ? this.resolveOp(prev, now, 'deleted', ops) : undefined;
      try {
        await this.write(ops);
        if (alert) resolved.push(alert);
      } catch (err) {
        if (!isConditionFailure(err)) throw err; // someone else already handled this pair
      }
    }
    return { resolved, stale };
  }

  /**
   * Pairs whose policy no longer applies to their resource (an upload removed, disabled or
   * retargeted it): the items go and their open alerts resolve, `by` naming the cause. A pair
   * another writer changed meanwhile is left to that writer.
   */
  async removePairs(items: readonly ComplianceItem[], now: Date, by: string): Promise<AlertItem[]> {
    const resolved: AlertItem[] = [];
    for (const prev of items) {
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
      const alert = prev.alertKey && prev.alertOpenedAt ? this.resolveOp(prev, now, by, ops) : undefined;
      try {
        await this.write(ops);
        if (alert) resolved.push(alert);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
    return resolved;
  }

  private resolveOp(prev: ComplianceItem, now: Date, by: string, ops: unknown[]): AlertItem {
    const ts = now.toISOString();
    ops.push({
      Update: {
        TableName: this.tables.alerts,
        Key: { alertKey: prev.alertKey, openedAt: prev.alertOpenedAt },
        UpdateExpression: 'SET #s = :r, resolvedAt = :now, resolvedBy = :by',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'RESOLVED', ':now': ts, ':by': by },
      },
    });
    return {
      alertKey: prev.alertKey!,
      openedAt: prev.alertOpenedAt!,
      status: 'RESOLVED',
      policyId: prev.policyId,
      resourceId: prev.resourceId,
      resourceType: prev.resourceType,
      accountId: prev.accountId,
      region: prev.region,
      severity: prev.severity,
      title: prev.title ?? prev.policyId,
      trigger: prev.trigger,
      dedup: null,
      description: null,
      runbook: null,
      reference: null,
      destinations: prev.alertDestinations ?? null,
      resolvedAt: ts,
      resolvedBy: by,
    };
  }

  /** The writes of one (resource, policy) transition, guarded by the pair's version and observation time. */
  private plan(resource: ResourceRef, prev: ComplianceItem | undefined, r: PolicyResult, trigger: Trigger, now: Date, observedAt: string): PlannedTransition {
    const ts = now.toISOString();
    const wasAlerting = Boolean(prev?.alertKey && prev.alertOpenedAt);
    const item: ComplianceItem = {
      resourceId: resource.resourceId,
      policyId: r.policyId,
      scope: resource.scope,
      accountId: resource.accountId,
      region: resource.region,
      resourceType: resource.resourceType,
      status: r.status,
      errorMessage: r.errorMessage ?? null,
      severity: r.severity,
      suppressed: r.suppressed,
      suppressedBy: r.suppressedBy ?? null,
      title: r.title ?? prev?.title ?? null,
      description: r.description ?? prev?.description ?? null,
      runbook: r.runbook ?? prev?.runbook ?? null,
      reference: r.reference ?? prev?.reference ?? null,
      trigger,
      lastChanged: ts,
      observedAt,
      statusKey: `${r.status}#${r.policyId}`,
      version: (prev?.version ?? 0) + 1,
      alertKey: prev?.alertKey,
      alertOpenedAt: prev?.alertOpenedAt,
      alertDestinations: prev?.alertDestinations,
    };
    const ops: unknown[] = [];
    let opened: AlertItem | undefined;
    let resolved: AlertItem | undefined;
    if (alerting(r.status, r.suppressed) && !wasAlerting) {
      opened = {
        alertKey: `${r.policyId}#${r.dedup ?? resource.resourceId}`,
        openedAt: `${ts}#${resource.resourceId}`,
        status: 'OPEN',
        policyId: r.policyId,
        resourceId: resource.resourceId,
        resourceType: resource.resourceType,
        accountId: resource.accountId,
        region: resource.region,
        severity: r.severity,
        title: r.title ?? r.policyId,
        trigger,
        dedup: r.dedup ?? null,
        description: r.description ?? null,
        runbook: r.runbook ?? null,
        reference: r.reference ?? null,
        destinations: r.destinations?.length ? [...r.destinations] : null,
      };
      item.alertKey = opened.alertKey;
      item.alertOpenedAt = opened.openedAt;
      item.alertDestinations = opened.destinations;
      ops.push({ Put: { TableName: this.tables.alerts, Item: opened, ConditionExpression: 'attribute_not_exists(alertKey)' } });
    } else if (wasAlerting && (r.status === 'PASS' || r.suppressed)) {
      // ERROR keeps an open alert open: an evaluation that failed says nothing about a fix.
      resolved = this.resolveOp(prev!, now, r.suppressed ? 'suppressed' : trigger, ops);
      delete item.alertKey;
      delete item.alertOpenedAt;
      delete item.alertDestinations;
    }
    ops.unshift({
      Put: {
        TableName: this.tables.compliance,
        Item: item,
        ...(prev
          ? {
              ConditionExpression: 'version = :v AND (attribute_not_exists(observedAt) OR observedAt <= :obs)',
              ExpressionAttributeValues: { ':v': prev.version, ':obs': observedAt },
            }
          : { ConditionExpression: 'attribute_not_exists(resourceId)' }),
      },
    });
    return { policyId: r.policyId, ops, opened, resolved };
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
