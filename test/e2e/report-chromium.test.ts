/**
 * The HTML report as a reader sees it: rendered by headless Chromium (the @sparticuz/chromium build, driven by
 * playwright-core) from a realistic set of findings and from an empty one. Checks every chart's
 * bars, labels and values against counts taken straight from the fixture, the tables' rows, the
 * resource JSON behind a <details>, that markup in a resource name stays text, and that the page
 * logs no error and requests nothing but itself.
 */
/// <reference lib="dom" />
// (The DOM types: some checks run inside the page.)
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/findings.ts';
import type { PolicyCatalog } from '../../src/compliance/catalog.ts';
import { allFrameworkStatus } from '../../src/compliance/frameworks/status.ts';
import { renderReport, type ReportInput } from '../../src/cli/report/report-html.ts';
import { MAX_JSON_CHARS } from '../../src/cli/report/resource-json.ts';
import { PAGE_ROWS, PAGE_SCRIPT } from '../../src/cli/report/page-script.ts';
import { BIG_RESOURCE_ID, MARKUP_NAME, SAMPLE_ACCOUNTS, sampleReport } from '../fixtures/report/sample-estate.ts';
import { launchChromium, openReport, type OpenedReport } from '../helpers/chromium.ts';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'posture-report-test-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(name: string, input: ReportInput): Promise<OpenedReport> {
  const file = join(dir, `${name}.html`);
  await writeFile(file, renderReport(input));
  return openReport(browser, file);
}

const open2 = (file: string): Promise<OpenedReport> => openReport(browser, file);

const statusOf = (f: Finding) => (f.status === 'FAIL' && f.suppressed ? 'SUPPRESSED' : f.status);

/** Expected counts per key, computed here from the fixture (independently of the report's code). */
function expected(findings: readonly Finding[], key: (f: Finding) => string): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const f of findings) {
    const row = m.get(key(f)) ?? { FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0, total: 0 };
    row[statusOf(f)]!++;
    row.total!++;
    m.set(key(f), row);
  }
  return m;
}

interface Bar {
  label: string;
  shown: string;
  value: string;
  counts: Record<string, number>;
  segments: { cls: string; width: number }[];
}

async function bars(page: Page, chartId: string): Promise<Bar[]> {
  const out: Bar[] = [];
  const rows = page.locator(`#${chartId} g.bar`);
  for (let i = 0; i < (await rows.count()); i++) {
    const g = rows.nth(i);
    const counts: Record<string, number> = {};
    for (const k of ['fail', 'error', 'suppressed', 'pass', 'total']) counts[k] = Number(await g.getAttribute(`data-${k}`));
    const segments: Bar['segments'] = [];
    const rects = g.locator('rect.seg');
    for (let j = 0; j < (await rects.count()); j++) {
      segments.push({ cls: (await rects.nth(j).getAttribute('class'))!.replace('seg ', ''), width: (await rects.nth(j).boundingBox())!.width });
    }
    out.push({ label: (await g.getAttribute('data-label'))!, shown: (await g.locator('text.label').textContent())!, value: (await g.locator('text.value').textContent())!, counts, segments });
  }
  return out;
}

/** A bar shows the fixture's numbers: its data, its segments (one per non-zero status, lengths in proportion) and its end label. */
function checkBar(bar: Bar, want: Record<string, number>, pxPerResult: number): void {
  expect(bar.counts).toEqual({ fail: want.FAIL, error: want.ERROR, suppressed: want.SUPPRESSED, pass: want.PASS, total: want.total });
  const nonZero = ['fail', 'error', 'suppressed', 'pass'].filter((k) => bar.counts[k]! > 0);
  expect(bar.segments.map((s) => s.cls)).toEqual(nonZero);
  for (const s of bar.segments) expect(s.width).toBeCloseTo(bar.counts[s.cls]! * pxPerResult, 0);
  expect(bar.value).toBe(want.total ? `${want.total} · ${Math.floor((100 * want.PASS!) / want.total)}% pass` : 'no results');
}

/** On-screen pixels per result of a chart: the longest bar is the whole bar area. */
async function scaleOf(bs: Bar[]): Promise<number> {
  const longest = bs.reduce((a, b) => (b.counts.total! > a.counts.total! ? b : a));
  return longest.segments.reduce((n, s) => n + s.width, 0) / longest.counts.total!;
}

