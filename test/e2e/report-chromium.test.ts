/**
 * The HTML report as a reader sees it: rendered by Debian's Chromium (headless, driven by
 * playwright-core) from a realistic set of findings and from an empty one. Checks every chart's
 * bars, labels and values against counts taken straight from the fixture, the tables' rows, the
 * resource JSON behind a <details>, that markup in a resource name stays text, and that the page
 * logs no error and requests nothing but itself.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/findings.ts';
import { renderReport, type ReportInput } from '../../src/cli/report/report-html.ts';
import { MAX_JSON_CHARS } from '../../src/cli/report/resource-json.ts';
import { PAGE_SCRIPT } from '../../src/cli/report/page-script.ts';
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
