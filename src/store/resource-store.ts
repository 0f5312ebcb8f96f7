/**
 * The Resources table: one item per resource, written only when its attribute hash changes.
 * Nothing is dropped at DynamoDB's 400 KB item limit: large resources are stored gzip-compressed,
 * and those still too large compressed are offloaded to the scan bucket with a pointer
 * (attributes-body.ts). With a history store, every changed write and every tombstone records a
 * version in the same transaction (history-store.ts): the state it replaced is read first, for
 * the diff and the scan window, and the write is conditional on that state still being there.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Resource } from '#core/resource.ts';
import { attributesHash } from '#core/canonical.ts';
import { structuralDiff } from '#core/diff.ts';
import { scanWindow, type Provenance } from '#core/provenance.ts';
import type { Trigger } from '#core/types.ts';

import type { BlobStore } from './blob-store.ts';
import { BODY_FIELDS, decodeBody, encodeBody, type StoredBody } from './attributes-body.ts';
import { isConditionFailure, queryAll, scanAll } from './dynamo.ts';
import type { HistoryStore, VersionRecord } from './history-store.ts';

/** BatchGetItem's limit of keys per request, and how often unprocessed keys are asked again. */
const BATCH_GET_KEYS = 100;
const BATCH_GET_ATTEMPTS = 6;
/** How often a versioned write re-reads and retries when another writer changed the item between its read and its write. */
const VERSIONED_ATTEMPTS = 5;

/** What caused a write, for the version it records: the trigger, the CloudTrail actors (real time). */
export interface ChangeCause {
  trigger: Trigger;
  /** The events behind a real-time rescan; absent: a scan found the change (the window is derived). */
  provenance?: Provenance;
  /** When the scope's previous successful scan started: with the stored observation, the lower bound of a scan's change window. */
  since?: string;
  /** Volatile attribute paths of the type (left out of the diff as they are out of the change hash). */
  volatile?: readonly string[];
}

/** What a conditional write did: wrote, found the same state, or found a newer observation. */
export type WriteOutcome = 'written' | 'unchanged' | 'stale';

/** The stored item a conditional-check failure returned (ALL_OLD), raw attribute values. */
function oldItem(err: unknown): Record<string, { S?: string; BOOL?: boolean }> | undefined {
  return (err as { Item?: Record<string, { S?: string; BOOL?: boolean }> }).Item;
}

export interface StoredResource {
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  scope: string;
  attributes: Resource;
  attributesHash: string;
  firstSeen: string;
  lastChanged: string;
  /** When AWS was read for the state stored (absent on items written before it was recorded). */
  observedAt?: string;
  deleted: boolean;
  deletedAt?: string;
}

interface RawItem extends Omit<StoredResource, 'attributes'>, StoredBody {}

/** A partition of one of the Resources table's indexes (src/store/tables.ts), read in resourceId order. */
export type ResourcePartition = { index: 'byType'; key: string; accountId?: string } | { index: 'byScope'; key: string };

/** A stored resource without its attributes. */
export type ResourceHeader = Pick<StoredResource, 'resourceId' | 'resourceType' | 'accountId' | 'region' | 'scope' | 'lastChanged' | 'observedAt' | 'deleted'>;

export interface ScopeEntry {
  hash: string;
  deleted: boolean;
}

