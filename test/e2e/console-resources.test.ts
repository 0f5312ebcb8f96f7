/**
 * Cloud Resources in `posture console` on the demo estate, in Chromium: filter the list by type and
 * compliance (rows cross-checked with the stored verdicts), open a resource, copy its JSON (equal to
 * the stored resource) and copy it as a unit test of a failing policy, then prove the copied test
 * runs: it goes into a temp pack with the policy and `posture test` passes it. After a developer
 * opens the demo's bastion group to the world (a CloudTrail event, in real time), its page's History
 * shows the version with its diff and the caller. Every page passes axe; a viewer reads them all
 * (the area changes nothing: every route is a read).
 */
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { collectFindings } from '../../src/compliance/findings.ts';
import { projectRoot } from '../../src/core/paths.ts';
import { DEMO_MEMBERS, emitCloudTrailEvent, openBastionToTheWorld } from '../../src/local/seed.ts';
import { runPosture } from '../helpers/cli.ts';
import { axeCheck, signedInPage, startConsoleFixture, type ConsoleFixture } from '../helpers/console.ts';

const BUCKET = 'AWS.S3.Bucket';
const POLICY = 'AWS.S3.Bucket.Encryption';

let fx: ConsoleFixture;

beforeAll(async () => {
  fx = await startConsoleFixture(['admin', 'viewer'], inject('consoleStaticDir'));
}, 240_000);
afterAll(() => fx?.close());

/** The spec file (and its folder) of a policy of the built-in pack. */
async function specOf(policyId: string): Promise<{ dir: string; file: string }> {
  const root = join(projectRoot, 'policies');
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const d = entry.name;
    for (const f of (await readdir(join(root, d))).filter((f) => f.endsWith('.yml'))) {
      if ((await readFile(join(root, d, f), 'utf8')).includes(`PolicyID: ${policyId}\n`)) return { dir: join(root, d), file: f };
    }
  }
  throw new Error(`no spec of ${policyId} under policies/`);
}

async function addFilter(page: Page, text: string): Promise<void> {
  const input = page.getByRole('combobox', { name: 'Filter resources' });
  await input.fill(text);
  await input.press('Enter');
}

const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

