/** The scan ledger: one entry per scope per scan, so an unreadable scope is reported as not evaluated. */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScopeOutcome } from '#core/errors.ts';
import type { Trigger } from '#core/types.ts';
import { queryAll } from './dynamo.ts';

export interface LedgerEntry {
  scanId: string;
  /** `account#region#type` */
  scope: string;
  accountId: string;
  region: string;
  resourceType: string;
  startedAt: string;
  finishedAt: string;
  resourceCount: number;
  changedCount: number;
  deletedCount: number;
  outcome: ScopeOutcome;
  message: string | null;
  /** What ran the scan of this scope: the schedule, or a CloudTrail event (region/account rescans). */
  trigger?: Trigger;
}

const RETENTION_DAYS = 90;

export interface VerifiedScope {
  scope: string;
  finishedAt: string;
  trigger: Trigger;
}

export class LedgerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: LedgerEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.finishedAt) / 1000) + RETENTION_DAYS * 86400;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...entry, expiresAt } }));
  }

  /** The newest OK entry of a scope (when it was last verified, and by what), from the byScope index. */
  async lastVerified(scope: string): Promise<VerifiedScope | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byScope',
          KeyConditionExpression: '#s = :s',
          FilterExpression: 'outcome = :ok',
          ExpressionAttributeNames: { '#s': 'scope' },
          ExpressionAttributeValues: { ':s': scope, ':ok': 'OK' },
          ScanIndexForward: false,
          Limit: 50,
          ExclusiveStartKey: start,
        }),
      );
      const e = r.Items?.[0] as Partial<LedgerEntry> | undefined;
      if (e) return { scope, finishedAt: e.finishedAt!, trigger: e.trigger ?? 'scheduled' };
      start = r.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async forScan(scanId: string): Promise<LedgerEntry[]> {
    return queryAll<LedgerEntry>(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'scanId = :s',
      ExpressionAttributeValues: { ':s': scanId },
    });
  }
}
