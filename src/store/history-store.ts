/**
 * The ResourceHistory table (src/store/tables.ts): a resource's timeline. Every changed write of a
 * resource records a version — when it was observed, the trigger, the provenance (the CloudTrail
 * actors, or the scan window), a structural diff against the previous state and the full
 * attributes (stored like the Resources table's, compressed or offloaded) — in the same
 * transaction as the write, so no change goes unrecorded and no version describes a write that
 * did not happen. Compliance transitions that open or resolve an alert, or move a verdict, are
 * recorded beside them. Items expire after the retention (DynamoDB TTL on `expiresAt`).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HistoryRecord, VersionRecord } from '#core/history.ts';
import type { BlobStore } from './blob-store.ts';
import { decodeBody, type StoredBody } from './attributes-body.ts';

/** Default retention of the history (`-c posture:historyDays`, POSTURE_HISTORY_DAYS). */
export const DEFAULT_HISTORY_DAYS = 90;

export { VERSION_CHANGES, type FindingRecord, type HistoryRecord, type VersionChange, type VersionRecord } from '#core/history.ts';

/** Sort key under a resource: observation time first, so a Query reads the timeline in order. */
export const historySortKey = (r: Pick<HistoryRecord, 'observedAt'> & ({ kind: 'version' } | { kind: 'finding'; policyId: string })): string =>
  r.kind === 'version' ? `${r.observedAt}#v` : `${r.observedAt}#f#${r.policyId}`;

interface RawRecord extends StoredBody {
  at: string;
  feedKey: string;
  expiresAt: number;
}

export interface HistoryPage {
  records: HistoryRecord[];
  /** Resume after this (absent: done). */
  next?: Record<string, unknown>;
}

export class HistoryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    readonly retentionDays: number = DEFAULT_HISTORY_DAYS,
    private readonly blobs?: BlobStore,
  ) {}

  /**
   * The Put of one record inside a caller's transaction (the resource or compliance write it
   * describes). A version's body is passed already encoded (the resource item's own encoding).
   */
  putOp(record: HistoryRecord, body?: { field: string; value: unknown }): { Put: { TableName: string; Item: Record<string, unknown> } } {
    const { attributes: _omit, ...rest } = record as VersionRecord;
    const at = historySortKey(record);
    const expiresAt = Math.floor(Date.parse(record.observedAt) / 1000) + this.retentionDays * 86_400;
    const feedKey = `${record.observedAt}#${record.resourceId}#${at.slice(record.observedAt.length + 1)}`;
    const item: Record<string, unknown> = { ...rest, at, feedKey, expiresAt };
    if (body) item[body.field] = body.value;
    return { Put: { TableName: this.table, Item: item } };
  }

  /**
   * A resource's records observed at or after `since`, oldest first. Bodies are decoded when
   * `withAttributes` (a timeline view needs only the diffs).
   */
  async forResource(resourceId: string, opts: { since?: string; withAttributes?: boolean } = {}): Promise<HistoryRecord[]> {
    const out: HistoryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.query(resourceId, { since: opts.since, forward: true, start });
      for (const raw of r.items) out.push(await this.decode(raw, opts.withAttributes === true));
      start = r.last;
    } while (start);
    return out;
  }

  /**
   * One page of a resource's records observed at or after `since`, newest first, without bodies
   * (the console's History table: a page at a time, never the attributes). `next` is the sort key of
   * the page's last record when more may follow: pass it back as `after`.
   */
  async resourcePage(resourceId: string, opts: { since?: string; limit: number; after?: string }): Promise<{ records: HistoryRecord[]; next?: string }> {
    const r = await this.query(resourceId, { since: opts.since, forward: false, limit: opts.limit, start: opts.after ? { resourceId, at: opts.after } : undefined });
    const records = await Promise.all(r.items.map((i) => this.decode(i, false)));
    const next = r.last?.at;
    return { records, ...(typeof next === 'string' ? { next } : {}) };
  }

  /** One Query of a resource's records from `since` on, in time order or newest first. */
  private async query(
    resourceId: string,
    opts: { since?: string; forward: boolean; limit?: number; start?: Record<string, unknown> },
  ): Promise<{ items: (RawRecord & HistoryRecord)[]; last?: Record<string, unknown> }> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: opts.since ? 'resourceId = :r AND #at >= :s' : 'resourceId = :r',
        ExpressionAttributeNames: opts.since ? { '#at': 'at' } : undefined,
        ExpressionAttributeValues: { ':r': resourceId, ...(opts.since ? { ':s': opts.since } : {}) },
        ExclusiveStartKey: opts.start,
        ScanIndexForward: opts.forward,
        Limit: opts.limit,
      }),
    );
    return { items: (r.Items ?? []) as (RawRecord & HistoryRecord)[], ...(r.LastEvaluatedKey ? { last: r.LastEvaluatedKey } : {}) };
  }

  /**
   * One page of an account's change feed (the byAccount index, without bodies), observed in
   * [since, until), oldest first.
   */
  async feed(accountId: string, opts: { since: string; until?: string; limit?: number; start?: Record<string, unknown> }): Promise<HistoryPage> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byAccount',
        KeyConditionExpression: opts.until ? 'accountId = :a AND feedKey BETWEEN :s AND :u' : 'accountId = :a AND feedKey >= :s',
        ExpressionAttributeValues: { ':a': accountId, ':s': opts.since, ...(opts.until ? { ':u': opts.until } : {}) },
        ExclusiveStartKey: opts.start,
        Limit: opts.limit,
      }),
    );
    const records = await Promise.all(((r.Items ?? []) as (RawRecord & HistoryRecord)[]).map((i) => this.decode(i, false)));
    return { records, ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}) };
  }

  /** Every record of an account's feed in [since, until). */
  async feedAll(accountId: string, since: string, until?: string): Promise<HistoryRecord[]> {
    const out: HistoryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.feed(accountId, { since, ...(until ? { until } : {}), ...(start ? { start } : {}) });
      out.push(...page.records);
      start = page.next;
    } while (start);
    return out;
  }

  private async decode(raw: RawRecord & HistoryRecord, withAttributes: boolean): Promise<HistoryRecord> {
    const { at: _at, feedKey: _f, expiresAt: _e, attributesGz: _gz, attributesRef: _ref, attributes: _a, ...rest } = raw as RawRecord & VersionRecord;
    const record = rest as HistoryRecord;
    if (record.kind === 'version' && withAttributes) {
      const attributes = await decodeBody(raw, this.blobs);
      if (attributes) record.attributes = attributes;
    }
    return record;
  }
}
