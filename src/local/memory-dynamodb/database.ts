/**
 * The in-memory DynamoDB behind `posture scan`'s one-shot store: tables with their global
 * secondary indexes (projections kept as DynamoDB keeps them), and the operations Posture's stores
 * send — GetItem, PutItem, UpdateItem, DeleteItem with conditions and return values, Query (key
 * conditions, filters, ordering, Limit and LastEvaluatedKey), Scan, BatchGetItem, BatchWriteItem,
 * TransactWriteItems (all conditions checked before any write; cancellation reasons as DynamoDB
 * gives them) — on wire-format items. Each operation runs to completion before the next starts
 * (one JavaScript thread), which is the atomicity DynamoDB gives a single request.
 *
 * Why not moto or a package: a one-shot scan's state lives only for that run, and moto spends most
 * of a CLI scan's CPU serving it over HTTP (issue #15's profile); dynalite, the in-process DynamoDB
 * for Node, has no TransactWriteItems. Its semantics are held to moto's by running the stores'
 * integration tests against both (test/integration/stores/memory-parity.test.ts).
 */
import { applyUpdate, evaluate, parseCondition, parseProjection, parseUpdate, project, ValidationError, type Condition, type Placeholders } from './expressions.ts';
import { clone, compare, itemSize, keyString, type AttributeValue, type Item } from './values.ts';

/** A DynamoDB error: its wire `__type` name, message and extra fields (Item, CancellationReasons). */
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const validation = (message: string) => new DynamoError('ValidationException', message);
const MAX_ITEM_BYTES = 400 * 1024;

interface KeySchema {
  pk: string;
  sk?: string;
}

interface IndexState extends KeySchema {
  name: string;
  /** undefined: ALL; otherwise the projected non-key attributes (KEYS_ONLY: empty). */
  include?: string[];
  partitions: Map<string, Map<string, Item>>;
}

interface TableState extends KeySchema {
  name: string;
  items: Map<string, Item>;
  partitions: Map<string, Map<string, Item>>;
  indexes: Map<string, IndexState>;
  definitions: { AttributeName: string; AttributeType: string }[];
  createdAt: number;
}

type Json = Record<string, unknown>;

const keySchemaOf = (ks: { AttributeName: string; KeyType: string }[]): KeySchema => ({
  pk: ks.find((k) => k.KeyType === 'HASH')!.AttributeName,
  sk: ks.find((k) => k.KeyType === 'RANGE')?.AttributeName,
});

function placeholders(req: Json): Placeholders {
  return { names: req.ExpressionAttributeNames as Record<string, string> | undefined, values: req.ExpressionAttributeValues as Record<string, AttributeValue> | undefined };
}

function parseOrValidation<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError) throw validation(err.message);
    throw err;
  }
}

export class MemoryDynamoDb {
  private readonly tables = new Map<string, TableState>();

  /** Every operation by its X-Amz-Target name. */
  run(operation: string, req: Json): Json {
    switch (operation) {
      case 'CreateTable':
        return this.createTable(req);
      case 'DescribeTable':
        return { Table: this.describe(this.table(req.TableName)) };
      case 'ListTables':
        return { TableNames: [...this.tables.keys()].sort() };
      case 'UpdateTimeToLive':
        return { TimeToLiveSpecification: req.TimeToLiveSpecification };
      case 'GetItem':
        return this.getItem(req);
      case 'PutItem':
        return this.putItem(req);
      case 'UpdateItem':
        return this.updateItem(req);
      case 'DeleteItem':
        return this.deleteItem(req);
      case 'Query':
        return this.query(req);
      case 'Scan':
        return this.scan(req);
      case 'BatchGetItem':
        return this.batchGet(req);
      case 'BatchWriteItem':
        return this.batchWrite(req);
      case 'TransactWriteItems':
        return this.transactWrite(req);
      default:
        throw new DynamoError('UnknownOperationException', `the in-memory store does not implement DynamoDB ${operation}`);
    }
  }