describe('posture console: Cloud Resources', () => {
  it('filters by type and compliance, opens a resource, copies its JSON and a unit test that posture test passes', async () => {
    const failingBuckets = [...new Set((await collectFindings(fx.target)).filter((f) => f.resourceType === BUCKET && f.status === 'FAIL' && !f.suppressed).map((f) => f.resourceId))].sort();
    expect(failingBuckets.length).toBeGreaterThan(0);
    const website = `arn:aws:s3:::acme-prod-website-${DEMO_MEMBERS[0]!.accountId}`;
    expect(failingBuckets).toContain(website);

    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fx.servers.admin.url });
    await page.goto(`${fx.servers.admin.url}/resources`);
    await page.getByRole('heading', { name: 'Cloud Resources', level: 1 }).waitFor();
    await page.locator('table tbody tr a').first().waitFor();
    await axeCheck(page);

    await addFilter(page, `Resource type = ${BUCKET}`);
    await addFilter(page, 'Compliance = failing');
    await page.getByRole('button', { name: /^Remove filter compliance = failing$/ }).waitFor();
    const rows = page.locator('table tbody tr');
    await expect.poll(async () => (await rows.allInnerTexts()).join('\n')).toMatch(/failing/);
    const shown = (await page.locator('table tbody tr td:first-child').allInnerTexts()).map((t) => t.trim()).sort();
    expect(shown).toEqual(failingBuckets);
    for (const t of await rows.allInnerTexts()) expect(t).toContain(BUCKET);

    await page.getByRole('link', { name: website }).click();
    await page.getByRole('heading', { name: website, level: 1 }).waitFor();
    const stored = (await fx.target.resources.get(website))!;
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    await page.getByText('Resource JSON copied').waitFor();
    expect(JSON.parse(await clipboard(page))).toEqual(stored.attributes);
    await page.getByRole('link', { name: POLICY, exact: true }).waitFor();
    await axeCheck(page);

    await page.getByRole('button', { name: /Policy of the unit test/ }).click();
    await page.getByRole('option', { name: new RegExp(`^${POLICY.replace(/\./g, '\\.')}`) }).click();
    await page.getByRole('textbox', { name: 'Test name' }).fill('Demo website bucket without default encryption');
    await page.getByRole('button', { name: 'Copy as unit test' }).click();
    await page.getByTestId('unit-test-yaml').waitFor();
    const yaml = await clipboard(page);
    expect(parse(yaml)).toEqual([{ Name: 'Demo website bucket without default encryption', ExpectedResult: false, Resource: stored.attributes }]);
    expect(errors).toEqual([]);
    await page.context().close();

    // The copied entry, as the only test of the policy in a pack of its own, passes `posture test`.
    const tmp = await mkdtemp(join(tmpdir(), 'posture-cres-'));
    try {
      const spec = await specOf(POLICY);
      const pack = join(tmp, 'copied_policies');
      await mkdir(pack);
      const doc = parse(await readFile(join(spec.dir, spec.file), 'utf8')) as Record<string, unknown>;
      await copyFile(join(spec.dir, doc.Filename as string), join(pack, doc.Filename as string));
      await writeFile(join(pack, spec.file), stringify({ ...doc, Tests: parse(yaml) as unknown }));
      const run = await runPosture(['test', pack, '--no-install'], { ...process.env });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout + run.stderr).toMatch(/\b1 passed, 0 failed\b/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 180_000);

  it("shows a resource's history: the version a caller made, with its diff and the caller", async () => {
    const prod = DEMO_MEMBERS[0]!.accountId;
    const bastion = `arn:aws:ec2:us-east-1:${prod}:security-group/${fx.seeded.bastionGroupId}`;
    const detail = await openBastionToTheWorld(fx.rt.clients, fx.rt.endpoint, fx.seeded.bastionGroupId);
    await emitCloudTrailEvent(fx.rt.clients, fx.rt.endpoint, detail);
    await fx.rt.pollRealtime();
    const developer = `arn:aws:sts::${prod}:assumed-role/Developer/dev@example.com`;

    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    await page.goto(`${fx.servers.admin.url}/resources?id=${encodeURIComponent(bastion)}`);
    await page.getByRole('heading', { name: bastion, level: 1 }).waitFor();
    const history = page.getByRole('table', { name: 'Resource history' });
    const changed = history.locator('tbody tr').filter({ hasText: developer }).filter({ has: page.getByTestId('history-diff') }).filter({ hasNotText: 'FINDING' });
    await changed.first().waitFor();
    const row = await changed.first().innerText();
    expect(row).toMatch(/\bchanged\b/);
    expect(row).toContain(`after ${developer} called AuthorizeSecurityGroupIngress from 203.0.113.10 at `);
    expect(row).toMatch(/\+ IpPermissions\[\d+\]\S* = .*"CidrIp":"0\.0\.0\.0\/0","Description":"temporary debugging"/);
    // The scan before it created the group; the SSH verdict it moved is listed above it (newest first).
    const texts = await history.locator('tbody tr').allInnerTexts();
    expect(texts.at(-1)).toMatch(/\bcreated\b[\s\S]*found by a scan at/);
    expect(texts.findIndex((t) => /FINDING AWS\.EC2\.SecurityGroup\.SSHOpenToWorld PASS→FAIL \(alert opened\)/.test(t))).toBeGreaterThanOrEqual(0);
    await axeCheck(page);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lets a viewer read the list and a resource (nothing here changes anything)', async () => {
    const { page, errors } = await signedInPage(fx.browser, fx.servers.viewer);
    const website = `arn:aws:s3:::acme-prod-website-${DEMO_MEMBERS[0]!.accountId}`;
    await page.goto(`${fx.servers.viewer.url}/resources?id=${encodeURIComponent(website)}`);
    await page.getByRole('heading', { name: website, level: 1 }).waitFor();
    await page.getByRole('link', { name: POLICY, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Copy as unit test' }).waitFor();
    await page.getByRole('table', { name: 'Resource history' }).locator('tbody tr').filter({ hasText: 'created' }).first().waitFor();
    expect(await page.getByRole('button', { name: /create|delete|save|add|edit|publish/i }).count()).toBe(0);
    await page.getByRole('link', { name: 'Cloud Resources' }).first().click();
    await page.getByRole('heading', { name: 'Cloud Resources', level: 1 }).waitFor();
    await page.locator('table tbody tr a').first().waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
