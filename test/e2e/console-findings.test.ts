/**
 * The Findings page on the demo estate, in Chromium: the API's filtered pages are the findings the
 * CLI's domain code keeps (collectFindings + filterFindings), an analyst filters the seeded
 * misconfigurations, opens one, adds an exception (the finding shows suppressed at once and the
 * audit log has the entry), exports the filtered view as CSV and removes the exception; a viewer
 * sees no exception control and the API answers 403; axe finds nothing serious on either tab.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { filterFindings } from '../../src/compliance/finding-filter.ts';
import { collectFindings, type Finding } from '../../src/compliance/findings.ts';
import { findingDetailSchema, findingsPageSchema } from '../../src/console/contract/findings.ts';
import { axeCheck, signedInPage, startConsoleFixture, type ConsoleFixture } from '../helpers/console.ts';

let fx: ConsoleFixture;
let failing: Finding[];
/** The policy with the most unsuppressed failing findings in the demo. */
let policyId: string;

beforeAll(async () => {
  fx = await startConsoleFixture(['analyst', 'viewer'], inject('consoleStaticDir'));
  failing = filterFindings(await collectFindings(fx.target), { status: ['FAIL'] });
  const counts = new Map<string, number>();
  for (const f of failing) counts.set(f.policyId, (counts.get(f.policyId) ?? 0) + 1);
  policyId = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}, 240_000);
afterAll(() => fx?.close());

async function sessionCookie(url: string): Promise<string> {
  const r = await fetch(url, { redirect: 'manual' });
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function api(role: 'analyst' | 'viewer', path: string, init: RequestInit = {}): Promise<Response> {
  const cookie = await sessionCookie(fx.servers[role].signInUrl());
  return fetch(`${fx.servers[role].url}/api${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } });
}

/** Adds a filter token by typing `<Property> = <value>` into the PropertyFilter. */
async function addToken(page: Page, property: string, value: string): Promise<void> {
  const input = page.getByRole('combobox', { name: 'Filter findings' });
  await input.fill(`${property} = ${value}`);
  await input.press('Enter');
}

const row = (page: Page, f: Pick<Finding, 'policyId' | 'resourceId'>) => page.getByRole('button', { name: `Open ${f.policyId} on ${f.resourceId}` });

describe('console Findings API', () => {
  it('pages through the failing findings of every account: exactly the CLI domain code’s, each once', async () => {
    expect(failing.length).toBeGreaterThan(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await api('viewer', `/findings?status=FAIL&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const page = findingsPageSchema.parse(await r.json());
      expect(page.findings.length).toBeLessThanOrEqual(7);
      seen.push(...page.findings.map((f) => `${f.policyId} ${f.resourceId}`));
      cursor = page.next;
    } while (cursor);
    expect(seen.sort()).toEqual(failing.map((f) => `${f.policyId} ${f.resourceId}`).sort());
  });

  it('filters by policy, account, framework and text the way the domain filter does, and names a bad field', async () => {
    const all = await collectFindings(fx.target);
    const account = failing[0]!.accountId;
    const r = findingsPageSchema.parse(await (await api('viewer', `/findings?account=${account}&policy=${encodeURIComponent(policyId)}&limit=100`)).json());
    expect(r.findings.map((f) => f.resourceId).sort()).toEqual(filterFindings(all, { account: [account], policy: [policyId] }).map((f) => f.resourceId).sort());
    const cis = findingsPageSchema.parse(await (await api('viewer', '/findings?framework=cis-3.0&status=FAIL&limit=100')).json());
    expect(cis.findings.length).toBeGreaterThan(0);
    expect(cis.findings.every((f) => f.requirements?.some((q) => q.frameworkId === 'cis-3.0'))).toBe(true);
    const text = failing[0]!.resourceId.slice(-10);
    const byText = findingsPageSchema.parse(await (await api('viewer', `/findings?text=${encodeURIComponent(text)}&limit=100`)).json());
    expect(byText.findings.map((f) => f.resourceId)).toContain(failing[0]!.resourceId);
    expect(byText.findings.every((f) => f.resourceId.includes(text) || f.policyId.includes(text) || (f.title ?? '').includes(text))).toBe(true);
    const bad = await api('viewer', '/findings?severity=Huge');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^severity: /);
    expect(((await (await api('viewer', '/findings?framework=nope')).json()) as { error: string }).error).toMatch(/^framework: 'nope'/);
  });
});

