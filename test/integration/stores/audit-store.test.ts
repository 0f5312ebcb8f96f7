/** The console's audit log against moto's DynamoDB: newest first, in pages that follow a cursor, one Query each. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/console/audit.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { AuditCursorError, AuditStore } from '../../../src/store/audit-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

let store: AuditStore;
const entry = (i: number, at: string): AuditEntry => ({
  at,
  actor: { id: 'local:alice', name: 'alice', role: 'admin' },
  action: 'POST /api/exceptions',
  target: `exception-${i}`,
  summary: `entry ${i}`,
});

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'audit');
  store = new AuditStore(documentClient(clients), tables.ConsoleAudit);
});

describe('AuditStore', () => {
  it('lists newest first across pages, keeps two entries of the same instant, and ends without a cursor', async () => {
    const times = ['2026-01-01T10:00:00.000Z', '2026-01-03T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-04T10:00:00.000Z'];
    for (const [i, at] of times.entries()) await store.record(entry(i, at));
    const seen: AuditEntry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries);
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.map((e) => e.at)).toEqual([...times].sort().reverse());
    expect(new Set(seen.map((e) => e.target)).size).toBe(5);
    expect(seen[0]).toEqual(entry(4, times[4]!));
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('refuses a cursor it did not issue, naming it', async () => {
    await expect(store.list({ limit: 2, cursor: Buffer.from('{"x":1}').toString('base64url') })).rejects.toThrow(AuditCursorError);
    await expect(store.list({ limit: 2, cursor: 'garbage' })).rejects.toThrow(/cursor: 'garbage' is not a cursor of the audit log/);
  });

  it('refuses an entry that does not match the schema, naming the field', async () => {
    await expect(store.record({ ...entry(9, '2026-01-05T00:00:00Z'), actor: { id: 'x', name: 'x', role: 'root' as never } })).rejects.toThrow(/role/);
  });
});
