/**
 * The Resources table: one item per resource, written only when its attribute hash changes.
 * Large resources are stored gzip-compressed so that nothing is dropped at DynamoDB's 400 KB limit.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Resource } from '#resources/types.ts';
import { attributesHash } from '#core/canonical.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';

/** Above this many bytes of JSON, attributes are stored compressed (the item limit is 400 KB). */
const COMPRESS_ABOVE = 300_000;

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
  deleted: boolean;
  deletedAt?: string;
}

interface RawItem extends Omit<StoredResource, 'attributes'> {
  attributes?: Resource;
  attributesGz?: Uint8Array;
}

export interface ScopeEntry {
  hash: string;
  deleted: boolean;
}

export class ResourceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
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
    return r.Item ? decode(r.Item as RawItem) : undefined;
  }

  /** Every stored resource (local runtime and reports; the deployed system queries by index). */
  async all(): Promise<StoredResource[]> {
    const out: StoredResource[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }));
      out.push(...(r.Items ?? []).map((i) => decode(i as RawItem)));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Writes the resource if its hash differs from the stored one (or it was tombstoned).
   * Returns false when the stored copy was already identical — a concurrent identical write
   * (scheduled scan and real-time rescan) is then a no-op instead of a second change.
   */
  async putIfChanged(resource: Resource, scope: string, now: Date): Promise<boolean> {
    const hash = attributesHash(resource);
    const json = JSON.stringify(resource);
    const big = Buffer.byteLength(json) > COMPRESS_ABOVE;
    const ts = now.toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { resourceId: resource.ResourceId },
          UpdateExpression:
            'SET resourceType = :t, accountId = :a, #r = :r, #s = :s, attributesHash = :h, lastChanged = :now, deleted = :f, ' +
            'firstSeen = if_not_exists(firstSeen, :now), ' +
            (big ? 'attributesGz = :body REMOVE attributes, deletedAt' : 'attributes = :body REMOVE attributesGz, deletedAt'),
          ConditionExpression: 'attribute_not_exists(resourceId) OR attributesHash <> :h OR deleted = :t2',
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
            ':body': big ? gzipSync(json) : resource,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Marks a resource deleted. Returns false when it was unknown or already tombstoned. */
  async tombstone(resourceId: string, now: Date): Promise<boolean> {
    const ts = now.toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { resourceId },
          UpdateExpression: 'SET deleted = :t, deletedAt = :now, lastChanged = :now',
          ConditionExpression: 'attribute_exists(resourceId) AND deleted = :f',
          ExpressionAttributeValues: { ':t': true, ':f': false, ':now': ts },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

function decode(item: RawItem): StoredResource {
  const { attributesGz, ...rest } = item;
  const attributes = attributesGz ? (JSON.parse(gunzipSync(attributesGz).toString('utf8')) as Resource) : rest.attributes!;
  return { ...rest, attributes, deleted: rest.deleted === true };
}
