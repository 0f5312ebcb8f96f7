/**
 * The console API's gate (src/console/app.ts): 401 without a principal, 403 when the role lacks the
 * permission, 400 naming the field, and an audit entry only for a change that succeeded. The
 * change route is this test's own (registered on the real app like an area module would be); the
 * audit log is the real AuditStore on moto.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { allow, audited, createConsoleApp, ERROR_RESPONSES, type ConsoleApp } from '../../src/console/app.ts';
import { ROLES, type Role } from '../../src/console/auth.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import { ensureTables } from '../../src/local/bootstrap.ts';
import { AuditStore } from '../../src/store/audit-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { accountClients, randomAccountId } from '../helpers/moto.ts';

let app: ConsoleApp;
let audit: AuditStore;

const change = createRoute({
  method: 'post',
  path: '/test-exceptions',
  request: { body: { content: { 'application/json': { schema: z.object({ policyId: z.string().min(1), fail: z.boolean().default(false) }) } } } },
  responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } }, 500: { description: 'failed' }, ...ERROR_RESPONSES },
});

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'capp');
  audit = new AuditStore(documentClient(clients), tables.ConsoleAudit);
  // Only what these routes read; the overview's stores are exercised by the console e2e test.
  const ports = { audit, clock: { now: () => new Date('2026-02-01T12:00:00Z') } } as Partial<ConsolePorts> as ConsolePorts;
  app = createConsoleApp(ports, async (req) => {
    const role = req.headers.get('x-role');
    return role && (ROLES as readonly string[]).includes(role) ? { id: `local:${role}`, name: role, role: role as Role } : null;
  });
  app.openapi(change, async (c) => {
    allow(c, 'manageExceptions');
    const body = c.req.valid('json');
    audited(c, body.policyId, `exception on ${body.policyId}`);
    if (body.fail) throw new Error('store unavailable');
    return c.json({ ok: true }, 200);
  });
});

const post = (role: Role | null, body: unknown) =>
  app.request('/api/test-exceptions', { method: 'POST', headers: { 'content-type': 'application/json', ...(role ? { 'x-role': role } : {}) }, body: JSON.stringify(body) });

describe('createConsoleApp', () => {
  it('answers 401 without a principal, on every route', async () => {
    for (const path of ['/api/me', '/api/overview', '/api/audit', '/api/openapi.json']) expect((await app.request(path)).status, path).toBe(401);
    expect(await (await post(null, { policyId: 'P' })).json()).toEqual({ error: 'not signed in' });
  });

  it('answers 403 when the role lacks the permission, naming role and action', async () => {
    const r = await post('viewer', { policyId: 'P' });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: 'forbidden: the viewer role cannot manageExceptions' });
  });

  it('answers 400 naming the invalid field', async () => {
    const r = await post('analyst', { policyId: '' });
    expect(r.status).toBe(400);
    expect((await r.json()) as { error: string }).toMatchObject({ error: expect.stringMatching(/^policyId: /) });
  });

  it('records a change in the audit log only when it succeeded', async () => {
    expect((await post('analyst', { policyId: 'AWS.S3.Bucket.Encryption' })).status).toBe(200);
    expect((await post('analyst', { policyId: 'Failed.One', fail: true })).status).toBe(500);
    expect((await post('viewer', { policyId: 'Refused.One' })).status).toBe(403);
    const r = await app.request('/api/audit?limit=10', { headers: { 'x-role': 'viewer' } });
    expect(r.status).toBe(200);
    const page = (await r.json()) as { entries: { target: string; actor: { name: string }; action: string; at: string }[] };
    expect(page.entries.map((e) => e.target)).toEqual(['AWS.S3.Bucket.Encryption']);
    expect(page.entries[0]).toMatchObject({ actor: { name: 'analyst' }, action: 'POST /api/test-exceptions', at: '2026-02-01T12:00:00.000Z' });
  });

  it('refuses a bad audit query and cursor with 400', async () => {
    expect((await app.request('/api/audit?limit=0', { headers: { 'x-role': 'admin' } })).status).toBe(400);
    const bad = await app.request('/api/audit?cursor=nope', { headers: { 'x-role': 'admin' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "cursor: 'nope' is not a cursor of the audit log" });
  });

  it('answers /api/me with the principal', async () => {
    expect(await (await app.request('/api/me', { headers: { 'x-role': 'analyst' } })).json()).toEqual({ id: 'local:analyst', name: 'analyst', role: 'analyst' });
  });
});