export class ResourceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly blobs?: BlobStore,
    /** Where changed writes record their versions (absent: no history is kept). */
    readonly history?: HistoryStore,
  ) {}

  /** Stored IDs of one scope with their hashes (for diffing and deletion reconciliation). */
  async scopeIndex(scope: string): Promise<Map<string, ScopeEntry>> {
    const rows = await queryAll<{ resourceId: string; attributesHash: string; deleted?: boolean }>(this.doc, {
      TableName: this.table,
      IndexName: 'byScope',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'scope' },
      ExpressionAttributeValues: { ':s': scope },
    });
    return new Map(rows.map((r) => [r.resourceId, { hash: r.attributesHash, deleted: r.deleted === true }]));
  }

  async get(resourceId: string): Promise<StoredResource | undefined> {
    const item = await this.raw(resourceId, false);
    return item ? this.decode(item) : undefined;
  }

  /**
   * The live stored resources among `ids` (absent: never stored, or deleted), read with
   * BatchGetItem (100 keys a request; unprocessed keys are asked again) — resource_lookup's source.
   */
  async getMany(ids: readonly string[]): Promise<Map<string, Resource>> {
    const out = new Map<string, Resource>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_KEYS).map((resourceId) => ({ resourceId }));
      for (let attempt = 0; keys.length; attempt++) {
        if (attempt >= BATCH_GET_ATTEMPTS) throw new Error(`resource store: ${keys.length} lookups still unprocessed after ${BATCH_GET_ATTEMPTS} attempts (throttled)`);
        if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of (r.Responses?.[this.table] ?? []) as RawItem[]) {
          if (item.deleted === true) continue;
          out.set(item.resourceId, (await this.decode(item)).attributes);
        }
        keys = (r.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return out;
  }

  /** IDs of the live (not deleted) stored resources of one type: what a policy change re-evaluates. */
  async idsOfType(resourceType: string): Promise<string[]> {
    const rows = await queryAll<{ resourceId: string; deleted?: boolean }>(this.doc, {
      TableName: this.table,
      IndexName: 'byType',
      KeyConditionExpression: 'resourceType = :t',
      ExpressionAttributeValues: { ':t': resourceType },
    });
    return rows.filter((r) => r.deleted !== true).map((r) => r.resourceId);
  }

  /**
   * One page of live resource IDs of an index partition, in resourceId order, strictly after
   * `after`: the byType index (a type, optionally of one account) or the byScope index (an
   * `account#region#type` scope). `next` is the resourceId to continue after (absent: the partition
   * is done). A page may hold fewer than `limit` IDs (deleted resources are filtered after the read).
   */
  async idPage(partition: ResourcePartition, opts: { after?: string; limit: number }): Promise<{ ids: string[]; next?: string }> {
    const byType = partition.index === 'byType';
    const names: Record<string, string> = { '#p': byType ? 'resourceType' : 'scope' };
    const values: Record<string, unknown> = { ':p': partition.key, ':t': true };
    let filter = 'attribute_not_exists(deleted) OR deleted <> :t';
    if (byType && partition.accountId) {
      filter = `(${filter}) AND accountId = :a`;
      values[':a'] = partition.accountId;
    }
    if (opts.after !== undefined) values[':after'] = opts.after;
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: partition.index,
        KeyConditionExpression: opts.after !== undefined ? '#p = :p AND resourceId > :after' : '#p = :p',
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: opts.limit,
      }),
    );
    const ids = ((r.Items ?? []) as { resourceId: string }[]).map((i) => i.resourceId);
    const last = r.LastEvaluatedKey?.resourceId as string | undefined;
    return last === undefined ? { ids } : { ids, next: last };
  }

  /** The keys and place of `ids` without their attributes (BatchGetItem with a projection), absent when not stored. */
  async headers(ids: readonly string[]): Promise<Map<string, ResourceHeader>> {
    const out = new Map<string, ResourceHeader>();
    for (let i = 0; i < ids.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = ids.slice(i, i + BATCH_GET_KEYS).map((resourceId) => ({ resourceId }));
      for (let attempt = 0; keys.length; attempt++) {
        if (attempt >= BATCH_GET_ATTEMPTS) throw new Error(`resource store: ${keys.length} lookups still unprocessed after ${BATCH_GET_ATTEMPTS} attempts (throttled)`);
        if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const r = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: keys,
                ProjectionExpression: 'resourceId, resourceType, accountId, #r, #s, lastChanged, observedAt, deleted',
                ExpressionAttributeNames: { '#r': 'region', '#s': 'scope' },
              },
            },
          }),
        );
        for (const item of (r.Responses?.[this.table] ?? []) as ResourceHeader[]) out.set(item.resourceId, { ...item, deleted: item.deleted === true });
        keys = (r.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return out;
  }

  /** Every stored resource (local runtime and reports; the deployed system queries by index). */
  async all(): Promise<StoredResource[]> {
    const items = await scanAll<RawItem>(this.doc, { TableName: this.table });
    return Promise.all(items.map((i) => this.decode(i)));
  }

  /**
   * Writes the resource if its hash differs from the stored one (or it was tombstoned) and the
   * stored state was not observed after `observedAt`. 'unchanged': the stored copy was already
   * identical — a concurrent identical write (scheduled scan and real-time rescan) is then a no-op
   * instead of a second change; 'stale': the store holds a newer observation, which stays.
   */
  async putIfChanged(resource: Resource, scope: string, now: Date, hash = changeHash(resource), observedAt: Date = now, cause?: ChangeCause): Promise<WriteOutcome> {
    if (this.history) return this.putVersioned(resource, scope, now, hash, observedAt, cause ?? { trigger: 'scheduled' });
    const obs = observedAt.toISOString();
    const body = await encodeBody(resource, hash, this.blobs);
    try {
      await this.doc.send(new UpdateCommand(this.putUpdate(resource, scope, now, hash, obs, body, CHANGED_OR_GONE)));
      return 'written';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // A newer observation of a different state is what the write would have replaced.
      const old = oldItem(err);
      const differs = old?.attributesHash?.S !== hash || old?.deleted?.BOOL === true;
      return differs && (old?.observedAt?.S ?? '') > obs ? 'stale' : 'unchanged';
    }
  }

  /** The update that stores `resource`, under `condition` (plus: no newer observation is replaced). */
  private putUpdate(resource: Resource, scope: string, now: Date, hash: string, obs: string, body: { field: string; value: unknown }, condition: Condition) {
    const ts = now.toISOString();
    return {
      TableName: this.table,
      Key: { resourceId: resource.ResourceId },
      UpdateExpression:
        'SET resourceType = :t, accountId = :a, #r = :r, #s = :s, attributesHash = :h, lastChanged = :now, observedAt = :obs, deleted = :f, ' +
        'firstSeen = if_not_exists(firstSeen, :now), ' +
        `${body.field} = :body REMOVE ${BODY_FIELDS.filter((f) => f !== body.field).join(', ')}, deletedAt`,
      ConditionExpression: `(${condition.expression}) AND (attribute_not_exists(observedAt) OR observedAt <= :obs)`,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      ExpressionAttributeNames: { '#r': 'region', '#s': 'scope' },
      ExpressionAttributeValues: {
        ':t': resource.ResourceType,
        ':a': resource.AccountId,
        ':r': resource.Region,
        ':s': scope,
        ':h': hash,
        ':now': ts,
        ':f': false,
        ':obs': obs,
        ':body': body.value,
        ...condition.values(hash),
      },
    };
  }

  /**
   * putIfChanged with a history: reads the stored state (consistently), decides from it, and
   * writes the resource and its version in one transaction conditional on that state — a
   * concurrent writer makes it read and decide again.
   */
  private async putVersioned(resource: Resource, scope: string, now: Date, hash: string, observedAt: Date, cause: ChangeCause): Promise<WriteOutcome> {
    const obs = observedAt.toISOString();
    let body: Awaited<ReturnType<typeof encodeBody>> | undefined;
    for (let attempt = 1; ; attempt++) {
      const old = await this.raw(resource.ResourceId);
      if (old && old.attributesHash === hash && old.deleted !== true) return 'unchanged';
      if (old && (old.observedAt ?? '') > obs) return 'stale';
      // Encoded (and, when too large, offloaded) only once a write is due.
      body ??= await encodeBody(resource, hash, this.blobs);
      const previous = old ? await decodeBody(old, this.blobs) : undefined;
      const version: VersionRecord = {
        kind: 'version',
        resourceId: resource.ResourceId,
        resourceType: resource.ResourceType,
        accountId: resource.AccountId,
        region: resource.Region,
        observedAt: obs,
        recordedAt: now.toISOString(),
        trigger: cause.trigger,
        provenance: cause.provenance ?? scanWindow(old ? (old.observedAt ?? old.lastChanged) : undefined, cause.since, obs),
        change: !old ? 'created' : old.deleted === true ? 'recreated' : 'changed',
        attributesHash: hash,
        ...(previous ? { diff: structuralDiff(withoutVolatile(previous, cause.volatile ?? []), withoutVolatile(resource, cause.volatile ?? [])) } : {}),
      };
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: this.putUpdate(resource, scope, now, hash, obs, body, sameAs(old)) }, this.history!.putOp(version, body)],
          }),
        );
        return 'written';
      } catch (err) {
        if (!isConditionFailure(err) || attempt >= VERSIONED_ATTEMPTS) throw err;
      }
    }
  }

  /** The stored item (strongly consistent by default: a versioned write decides from it). */
  private async raw(resourceId: string, consistent = true): Promise<RawItem | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { resourceId }, ...(consistent ? { ConsistentRead: true } : {}) }));
    return r.Item as RawItem | undefined;
  }

  private async decode(item: RawItem): Promise<StoredResource> {
    const { attributesGz: _gz, attributesRef: _ref, ...rest } = item;
    const attributes = (await decodeBody(item, this.blobs))!;
    return { ...rest, attributes, deleted: rest.deleted === true };
  }

  /** Records a newer observation of an unchanged, live resource (real-time rescans; no other field changes). */
  async touch(resourceId: string, observedAt: Date): Promise<void> {
    try {
      await this.updateLive(resourceId, 'SET observedAt = :obs', '<', { ':obs': observedAt.toISOString() });
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // already newer, or gone meanwhile
    }
  }

  /** One update of a live (not tombstoned) item whose stored observation compares `cmp` to `:obs`. */
  private async updateLive(resourceId: string, update: string, cmp: '<' | '<=', values: Record<string, unknown>): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { resourceId },
        UpdateExpression: update,
        ConditionExpression: `attribute_exists(resourceId) AND deleted = :f AND (attribute_not_exists(observedAt) OR observedAt ${cmp} :obs)`,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ExpressionAttributeValues: { ':f': false, ...values },
      }),
    );
  }

  /**
   * Marks a resource deleted, as AWS said at `observedAt`. 'unchanged': it was unknown or already
   * tombstoned; 'stale': it was observed alive after that (recreated and rescanned), and stays.
   * With a history, the tombstone is a version too (written in the same transaction).
   */
  async tombstone(resourceId: string, now: Date, observedAt: Date = now, cause?: ChangeCause): Promise<WriteOutcome> {
    const ts = now.toISOString();
    const obs = observedAt.toISOString();
    const set = 'SET deleted = :t, deletedAt = :now, lastChanged = :now, observedAt = :obs';
    const values = { ':t': true, ':now': ts, ':obs': obs };
    if (this.history) {
      for (let attempt = 1; ; attempt++) {
        const old = await this.raw(resourceId);
        if (!old || old.deleted === true) return 'unchanged';
        if ((old.observedAt ?? '') > obs) return 'stale';
        const version: VersionRecord = {
          kind: 'version',
          resourceId,
          resourceType: old.resourceType,
          accountId: old.accountId,
          region: old.region,
          observedAt: obs,
          recordedAt: ts,
          trigger: cause?.trigger ?? 'scheduled',
          provenance: cause?.provenance ?? scanWindow(old.observedAt ?? old.lastChanged, cause?.since, obs),
          change: 'deleted',
        };
        const update = {
          TableName: this.table,
          Key: { resourceId },
          UpdateExpression: set,
          ConditionExpression: 'attributesHash = :oh AND deleted = :f AND (attribute_not_exists(observedAt) OR observedAt <= :obs)',
          ExpressionAttributeValues: { ...values, ':f': false, ':oh': old.attributesHash },
        };
        try {
          await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, this.history.putOp(version)] }));
          return 'written';
        } catch (err) {
          if (!isConditionFailure(err) || attempt >= VERSIONED_ATTEMPTS) throw err;
        }
      }
    }
    try {
      await this.updateLive(resourceId, set, '<=', values);
      return 'written';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const old = oldItem(err);
      return old && old.deleted?.BOOL === false && (old.observedAt?.S ?? '') > obs ? 'stale' : 'unchanged';
    }
  }
}

