/** The Accounts table: onboarded member accounts and their exclusions. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from './dynamo.ts';
import { parseAccount, type Account } from '#accounts/account.ts';

/** Attribute prefix of canary arrivals (`canary:<region>`); parseAccount ignores them. */
const CANARY_PREFIX = 'canary:';

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

  /**
   * Notes that a `posture accounts verify` canary from `region` reached the real-time path (one
   * attribute per region, so canaries of several regions do not overwrite each other). Returns
   * false when the account is not onboarded: nothing is written for unknown accounts.
   */
  async recordCanary(accountId: string, region: string, eventID: string, receivedAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { accountId },
          UpdateExpression: 'SET #c = :c',
          ConditionExpression: 'attribute_exists(accountId)',
          ExpressionAttributeNames: { '#c': `${CANARY_PREFIX}${region}` },
          ExpressionAttributeValues: { ':c': { eventID, receivedAt } },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** The canaries that arrived for the account: eventID → region and arrival time. */
  async canaryArrivals(accountId: string): Promise<Map<string, { region: string; receivedAt: string }>> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { accountId }, ConsistentRead: true }));
    const out = new Map<string, { region: string; receivedAt: string }>();
    for (const [k, v] of Object.entries(r.Item ?? {})) {
      if (!k.startsWith(CANARY_PREFIX)) continue;
      const c = v as { eventID?: unknown; receivedAt?: unknown };
      if (typeof c.eventID === 'string') out.set(c.eventID, { region: k.slice(CANARY_PREFIX.length), receivedAt: String(c.receivedAt) });
    }
    return out;
  }

  async remove(accountId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { accountId } }));
  }
}
