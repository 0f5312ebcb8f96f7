/**
 * `posture console` on the demo estate, in Chromium: the one-time token signs in once, the API is
 * 401 without the session cookie, every response carries the security headers, the Overview shows
 * the demo's numbers (cross-checked with the domain code the CLI uses) and passes axe-core, and a
 * viewer is shown as one. The API's 403 for a change is test/unit/console-app.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectFindings } from '../../src/compliance/findings.ts';
import { readTrend } from '../../src/compliance/trend.ts';
import { dayOf } from '../../src/compliance/daily-summary.ts';
import { overviewSchema } from '../../src/console/contract/overview.ts';
import { contentSecurityPolicy } from '../../src/console/security-headers.ts';
import { DEMO_MEMBERS } from '../../src/local/seed.ts';
import { axeCheck, signedInPage, startConsoleFixture, type ConsoleFixture } from '../helpers/console.ts';

let fx: ConsoleFixture;

beforeAll(async () => {
  fx = await startConsoleFixture(['admin', 'viewer'], inject('consoleStaticDir'));
}, 240_000);
afterAll(() => fx?.close());

/** Signs in over HTTP (no browser): the session cookie. */
async function sessionCookie(url: string): Promise<string> {
  const r = await fetch(url, { redirect: 'manual' });
  expect(r.status).toBe(302);
  const set = r.headers.get('set-cookie') ?? '';
  expect(set).toMatch(/^posture_session=[\w-]{40,};/);
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Strict/);
  return set.split(';')[0]!;
}

describe('posture console: sign-in', () => {
  it('exchanges the token once for a session cookie, drops it from the URL, and refuses it the second time', async () => {
    const url = fx.servers.admin.signInUrl();
    const r = await fetch(url, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/');
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('answers 401 to every API request without the session cookie (or with a made-up one), 200 with it', async () => {
    const base = fx.servers.admin.url;
    expect((await fetch(`${base}/api/overview`)).status).toBe(401);
    expect((await fetch(`${base}/api/me`, { headers: { cookie: 'posture_session=forged' } })).status).toBe(401);
    const cookie = await sessionCookie(fx.servers.admin.signInUrl());
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(200);
    // A session of one server is not a session of another.
    expect((await fetch(`${fx.servers.viewer.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('sends the security headers on every response and serves the app for client routes, never a file outside it', async () => {
    const base = fx.servers.admin.url;
    for (const path of ['/', '/api/me', '/findings/some-id', '/config.json']) {
      const r = await fetch(`${base}${path}`);
      expect(r.headers.get('content-security-policy'), path).toBe(contentSecurityPolicy({ https: false }));
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({ mode: 'local' });
    const route = await fetch(`${base}/findings/some-id`);
    expect(route.headers.get('content-type')).toMatch(/text\/html/);
    expect(await route.text()).toContain('<div id="root">');
    expect((await fetch(`${base}/assets/..%2f..%2fpackage.json`)).status).not.toBe(200);
  });
});

describe('posture console: Overview', () => {
  it("shows the demo's numbers, the same the API and the CLI's domain code compute, and passes axe", async () => {
    const cookie = await sessionCookie(fx.servers.admin.signInUrl());
    const api = overviewSchema.parse(await (await fetch(`${fx.servers.admin.url}/api/overview`, { headers: { cookie } })).json());

    // The API against the domain code `posture findings` and `posture status` use.
    const findings = await collectFindings(fx.target);
    const failing = findings.filter((f) => f.status === 'FAIL' && !f.suppressed);
    expect(failing.length).toBeGreaterThan(0);
    // The counts are the newest daily summary's; right after the demo's scan they agree with the findings.
    const today = dayOf(new Date());
    const totals = await fx.target.summaries.totals(DEMO_MEMBERS.map((m) => m.accountId), today, today);
    expect(totals).toHaveLength(DEMO_MEMBERS.length);
    expect(api.results.fail).toBe(totals.reduce((n, t) => n + t.failing, 0));
    expect(api.countsAsOf).toEqual({ oldest: today, newest: today });
    expect(api.accounts.every((a) => a.summaryDay === today)).toBe(true);
    expect(api.results.fail).toBe(failing.length);
    expect(api.failingBySeverity.reduce((n, s) => n + s.count, 0)).toBe(failing.length);
    const trend = await readTrend({ summaries: fx.target.summaries, accounts: fx.target.accounts, clock: { now: () => new Date() } });
    expect(trend.overall.latest?.passRate).toBeTypeOf('number');
    expect(api.passRate).toBe(trend.overall.latest!.passRate);
    expect(api.accounts.map((a) => a.accountId).sort()).toEqual(DEMO_MEMBERS.map((m) => m.accountId).sort());
    expect(api.accounts.every((a) => a.lastScan !== null)).toBe(true);
    expect(api.notEvaluated.length).toBe((await fx.target.ledger.currentlyNotEvaluated(DEMO_MEMBERS.map((m) => m.accountId))).length);
    expect(api.frameworks.map((f) => f.id)).toContain('cis-3.0');
    expect(api.topFailingPolicies[0]!.failing).toBeGreaterThan(0);

    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    expect(new URL(page.url()).search).toBe('');
    await page.getByTestId('kpi-failing').waitFor();
    expect((await page.getByTestId('kpi-failing').innerText()).trim()).toBe(String(failing.length));
    expect(await page.getByTestId('counts-as-of').innerText()).toContain(`Counts as of the daily summary of ${today}`);
    expect((await page.getByTestId('kpi-pass-rate').innerText()).trim()).toBe(`${(api.passRate! * 100).toFixed(1)}%`);
    expect((await page.getByTestId('kpi-accounts').innerText()).trim()).toBe(String(DEMO_MEMBERS.length));
    for (const s of api.failingBySeverity) expect((await page.getByTestId(`kpi-severity-${s.severity}`).innerText()).trim()).toBe(String(s.count));
    await page.getByRole('cell', { name: api.topFailingPolicies[0]!.policyId, exact: true }).first().waitFor();
    await page.getByRole('cell', { name: api.frameworks[0]!.name, exact: true }).waitFor();
    await page.getByText(`production (${DEMO_MEMBERS[0]!.accountId})`).waitFor();
    await page.getByRole('button', { name: /^Signed in as .+, role admin$/ }).waitFor();
    await axeCheck(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a viewer as a viewer (the role the API gives it)', async () => {
    const { page, errors } = await signedInPage(fx.browser, fx.servers.viewer);
    await page.getByTestId('kpi-failing').waitFor();
    await page.getByRole('button', { name: /^Signed in as .+, role viewer$/ }).waitFor();
    expect(await page.getByRole('button', { name: /create|delete|save|add|edit|publish/i }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
