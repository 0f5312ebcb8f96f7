/**
 * The in-memory DynamoDB of one-shot scans, beyond what the store tests (run on it and on moto)
 * exercise: expression grammar and precedence, update actions, projections, index projections and
 * pagination, and DynamoDB's errors through the real SDK (ValidationException names the problem).
 */
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryStoreClients } from '../../src/local/memory-dynamodb/clients.ts';

let doc: DynamoDBDocumentClient;

beforeEach(async () => {
  const clients = memoryStoreClients();
  const ddb = clients.get(DynamoDBClient);
  await ddb.send(
    new CreateTableCommand({
      TableName: 't',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['kept'] } }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  doc = DynamoDBDocumentClient.from(ddb);
});

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('the in-memory DynamoDB', () => {
  it('orders a partition by its numeric sort key and pages with Limit and LastEvaluatedKey, both directions', async () => {
    for (const sk of [10, 2, 33, 4]) await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk } }));
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'b', sk: 1 } }));
    const page = (forward: boolean, start?: Record<string, unknown>) =>
      doc.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':p': 'a', ':lo': 2, ':hi': 33 }, Limit: 3, ScanIndexForward: forward, ExclusiveStartKey: start }));
    const first = await page(true);
    expect(first.Items!.map((i) => i.sk)).toEqual([2, 4, 10]);
    const second = await page(true, first.LastEvaluatedKey);
    expect(second.Items!.map((i) => i.sk)).toEqual([33]);
    expect(second.LastEvaluatedKey).toBeUndefined();
    expect((await page(false)).Items!.map((i) => i.sk)).toEqual([33, 10, 4]);
  });

  it('evaluates AND before OR, NOT, IN, functions and size() as DynamoDB does', async () => {
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'x', sk: 1, name: 'alpha', tags: ['a', 'b'], n: 5 } }));
    const matches = async (expr: string, values: Record<string, unknown> = {}) =>
      (await doc.send(new ScanCommand({ TableName: 't', FilterExpression: expr, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) }))).Count;
    expect(await matches('n = :five OR n = :six AND n = :seven', { ':five': 5, ':six': 6, ':seven': 7 })).toBe(1);
    expect(await matches('(n = :five OR n = :six) AND n = :seven', { ':five': 5, ':six': 6, ':seven': 7 })).toBe(0);
    expect(await matches('NOT attribute_exists(missing) AND begins_with(#n, :al)', { ':al': 'al' }).catch((e: Error) => e.message)).toMatch(/#n/);
    expect(await matches('n IN (:a, :b) AND contains(tags, :t) AND size(tags) = :two', { ':a': 1, ':b': 5, ':t': 'b', ':two': 2 })).toBe(1);
    expect(await matches('attribute_type(n, :N)', { ':N': 'N' })).toBe(1);
  });

  it('applies SET with if_not_exists, arithmetic and list_append, REMOVE and ADD; returns what was asked', async () => {
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'u', sk: 1, count: 1, list: [1], gone: true, nested: { a: { b: 1 } } } }));
    const r = await doc.send(
      new UpdateCommand({
        TableName: 't',
        Key: { pk: 'u', sk: 1 },
        UpdateExpression: 'SET #c = #c + :one, first = if_not_exists(first, :now), list = list_append(list, :more), nested.a.b = :two REMOVE gone ADD visits :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':now': 'then', ':more': [2], ':two': 2 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(r.Attributes).toEqual({ pk: 'u', sk: 1, count: 2, first: 'then', list: [1, 2], nested: { a: { b: 2 } }, visits: 1 });
    const old = await doc.send(new DeleteCommand({ TableName: 't', Key: { pk: 'u', sk: 1 }, ReturnValues: 'ALL_OLD' }));
    expect(old.Attributes?.count).toBe(2);
  });

  it('a failed condition returns the old item when asked, and changes nothing', async () => {
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'c', sk: 1, v: 1 } }));
    const err = await failure(doc.send(new PutCommand({ TableName: 't', Item: { pk: 'c', sk: 1, v: 2 }, ConditionExpression: 'v > :v', ExpressionAttributeValues: { ':v': 1 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
    expect(err).toBeInstanceOf(ConditionalCheckFailedException);
    expect((err as ConditionalCheckFailedException).Item).toEqual({ pk: { S: 'c' }, sk: { N: '1' }, v: { N: '1' } });
    expect((await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'c', sk: 1 } }))).Item?.v).toBe(1);
  });

  it('an index holds its projection only, and only items that have its key (sparse)', async () => {
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'i', sk: 1, g: 'G', kept: 'k', dropped: 'd' } }));
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'i', sk: 2, kept: 'no index key' } }));
    const r = await doc.send(new QueryCommand({ TableName: 't', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'G' } }));
    expect(r.Items).toEqual([{ pk: 'i', sk: 1, g: 'G', kept: 'k' }]);
    expect((await doc.send(new ScanCommand({ TableName: 't', IndexName: 'byG' }))).Count).toBe(1);
  });

  it('answers bad requests with DynamoDB errors naming the problem', async () => {
    const syntax = await failure(doc.send(new ScanCommand({ TableName: 't', FilterExpression: 'v = = :v', ExpressionAttributeValues: { ':v': 1 } })));
    expect(syntax?.name).toBe('ValidationException');
    expect(syntax?.message).toMatch(/v = = :v/);
    const undefinedValue = await failure(doc.send(new ScanCommand({ TableName: 't', FilterExpression: 'v = :nope', ExpressionAttributeValues: { ':other': 1 } })));
    expect(undefinedValue?.message).toMatch(/:nope/);
    const missing = await failure(doc.send(new GetCommand({ TableName: 'nope', Key: { pk: 'a', sk: 1 } })));
    expect(missing?.name).toBe('ResourceNotFoundException');
    const keyType = await failure(doc.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'not a number' } })));
    expect(keyType?.message).toMatch(/Type mismatch for key sk/);
    const big = await failure(doc.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 1, blob: 'x'.repeat(401 * 1024) } })));
    expect(big?.message).toMatch(/maximum allowed size/);
    const keyUpdate = await failure(doc.send(new UpdateCommand({ TableName: 't', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET pk = :p', ExpressionAttributeValues: { ':p': 'b' } })));
    expect(keyUpdate?.message).toMatch(/part of the key/);
  });
});