  private table(name: unknown): TableState {
    const t = this.tables.get(String(name));
    if (!t) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${String(name)} not found`);
    return t;
  }

  private createTable(req: Json): Json {
    const name = String(req.TableName);
    if (this.tables.has(name)) throw new DynamoError('ResourceInUseException', `Table already exists: ${name}`);
    const gsis = (req.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[]; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } }[];
    const t: TableState = {
      name,
      ...keySchemaOf(req.KeySchema as { AttributeName: string; KeyType: string }[]),
      items: new Map(),
      partitions: new Map(),
      indexes: new Map(
        gsis.map((g) => [
          g.IndexName,
          {
            name: g.IndexName,
            ...keySchemaOf(g.KeySchema),
            include: g.Projection.ProjectionType === 'ALL' ? undefined : (g.Projection.NonKeyAttributes ?? []),
            partitions: new Map(),
          },
        ]),
      ),
      definitions: req.AttributeDefinitions as TableState['definitions'],
      createdAt: Date.now() / 1000,
    };
    this.tables.set(name, t);
    return { TableDescription: this.describe(t) };
  }

  private describe(t: TableState): Json {
    const ks = (s: KeySchema) => [{ AttributeName: s.pk, KeyType: 'HASH' }, ...(s.sk ? [{ AttributeName: s.sk, KeyType: 'RANGE' }] : [])];
    return {
      TableName: t.name,
      TableStatus: 'ACTIVE',
      KeySchema: ks(t),
      AttributeDefinitions: t.definitions,
      ItemCount: t.items.size,
      CreationDateTime: t.createdAt,
      GlobalSecondaryIndexes: [...t.indexes.values()].map((i) => ({ IndexName: i.name, KeySchema: ks(i), IndexStatus: 'ACTIVE', Projection: i.include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: i.include } : { ProjectionType: 'ALL' } })),
    };
  }

  // ---- keys ----

  private keyOf(t: KeySchema, item: Item, what = 'key'): string {
    const pk = item[t.pk];
    if (!pk) throw validation(`One of the required keys was not given a value (${what}: ${t.pk})`);
    const sk = t.sk ? item[t.sk] : undefined;
    if (t.sk && !sk) throw validation(`One of the required keys was not given a value (${what}: ${t.sk})`);
    return sk ? `${keyString(pk)}|${keyString(sk)}` : keyString(pk);
  }

  private keyFromRequest(t: TableState, key: unknown): string {
    const k = key as Item;
    const extra = Object.keys(k).filter((a) => a !== t.pk && a !== t.sk);
    if (extra.length) throw validation('The provided key element does not match the schema');
    return this.keyOf(t, k);
  }

  private tableKey(t: KeySchema, item: Item): Item {
    return { [t.pk]: item[t.pk]!, ...(t.sk ? { [t.sk]: item[t.sk]! } : {}) };
  }

  // ---- writes (all go through these two) ----

  private write(t: TableState, item: Item): void {
    if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    for (const [name, v] of Object.entries(item)) {
      const def = t.definitions.find((d) => d.AttributeName === name);
      if (def && Object.keys(v)[0] !== def.AttributeType) throw validation(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${def.AttributeType} actual: ${Object.keys(v)[0]}`);
    }
    const key = this.keyOf(t, item, 'item');
    this.remove(t, key);
    t.items.set(key, item);
    const pk = keyString(item[t.pk]!);
    if (!t.partitions.has(pk)) t.partitions.set(pk, new Map());
    t.partitions.get(pk)!.set(key, item);
    for (const ix of t.indexes.values()) {
      const ipk = item[ix.pk];
      if (!ipk || (ix.sk && !item[ix.sk])) continue; // sparse: not in the index
      const p = keyString(ipk);
      if (!ix.partitions.has(p)) ix.partitions.set(p, new Map());
      ix.partitions.get(p)!.set(key, item);
    }
  }

  private remove(t: TableState, key: string): Item | undefined {
    const old = t.items.get(key);
    if (!old) return undefined;
    t.items.delete(key);
    const pk = keyString(old[t.pk]!);
    t.partitions.get(pk)?.delete(key);
    if (t.partitions.get(pk)?.size === 0) t.partitions.delete(pk);
    for (const ix of t.indexes.values()) {
      const ipk = old[ix.pk];
      if (!ipk) continue;
      const p = keyString(ipk);
      ix.partitions.get(p)?.delete(key);
      if (ix.partitions.get(p)?.size === 0) ix.partitions.delete(p);
    }
    return old;
  }

  // ---- conditions ----

  private conditionOf(req: Json): Condition | undefined {
    if (typeof req.ConditionExpression !== 'string') return undefined;
    return parseOrValidation(() => parseCondition(req.ConditionExpression as string, placeholders(req)));
  }

  /** Throws ConditionalCheckFailedException (with the old item when asked) unless the condition holds. */
  private check(req: Json, cond: Condition | undefined, old: Item | undefined): void {
    if (!cond) return;
    if (evaluate(old ?? {}, cond)) return;
    const extra = req.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: clone(old) } : {};
    throw new DynamoError('ConditionalCheckFailedException', 'The conditional request failed', extra);
  }

  private getItem(req: Json): Json {
    const t = this.table(req.TableName);
    const item = t.items.get(this.keyFromRequest(t, req.Key));
    if (!item) return {};
    const paths = typeof req.ProjectionExpression === 'string' ? parseOrValidation(() => parseProjection(req.ProjectionExpression as string, placeholders(req))) : undefined;
    return { Item: paths ? project(item, paths) : clone(item) };
  }

  private putItem(req: Json): Json {
    const t = this.table(req.TableName);
    const item = clone(req.Item as Item);
    const old = t.items.get(this.keyOf(t, item, 'item'));
    this.check(req, this.conditionOf(req), old);
    this.write(t, item);
    return req.ReturnValues === 'ALL_OLD' && old ? { Attributes: clone(old) } : {};
  }

  private updateItem(req: Json): Json {
    const t = this.table(req.TableName);
    const key = this.keyFromRequest(t, req.Key);
    const old = t.items.get(key);
    const cond = this.conditionOf(req);
    const actions = typeof req.UpdateExpression === 'string' ? parseOrValidation(() => parseUpdate(req.UpdateExpression as string, placeholders(req))) : [];
    for (const a of actions) if (a.path[0] === t.pk || a.path[0] === t.sk) throw validation(`One or more parameter values were invalid: Cannot update attribute ${String(a.path[0])}. This attribute is part of the key`);
    this.check(req, cond, old);
    const base: Item = old ?? clone(req.Key as Item);
    const next = parseOrValidation(() => applyUpdate(base, actions));
    this.write(t, next);
    switch (req.ReturnValues) {
      case 'ALL_NEW':
        return { Attributes: clone(next) };
      case 'ALL_OLD':
        return old ? { Attributes: clone(old) } : {};
      case 'UPDATED_NEW':
      case 'UPDATED_OLD': {
        const names = new Set(actions.map((a) => String(a.path[0])));
        const src = req.ReturnValues === 'UPDATED_NEW' ? next : (old ?? {});
        return { Attributes: Object.fromEntries(Object.entries(src).filter(([k]) => names.has(k)).map(([k, v]) => [k, clone(v)])) };
      }
      default:
        return {};
    }
  }

  private deleteItem(req: Json): Json {
    const t = this.table(req.TableName);
    const key = this.keyFromRequest(t, req.Key);
    const old = t.items.get(key);
    this.check(req, this.conditionOf(req), old);
    this.remove(t, key);
    return req.ReturnValues === 'ALL_OLD' && old ? { Attributes: clone(old) } : {};
  }

  // ---- reads ----

  /** What an index holds of an item: its keys, the table's keys and the projected attributes. */
  private projectIndex(t: TableState, ix: IndexState | undefined, item: Item): Item {
    if (!ix || !ix.include) return item;
    const keep = new Set([t.pk, t.sk, ix.pk, ix.sk, ...ix.include].filter((k): k is string => Boolean(k)));
    return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
  }

  private query(req: Json): Json {
    const t = this.table(req.TableName);
    const ix = req.IndexName ? t.indexes.get(String(req.IndexName)) : undefined;
    if (req.IndexName && !ix) throw validation(`The table does not have the specified index: ${String(req.IndexName)}`);
    const schema: KeySchema = ix ?? t;
    if (typeof req.KeyConditionExpression !== 'string') throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request');
    const ph = placeholders(req);
    const keyCond = parseOrValidation(() => parseCondition(req.KeyConditionExpression as string, ph));
    const pkValue = partitionValue(keyCond, schema.pk);
    if (!pkValue) throw validation(`Query condition missed key schema element: ${schema.pk}`);
    const partition = (ix ? ix.partitions : t.partitions).get(keyString(pkValue));
    const inKey = [...(partition?.values() ?? [])].filter((item) => evaluate(item, keyCond));
    const sortKey = schema.sk;
    inKey.sort((a, b) => (sortKey ? (compare(a[sortKey]!, b[sortKey]!) ?? 0) : 0) || this.keyOf(t, a).localeCompare(this.keyOf(t, b)));
    if (req.ScanIndexForward === false) inKey.reverse();
    return this.page(t, ix, inKey, req, ph, (item) => ({ ...this.tableKey(t, item), ...(ix ? this.tableKey(ix, item) : {}) }));
  }

  private scan(req: Json): Json {
    const t = this.table(req.TableName);
    const ix = req.IndexName ? t.indexes.get(String(req.IndexName)) : undefined;
    const all = ix ? [...ix.partitions.values()].flatMap((p) => [...p.values()]) : [...t.items.values()];
    return this.page(t, ix, all, req, placeholders(req), (item) => ({ ...this.tableKey(t, item), ...(ix ? this.tableKey(ix, item) : {}) }));
  }

  /** ExclusiveStartKey, Limit (before the filter, as DynamoDB), FilterExpression, projections, Select COUNT. */
  private page(t: TableState, ix: IndexState | undefined, ordered: Item[], req: Json, ph: Placeholders, lastKey: (item: Item) => Item): Json {
    let start = 0;
    if (req.ExclusiveStartKey) {
      const after = this.keyOf(t, req.ExclusiveStartKey as Item, 'ExclusiveStartKey');
      const at = ordered.findIndex((i) => this.keyOf(t, i) === after);
      start = at >= 0 ? at + 1 : ordered.length;
    }
    const limit = typeof req.Limit === 'number' ? req.Limit : Number.POSITIVE_INFINITY;
    const evaluated = ordered.slice(start, start + limit);
    const more = start + evaluated.length < ordered.length && evaluated.length === limit;
    const filter = typeof req.FilterExpression === 'string' ? parseOrValidation(() => parseCondition(req.FilterExpression as string, ph)) : undefined;
    const matched = filter ? evaluated.filter((i) => evaluate(i, filter)) : evaluated;
    const paths = typeof req.ProjectionExpression === 'string' ? parseOrValidation(() => parseProjection(req.ProjectionExpression as string, ph)) : undefined;
    const out: Json = { Count: matched.length, ScannedCount: evaluated.length };
    if (req.Select !== 'COUNT') out.Items = matched.map((i) => (paths ? project(this.projectIndex(t, ix, i), paths) : clone(this.projectIndex(t, ix, i))));
    if (more) out.LastEvaluatedKey = clone(lastKey(evaluated[evaluated.length - 1]!));
    return out;
  }

  private batchGet(req: Json): Json {
    const responses: Record<string, Item[]> = {};
    const requests = req.RequestItems as Record<string, { Keys: Item[]; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }>;
    const total = Object.values(requests).reduce((n, r) => n + r.Keys.length, 0);
    if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
    for (const [name, r] of Object.entries(requests)) {
      responses[name] = [];
      for (const key of r.Keys) {
        const got = this.getItem({ TableName: name, Key: key, ProjectionExpression: r.ProjectionExpression, ExpressionAttributeNames: r.ExpressionAttributeNames });
        if (got.Item) responses[name]!.push(got.Item as Item);
      }
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private batchWrite(req: Json): Json {
    const requests = req.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>;
    const total = Object.values(requests).reduce((n, r) => n + r.length, 0);
    if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
    // Validate every request before writing any (DynamoDB rejects the whole batch on a bad one).
    for (const [name, list] of Object.entries(requests)) {
      const t = this.table(name);
      const keys = list.map((r) => (r.PutRequest ? this.keyOf(t, r.PutRequest.Item, 'item') : this.keyFromRequest(t, r.DeleteRequest!.Key)));
      if (new Set(keys).size !== keys.length) throw validation('Provided list of item keys contains duplicates');
      for (const r of list) if (r.PutRequest && itemSize(r.PutRequest.Item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    }
    for (const [name, list] of Object.entries(requests)) {
      const t = this.table(name);
      for (const r of list) {
        if (r.PutRequest) this.write(t, clone(r.PutRequest.Item));
        else this.remove(t, this.keyFromRequest(t, r.DeleteRequest!.Key));
      }
    }
    return { UnprocessedItems: {} };
  }

  private transactWrite(req: Json): Json {
    type Op = { Put?: Json; Update?: Json; Delete?: Json; ConditionCheck?: Json };
    const ops = req.TransactItems as Op[];
    if (ops.length > 100) throw validation('Member must have length less than or equal to 100');
    const planned = ops.map((op) => {
      const [kind, body] = Object.entries(op)[0] as [keyof Op, Json];
      const t = this.table(body.TableName);
      const key = kind === 'Put' ? this.keyOf(t, body.Item as Item, 'item') : this.keyFromRequest(t, body.Key);
      return { kind, body, t, key };
    });
    const keys = planned.map((p) => `${p.t.name}#${p.key}`);
    if (new Set(keys).size !== keys.length) throw validation('Transaction request cannot include multiple operations on one item');
    // All conditions against the state before the transaction; any failure cancels every write.
    const reasons = planned.map(({ body, t, key }) => {
      const cond = this.conditionOf(body);
      const old = t.items.get(key);
      if (!cond || evaluate(old ?? {}, cond)) return { Code: 'None' };
      return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: clone(old) } : {}) };
    });
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new DynamoError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { CancellationReasons: reasons });
    }
    for (const { kind, body } of planned) {
      const plain = { ...body, ConditionExpression: undefined };
      if (kind === 'Put') this.putItem(plain);
      else if (kind === 'Update') this.updateItem(plain);
      else if (kind === 'Delete') this.deleteItem(plain);
    }
    return {};
  }
}

/** The partition key's value in a key condition: `pk = :v`, alone or ANDed with a sort-key condition. */
function partitionValue(c: Condition, pk: string): AttributeValue | undefined {
  if (c.t === 'and') return partitionValue(c.a, pk) ?? partitionValue(c.b, pk);
  if (c.t === 'cmp' && c.op === '=') {
    if (c.a.t === 'path' && c.a.path.length === 1 && c.a.path[0] === pk && c.b.t === 'value') return c.b.value;
    if (c.b.t === 'path' && c.b.path.length === 1 && c.b.path[0] === pk && c.a.t === 'value') return c.a.value;
  }
  return undefined;
}