describe('console Findings page', () => {
  let exceptionId: string;
  const target = () => failing.find((f) => f.policyId === policyId)!;

  it('an analyst filters, opens a finding, adds an exception: suppressed at once, audited', async () => {
    const f = target();
    const { page, errors } = await signedInPage(fx.browser, fx.servers.analyst);
    await page.goto(`${fx.servers.analyst.url}/findings`);
    await addToken(page, 'Policy', policyId);
    await addToken(page, 'Status', 'FAIL');
    await row(page, f).waitFor();
    const expected = failing.filter((x) => x.policyId === policyId);
    await expect.poll(() => page.getByRole('button', { name: /^Open / }).count()).toBe(expected.length);

    await row(page, f).click();
    const detail = page.getByTestId('finding-detail');
    await detail.getByText(f.resourceId).waitFor();
    await page.getByText('Last verified').first().waitFor();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await page.getByLabel('Resource JSON', { exact: true }).waitFor();
    await axeCheck(page);

    await page.getByRole('button', { name: 'Add exception' }).last().click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Owner').fill('secops');
    await modal.getByLabel('Reason').fill('accepted for the e2e test');
    await modal.getByRole('button', { name: 'Add', exact: true }).click();
    const flash = page.getByText(/^Added exc-[0-9a-f]{8}: 1 failing finding\(s\) suppressed$/);
    await flash.waitFor();
    exceptionId = /exc-[0-9a-f]{8}/.exec(await flash.innerText())![0];
    await detail.getByText('SUPPRESSED', { exact: true }).waitFor();
    await detail.getByText(exceptionId, { exact: true }).waitFor();
    // The table reloads: under the Status = FAIL filter the suppressed finding is gone.
    await expect.poll(() => row(page, f).count()).toBe(0);

    const d = findingDetailSchema.parse(await (await api('viewer', `/findings/detail?resourceId=${encodeURIComponent(f.resourceId)}&policyId=${encodeURIComponent(policyId)}`)).json());
    expect(d.finding).toMatchObject({ status: 'FAIL', suppressed: true, suppressedBy: exceptionId, trigger: `exception:${exceptionId}` });
    expect(d.history.length).toBeGreaterThan(0);
    expect(d.history.at(-1)).toMatchObject({ status: 'RESOLVED', resolvedBy: 'suppressed', trigger: 'scheduled' }); // opened by the scan, resolved by the suppression
    const audit = await fx.ports.audit.list({ limit: 10 });
    expect(audit.entries[0]).toMatchObject({ action: 'POST /api/exceptions', target: exceptionId, actor: { role: 'analyst' } });
    expect(audit.entries[0]!.summary).toContain(`${policyId} on ${f.resourceId}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('exports the filtered view as CSV: the filtered rows, nothing else', async () => {
    const { page } = await signedInPage(fx.browser, fx.servers.analyst);
    await page.goto(`${fx.servers.analyst.url}/findings`);
    await addToken(page, 'Policy', policyId);
    await row(page, target()).waitFor();
    await page.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^posture-findings-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n'); // records end in CRLF; a runbook's own newlines are LF
    const expected = filterFindings(await collectFindings(fx.target), { policy: [policyId] });
    expect(lines.length).toBe(expected.length + 1);
    for (const f of expected) expect(csv).toContain(f.resourceId);
    expect(lines.slice(1).every((l) => l.includes(policyId))).toBe(true);
    await page.context().close();
  });

  it('a viewer sees no exception control and the API refuses the change (403)', async () => {
    const { page, errors } = await signedInPage(fx.browser, fx.servers.viewer);
    await page.goto(`${fx.servers.viewer.url}/findings`);
    await row(page, failing[0]!).or(page.getByRole('button', { name: /^Open / }).first()).first().waitFor();
    expect(await page.getByRole('button', { name: 'Add exception' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await page.getByRole('tab', { name: 'Exceptions' }).click();
    await page.getByText(exceptionId).waitFor();
    expect(await page.getByRole('button', { name: 'Remove exception' }).count()).toBe(0);
    await axeCheck(page);
    const body = JSON.stringify({ exceptions: [{ policyId, resourcePattern: target().resourceId, owner: 'o', reason: 'r', expires: '2099-01-01' }] });
    const post = await api('viewer', '/exceptions', { method: 'POST', body });
    expect(post.status).toBe(403);
    expect(await post.json()).toEqual({ error: 'forbidden: the viewer role cannot manageExceptions' });
    expect((await api('viewer', `/exceptions/${exceptionId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await fx.target.exceptions.list()).map((e) => e.exceptionId)).toEqual([exceptionId]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an analyst removes the exception on the Exceptions tab: the finding fails again, audited', async () => {
    const { page } = await signedInPage(fx.browser, fx.servers.analyst);
    await page.goto(`${fx.servers.analyst.url}/findings`);
    await page.getByRole('tab', { name: 'Exceptions' }).click();
    await page.getByRole('radio', { name: `Select ${exceptionId}` }).check();
    await page.getByRole('button', { name: 'Remove exception' }).click();
    await page.getByText(`Removed ${exceptionId}: 1 finding(s) failing again`).waitFor();
    const item = await fx.target.compliance.get(target().resourceId, policyId);
    expect(item).toMatchObject({ status: 'FAIL', suppressed: false });
    expect((await fx.ports.audit.list({ limit: 1 })).entries[0]).toMatchObject({ action: `DELETE /api/exceptions/${exceptionId}`, target: exceptionId });
    const bad = await api('analyst', '/exceptions', { method: 'POST', body: JSON.stringify({ exceptions: [{ policyId, resourcePattern: '*', owner: 'o', reason: 'r', expires: '2099-01-01' }] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^resource: a bare \*/);
    await page.context().close();
  });
});
