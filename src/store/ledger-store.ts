/** The scan ledger: one entry per scope per scan, so an unreadable scope is reported as not evaluated. */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, VerifiedScope } from '#core/ledger.ts';
import { mapLimit } from '#core/errors.ts';
import { isConditionFailure, queryAll, scanAll } from './dynamo.ts';

const RETENTION_DAYS = 90;
/** Scopes looked up one by one at once (lastVerifiedMany's fallback). */
const LOOKUP_CONCURRENCY = 8;

/** What the byAccount index holds of an entry. */
export type LedgerHead = Pick<LedgerEntry, 'scanId' | 'scope' | 'accountId' | 'finishedAt' | 'outcome' | 'trigger'>;

const withExpiry = (entry: LedgerEntry) => ({ ...entry, expiresAt: Math.floor(Date.parse(entry.finishedAt) / 1000) + RETENTION_DAYS * 86400 });

export class LedgerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: LedgerEntry): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: withExpiry(entry) }));
  }

  /**
   * Records `entry` unless its scope already has an entry in its scan (one conditional PutItem,
   * no read): returns false when one was there, which is kept as it is.
   */
  async recordIfAbsent(entry: LedgerEntry): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: withExpiry(entry), ConditionExpression: 'attribute_not_exists(#s)', ExpressionAttributeNames: { '#s': 'scope' } }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * The newest scheduled scan (daily, onboarding baseline or CLI; not a real-time rescan): the scan
   * whose entries finished last, optionally among the entries of `accountId` only. Of one account:
   * its byAccount index newest first, until the first scheduled entry (a Query, no Scan); of all
   * accounts: the byScope index (keys, trigger and account only), like currentlyNotEvaluated.
   */
  async lastScheduledScan(accountId?: string): Promise<{ scanId: string; finishedAt: string } | undefined> {
    if (accountId) return this.lastScheduledScanOf(accountId);
    type Head = Pick<LedgerEntry, 'scanId' | 'finishedAt' | 'trigger' | 'accountId'>;
    const heads = await scanAll<Head>(this.doc, {
      TableName: this.table,
      IndexName: 'byScope',
      ProjectionExpression: 'scanId, finishedAt, #t, accountId',
      ExpressionAttributeNames: { '#t': 'trigger' },
    });
    let newest: { scanId: string; finishedAt: string } | undefined;
    for (const h of heads) {
      if ((h.trigger ?? 'scheduled') !== 'scheduled' || (accountId && h.accountId !== accountId)) continue;
      if (!newest || h.finishedAt > newest.finishedAt) newest = { scanId: h.scanId, finishedAt: h.finishedAt };
    }
    return newest;
  }

  private async lastScheduledScanOf(accountId: string): Promise<{ scanId: string; finishedAt: string } | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      // Entries written before triggers were recorded have none: they were scheduled.
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byAccount',
          KeyConditionExpression: 'accountId = :a',
          FilterExpression: 'attribute_not_exists(#t) OR #t = :scheduled',
          ExpressionAttributeNames: { '#t': 'trigger' },
          ExpressionAttributeValues: { ':a': accountId, ':scheduled': 'scheduled' },
          ScanIndexForward: false,
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      const head = r.Items?.[0] as LedgerHead | undefined;
      if (head) return { scanId: head.scanId, finishedAt: head.finishedAt };
      start = r.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  /** The entries of one scan, or of one account in it (scopes are keyed `account#region#type`). */
  async forScanOf(scanId: string, accountId?: string): Promise<LedgerEntry[]> {
    if (!accountId) return this.forScan(scanId);
    return queryAll<LedgerEntry>(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'scanId = :s AND begins_with(#scope, :a)',
      ExpressionAttributeNames: { '#scope': 'scope' },
      ExpressionAttributeValues: { ':s': scanId, ':a': `${accountId}#` },
    });
  }

  /** The newest OK entry of a scope (when it was last verified, and by what), from the byScope index. */
  async lastVerified(scope: string): Promise<VerifiedScope | undefined> {
    const e = await this.newestEntry(scope, { expression: 'outcome = :ok', values: { ':ok': 'OK' } });
    return e && { scope, finishedAt: e.finishedAt!, trigger: e.trigger ?? 'scheduled' };
  }

  /**
   * When the newest OK scan of a scope started (undefined: never verified): everything that scan
   * read was read after this moment, so a change the next scan finds happened after it.
   */
  async lastVerifiedStart(scope: string): Promise<string | undefined> {
    const e = await this.newestEntry(scope, { expression: 'outcome = :ok', values: { ':ok': 'OK' } });
    if (!e?.scanId) return undefined;
    const full = await this.doc.send(new GetCommand({ TableName: this.table, Key: { scanId: e.scanId, scope } }));
    return (full.Item as LedgerEntry | undefined)?.startedAt ?? e.finishedAt;
  }

  /** The scan ID of the newest scheduled (daily or CLI) scan that covered `scope`, from byScope. */
  async newestScheduledScan(scope: string): Promise<string | undefined> {
    // Entries written before triggers were recorded have none: they were scheduled.
    const e = await this.newestEntry(scope, { expression: 'attribute_not_exists(#t) OR #t = :scheduled', names: { '#t': 'trigger' }, values: { ':scheduled': 'scheduled' } });
    return e?.scanId;
  }

  /** The newest byScope entry of `scope` that passes the filter (pages until one does). */
  private async newestEntry(scope: string, filter: { expression: string; names?: Record<string, string>; values: Record<string, unknown> }): Promise<Partial<LedgerEntry> | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byScope',
          KeyConditionExpression: '#s = :s',
          FilterExpression: filter.expression,
          ExpressionAttributeNames: { '#s': 'scope', ...filter.names },
          ExpressionAttributeValues: { ':s': scope, ...filter.values },
          ScanIndexForward: false,
          Limit: 50,
          ExclusiveStartKey: start,
        }),
      );
      const e = r.Items?.[0] as Partial<LedgerEntry> | undefined;
      if (e) return e;
      start = r.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  /**
   * Each scope's newest entry whose outcome is not OK: what is not evaluated right now, whichever
   * scan (daily, or a real-time region/account rescan) last touched the scope. Per account, on keys
   * only (no Scan): the entries of its newest scheduled scan (one Query of the table: they are the
   * scopes its plan covers now) and the heads of every entry since that scan began (one Query of the
   * byAccount index), newest per scope; the full entry of a failed head that came from the index is
   * read for its message. An account no scheduled scan covered yet: its whole byAccount history
   * (bounded by the ledger's 90-day expiry).
   */
  async currentlyNotEvaluated(accountIds: readonly string[]): Promise<LedgerEntry[]> {
    const per = await Promise.all([...new Set(accountIds)].map((id) => this.notEvaluatedOf(id)));
    return per.flat().sort((a, b) => a.scope.localeCompare(b.scope));
  }

  /**
   * When each scope was last verified (its newest OK entry), for many scopes at once: per account,
   * the newest entry of each scope as currentlyNotEvaluated reads it (a few Queries, whatever the
   * number of scopes); a scope whose newest entry is not OK, or that the newest scheduled scan did
   * not plan, is looked up on its own (lastVerified: the byScope index).
   */
  async lastVerifiedMany(scopes: readonly string[]): Promise<Map<string, VerifiedScope>> {
    const byAccount = new Map<string, string[]>();
    for (const scope of new Set(scopes)) {
      const accountId = scope.split('#')[0]!;
      byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), scope]);
    }
    const out = new Map<string, VerifiedScope>();
    await Promise.all(
      [...byAccount].map(async ([accountId, wanted]) => {
        const { newest } = await this.newestOf(accountId);
        const rest: string[] = [];
        for (const scope of wanted) {
          const h = newest.get(scope);
          if (h?.outcome === 'OK') out.set(scope, { scope, finishedAt: h.finishedAt, trigger: h.trigger ?? 'scheduled' });
          else rest.push(scope);
        }
        const found = await mapLimit(rest, LOOKUP_CONCURRENCY, (scope) => this.lastVerified(scope));
        for (const v of found) if (v) out.set(v.scope, v);
      }),
    );
    return out;
  }

  /** Each scope's newest entry head of an account, and the full entries of its newest scheduled scan. */
  private async newestOf(accountId: string): Promise<{ newest: Map<string, LedgerHead>; planned: LedgerEntry[] }> {
    const last = await this.lastScheduledScanOf(accountId);
    const planned = last ? await this.forScanOf(last.scanId, accountId) : [];
    const since = planned.reduce<string | undefined>((min, e) => (!min || e.finishedAt < min ? e.finishedAt : min), undefined);
    const later = await queryAll<LedgerHead>(this.doc, {
      TableName: this.table,
      IndexName: 'byAccount',
      KeyConditionExpression: since ? 'accountId = :a AND finishedAt >= :since' : 'accountId = :a',
      ExpressionAttributeValues: { ':a': accountId, ...(since ? { ':since': since } : {}) },
    });
    const newest = new Map<string, LedgerHead>();
    for (const h of [...planned, ...later]) {
      const seen = newest.get(h.scope);
      if (!seen || h.finishedAt > seen.finishedAt) newest.set(h.scope, h);
    }
    return { newest, planned };
  }

  private async notEvaluatedOf(accountId: string): Promise<LedgerEntry[]> {
    const { newest, planned } = await this.newestOf(accountId);
    const full = new Map(planned.map((e) => [`${e.scanId}\u0000${e.scope}`, e]));
    const out: LedgerEntry[] = [];
    for (const h of newest.values()) {
      if (h.outcome === 'OK') continue;
      const known = full.get(`${h.scanId}\u0000${h.scope}`);
      if (known) {
        out.push(known);
        continue;
      }
      const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { scanId: h.scanId, scope: h.scope } }));
      if (r.Item) out.push(r.Item as LedgerEntry);
    }
    return out;
  }

  /**
   * One page of an account's ledger history, newest first: at most `limit` entry heads (scan ID,
   * scope, outcome, trigger, times) from the byAccount index, and the key to continue from.
   */
  async historyPage(accountId: string, opts: { limit: number; startKey?: Record<string, unknown> }): Promise<{ heads: LedgerHead[]; next?: Record<string, unknown> }> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byAccount',
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
        ScanIndexForward: false,
        Limit: opts.limit,
        ExclusiveStartKey: opts.startKey,
      }),
    );
    return { heads: (r.Items ?? []) as LedgerHead[], ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}) };
  }

  async forScan(scanId: string): Promise<LedgerEntry[]> {
    return queryAll<LedgerEntry>(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'scanId = :s',
      ExpressionAttributeValues: { ':s': scanId },
    });
  }
}
