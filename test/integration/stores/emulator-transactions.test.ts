/**
 * The local emulator's DynamoDB transactions (src/local/moto_server.py: an item-level undo log in
 * place of moto's whole-table deep copy) keep DynamoDB's all-or-nothing semantics: a cancelled
 * transaction leaves every item it named as it was, in tables with and without a sort key; a
 * successful one applies every operation; transactions racing on one item lose no update. The
 * in-memory store of one-shot scans (src/local/memory-dynamodb/) is held to the same.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';

describe.each(STORE_BACKENDS)('on $name', (backend) => {
  let ddb: DynamoDBClient;
  const S = (s: string): AttributeValue => ({ S: s });

  beforeAll(async () => {
    ddb = (await backend.clients()).get(DynamoDBClient);
    await ddb.send(
      new CreateTableCommand({
        TableName: 'ranged',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await ddb.send(
      new CreateTableCommand({ TableName: 'plain', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    for (const sk of ['a', 'b']) await ddb.send(new PutItemCommand({ TableName: 'ranged', Item: { pk: S('p'), sk: S(sk), v: S('old') } }));
    for (const id of ['x', 'y']) await ddb.send(new PutItemCommand({ TableName: 'plain', Item: { id: S(id), v: S('old') } }));
  });

  const ranged = async (sk: string) => (await ddb.send(new GetItemCommand({ TableName: 'ranged', Key: { pk: S('p'), sk: S(sk) }, ConsistentRead: true }))).Item;
  const plain = async (id: string) => (await ddb.send(new GetItemCommand({ TableName: 'plain', Key: { id: S(id) }, ConsistentRead: true }))).Item;

  describe('emulator TransactWriteItems', () => {
    it('a cancelled transaction leaves every item it named as it was (put, update, delete; both key shapes)', async () => {
      const err = await ddb
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'ranged', Item: { pk: S('p'), sk: S('new'), v: S('new') } } },
              { Update: { TableName: 'ranged', Key: { pk: S('p'), sk: S('a') }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': S('changed') } } },
              { Delete: { TableName: 'plain', Key: { id: S('x') } } },
              { Put: { TableName: 'plain', Item: { id: S('z'), v: S('new') } } },
              // Fails: y exists.
              { ConditionCheck: { TableName: 'plain', Key: { id: S('y') }, ConditionExpression: 'attribute_not_exists(id)' } },
            ],
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransactionCanceledException);
      expect((err as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'None', 'None', 'None', 'ConditionalCheckFailed']);
      expect(await ranged('new')).toBeUndefined();
      expect((await ranged('a'))?.v).toEqual(S('old'));
      expect((await plain('x'))?.v).toEqual(S('old'));
      expect(await plain('z')).toBeUndefined();
    });

    it('a successful transaction applies every operation', async () => {
      await ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: 'ranged', Key: { pk: S('p'), sk: S('b') }, UpdateExpression: 'SET v = :v', ConditionExpression: 'v = :old', ExpressionAttributeValues: { ':v': S('new'), ':old': S('old') } } },
            { Delete: { TableName: 'plain', Key: { id: S('x') } } },
          ],
        }),
      );
      expect((await ranged('b'))?.v).toEqual(S('new'));
      expect(await plain('x')).toBeUndefined();
    });

    it('transactions racing on one item with a version condition lose no update', async () => {
      await ddb.send(new PutItemCommand({ TableName: 'plain', Item: { id: S('counter'), n: { N: '0' } } }));
      const increment = async () => {
        for (;;) {
          const n = Number((await plain('counter'))!.n!.N);
          try {
            await ddb.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  { Update: { TableName: 'plain', Key: { id: S('counter') }, UpdateExpression: 'SET n = :next', ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { N: String(n) }, ':next': { N: String(n + 1) } } } },
                ],
              }),
            );
            return;
          } catch (e) {
            if (!(e instanceof TransactionCanceledException)) throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: 12 }, increment));
      expect((await plain('counter'))!.n).toEqual({ N: '12' });
    });
  });
});
