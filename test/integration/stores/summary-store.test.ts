/**
 * The daily summary on moto's DynamoDB and the one-shot in-memory store: an account's last 30 days in one ranged Query, a day
 * written again replacing that day's rows (and only that day's, only those accounts'), the TTL
 * attribute on every item, writes over 25 items chunked, and unprocessed items
 * retried (moto never leaves any unprocessed: that answer is injected here, and only that).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { SUMMARY_RETENTION_DAYS, SummaryStore, SummaryStoreError, summaryKey, totalKey } from '../../../src/store/summary-store.ts';
import type { SummaryRow } from '../../../src/compliance/daily-summary.ts';
import { addDays } from '../../../src/compliance/trend.ts';
import type { TableNames } from '../../../src/store/tables.ts';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';

describe.each(STORE_BACKENDS)('on $name', (backend) => {
  const A = '111111111111';
  const B = '222222222222';
  const TODAY = '2026-06-15';

  let doc: DynamoDBDocumentClient;
  let tables: TableNames;
  let store: SummaryStore;

  const row = (day: string, accountId: string, policyId = 'P1', over: Partial<SummaryRow> = {}): SummaryRow => ({
    day,
    accountId,
    policyId,
    severity: 'High',
    passing: 3,
    failing: 1,
    suppressed: 0,
    error: 0,
    notEvaluated: 0,
    ...over,
  });

  beforeAll(async () => {
    const clients = await backend.clients();
    tables = await ensureTables(clients, 'sum');
    doc = documentClient(clients);
    store = new SummaryStore(doc, tables.DailySummary);
    // 40 days of two policies for A, and for B, oldest first.
    for (let i = 39; i >= 0; i--) {
      const day = addDays(TODAY, -i);
      await store.replaceDay(day, [A, B], [row(day, A, 'P1', { passing: i }), row(day, A, 'P2'), row(day, B, 'P1')]);
    }
  });

  describe('SummaryStore', () => {
    it("reads an account's last 30 days with one ranged query, and several accounts", async () => {
      const from = addDays(TODAY, -29);
      const a = await store.range([A], from, TODAY);
      expect(a).toHaveLength(60);
      expect(new Set(a.map((r) => r.day)).size).toBe(30);
      expect(a.every((r) => r.accountId === A && r.day >= from && r.day <= TODAY)).toBe(true);
      expect(a.find((r) => r.day === TODAY && r.policyId === 'P1')).toEqual(row(TODAY, A, 'P1', { passing: 0 }));
      const both = await store.range([A, B, A], from, TODAY);
      expect(both).toHaveLength(90);
      // One day exactly: the bounds are inclusive and a day's keys do not leak into the next.
      expect((await store.range([A, B], TODAY, TODAY)).map((r) => `${r.accountId} ${r.policyId}`).sort()).toEqual([`${A} P1`, `${A} P2`, `${B} P1`]);
      expect(await store.range(['333333333333'], from, TODAY)).toEqual([]);
    });

    it("writing a day again keeps the latest: rows overwritten, rows no longer there deleted, other days and accounts untouched", async () => {
      const day = addDays(TODAY, -3);
      const out = await store.replaceDay(day, [A], [row(day, A, 'P1', { passing: 7, severity: 'Critical' })]);
      // P1/High and P2 of that day were replaced by P1/Critical.
      expect(out).toEqual({ written: 1, deleted: 2 });
      expect(await store.range([A], day, day)).toEqual([row(day, A, 'P1', { passing: 7, severity: 'Critical' })]);
      expect(await store.range([B], day, day)).toEqual([row(day, B, 'P1')]);
      expect(await store.range([A], addDays(day, 1), addDays(day, 1))).toHaveLength(2);
      // An account that now has nothing to summarise loses that day's rows.
      expect(await store.replaceDay(day, [B], [])).toEqual({ written: 0, deleted: 1 });
      expect(await store.range([B], day, day)).toEqual([]);
    });

    it("keeps each account's total of a day beside its rows (one item per account and day), replaced with the day", async () => {
      const day = '2024-05-01';
      const zero = { suppressed: 0, error: 0, notEvaluated: 0 };
      await store.replaceDay(day, [A, B], [row(day, A, 'P1'), row(day, A, 'P2', { failing: 2 }), row(day, B, 'P1', { error: 1 })]);
      expect(await store.totals([A, B], day, day)).toEqual([
        { day, accountId: A, passing: 6, failing: 3, ...zero },
        { day, accountId: B, passing: 3, failing: 1, ...zero, error: 1 },
      ]);
      // A range of days reads the rows only, never the totals.
      expect(await store.range([A], day, day)).toHaveLength(2);
      await store.replaceDay(day, [A, B], [row(day, A, 'P1')]);
      expect(await store.totals([A, B], '2024-04-30', '2024-05-02')).toEqual([{ day, accountId: A, passing: 3, failing: 1, ...zero }]);
      const item = (await doc.send(new GetCommand({ TableName: tables.DailySummary, Key: totalKey({ accountId: A, day }) }))).Item!;
      expect(item.expiresAt).toBe(Date.parse(`${day}T00:00:00Z`) / 1000 + SUMMARY_RETENTION_DAYS * 86_400);
    });

    it('sets the TTL attribute (400 days after the day) on every item', async () => {
      const item = (await doc.send(new GetCommand({ TableName: tables.DailySummary, Key: summaryKey(row(TODAY, A, 'P2')) }))).Item!;
      expect(item.expiresAt).toBe(Date.parse(`${TODAY}T00:00:00Z`) / 1000 + SUMMARY_RETENTION_DAYS * 86_400);
      expect(item.dayKey).toBe(`${TODAY}#P2#High`);
      // The deployed table's TTL setting on that attribute is checked in test/infra/stack.test.ts (TABLES).
    });

    it('chunks writes by 25 and retries the items DynamoDB leaves unprocessed', async () => {
      const day = '2025-01-01';
      const rows = Array.from({ length: 60 }, (_, i) => row(day, A, `P${String(i).padStart(2, '0')}`));
      // Fault injection (moto never answers with UnprocessedItems): every first attempt of a
      // chunk writes only half of it and hands the rest back as unprocessed, as DynamoDB may.
      const sizes: number[] = [];
      let fresh = true;
      const flaky = {
        send: async (cmd: unknown) => {
          if (!(cmd instanceof BatchWriteCommand)) return doc.send(cmd as never);
          const requests = cmd.input.RequestItems![tables.DailySummary]!;
          sizes.push(requests.length);
          if (!fresh || requests.length < 2) {
            fresh = true;
            return doc.send(cmd);
          }
          fresh = false;
          const half = Math.ceil(requests.length / 2);
          await doc.send(new BatchWriteCommand({ RequestItems: { [tables.DailySummary]: requests.slice(0, half) } }));
          return { UnprocessedItems: { [tables.DailySummary]: requests.slice(half) } };
        },
      } as unknown as DynamoDBDocumentClient;
      const slept: number[] = [];
      const out = await new SummaryStore(flaky, tables.DailySummary, async (ms) => void slept.push(ms)).replaceDay(day, [A], rows);
      expect(out).toEqual({ written: 60, deleted: 0 });
      // 60 rows and the account's total of the day.
      expect(sizes).toEqual([25, 12, 25, 12, 11, 5]);
      expect(slept).toHaveLength(3);
      expect((await store.range([A], day, day)).map((r) => r.policyId)).toEqual(rows.map((r) => r.policyId));
    });

    it('gives up with one line when items stay unprocessed, and refuses rows of another day or account', async () => {
      const stuck = {
        send: async (cmd: unknown) => (cmd instanceof BatchWriteCommand ? { UnprocessedItems: cmd.input.RequestItems } : doc.send(cmd as never)),
      } as unknown as DynamoDBDocumentClient;
      const never = new SummaryStore(stuck, tables.DailySummary, async () => {});
      // The row and the account's total of the day.
      await expect(never.replaceDay('2025-02-01', [A], [row('2025-02-01', A)])).rejects.toThrow(
        new SummaryStoreError(`table ${tables.DailySummary}: 2 summary write(s) still unprocessed after 8 attempts`),
      );
      await expect(store.replaceDay(TODAY, [A], [row(TODAY, B)])).rejects.toThrow(`summary row ${B}/P1 of ${TODAY} is not of ${TODAY} for the accounts written`);
      await expect(store.replaceDay(TODAY, [A], [row(TODAY, A, 'P1', { failing: -1 })])).rejects.toThrow(/^summary row 111111111111\/P1: failing: /);
    });
  });
});
