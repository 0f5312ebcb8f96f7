/**
 * The Detections area of `posture console` on the demo estate, in Chromium: an admin opens a
 * built-in policy that fails on the demo, breaks its code and sees a unit test fail, fixes it (a
 * change that passes every test but lets one demo account pass) and sees them pass, tests it on the
 * stored resources, sees the impact preview (its −M resolved cross-checked with the stored
 * verdicts) and publishes; the next scan evaluates with the published bundle. A viewer and an
 * analyst see no editing controls and the API refuses them (403). axe-core on both pages.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditPageSchema } from '../../src/console/contract/audit.ts';
import { impactPreviewSchema, policyDetailSchema, policyListSchema, type PolicyDraft } from '../../src/console/contract/detections.ts';
import { startLocalRuntime } from '../../src/local/runtime.ts';
import { axeCheck, signedInPage, startConsoleFixture, type ConsoleFixture } from '../helpers/console.ts';

let fx: ConsoleFixture;

beforeAll(async () => {
  fx = await startConsoleFixture(['admin', 'analyst', 'viewer'], inject('consoleStaticDir'));
}, 240_000);
afterAll(() => fx?.close());

async function cookieOf(server: ConsoleFixture['servers']['admin']): Promise<string> {
  const r = await fetch(server.signInUrl(), { redirect: 'manual' });
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function api(server: ConsoleFixture['servers']['admin'], cookie: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/api${path}`, body === undefined ? { headers: { cookie } } : { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The policy's source with `lines` inserted at the top of its policy() body. */
function withGuard(source: string, lines: (param: string) => string[]): string {
  const m = /^def policy\((\w+)[^)]*\)[^:\n]*:\n/m.exec(source);
  if (!m) throw new Error('no def policy(...) in the source');
  const at = m.index + m[0].length;
  return source.slice(0, at) + lines(m[1]!).map((l) => `    ${l}\n`).join('') + source.slice(at);
}

/** Sets the Ace editor's text as a user's edit would (Ace keeps its editor on the element). */
async function setCode(page: Page, text: string): Promise<void> {
  await page.locator('.ace_editor').first().evaluate((el, t) => (el as unknown as { env: { editor: { setValue(v: string, c: number): void } } }).env.editor.setValue(t, -1), text);
  // onDelayedChange fires after Ace's change batching.
  await page.waitForTimeout(600);
}

