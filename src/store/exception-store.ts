/** The Exceptions table: stores, lists and removes the accepted risks of src/compliance/exceptions.ts. */
import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExceptionSet, validateException, type ExceptionInput, type ExceptionSource, type PolicyException } from '#compliance/exceptions.ts';
import { isConditionFailure, scanAll } from './dynamo.ts';

export class ExceptionStore implements ExceptionSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(input: Partial<ExceptionInput>, now: Date): Promise<PolicyException> {
    const valid = validateException(input, now);
    for (;;) {
      const item: PolicyException = { exceptionId: `exc-${randomBytes(4).toString('hex')}`, ...valid, createdAt: now.toISOString() };
      try {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(exceptionId)' }));
        return item;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
  }

  async list(): Promise<PolicyException[]> {
    const out = await scanAll<PolicyException>(this.doc, { TableName: this.table, ConsistentRead: true });
    return out.sort((a, b) => a.policyId.localeCompare(b.policyId) || a.exceptionId.localeCompare(b.exceptionId));
  }

  async get(exceptionId: string): Promise<PolicyException | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { exceptionId }, ConsistentRead: true }));
    return r.Item as PolicyException | undefined;
  }

  /** Returns false when there was no such exception. */
  async remove(exceptionId: string): Promise<boolean> {
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { exceptionId }, ConditionExpression: 'attribute_exists(exceptionId)' }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async load(): Promise<ExceptionSet> {
    return new ExceptionSet(await this.list());
  }
}
