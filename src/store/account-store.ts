/** The Accounts table: onboarded member accounts and their exclusions. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from './dynamo.ts';
import { parseAccount, type Account } from '#accounts/account.ts';

export class AccountStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(account: Account): Promise<void> {
    const valid = parseAccount(account);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...valid, addedAt: valid.addedAt ?? new Date().toISOString() } }));
  }

  async get(accountId: string): Promise<Account | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { accountId } }));
    return r.Item ? parseAccount(r.Item) : undefined;
  }

  async list(): Promise<Account[]> {
    const out = (await scanAll<unknown>(this.doc, { TableName: this.table })).map((i) => parseAccount(i));
    return out.sort((a, b) => a.accountId.localeCompare(b.accountId));
  }

  async remove(accountId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { accountId } }));
  }
}
