/**
 * The Resources table: one item per resource, written only when its attribute hash changes.
 * Nothing is dropped at DynamoDB's 400 KB item limit: large resources are stored gzip-compressed,
 * and those still too large compressed are offloaded to the scan bucket with a pointer.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Resource } from '#core/resource.ts';
import { attributesHash } from '#core/canonical.ts';

import type { BlobStore } from './blob-store.ts';
import { isConditionFailure, queryAll, scanAll } from './dynamo.ts';
import { offloadedResourceKey } from './bucket-layout.ts';

/** Above this many bytes of JSON, attributes are stored compressed (the item limit is 400 KB). */
const COMPRESS_ABOVE = 300_000;
/** BatchGetItem's limit of keys per request, and how often unprocessed keys are asked again. */
const BATCH_GET_KEYS = 100;
const BATCH_GET_ATTEMPTS = 6;
/** Above this many compressed bytes, attributes go to S3 (keys and indexes stay in the item). */
const OFFLOAD_ABOVE = 350_000;

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

interface RawItem extends Omit<StoredResource, 'attributes'> {
  attributes?: Resource;
  attributesGz?: Uint8Array;
  /** Scan-bucket key of offloaded attributes. */
  attributesRef?: string;
}

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
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { resourceId } }));
    return r.Item ? this.decode(r.Item as RawItem) : undefined;
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
  async putIfChanged(resource: Resource, scope: string, now: Date, hash = changeHash(resource), observedAt: Date = now): Promise<WriteOutcome> {
    const json = JSON.stringify(resource);
    const ts = now.toISOString();
    const obs = observedAt.toISOString();
    const body = await this.body(resource, json, hash);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { resourceId: resource.ResourceId },
          UpdateExpression:
            'SET resourceType = :t, accountId = :a, #r = :r, #s = :s, attributesHash = :h, lastChanged = :now, observedAt = :obs, deleted = :f, ' +
            'firstSeen = if_not_exists(firstSeen, :now), ' +
            `${body.field} = :body REMOVE ${BODY_FIELDS.filter((f) => f !== body.field).join(', ')}, deletedAt`,
          ConditionExpression: '(attribute_not_exists(resourceId) OR attributesHash <> :h OR deleted = :t2) AND (attribute_not_exists(observedAt) OR observedAt <= :obs)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeNames: { '#r': 'region', '#s': 'scope' },
          ExpressionAttributeValues: {
            ':t': resource.ResourceType,
            ':a': resource.AccountId,
            ':r': resource.Region,
            ':s': scope,
            ':h': hash,
            ':now': ts,
            ':f': false,
            ':t2': true,
            ':obs': obs,
            ':body': body.value,
          },
        }),
      );
      return 'written';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // A newer observation of a different state is what the write would have replaced.
      const old = oldItem(err);
      const differs = old?.attributesHash?.S !== hash || old?.deleted?.BOOL === true;
      return differs && (old?.observedAt?.S ?? '') > obs ? 'stale' : 'unchanged';
    }
  }

  private async body(resource: Resource, json: string, hash: string): Promise<{ field: (typeof BODY_FIELDS)[number]; value: unknown }> {
    if (Buffer.byteLength(json) <= COMPRESS_ABOVE) return { field: 'attributes', value: resource };
    const gz = gzipSync(json);
    if (gz.byteLength <= OFFLOAD_ABOVE) return { field: 'attributesGz', value: gz };
    if (!this.blobs) throw new ResourceTooLargeError(`${resource.ResourceId}: ${gz.byteLength} bytes compressed and no scan bucket to offload to`);
    // Content-addressed: a concurrent identical write puts the same object.
    const key = offloadedResourceKey(hash);
    await this.blobs.putJson(key, resource);
    return { field: 'attributesRef', value: key };
  }

  private async decode(item: RawItem): Promise<StoredResource> {
    const { attributesGz, attributesRef, ...rest } = item;
    const attributes = attributesRef
      ? await this.blobs!.getJson<Resource>(attributesRef)
      : attributesGz
        ? (JSON.parse(gunzipSync(attributesGz).toString('utf8')) as Resource)
        : rest.attributes!;
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
   */
  async tombstone(resourceId: string, now: Date, observedAt: Date = now): Promise<WriteOutcome> {
    const ts = now.toISOString();
    const obs = observedAt.toISOString();
    try {
      await this.updateLive(resourceId, 'SET deleted = :t, deletedAt = :now, lastChanged = :now, observedAt = :obs', '<=', { ':t': true, ':now': ts, ':obs': obs });
      return 'written';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const old = oldItem(err);
      return old && old.deleted?.BOOL === false && (old.observedAt?.S ?? '') > obs ? 'stale' : 'unchanged';
    }
  }
}

const BODY_FIELDS = ['attributes', 'attributesGz', 'attributesRef'] as const;

export class ResourceTooLargeError extends Error {}

/** A copy without the volatile paths (top-level keys or dotted paths into nested objects). */
function withoutVolatile(resource: Resource, volatile: readonly string[]): unknown {
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