describe('HTML report in Chromium', () => {
  it('renders the four compliance charts, the donut, cards and tables of a realistic estate', async () => {
    const sample = sampleReport();
    const { findings } = sample;
    const { page, consoleErrors, external, dialogs } = await open('sample', { title: 'Sample estate', generatedAt: new Date('2026-11-22T06:00:00Z'), ...sample });

    await expect(page.locator('svg.chart').count()).resolves.toBe(5);
    for (const id of ['chart-status', 'chart-severity', 'chart-account', 'chart-type', 'chart-policy']) {
      const svg = page.locator(`svg#${id}`);
      await expect(svg.getAttribute('role')).resolves.toBe('img');
      await expect(svg.locator(`title#${id}-title`).count()).resolves.toBe(1);
      expect((await svg.boundingBox())!.height).toBeGreaterThan(50);
    }

    // By severity: all five levels, most severe first, Info present with no results.
    const sev = await bars(page, 'chart-severity');
    expect(sev.map((b) => b.label)).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info']);
    const bySeverity = expected(findings, (f) => f.severity);
    const sevScale = await scaleOf(sev);
    for (const b of sev) checkBar(b, bySeverity.get(b.label) ?? { FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0, total: 0 }, sevScale);
    expect(sev[4]!.segments).toEqual([]);

    // By account: labelled with the account names, most failing first.
    const acc = await bars(page, 'chart-account');
    const byAccount = expected(findings, (f) => f.accountId);
    expect(acc).toHaveLength(SAMPLE_ACCOUNTS.length);
    const accScale = await scaleOf(acc);
    for (const b of acc) {
      const a = SAMPLE_ACCOUNTS.find((x) => b.label === `${x.accountId} (${x.name})`)!;
      checkBar(b, byAccount.get(a.accountId)!, accScale);
    }
    expect(acc.map((b) => b.counts.fail)).toEqual([...acc.map((b) => b.counts.fail!)].sort((x, y) => y - x));

    // By resource type: one bar per type.
    const types = await bars(page, 'chart-type');
    const byType = expected(findings, (f) => f.resourceType);
    expect(types.map((b) => b.label).sort()).toEqual([...byType.keys()].sort());
    const typeScale = await scaleOf(types);
    for (const b of types) checkBar(b, byType.get(b.label)!, typeScale);

    // By policy: the ten with the most failing results, then one bar summing the other ten.
    const pol = await bars(page, 'chart-policy');
    const byPolicy = expected(findings, (f) => f.policyId);
    expect(byPolicy.size).toBe(20);
    expect(pol).toHaveLength(11);
    const polScale = await scaleOf(pol.slice(0, 10));
    for (const b of pol.slice(0, 10)) checkBar(b, byPolicy.get(b.label)!, polScale);
    const top = new Set(pol.slice(0, 10).map((b) => b.label));
    const restWant = { FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0, total: 0 } as Record<string, number>;
    for (const [id, c] of byPolicy) if (!top.has(id)) for (const k of Object.keys(restWant)) restWant[k]! += c[k]!;
    // The rest outgrows the named bars' scale: it is fitted into the bar area, in proportion, and says so.
    const rest = pol[10]!;
    expect(rest.label).toBe('10 other policies');
    expect(rest.counts).toEqual({ fail: restWant.FAIL, error: restWant.ERROR, suppressed: restWant.SUPPRESSED, pass: restWant.PASS, total: restWant.total });
    expect(restWant.total! * polScale).toBeGreaterThan(rest.segments.reduce((n, s) => n + s.width, 0) + 1);
    const restScale = rest.segments.reduce((n, s) => n + s.width, 0) / restWant.total!;
    checkBar({ ...rest, value: rest.value.replace(' (not to scale)', '') }, restWant, restScale);
    expect(rest.value).toMatch(/ \(not to scale\)$/);
    const widest = Math.max(...pol.slice(0, 10).map((b) => b.segments.reduce((n, s) => n + s.width, 0)));
    expect(rest.segments.reduce((n, s) => n + s.width, 0)).toBeCloseTo(widest, 0);
    const leastShownFail = Math.min(...pol.slice(0, 10).map((b) => b.counts.fail!));
    for (const [id, c] of byPolicy) if (!top.has(id)) expect(c.FAIL).toBeLessThanOrEqual(leastShownFail);
    // A long label is cut on screen and whole in the bar's data and title.
    expect(pol.map((b) => b.shown)).toContain('AWS.EC2.SecurityGroup.AllPortsOpenToWorld');

    // Donut: one arc per status, its share of the circle, and the PASS share in the middle.
    const all = expected(findings, () => 'all').get('all')!;
    const arcs = page.locator('#chart-status circle.arc');
    await expect(arcs.count()).resolves.toBe(4);
    for (const [i, k] of ['FAIL', 'ERROR', 'SUPPRESSED', 'PASS'].entries()) await expect(arcs.nth(i).getAttribute('data-count')).resolves.toBe(String(all[k]));
    await expect(page.locator('#chart-status text.centre').textContent()).resolves.toBe(`${Math.floor((100 * all.PASS!) / all.total!)}%`);

    // Cards.
    const cards = Object.fromEntries(
      await Promise.all((await page.locator('.card').all()).map(async (c) => [await c.locator('span').textContent(), await c.locator('b').textContent()] as const)),
    );
    expect(cards).toEqual({
      'Resources evaluated': String(new Set(findings.map((f) => f.resourceId)).size),
      Accounts: '3',
      Failing: String(all.FAIL),
      Errors: String(all.ERROR),
      Suppressed: String(all.SUPPRESSED),
      Passing: String(all.PASS),
      'Scopes not evaluated': '6',
    });

    // Scopes not evaluated: one row per outcome, account and region (header plus two groups).
    await expect(page.locator('#not-evaluated tr').count()).resolves.toBe(3);
    await expect(page.locator('#not-evaluated tr').nth(1).locator('td').allTextContents()).resolves.toEqual([
      'ACCESS_DENIED',
      '777788889999sandbox',
      'global',
      '1',
      'AWS.IAM.User',
      'AccessDenied: PostureAuditRole is not authorized to perform: iam:ListUsers',
    ]);
    // Opt-in regions not enabled: one line per account, apart from the scopes not evaluated.
    await expect(page.locator('#regions-disabled tr').nth(1).locator('td').allTextContents()).resolves.toEqual(['777788889999sandbox', 'ap-east-1, me-south-1']);
    await expect(page.locator('#regions-disabled tr').count()).resolves.toBe(2);
    const failing = findings.filter((f) => f.status !== 'PASS');
    await expect(page.locator('#failing tr').count()).resolves.toBe(failing.length + 1);
    await expect(page.locator('#passing tr').count()).resolves.toBe(all.PASS! + 1);
    await expect(page.locator('#failing tr.suppressed td.status').first().textContent()).resolves.toBe('SUPPRESSED (exc-7f3a91c2)');
    await expect(page.locator('#failing tr.error td').last().textContent()).resolves.toBe("KeyError: 'StorageEncrypted'");
    // One copy of each failing resource's JSON; its other rows link to it.
    const distinct = new Set(failing.map((f) => f.resourceId)).size;
    await expect(page.locator('#failing details.resource-json').count()).resolves.toBe(distinct);
    await expect(page.locator('#failing a.json-link').count()).resolves.toBe(failing.length - distinct);

    // A <details> expands to the pretty-printed resource JSON.
    const sg = failing.find((f) => f.resourceType === 'AWS.EC2.SecurityGroup' && !f.resourceId.includes('web'))!;
    const row = page.locator('#failing tr', { has: page.locator('code', { hasText: sg.resourceId }) }).first();
    const details = row.locator('details.resource-json');
    await expect(details.locator('pre').isVisible()).resolves.toBe(false);
    await details.locator('summary').click();
    await expect(details.locator('pre').isVisible()).resolves.toBe(true);
    expect(JSON.parse((await details.locator('pre').textContent())!)).toEqual(sample.resources.get(sg.resourceId));

    // A big resource is cut at a line boundary with a note naming the command for the whole of it.
    const big = page.locator('#failing tr', { has: page.locator('code', { hasText: BIG_RESOURCE_ID }) }).first().locator('details.resource-json');
    await big.locator('summary').click();
    const bigText = (await big.locator('pre').textContent())!;
    expect(bigText.length).toBeLessThanOrEqual(MAX_JSON_CHARS);
    expect(JSON.stringify(sample.resources.get(BIG_RESOURCE_ID), null, 2).startsWith(bigText)).toBe(true);
    await expect(big.locator('.note').textContent()).resolves.toMatch(new RegExp(`^Truncated: first [\\d,]+ of [\\d,]+ characters\\. The whole resource: posture resources get ${BIG_RESOURCE_ID}$`));

    // Markup in a resource's name is text: only the page's own script element, no dialog, the name shown as written.
    await expect(page.locator('script').count()).resolves.toBe(1);
    await expect(page.locator('script').textContent()).resolves.toBe(PAGE_SCRIPT);
    await expect(page.getByText(`AllPortsOpenToWorld fails for [${MARKUP_NAME}]`).count()).resolves.toBe(1);
    const markupRow = page.locator('#failing tr', { hasText: `[${MARKUP_NAME}]` }).first();
    await markupRow.locator('details.resource-json summary').click();
    expect(JSON.parse((await markupRow.locator('details.resource-json pre').textContent())!).GroupName).toBe(MARKUP_NAME);

    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('renders an empty estate without a chart error or a division by zero', async () => {
    const { page, consoleErrors, external } = await open('empty', { title: 'Nothing yet', generatedAt: new Date(), findings: [], notEvaluated: [] });
    await expect(page.locator('svg.chart').count()).resolves.toBe(5);
    const sev = await bars(page, 'chart-severity');
    expect(sev.map((b) => [b.label, b.value, b.segments.length])).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info'].map((l) => [l, 'no results', 0]));
    for (const id of ['chart-account', 'chart-type', 'chart-policy']) {
      await expect(page.locator(`#${id} g.bar`).count()).resolves.toBe(0);
      await expect(page.locator(`#${id} text.empty`).textContent()).resolves.toBe('No results');
    }
    await expect(page.locator('#chart-status circle.arc').count()).resolves.toBe(0);
    await expect(page.locator('#chart-status text.centre').textContent()).resolves.toBe('no results');
    await expect(page.locator('#regions-disabled').count()).resolves.toBe(0);
    await expect(page.locator('.empty-state').allTextContents()).resolves.toEqual(['Every scope was read.', 'No failing, errored or suppressed results.', 'No passing results.']);
    const html = await page.content();
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    expect(consoleErrors).toEqual([]);
    expect(external).toEqual([]);
  });
});

/** The rows of a findings table the filters leave visible, with their keys. */
const visibleRows = (page: Page, table: string) =>
  page.locator(`#${table} tbody tr`).evaluateAll((trs) =>
    (trs as HTMLTableRowElement[]).filter((tr) => !tr.hidden).map((tr) => ({ ...tr.dataset }) as Record<string, string>),
  );

/** Applies a filter as a reader does and waits for the page script to have counted the result. */
async function setFilter(page: Page, name: string, value: string): Promise<void> {
  const el = page.locator(`#finding-filters [name="${name}"]`);
  if (name === 'q') await el.fill(value);
  else await el.selectOption(value);
  await waitApplied(page);
}

/** Until the page script has applied the filters as the fields now read (the search is debounced). */
const waitApplied = (page: Page) =>
  page.waitForFunction(() => {
    const bar = document.getElementById('finding-filters')!;
    const now = ['q', 'sev', 'cat', 'acct', 'type'].map((n) => (bar.querySelector(`[name="${n}"]`) as HTMLInputElement).value).join('|');
    return bar.dataset.applied === now;
  });

describe('HTML report in Chromium: reading and navigating', () => {
  const sample = sampleReport();
  const failing = sample.findings.filter((f) => f.status !== 'PASS');
  const input: ReportInput = { title: 'Sample estate', generatedAt: new Date('2026-11-22T06:00:00Z'), ...sample };

  it('searches, filters and sorts the findings in the page', async () => {
    const { page, consoleErrors, external } = await open('filters', input);
    await expect(page.locator('#finding-filters output').textContent()).resolves.toBe(`${sample.findings.length} results`);

    // Text search: every word must match; the title and the account's name count too.
    await setFilter(page, 'q', 'payments-prod-assets');
    const bucket = await visibleRows(page, 'failing');
    expect(bucket.map((r) => r.res).sort()).toEqual(failing.filter((f) => f.resourceId.endsWith(':payments-prod-assets')).map((f) => f.resourceId).sort());
    await expect(page.locator('#finding-filters output').textContent()).resolves.toBe(
      `${sample.findings.filter((f) => f.resourceId.endsWith(':payments-prod-assets')).length} of ${sample.findings.length} results match`,
    );
    await setFilter(page, 'q', 'sandbox publicacl');
    const sandbox = failing.filter((f) => f.accountId === '777788889999' && f.policyId === 'AWS.S3.Bucket.PublicACL');
    expect(sandbox.length).toBeGreaterThan(0);
    expect((await visibleRows(page, 'failing')).length).toBe(sandbox.length);
    await page.locator('#finding-filters [name="reset"]').click();
    await expect(page.locator('#finding-filters output').textContent()).resolves.toBe(`${sample.findings.length} results`);

    // Severity "High and above", then also one account, then also one type.
    await setFilter(page, 'sev', '1');
    const high = failing.filter((f) => f.severity === 'Critical' || f.severity === 'High');
    expect((await visibleRows(page, 'failing')).map((r) => `${r.res}${r.policy}`).sort()).toEqual(high.map((f) => f.resourceId + f.policyId).sort());
    await setFilter(page, 'acct', '444455556666');
    await setFilter(page, 'type', 'AWS.S3.Bucket');
    const narrowed = high.filter((f) => f.accountId === '444455556666' && f.resourceType === 'AWS.S3.Bucket');
    expect(narrowed.length).toBeGreaterThan(0);
    expect((await visibleRows(page, 'failing')).map((r) => `${r.res}${r.policy}`).sort()).toEqual(narrowed.map((f) => f.resourceId + f.policyId).sort());
    await expect(page.locator('p.shown[data-count-for="failing"]').textContent()).resolves.toBe(`${narrowed.length} of ${failing.length} rows match the filters`);
    await page.locator('#finding-filters [name="reset"]').click();

    // Status: the one error; "passing" empties the failing table and keeps the passing one.
    await setFilter(page, 'cat', 'error');
    expect((await visibleRows(page, 'failing')).map((r) => r.err)).toEqual(["KeyError: 'StorageEncrypted'"]);
    await setFilter(page, 'cat', 'pass');
    expect(await visibleRows(page, 'failing')).toEqual([]);
    expect((await visibleRows(page, 'passing')).length).toBe(sample.findings.filter((f) => f.status === 'PASS').length);
    await page.locator('#finding-filters [name="reset"]').click();

    // Sort: by severity (most severe first), again for the reverse, then by resource.
    const sortBy = async (key: string) => page.locator(`#failing thead button[data-key="${key}"]`).click();
    await sortBy('sev');
    const asc = (await visibleRows(page, 'failing')).map((r) => Number(r.sev));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBe(0);
    await expect(page.locator('#failing thead th', { has: page.locator('[data-key="sev"]') }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await sortBy('sev');
    const desc = (await visibleRows(page, 'failing')).map((r) => Number(r.sev));
    expect(desc).toEqual([...asc].reverse());
    await sortBy('res');
    const res = (await visibleRows(page, 'failing')).map((r) => r.res!);
    expect(res).toEqual([...res].sort((a, b) => a.localeCompare(b)));
    await expect(page.locator('#failing thead th', { has: page.locator('[data-key="sev"]') }).getAttribute('aria-sort')).resolves.toBe('none');
    // A sorted table still filters.
    await setFilter(page, 'cat', 'suppressed');
    expect((await visibleRows(page, 'failing')).map((r) => r.cat)).toEqual(['suppressed', 'suppressed']);

    expect(consoleErrors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('breaks a long ARN only after ":" or "/", never inside a name', async () => {
    const { page, consoleErrors } = await open('arn', input);
    // A narrow window: the resource column must wrap its ARNs.
    await page.setViewportSize({ width: 760, height: 900 });
    const sg = failing.find((f) => f.resourceType === 'AWS.EC2.SecurityGroup')!;
    const code = page.locator('#failing tr', { has: page.locator(`code.id`, { hasText: sg.resourceId }) }).first().locator('code.id');
    await expect(code.evaluate((el) => [getComputedStyle(el).wordBreak, getComputedStyle(el).overflowWrap])).resolves.toEqual(['normal', 'normal']);
    // Each character's line (its box's top): a new line may only start after a separator.
    const lines = await code.evaluate((el) => {
      const text = el.textContent!;
      const out: string[] = [];
      let top = -1;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.textContent!.length; i++) {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          const t = Math.round(r.getBoundingClientRect().top);
          if (t !== top) out.push(node.textContent![i]!);
          else out[out.length - 1] += node.textContent![i]!;
          top = t;
        }
      }
      return { text, out };
    });
    expect(lines.out.join('')).toBe(sg.resourceId);
    expect(lines.out.length).toBeGreaterThan(1);
    for (const line of lines.out.slice(0, -1)) expect(line).toMatch(/[:/]$/);
    expect(consoleErrors).toEqual([]);
  });

  it('a link to a resource JSON printed on another row opens that block, on the row of the same resource, in view', async () => {
    const { page, consoleErrors } = await open('links', input);
    const links = page.locator('#failing a.json-link');
    expect(await links.count()).toBeGreaterThan(1);
    for (const i of [0, (await links.count()) - 1]) {
      const link = links.nth(i);
      const from = await link.evaluate((a) => a.closest('tr')!.dataset.res);
      await link.click();
      const landed = await page.evaluate(() => {
        const target = document.getElementById(location.hash.slice(1)) as HTMLDetailsElement;
        const row = target.closest('tr')!;
        const nav = document.querySelector('nav.toc')!.getBoundingClientRect().bottom;
        const head = document.querySelector('#failing thead')!.getBoundingClientRect().bottom;
        return { resource: target.dataset.resource, rowRes: row.dataset.res, open: target.open, landed: row.classList.contains('landed'), top: row.getBoundingClientRect().top, below: Math.max(nav, head), bottom: window.innerHeight };
      });
      expect(landed.resource).toBe(from);
      expect(landed.rowRes).toBe(from);
      expect(landed.open).toBe(true);
      expect(landed.landed).toBe(true);
      // Not hidden under the sticky navigation or table header, and on screen.
      expect(landed.top).toBeGreaterThanOrEqual(landed.below - 1);
      expect(landed.top).toBeLessThan(landed.bottom);
      const json = JSON.parse((await page.locator(`#failing details.resource-json[open][data-resource="${from}"] pre`).textContent())!);
      expect(json).toEqual(sample.resources.get(from!));
    }
    // A filter hiding the block's row is cleared when its link is followed.
    const link = links.first();
    const targetId = (await link.getAttribute('href'))!.slice(1);
    const [policy, res] = await link.evaluate((a) => [a.closest('tr')!.dataset.policy!, a.closest('tr')!.dataset.res!]);
    await setFilter(page, 'q', `${policy} ${res}`);
    await expect(page.evaluate((id) => !document.getElementById(id)!.closest('tr')!.hidden, targetId)).resolves.toBe(false);
    await link.click();
    await expect(page.evaluate((id) => !document.getElementById(id)!.closest('tr')!.hidden, targetId)).resolves.toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('shows timestamps in UTC minutes with their age, and each failing finding its remediation', async () => {
    const { page } = await open('times', input);
    await expect(page.locator('header time').textContent()).resolves.toBe('2026-11-22 06:00 UTC');
    await expect(page.locator('header time').getAttribute('datetime')).resolves.toBe('2026-11-22T06:00:00.000Z');
    const first = failing[0]!;
    const cell = page.locator('#failing tbody tr').first().locator('td.changed');
    await expect(cell.locator('time').getAttribute('datetime')).resolves.toBe(first.lastChanged);
    const days = Math.floor((Date.parse('2026-11-22T06:00:00Z') - Date.parse(first.lastChanged)) / 86_400_000);
    await expect(cell.textContent()).resolves.toBe(`${first.lastChanged.slice(0, 16).replace('T', ' ')} UTC ${days} days old${first.trigger}`);
    const texts = await page.locator('#failing td.changed time').allTextContents();
    for (const t of texts) expect(t).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);

    // Remediation: description, runbook and a link to the reference, behind a <details>.
    const row = page.locator('#failing tbody tr').first();
    const rem = row.locator('details.remediation');
    await expect(rem.locator('.runbook').isVisible()).resolves.toBe(false);
    await rem.locator('summary').click();
    await expect(rem.locator('.runbook').isVisible()).resolves.toBe(true);
    await expect(rem.locator('.runbook').textContent()).resolves.toBe(first.runbook);
    await expect(rem.locator('.description').textContent()).resolves.toBe(first.description);
    await expect(rem.locator('.reference a').getAttribute('href')).resolves.toBe(first.reference);
    // A policy without any says so; every failing row has one or the other.
    await expect(page.locator('#failing tr[data-policy="AWS.KMS.Key.RotationEnabled"] .no-runbook').count()).resolves.toBe(failing.filter((f) => f.policyId === 'AWS.KMS.Key.RotationEnabled').length);
    await expect(page.locator('#failing tbody tr:not(:has(details.remediation)):not(:has(.no-runbook))').count()).resolves.toBe(0);
  });

  it('summarises the scopes not evaluated per outcome, account and region', async () => {
    const { page } = await open('scopes', input);
    await expect(page.locator('ul.outcomes li').allTextContents()).resolves.toEqual(['THROTTLED 5 scopes in 1 account', 'ACCESS_DENIED 1 scope in 1 account']);
    const throttled = page.locator('#not-evaluated tr[data-outcome="THROTTLED"]');
    await expect(throttled.count()).resolves.toBe(1);
    await expect(throttled.locator('td').nth(3).textContent()).resolves.toBe('5');
    await expect(throttled.locator('td.types code').allTextContents()).resolves.toEqual(['AWS.EC2.Instance', 'AWS.EC2.SecurityGroup', 'AWS.EC2.VPC', 'AWS.EC2.Volume', 'AWS.KMS.Key']);
    await expect(throttled.locator('ul.reasons li').allTextContents()).resolves.toEqual([
      'ThrottlingException: Rate exceeded (after 8 attempts) (4 scopes)',
      'scan interrupted before this scope (1 scope)',
    ]);
  });
});

/** A synthetic estate of `n` findings: 10 accounts, 25 types, 50 policies, 1,500 resources, about one in three failing, each failing resource with ~1 KB of JSON. */
function syntheticEstate(n: number): Pick<ReportInput, 'findings' | 'resources' | 'notEvaluated'> {
  const sevs = ['Critical', 'High', 'Medium', 'Low', 'Info'] as const;
  const findings: Finding[] = [];
  const resources = new Map<string, unknown>();
  for (let i = 0; i < n; i++) {
    const account = String(100000000000 + (i % 10) * 111111111);
    const type = `AWS.Service${i % 25}.Thing`;
    const resourceId = `arn:aws:service${i % 25}:us-east-1:${account}:thing/resource-name-${i % 1500}`;
    const status = i % 3 === 0 ? 'FAIL' : i % 97 === 0 ? 'ERROR' : 'PASS';
    findings.push({
      accountId: account,
      region: i % 2 ? 'us-east-1' : 'eu-west-1',
      resourceId,
      resourceType: type,
      policyId: `AWS.Service${i % 25}.Policy${i % 50}`,
      title: status === 'FAIL' ? `Policy${i % 50} fails for [resource-name-${i % 1500}]` : null,
      severity: sevs[i % 5]!,
      status,
      suppressed: status === 'FAIL' && i % 40 === 0,
      suppressedBy: null,
      errorMessage: status === 'ERROR' ? 'KeyError: x' : null,
      trigger: 'scheduled',
      provenance: null,
      cause: null,
      lastChanged: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
      lastVerified: null,
      verifiedBy: null,
      description: 'What the policy checks.',
      runbook: '1. Fix it.\n2. Rescan.',
      reference: 'https://docs.aws.amazon.com/',
    });
    if (status !== 'PASS') resources.set(resourceId, { ResourceId: resourceId, Tags: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`tag${k}`, 'v'.repeat(30)])) });
  }
  const notEvaluated = Array.from({ length: 300 }, (_, i) => ({ accountId: String(100000000000 + (i % 10) * 111111111), region: 'us-east-1', resourceType: `AWS.Service${i % 25}.Thing`, outcome: i % 3 ? 'THROTTLED' : 'ACCESS_DENIED', message: 'interrupted' }));
  return { findings, resources, notEvaluated };
}

describe('HTML report in Chromium: a large estate', () => {
  it('opens a 5,000-finding report in seconds and filters, searches and sorts it without a stall', async () => {
    const estate = syntheticEstate(5_000);
    const failingN = estate.findings.filter((f) => f.status !== 'PASS').length;
    const file = join(dir, 'large.html');
    const t0 = performance.now();
    await writeFile(file, renderReport({ title: 'Large', generatedAt: new Date('2026-12-01T00:00:00Z'), ...estate }));
    const renderMs = performance.now() - t0;
    const t1 = performance.now();
    const { page, consoleErrors } = await open2(file);
    const loadMs = performance.now() - t1;
    await expect(page.locator('#failing tbody tr').count()).resolves.toBe(failingN);
    // 300 interrupted scopes: 20 grouped rows (2 outcomes × 10 accounts, one region), not 300.
    await expect(page.locator('#not-evaluated tbody tr').count()).resolves.toBe(20);

    // One page of rows at a time: more on request, or all.
    const shown = async () => (await visibleRows(page, 'failing')).length;
    expect(await shown()).toBe(PAGE_ROWS);
    await expect(page.locator('p.shown[data-count-for="failing"]').textContent()).resolves.toBe(`${failingN.toLocaleString('en-US')} rows; showing the first ${PAGE_ROWS} in the table’s order`);
    await page.locator('p.more[data-more-for="failing"] button[name="more"]').click();
    expect(await shown()).toBe(2 * PAGE_ROWS);
    await page.locator('p.more[data-more-for="failing"] button[name="all"]').click();
    expect(await shown()).toBe(failingN);
    await expect(page.locator('p.more[data-more-for="failing"]').isHidden()).resolves.toBe(true);
    await page.locator('#finding-filters [name="reset"]').click();
    expect(await shown()).toBe(PAGE_ROWS);

    // A resource-JSON link whose block is on a row beyond the page shown: following it shows that row.
    // Newest first: a resource's later findings come before the first one, which holds its JSON.
    await page.locator('#failing thead button[data-key="changed"]').click();
    await page.locator('#failing thead button[data-key="changed"]').click();
    const beyond = await page.locator('#failing a.json-link').evaluateAll((as) =>
      (as as HTMLAnchorElement[]).findIndex((a) => !a.closest('tr')!.hidden && document.getElementById(a.getAttribute('href')!.slice(1))!.closest('tr')!.hidden),
    );
    expect(beyond).toBeGreaterThanOrEqual(0);
    const link = page.locator('#failing a.json-link').nth(beyond);
    const targetId = (await link.getAttribute('href'))!.slice(1);
    await link.click();
    await expect(page.evaluate((id) => [!document.getElementById(id)!.closest('tr')!.hidden, (document.getElementById(id) as HTMLDetailsElement).open], targetId)).resolves.toEqual([true, true]);
    await page.locator('#finding-filters [name="reset"]').click();

    const timed = async (act: () => Promise<unknown>) => {
      const t = performance.now();
      await act();
      await waitApplied(page);
      return performance.now() - t;
    };
    const searchMs = await timed(() => page.locator('#finding-filters [name="q"]').fill('resource-name-42'));
    // resource-name-42 and -420..-429 and -4200..-4299 among the failing rows: compare with the fixture.
    const want = estate.findings.filter((f) => f.status !== 'PASS' && f.resourceId.includes('resource-name-42')).length;
    expect((await visibleRows(page, 'failing')).length).toBe(want);
    const filterMs = await timed(() => page.locator('#finding-filters [name="sev"]').selectOption('0'));
    await page.locator('#finding-filters [name="reset"]').click();
    const t2 = performance.now();
    await page.locator('#failing thead button[data-key="res"]').click();
    await page.locator('#failing tbody tr').first().waitFor();
    const sortMs = performance.now() - t2;
    const res = (await visibleRows(page, 'failing')).map((r) => r.res!);
    expect(res).toEqual([...res].sort((a, b) => a.localeCompare(b)));
    // The same work timed inside the page (script and layout, no driver round trip): a sort, and a reset that re-filters every row.
    const inPage = await page.evaluate(() => {
      const time = (act: () => void) => {
        const t = performance.now();
        act();
        void document.body.offsetHeight;
        return performance.now() - t;
      };
      const sort = time(() => (document.querySelector('#failing thead button[data-key="policy"]') as HTMLButtonElement).click());
      (document.querySelector('#finding-filters [name="q"]') as HTMLInputElement).value = 'policy7';
      const reset = time(() => (document.querySelector('#finding-filters [name="reset"]') as HTMLButtonElement).click());
      return { sort, reset };
    });
    const bytes = (await stat(file)).size;
    console.log(
      `[report 5,000 findings] ${(bytes / 1048576).toFixed(1)} MB; render ${renderMs.toFixed(0)} ms; Chromium load ${loadMs.toFixed(0)} ms; ` +
        `search ${searchMs.toFixed(0)} ms (80 ms debounce included); severity filter ${filterMs.toFixed(0)} ms; sort ${sortMs.toFixed(0)} ms; ` +
        `in the page: sort ${inPage.sort.toFixed(0)} ms, filter reset ${inPage.reset.toFixed(0)} ms`,
    );
    // Generous bounds for a shared 2-core machine (load average up to 8 while measured): what a reader
    // would call a stall. Showing every failing row at once took 1.1–1.8 s per re-filter here.
    expect(loadMs).toBeLessThan(8_000);
    expect(searchMs).toBeLessThan(1_500);
    expect(filterMs).toBeLessThan(1_500);
    expect(sortMs).toBeLessThan(3_000);
    expect(inPage.sort).toBeLessThan(3_000);
    expect(inPage.reset).toBeLessThan(1_000);
    expect(consoleErrors).toEqual([]);
  });
});

describe('HTML report in Chromium: framework sections', () => {
  it('lists each framework in the navigation, lands on its section, and draws its trend with gaps', async () => {
    const catalog: PolicyCatalog = {
      source: 'test',
      policies: [
        { policyId: 'AWS.S3.Bucket.PublicACL', displayName: null, severity: 'Critical', resourceTypes: ['AWS.S3.Bucket'], enabled: true, reports: { 'CIS AWS Foundations 3.0': ['2.1.4'] }, description: null, runbook: null, reference: null },
      ],
    };
    const sample = sampleReport();
    const days = Array.from({ length: 10 }, (_, i) => `2026-11-${String(13 + i).padStart(2, '0')}`);
    const rates = [0.5, 0.55, null, null, 0.6, 0.62, 0.7, null, 0.72, 0.75];
    const points = days.map((day, i) => ({ day, counts: null, passRate: rates[i]!, weekAgo: null, passRateChangePts: null }));
    const frameworks = allFrameworkStatus({ catalog, findings: sample.findings, unread: [], accounts: SAMPLE_ACCOUNTS.map((a) => a.accountId) }).map((f) =>
      f.id === 'cis-3.0' ? { ...f, trend: { points, latest: points[9]! } } : f,
    );
    const { page, consoleErrors } = await open('frameworks', { title: 'Frameworks', generatedAt: new Date('2026-11-22T06:00:00Z'), ...sample, frameworks });
    const nav = page.locator('nav.toc a.sub');
    const labels = await nav.allTextContents();
    expect(labels[0]).toMatch(/^cis-3\.0 \(\d+ failing\)$/);
    await expect(nav.first().getAttribute('title')).resolves.toBe('CIS AWS Foundations Benchmark v3.0.0');
    await nav.first().click();
    const top = await page.evaluate(() => [document.getElementById('framework-cis-3.0')!.getBoundingClientRect().top, document.querySelector('nav.toc')!.getBoundingClientRect().bottom]);
    expect(top[0]).toBeGreaterThanOrEqual(top[1]! - 1);
    expect(top[0]).toBeLessThan(200);
    // Three runs of days with a summary, split at the gaps: three lines and seven dots (a gap is never drawn as a zero).
    const trend = page.locator('#trend-cis-3\\.0');
    await expect(trend.locator('polyline').count()).resolves.toBe(3);
    await expect(trend.locator('circle.pt').count()).resolves.toBe(7);
    await expect(trend.locator('desc').textContent()).resolves.toBe('7 of 10 days with a summary; from 50.0% on 2026-11-13 to 75.0% on 2026-11-22');
    // The controls' bar: a segment per status present, widths in proportion.
    const segs = await page.locator('#framework-cis-3\\.0 svg.control-bar rect').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-state'), Number(r.getAttribute('data-count')), r.getBoundingClientRect().width]));
    const sum = segs.reduce((n, s) => n + (s[1] as number), 0);
    const width = segs.reduce((n, s) => n + (s[2] as number), 0);
    for (const [, count, w] of segs) expect(w as number).toBeCloseTo(((count as number) / sum) * width, 0);
    expect(consoleErrors).toEqual([]);
  });
});
