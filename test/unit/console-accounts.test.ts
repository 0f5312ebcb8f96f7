/**
 * The Cloud Accounts, Destinations and Scans routes on the real app with the real stores on moto:
 * 400 naming the field (the domain's one-line validation), 403 by role, an audit entry for each
 * change (no secret in it), and the scan history's pagination over the ledger's byAccount index
 * (every scan listed once across pages). The wizard's set-up, verify and baseline scan against an
 * emulated organization are test/e2e/console-accounts.test.ts.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApp, type ConsoleApp } from '../../src/console/app.ts';
import { ROLES, type Role } from '../../src/console/auth.ts';
import { scanHistorySchema } from '../../src/console/contract/scans.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import type { LedgerEntry } from '../../src/core/ledger.ts';
import { ensureTables } from '../../src/local/bootstrap.ts';
import { AccountStore } from '../../src/store/account-store.ts';
import { AuditStore } from '../../src/store/audit-store.ts';
import { DestinationStore } from '../../src/store/destination-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { LedgerStore } from '../../src/store/ledger-store.ts';
import { accountClients, randomAccountId } from '../helpers/moto.ts';

let app: ConsoleApp;
let audit: AuditStore;
let ledger: LedgerStore;
const ACCOUNT = '123456789012';

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  const clients = await accountClients(securityAccountId);
  const tables = await ensureTables(clients, 'cacct');
  const doc = documentClient(clients);
  audit = new AuditStore(doc, tables.ConsoleAudit);
  ledger = new LedgerStore(doc, tables.ScanLedger);
  // The stores these routes use; set-up, verify and the baseline scan need a runtime (the e2e test).
  const ports = {
    audit,
    ledger,
    accounts: new AccountStore(doc, tables.Accounts),
    destinations: new DestinationStore(doc, tables.Destinations),
    clock: { now: () => new Date('2026-02-01T12:00:00Z') },
    securityAccountId,
    partition: 'aws',
    region: 'us-east-1',
    alerting: {
      secrets: clients.get(SecretsManagerClient),
      sns: clients.get(SNSClient),
      topicArn: `arn:aws:sns:us-east-1:${securityAccountId}:posture-alerts`,
      allowLoopbackHttp: false,
      source: { name: 'unit', securityAccountId, region: 'us-east-1' },
    },
  } as Partial<ConsolePorts> as ConsolePorts;
  app = createConsoleApp(ports, async (req) => {
    const role = req.headers.get('x-role');
    return role && (ROLES as readonly string[]).includes(role) ? { id: `local:${role}`, name: role, role: role as Role } : null;
  });
});

const call = (role: Role, method: string, path: string, body?: unknown) =>
  app.request(`/api${path}`, { method, headers: { 'content-type': 'application/json', 'x-role': role }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('console accounts routes', () => {
  it('refuses the wizard to analysts and viewers (403) and names the field of an invalid account (400)', async () => {
    for (const role of ['analyst', 'viewer'] as const) {
      for (const path of ['/accounts/setup', '/accounts/verify', '/accounts']) {
        const r = await call(role, 'POST', path, { accountId: ACCOUNT, name: 'x', externalId: 'abcdef' });
        expect(r.status, `${role} ${path}`).toBe(403);
      }
    }
    const cases: [unknown, RegExp][] = [
      [{ accountId: '12345', name: 'x' }, /^account 12345: accountId: must be a 12-digit AWS account ID$/],
      [{ accountId: ACCOUNT, name: 'x', excludeRegions: ['mars-1'] }, /excludeRegions\.0: must be a region name/],
      [{ accountId: ACCOUNT, name: 'x', excludeTypes: ['AWS.Nope.Thing'] }, /excludeTypes: unknown resource type AWS\.Nope\.Thing/],
      [{ accountId: ACCOUNT, name: 'x', excludeResources: ['(unclosed'] }, /excludeResources\.0: must be a valid regular expression/],
      [{ accountId: ACCOUNT, name: 'x', externalId: 'has spaces' }, /externalId: allowed characters/],
      [{ accountId: ACCOUNT }, /^name: /],
    ];
    for (const [body, message] of cases) {
      const r = await call('admin', 'POST', '/accounts/setup', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    expect((await audit.list({ limit: 100 })).entries.filter((e) => e.action.startsWith('POST /api/accounts'))).toEqual([]);
  });
});

describe('console destinations routes', () => {
  it('adds a destination for admins only, audits it without the URL, and names the field of a bad one', async () => {
    const url = 'https://hooks.example.com/services/T000/B000/secret-part';
    expect((await call('analyst', 'POST', '/destinations', { destinationId: 'team-hook', type: 'webhook', url })).status).toBe(403);
    const bad = await call('admin', 'POST', '/destinations', { destinationId: 'Bad_ID', type: 'webhook', url });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^destination Bad_ID: destinationId: lower-case letters/);
    const plain = await call('admin', 'POST', '/destinations', { destinationId: 'team-hook', type: 'webhook', url: 'http://hooks.example.com/x' });
    expect(plain.status).toBe(400);

    const r = await call('admin', 'POST', '/destinations', { destinationId: 'team-hook', type: 'webhook', url, minSeverity: 'High' });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).not.toContain('secret-part');
    expect(JSON.parse(text)).toMatchObject({ destination: { destinationId: 'team-hook', minSeverity: 'High', where: 'posture/destinations/team-hook' }, keyGenerated: true });
    const listed = await (await call('viewer', 'GET', '/destinations')).text();
    expect(listed).not.toContain('secret-part');
    expect(JSON.parse(listed).destinations.map((d: { destinationId: string }) => d.destinationId)).toEqual(['default-topic', 'team-hook']);

    expect((await call('viewer', 'DELETE', '/destinations/team-hook')).status).toBe(403);
    expect((await call('viewer', 'POST', '/destinations/team-hook/test', {})).status).toBe(403);
    expect((await call('admin', 'DELETE', '/destinations/nope')).status).toBe(404);
    expect((await call('admin', 'DELETE', '/destinations/team-hook')).status).toBe(200);

    const entries = (await audit.list({ limit: 100 })).entries.filter((e) => e.target === 'team-hook');
    // The test clock is fixed: both entries carry the same time, so their order is not asserted.
    expect(entries.map((e) => e.action).sort()).toEqual(['DELETE /api/destinations/team-hook', 'POST /api/destinations']);
    expect(entries.find((e) => e.action === 'POST /api/destinations')!.summary).toBe('webhook destination, min severity High; secret created');
    expect(entries.every((e) => e.actor.role === 'admin')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('secret-part');
  });
});

describe('console scans routes', () => {
  it("pages an account's scan history from the byAccount index, each scan once, newest first, with its summary", async () => {
    const entry = (scanId: string, i: number, hour: number, outcome: LedgerEntry['outcome'] = 'OK'): LedgerEntry => ({
      scanId,
      scope: `${ACCOUNT}#us-east-1#AWS.Type${i}`,
      accountId: ACCOUNT,
      region: 'us-east-1',
      resourceType: `AWS.Type${i}`,
      startedAt: `2026-01-0${hour}T10:00:00.000Z`,
      finishedAt: `2026-01-0${hour}T10:00:0${i}.000Z`,
      resourceCount: 2,
      changedCount: 0,
      deletedCount: 0,
      outcome,
      message: outcome === 'OK' ? null : 'AccessDenied: not authorized',
      trigger: 'scheduled',
    });
    for (const [scan, day] of [['scan-a', 1], ['scan-b', 2], ['scan-c', 3]] as const) {
      for (let i = 0; i < 4; i++) await ledger.record(entry(scan, i, day, scan === 'scan-b' && i === 2 ? 'ACCESS_DENIED' : 'OK'));
    }
    // Another account's scan is not listed.
    await ledger.record({ ...entry('scan-x', 0, 4), accountId: '210987654321', scope: '210987654321#us-east-1#AWS.Type0' });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call('viewer', 'GET', `/scans?accountId=${ACCOUNT}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const page = scanHistorySchema.parse(await r.json());
      for (const s of page.scans) {
        seen.push(s.scanId);
        expect(s.scopes).toBe(4);
        if (s.scanId === 'scan-b') expect(s.byOutcome).toEqual([{ outcome: 'ACCESS_DENIED', count: 1, scopes: [{ scope: `${ACCOUNT}#us-east-1#AWS.Type2`, message: 'AccessDenied: not authorized' }] }]);
      }
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(['scan-c', 'scan-b', 'scan-a']);

    // The account's newest scheduled scan, from the byAccount index: a newer real-time rescan is not one.
    await ledger.record({ ...entry('rescan-1', 1, 5), trigger: 'realtime:evt-1' });
    expect(await ledger.lastScheduledScan(ACCOUNT)).toEqual({ scanId: 'scan-c', finishedAt: '2026-01-03T10:00:03.000Z' });
    expect(await ledger.lastScheduledScan('999999999999')).toBeUndefined();

    const bad = await call('viewer', 'GET', `/scans?accountId=${ACCOUNT}&cursor=bm9wZQ`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^cursor: /);
    expect((await call('viewer', 'GET', '/scans?accountId=12')).status).toBe(400);

    const detail = (await (await call('viewer', 'GET', `/scans/scan-b?accountId=${ACCOUNT}`)).json()) as { summary: { notEvaluated: number }; entries: unknown[]; cost: { perDayUsd: number } };
    expect(detail.summary.notEvaluated).toBe(1);
    expect(detail.entries).toHaveLength(4);
    expect(detail.cost.perDayUsd).toBeGreaterThan(0);
    expect((await call('viewer', 'GET', `/scans/none?accountId=${ACCOUNT}`)).status).toBe(404);
  });
});
