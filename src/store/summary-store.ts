/**
 * The daily compliance summary in DynamoDB (table DailySummary, src/store/tables.ts): one item per
 * account × day × policy × severity, keyed `accountId` / `dayKey` = `YYYY-MM-DD#policyId#severity`,
 * so an account's days are one Query on a sort-key range; and beside them each account's total of
 * the day, keyed `total#YYYY-MM-DD` (a range of its own: `t` sorts after every digit), so a trend
 * over many days reads one item per account and day. Writing a day replaces that day's rows and
 * total of the accounts written (BatchWriteItem, unprocessed items retried); items expire after a year.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '#core/errors.ts';
import { dayTotals, dayTotalSchema, summaryRowSchema, type DayTotal, type SummaryRow } from '#compliance/daily-summary.ts';
import { queryAll } from './dynamo.ts';

/** Long enough to compare with the same day last year. */
export const SUMMARY_RETENTION_DAYS = 400;
/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
const UNPROCESSED_ATTEMPTS = 8;
const QUERY_CONCURRENCY = 8;

/** The one key layout of a summary row. */
export const summaryKey = (r: Pick<SummaryRow, 'accountId' | 'day' | 'policyId' | 'severity'>): { accountId: string; dayKey: string } => ({
  accountId: r.accountId,
  dayKey: `${r.day}#${r.policyId}#${r.severity}`,
});
/** Upper bound of a day's sort keys: `$` sorts right after the `#` that ends the day. */
const afterDay = (day: string): string => `${day}$`;
/** The key of an account's total of a day. */
export const totalKey = (t: Pick<DayTotal, 'accountId' | 'day'>): { accountId: string; dayKey: string } => ({ accountId: t.accountId, dayKey: `total#${t.day}` });

export class SummaryStoreError extends Error {}

export class SummaryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Writes the rows of `day` for `accountIds` (each row's account must be among them) and deletes
   * that day's other rows of those accounts: summarising a day again keeps only the latest.
   */
  async replaceDay(day: string, accountIds: readonly string[], rows: readonly SummaryRow[]): Promise<{ written: number; deleted: number }> {
    const accounts = new Set(accountIds);
    for (const r of rows) {
      const parsed = summaryRowSchema.safeParse(r);
      if (!parsed.success) throw new SummaryStoreError(`summary row ${r.accountId}/${r.policyId}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      if (r.day !== day || !accounts.has(r.accountId)) throw new SummaryStoreError(`summary row ${r.accountId}/${r.policyId} of ${r.day} is not of ${day} for the accounts written`);
    }
    const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + SUMMARY_RETENTION_DAYS * 86_400;
    const totals = dayTotals(rows);
    const puts = [
      ...rows.map((r) => ({ PutRequest: { Item: { ...summaryRowSchema.parse(r), ...summaryKey(r), expiresAt } } })),
      ...totals.map((t) => ({ PutRequest: { Item: { ...t, ...totalKey(t), expiresAt } } })),
    ];
    const keep = new Set(puts.map((p) => `${p.PutRequest.Item.accountId}/${p.PutRequest.Item.dayKey}`));
    // The day's rows, and its total: an account whose rows are all gone loses its total too.
    const existing = [
      ...(await mapLimit([...accounts], QUERY_CONCURRENCY, (a) => this.keysOf(a, day, day))).flat(),
      ...[...accounts].map((accountId) => totalKey({ accountId, day })),
    ];
    const deletes = existing.filter((k) => !keep.has(`${k.accountId}/${k.dayKey}`)).map((Key) => ({ DeleteRequest: { Key } }));
    await this.batchWrite([...puts, ...deletes]);
    return { written: rows.length, deleted: deletes.filter((d) => !d.DeleteRequest.Key.dayKey.startsWith('total#')).length };
  }

  /** The rows of the accounts from `fromDay` to `toDay` (inclusive): one Query per account. */
  async range(accountIds: readonly string[], fromDay: string, toDay: string): Promise<SummaryRow[]> {
    const per = await mapLimit([...new Set(accountIds)], QUERY_CONCURRENCY, (accountId) =>
      queryAll<unknown>(this.doc, {
        TableName: this.table,
        KeyConditionExpression: 'accountId = :a AND dayKey BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':a': accountId, ':from': fromDay, ':to': afterDay(toDay) },
      }),
    );
    return per.flat().map((item) => {
      const parsed = summaryRowSchema.safeParse(item);
      if (!parsed.success) throw new SummaryStoreError(`table ${this.table}: item ${JSON.stringify(summaryKeyOf(item))}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      return parsed.data;
    });
  }

  /** The accounts' totals of each day from `fromDay` to `toDay` (inclusive): one Query per account. */
  async totals(accountIds: readonly string[], fromDay: string, toDay: string): Promise<DayTotal[]> {
    const per = await mapLimit([...new Set(accountIds)], QUERY_CONCURRENCY, (accountId) =>
      queryAll<unknown>(this.doc, {
        TableName: this.table,
        KeyConditionExpression: 'accountId = :a AND dayKey BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':a': accountId, ':from': `total#${fromDay}`, ':to': `total#${toDay}` },
      }),
    );
    return per.flat().map((item) => {
      const parsed = dayTotalSchema.safeParse(item);
      if (!parsed.success) throw new SummaryStoreError(`table ${this.table}: item ${JSON.stringify(summaryKeyOf(item))}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      return parsed.data;
    });
  }

  private keysOf(accountId: string, fromDay: string, toDay: string): Promise<{ accountId: string; dayKey: string }[]> {
    return queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'accountId = :a AND dayKey BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':a': accountId, ':from': fromDay, ':to': afterDay(toDay) },
      ProjectionExpression: 'accountId, dayKey',
    });
  }

  /** BatchWriteItem in chunks of 25, retrying what DynamoDB leaves unprocessed with backoff. */
  private async batchWrite(requests: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH) {
      let pending = requests.slice(i, i + BATCH);
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt >= UNPROCESSED_ATTEMPTS) throw new SummaryStoreError(`table ${this.table}: ${pending.length} summary write(s) still unprocessed after ${UNPROCESSED_ATTEMPTS} attempts`);
        if (attempt) await this.sleep(Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = (r.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
  }
}

const summaryKeyOf = (item: unknown): unknown => (item && typeof item === 'object' ? { accountId: (item as { accountId?: unknown }).accountId, dayKey: (item as { dayKey?: unknown }).dayKey } : item);
