/**
 * The ConsoleAudit table behind the console's AuditLog port: every entry in one partition keyed
 * by time (`at` + a random suffix, so two changes in the same millisecond both stay), read newest
 * first one page per Query. The cursor is the page's LastEvaluatedKey, base64url-encoded.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditEntrySchema, type AuditEntry, type AuditLog, type AuditPage } from '#console/audit.ts';

const LOG = 'console';

export class AuditCursorError extends Error {}

export class AuditStore implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const item = auditEntrySchema.parse(entry);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { log: LOG, atKey: `${item.at}#${randomUUID()}`, ...item } }));
  }

  /** One Query of at most `limit` items (newest first), from the cursor. */
  async list(opts: { limit: number; cursor?: string }): Promise<AuditPage> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#l = :l',
        ExpressionAttributeNames: { '#l': 'log' },
        ExpressionAttributeValues: { ':l': LOG },
        ScanIndexForward: false,
        Limit: opts.limit,
        ExclusiveStartKey: opts.cursor === undefined ? undefined : decodeCursor(opts.cursor),
      }),
    );
    const entries = (r.Items ?? []).map((i) => auditEntrySchema.parse(i));
    return r.LastEvaluatedKey ? { entries, next: Buffer.from(JSON.stringify(r.LastEvaluatedKey)).toString('base64url') } : { entries };
  }
}

function decodeCursor(cursor: string): Record<string, string> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && (key as Record<string, unknown>).log === LOG && typeof (key as Record<string, unknown>).atKey === 'string') return key as Record<string, string>;
  } catch {
    // reported below
  }
  throw new AuditCursorError(`cursor: '${cursor.slice(0, 40)}' is not a cursor of the audit log`);
}
