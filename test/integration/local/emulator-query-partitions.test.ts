/**
 * The emulator's Query reads one partition (src/local/moto_server.py, patch 13): its GSI partitions
 * must stay exactly in step with every write path moto has, and its answers must be moto's. After
 * random writes through each path (PutItem, UpdateItem incl. changing and removing index keys,
 * DeleteItem, BatchWriteItem, TransactWriteItems committed and cancelled, PartiQL), every index and
 * table Query — key conditions, both directions, paged by a small Limit, with a FilterExpression —
 * is compared with a brute-force answer computed from a Scan of the whole table.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

type Item = Record<string, AttributeValue>;
const S = (s: string): AttributeValue => ({ S: s });
const PKS = ['p0', 'p1', 'p2', 'p3'];
const SKS = ['s0', 's1', 's2'];
const GPS = ['a', 'b', 'c'];
const GSS = ['g0', 'g1', 'g2', 'h0'];

let ddb: DynamoDBClient;
let tableSeq = 0;

beforeAll(async () => {
  ddb = (await accountClients(randomAccountId())).get(DynamoDBClient);
});

async function createTable(name: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'gp', 'gs', 'gq'].map((n) => ({ AttributeName: n, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'byGp', KeySchema: [{ AttributeName: 'gp', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'byGpOnly', KeySchema: [{ AttributeName: 'gp', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } },
        { IndexName: 'byGq', KeySchema: [{ AttributeName: 'gq', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      ],
    }),
  );
}

// ---- the write paths, as fast-check commands over a small key space (so they collide) ----
const key = fc.record({ pk: fc.constantFrom(...PKS), sk: fc.constantFrom(...SKS) });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const itemArb = fc.record({ k: key, gp: opt(fc.constantFrom(...GPS)), gs: opt(fc.constantFrom(...GSS)), gq: opt(fc.constantFrom(...GPS)), x: fc.integer({ min: 0, max: 9 }) });
type ItemSpec = typeof itemArb extends fc.Arbitrary<infer T> ? T : never;
const toItem = (i: ItemSpec): Item => ({
  pk: S(i.k.pk), sk: S(i.k.sk), x: { N: String(i.x) },
  ...(i.gp ? { gp: S(i.gp) } : {}), ...(i.gs ? { gs: S(i.gs) } : {}), ...(i.gq ? { gq: S(i.gq) } : {}),
});
const keyItem = (k: { pk: string; sk: string }): Item => ({ pk: S(k.pk), sk: S(k.sk) });

const opArb = fc.oneof(
  itemArb.map((i) => ({ kind: 'put' as const, item: i })),
  fc.record({ kind: fc.constant('update' as const), k: key, gp: opt(fc.constantFrom(...GPS)), gs: fc.constantFrom(...GSS) }),
  key.map((k) => ({ kind: 'delete' as const, k })),
  fc.record({ kind: fc.constant('batch' as const), puts: fc.array(itemArb, { maxLength: 4 }), deletes: fc.array(key, { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('transact' as const), put: itemArb, update: key, gp: fc.constantFrom(...GPS), cancel: fc.boolean() }),
  fc.record({ kind: fc.constant('partiql' as const), k: key, gp: fc.constantFrom(...GPS) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

async function apply(table: string, op: Op): Promise<void> {
  switch (op.kind) {
    case 'put':
      await ddb.send(new PutItemCommand({ TableName: table, Item: toItem(op.item) }));
      return;
    case 'update': // SET or REMOVE the GSI hash key, SET the GSI range key: the item moves between partitions in place
      await ddb.send(
        new UpdateItemCommand({
          TableName: table, Key: keyItem(op.k),
          UpdateExpression: op.gp ? 'SET gp = :gp, gs = :gs' : 'SET gs = :gs REMOVE gp',
          ExpressionAttributeValues: { ':gs': S(op.gs), ...(op.gp ? { ':gp': S(op.gp) } : {}) },
        }),
      );
      return;
    case 'delete':
      await ddb.send(new DeleteItemCommand({ TableName: table, Key: keyItem(op.k) }));
      return;
    case 'batch': {
      const seen = new Set<string>();
      const requests = [
        ...op.puts.map((p) => ({ id: `${p.k.pk}/${p.k.sk}`, req: { PutRequest: { Item: toItem(p) } } })),
        ...op.deletes.map((k) => ({ id: `${k.pk}/${k.sk}`, req: { DeleteRequest: { Key: keyItem(k) } } })),
      ].filter(({ id }) => !seen.has(id) && seen.add(id));
      if (requests.length) await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests.map((r) => r.req) } }));
      return;
    }
    case 'transact': {
      if (op.put.k.pk === op.update.pk && op.put.k.sk === op.update.sk) return;
      const send = ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: toItem(op.put) } },
            {
              Update: {
                TableName: table, Key: keyItem(op.update), UpdateExpression: 'SET gp = :gp',
                ExpressionAttributeValues: { ':gp': S(op.gp), ...(op.cancel ? { ':never': S('never') } : {}) },
                // A condition that cannot hold cancels the transaction: patch 1's undo log puts both items back.
                ...(op.cancel ? { ConditionExpression: 'gp = :never' } : {}),
              },
            },
          ],
        }),
      );
      if (op.cancel) await expect(send).rejects.toThrow(/cancel/i);
      else await send;
      return;
    }
    case 'partiql': // moto's PartiQL writes through Table.put_item
      await ddb
        .send(new ExecuteStatementCommand({ Statement: `UPDATE "${table}" SET gp = ? WHERE pk = ? AND sk = ?`, Parameters: [S(op.gp), S(op.k.pk), S(op.k.sk)] }))
        .catch((err: Error) => {
          if (!/ConditionalCheckFailed|does not exist|not found/i.test(`${err.name} ${err.message}`)) throw err; // UPDATE of a missing item
        });
      return;
  }
}

// ---- the brute force: a Scan of everything, filtered and sorted as moto orders an index ----
async function scanAll(table: string): Promise<Item[]> {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

interface Case { index?: 'byGp' | 'byGpOnly' | 'byGq'; hash: string; cond?: 'eq' | 'lt' | 'between' | 'begins' | 'gt'; forward: boolean; filter: boolean }
const hashAttr = (c: Case) => (c.index === 'byGq' ? 'gq' : c.index ? 'gp' : 'pk');
const rangeAttr = (c: Case) => (c.index === 'byGpOnly' ? undefined : c.index ? 'gs' : 'sk');

function expected(all: Item[], c: Case): Item[] {
  const h = hashAttr(c);
  const r = rangeAttr(c);
  const v = (i: Item, a: string) => i[a]?.S;
  const inRange = (s: string) =>
    c.cond === 'eq' ? s === 'g1' : c.cond === 'lt' ? s < 'g1' : c.cond === 'gt' ? s > 'g1' : c.cond === 'between' ? s >= 'g0' && s <= 'g2' : c.cond === 'begins' ? s.startsWith('g') : true;
  const picked = all.filter((i) => v(i, h) === c.hash && (!r || (v(i, r) !== undefined && inRange(v(i, r)!))) && (!c.filter || (i.x !== undefined && Number(i.x.N) >= 5)));
  // moto's order: an index's range key, then the table's keys; an index without one sorts by the table's sort key first.
  const sortKey = (i: Item) => (c.index && r ? [v(i, r)!, v(i, 'pk')!, v(i, 'sk')!] : c.index ? [v(i, 'sk')!, v(i, 'pk')!] : [v(i, 'pk')!, v(i, 'sk')!]);
  picked.sort((a, b) => {
    const [ka, kb] = [sortKey(a), sortKey(b)];
    for (let n = 0; n < ka.length; n++) if (ka[n] !== kb[n]) return ka[n]! < kb[n]! ? -1 : 1;
    return 0;
  });
  if (!c.forward) picked.reverse();
  if (c.index !== 'byGpOnly') return picked;
  return picked.map((i) => Object.fromEntries(Object.entries(i).filter(([a]) => ['pk', 'sk', 'gp', 'x'].includes(a))));
}

async function queryAll(table: string, c: Case): Promise<Item[]> {
  const r = rangeAttr(c);
  const conds: Record<string, string> = { eq: '#r = :a', lt: '#r < :a', gt: '#r > :a', between: '#r BETWEEN :lo AND :hi', begins: 'begins_with(#r, :p)' };
  const values: Item = { ':h': S(c.hash) };
  if (c.cond === 'eq' || c.cond === 'lt' || c.cond === 'gt') values[':a'] = S('g1');
  if (c.cond === 'between') Object.assign(values, { ':lo': S('g0'), ':hi': S('g2') });
  if (c.cond === 'begins') values[':p'] = S('g');
  if (c.filter) values[':five'] = { N: '5' };
  const input: QueryCommandInput = {
    TableName: table, IndexName: c.index, Limit: 2, ScanIndexForward: c.forward,
    KeyConditionExpression: `#h = :h${c.cond && r ? ` AND ${conds[c.cond]}` : ''}`,
    ExpressionAttributeNames: { '#h': hashAttr(c), ...(c.cond && r ? { '#r': r } : {}) },
    ExpressionAttributeValues: values,
    ...(c.filter ? { FilterExpression: 'x >= :five' } : {}),
  };
  const out: Item[] = [];
  let start: Item | undefined;
  let pages = 0;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    expect(page.Items!.length).toBeLessThanOrEqual(2);
    start = page.LastEvaluatedKey;
    if (++pages > 50) throw new Error(`Query ${JSON.stringify(c)} did not finish paging`);
  } while (start);
  return out;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const forward of [true, false]) {
    for (const index of ['byGp', 'byGq'] as const) {
      for (const hash of GPS) {
        for (const cond of [undefined, 'eq', 'lt', 'gt', 'between', 'begins'] as const) out.push({ index, hash, cond, forward, filter: false });
        out.push({ index, hash, cond: 'begins', forward, filter: true });
      }
    }
    for (const hash of GPS) out.push({ index: 'byGpOnly', hash, forward, filter: false });
    for (const hash of PKS.slice(0, 2)) out.push({ hash, cond: 'lt', forward, filter: false }, { hash, forward, filter: true });
  }
  return out;
}

async function checkAllQueries(table: string): Promise<void> {
  const all = await scanAll(table);
  const list = cases();
  const answers = await Promise.all(list.map((c) => queryAll(table, c)));
  list.forEach((c, n) => expect(answers[n], JSON.stringify(c)).toEqual(expected(all, c)));
}

describe('the emulator Query on one partition (patch 13)', () => {
  it('answers every index and table Query as a brute-force filter of all items, after random writes through every write path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const table = `partitions-${tableSeq++}`;
        await createTable(table);
        // Query once before writing: the partitions then exist and must follow every write.
        await queryAll(table, { index: 'byGp', hash: 'a', forward: true, filter: false });
        for (const op of ops) await apply(table, op);
        await checkAllQueries(table);
        await ddb.send(new DeleteTableCommand({ TableName: table }));
      }),
      { numRuns: 20 },
    );
  }, 240_000);

  it('moves an item between partitions when UpdateItem changes its index key, and forgets it on delete', async () => {
    const table = `partitions-${tableSeq++}`;
    await createTable(table);
    const byGp = async (gp: string) =>
      (await ddb.send(new QueryCommand({ TableName: table, IndexName: 'byGp', KeyConditionExpression: 'gp = :v', ExpressionAttributeValues: { ':v': S(gp) } }))).Items?.map((i) => i.pk!.S);
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: S('p0'), sk: S('s0'), gp: S('a'), gs: S('g0') } }));
    expect(await byGp('a')).toEqual(['p0']);
    await ddb.send(new UpdateItemCommand({ TableName: table, Key: keyItem({ pk: 'p0', sk: 's0' }), UpdateExpression: 'SET gp = :b', ExpressionAttributeValues: { ':b': S('b') } }));
    expect([await byGp('a'), await byGp('b')]).toEqual([[], ['p0']]);
    await ddb.send(new DeleteItemCommand({ TableName: table, Key: keyItem({ pk: 'p0', sk: 's0' }) }));
    expect(await byGp('b')).toEqual([]);
    // A table deleted and created again under the same name starts with empty partitions.
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: S('p1'), sk: S('s0'), gp: S('c'), gs: S('g0') } }));
    await ddb.send(new DeleteTableCommand({ TableName: table }));
    await createTable(table);
    expect(await byGp('c')).toEqual([]);
  });
});