describe('posture console: Detections', () => {
  it('edits a built-in policy: tests fail when broken and pass when fixed, live test, impact preview, publish; the next scan uses it', async () => {
    const cookie = await cookieOf(fx.servers.admin);
    const list = policyListSchema.parse(await (await api(fx.servers.admin, cookie, '/policies')).json());
    // The list's counts are the stored verdicts'.
    for (const p of list.policies.slice(0, 5)) {
      const items = await fx.target.compliance.forPolicy(p.policyId);
      expect(p.failing, p.policyId).toBe(items.filter((i) => i.status === 'FAIL' && !i.suppressed).length);
      expect(p.passing, p.policyId).toBe(items.filter((i) => i.status === 'PASS').length);
    }
    // A built-in policy of one type with unit tests that fails on the demo.
    let chosen: { id: string; draft: PolicyDraft } | undefined;
    for (const p of [...list.policies].sort((a, b) => b.failing - a.failing)) {
      if (p.failing === 0 || p.resourceTypes.length !== 1) continue;
      const d = policyDetailSchema.parse(await (await api(fx.servers.admin, cookie, `/policies/${encodeURIComponent(p.policyId)}`)).json());
      const tests = d.spec.Tests as { ExpectedResult: boolean }[] | undefined;
      if (tests?.some((t) => !t.ExpectedResult) && tests.some((t) => t.ExpectedResult)) {
        chosen = { id: p.policyId, draft: { spec: d.spec, source: d.source } };
        break;
      }
    }
    expect(chosen, 'a failing built-in policy with passing and failing tests').toBeDefined();
    const { id, draft } = chosen!;
    const failing = (await fx.target.compliance.forPolicy(id)).filter((i) => i.status === 'FAIL' && !i.suppressed);
    const account = failing[0]!.accountId;
    const resolvedHere = failing.filter((i) => i.accountId === account).map((i) => i.resourceId).sort();
    const broken = withGuard(draft.source, () => ['return True']);
    const fixed = withGuard(draft.source, (r) => [`if ${r}.get("AccountId") == "${account}":`, '    return True']);

    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    await page.goto(`${fx.servers.admin.url}/detections`);
    await page.getByRole('link', { name: id, exact: true }).click();
    await page.getByRole('heading', { name: id, level: 1 }).waitFor();
    await page.locator('.ace_editor').first().waitFor();
    await axeCheck(page);

    await setCode(page, broken);
    await page.getByRole('button', { name: 'Run tests' }).click();
    await page.getByText(/^\[FAIL\] /).first().waitFor({ timeout: 60_000 });

    await setCode(page, fixed);
    await page.getByRole('button', { name: 'Run tests' }).click();
    const total = (draft.spec.Tests as unknown[]).length;
    await page.getByText(`(${total} passed, 0 failed)`).waitFor({ timeout: 60_000 });
    expect(await page.getByText(/^\[FAIL\] /).count()).toBe(0);

    await page.getByRole('button', { name: 'Test against live resources' }).click();
    await page.getByRole('heading', { name: /^Live resources/ }).waitFor({ timeout: 60_000 });
    for (const rid of resolvedHere.slice(0, 3)) {
      const row = page.getByRole('row').filter({ hasText: rid });
      await expect.poll(() => row.first().innerText()).toContain('PASS');
    }

    // The preview through the API first, to cross-check with the stored verdicts (no second rule: the store's own).
    const edited = { spec: draft.spec, source: fixed };
    const preview = impactPreviewSchema.parse(await (await api(fx.servers.admin, cookie, '/policies/preview', { draft: edited })).json());
    expect(preview.unchanged).toBe(false);
    const mine = preview.policies.find((p) => p.policyId === id)!;
    expect(mine.change).toBe('changed');
    expect([...mine.resolved].sort()).toEqual(resolvedHere);
    expect(preview.totals).toEqual({ newFailures: 0, resolved: resolvedHere.length, suppressedByException: 0, newErrors: 0 });

    await page.getByRole('button', { name: 'Save' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByTestId('impact-resolved').waitFor({ timeout: 120_000 });
    expect(await modal.getByTestId('impact-resolved').innerText()).toBe(`−${resolvedHere.length} resolved`);
    expect(await modal.getByTestId('impact-new-failures').innerText()).toBe('+0 new failures');
    await axeCheck(page);
    await modal.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/^Bundle [0-9a-f]{12} is active/).waitFor({ timeout: 120_000 });
    expect(errors).toEqual([]);
    await page.context().close();

    // Published: the stored verdicts moved, the audit log says who did it, and a second publish of the old preview is refused.
    const after = (await fx.target.compliance.forPolicy(id)).filter((i) => i.status === 'FAIL' && !i.suppressed);
    expect(after.filter((i) => i.accountId === account)).toEqual([]);
    expect(after.length).toBe(failing.length - resolvedHere.length);
    const audit = auditPageSchema.parse(await (await api(fx.servers.admin, cookie, '/audit?limit=5')).json());
    expect(audit.entries[0]).toMatchObject({ action: 'POST /api/policies/publish', target: id, actor: { role: 'admin' } });
    expect(audit.entries[0]!.summary).toContain(preview.hash.toHash.slice(0, 12));
    const again = await api(fx.servers.admin, cookie, '/policies/publish', { draft: { spec: draft.spec, source: draft.source }, confirm: preview.hash });
    expect(again.status).toBe(409);

    // The next evaluation uses the published bundle: a fresh engine on the same runtime rescans.
    const rt = await startLocalRuntime({ endpoint: fx.rt.endpoint, bundleTtlSeconds: 0 });
    try {
      await rt.scan();
    } finally {
      await rt.close();
    }
    const rescanned = await fx.target.compliance.forPolicy(id);
    expect(rescanned.filter((i) => i.accountId === account && i.status === 'FAIL')).toEqual([]);
    expect(rescanned.filter((i) => i.status === 'FAIL' && !i.suppressed).length).toBe(failing.length - resolvedHere.length);
  }, 600_000);

  it('the enable/disable toggle previews the publish of the changed spec: disabling resolves every open finding of the policy', async () => {
    const cookie = await cookieOf(fx.servers.admin);
    const list = policyListSchema.parse(await (await api(fx.servers.admin, cookie, '/policies')).json());
    const p = list.policies.find((x) => x.failing > 0 && x.enabled && x.resourceTypes.length === 1)!;
    const open = (await fx.target.compliance.forPolicy(p.policyId)).filter((i) => i.status === 'FAIL' && !i.suppressed);
    expect(open.length).toBe(p.failing);
    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    await page.goto(`${fx.servers.admin.url}/detections?policy=${encodeURIComponent(p.policyId)}`);
    await page.getByRole('heading', { name: p.policyId, level: 1 }).waitFor();
    await page.getByLabel('Enabled', { exact: true }).click();
    const modal = page.getByRole('dialog');
    await modal.getByTestId('impact-resolved').waitFor({ timeout: 120_000 });
    expect(await modal.getByTestId('impact-resolved').innerText()).toBe(`−${open.length} resolved`);
    expect(await modal.getByTestId('impact-new-failures').innerText()).toBe('+0 new failures');
    // Cancelled: nothing published, the policy still enabled.
    await modal.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByLabel('Enabled', { exact: true }).isChecked()).toBe(true);
    expect((await fx.target.compliance.forPolicy(p.policyId)).filter((i) => i.status === 'FAIL' && !i.suppressed).length).toBe(open.length);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('starts a new policy from the template, whose tests pass in the engine as given', async () => {
    const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
    await page.goto(`${fx.servers.admin.url}/detections`);
    await page.getByLabel('Resource type of a new policy').fill('AWS.EC2.Instance');
    await page.getByRole('button', { name: 'New policy from template' }).click();
    await page.getByRole('heading', { name: 'Custom.AWS.EC2.Instance.NewPolicy', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Run tests' }).click();
    await page.getByText('(2 passed, 0 failed)').waitFor({ timeout: 60_000 });
    await axeCheck(page);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a viewer and an analyst see the policies read-only, and the API refuses them', async () => {
    const list = policyListSchema.parse(await (await api(fx.servers.viewer, await cookieOf(fx.servers.viewer), '/policies')).json());
    const id = list.policies.find((p) => p.resourceTypes.length === 1)!.policyId;
    for (const role of ['viewer', 'analyst'] as const) {
      const server = fx.servers[role];
      const cookie = await cookieOf(server);
      const d = policyDetailSchema.parse(await (await api(server, cookie, `/policies/${encodeURIComponent(id)}`)).json());
      const draft = { spec: d.spec, source: d.source };
      for (const [path, body] of [
        ['/policies/test', { draft }],
        ['/policies/evaluate', { draft }],
        ['/policies/preview', { draft }],
        ['/policies/publish', { draft, confirm: { fromHash: 'a'.repeat(64), toHash: 'b'.repeat(64) } }],
      ] as const) {
        const r = await api(server, cookie, path, body);
        expect(r.status, `${role} ${path}`).toBe(403);
        expect(await r.json()).toEqual({ error: `forbidden: the ${role} role cannot managePolicies` });
      }

      const { page, errors } = await signedInPage(fx.browser, server);
      await page.goto(`${server.url}/detections`);
      // The list pages (240+ policies): find it by the table's filter.
      await page.getByRole('searchbox', { name: 'Find policies' }).fill(id);
      await page.getByRole('link', { name: id, exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'New policy from template' }).count()).toBe(0);
      await axeCheck(page);
      await page.getByRole('link', { name: id, exact: true }).click();
      await page.getByRole('heading', { name: id, level: 1 }).waitFor();
      await page.locator('.ace_editor').first().waitFor();
      for (const name of ['Run tests', 'Test against live resources', 'Save']) expect(await page.getByRole('button', { name }).count(), `${role}: ${name}`).toBe(0);
      // The same locator the admin's toggle test clicks.
      expect(await page.getByLabel('Enabled', { exact: true }).count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 300_000);
});
