/** The scan ledger: one entry per scope per scan, so an unreadable scope is reported as not evaluated. */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScopeOutcome } from '#core/errors.ts';
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
}

const RETENTION_DAYS = 90;

export class LedgerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: LedgerEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.finishedAt) / 1000) + RETENTION_DAYS * 86400;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...entry, expiresAt } }));
  }

  async forScan(scanId: string): Promise<LedgerEntry[]> {
    return queryAll<LedgerEntry>(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'scanId = :s',
      ExpressionAttributeValues: { ':s': scanId },
    });
  }
}