/** A write's condition on the stored state, with the values it names besides the write's own. */
interface Condition {
  expression: string;
  values: (hash: string) => Record<string, unknown>;
}

/** Unversioned: write when absent, different or tombstoned. */
const CHANGED_OR_GONE: Condition = {
  expression: 'attribute_not_exists(resourceId) OR attributesHash <> :h OR deleted = :t2',
  values: () => ({ ':t2': true }),
};

/** Versioned: write only over the exact state that was read (its hash and liveness). */
function sameAs(old: RawItem | undefined): Condition {
  if (!old) return { expression: 'attribute_not_exists(resourceId)', values: () => ({}) };
  return old.deleted === true
    ? { expression: 'attributesHash = :oh AND deleted = :t2', values: () => ({ ':oh': old.attributesHash, ':t2': true }) }
    : { expression: 'attributesHash = :oh AND (attribute_not_exists(deleted) OR deleted = :f)', values: () => ({ ':oh': old.attributesHash }) };
}

export { ResourceTooLargeError } from './attributes-body.ts';

/** A copy without the volatile paths (top-level keys or dotted paths into nested objects). */
export function withoutVolatile(resource: Resource, volatile: readonly string[]): unknown {
  if (volatile.length === 0) return resource;
  const copy = structuredClone(resource) as Record<string, unknown>;
  for (const path of volatile) {
    const keys = path.split('.');
    let node: unknown = copy;
    for (const k of keys.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[keys.at(-1)!];
  }
  return copy;
}

/** The hash that decides whether a resource changed: canonical JSON minus volatile attributes. */
export function changeHash(resource: Resource, volatile: readonly string[] = []): string {
  return attributesHash(withoutVolatile(resource, volatile));
}
