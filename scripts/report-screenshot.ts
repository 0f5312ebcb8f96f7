/**
 * `npm run docs:report`: renders the report of the sample estate (test/fixtures/report) and saves
 * the top of the page (down to the scopes not evaluated) as docs/report.png, through Debian's
 * Chromium driven by playwright-core.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReport } from '../src/cli/report/report-html.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { sampleReport } from '../test/fixtures/report/sample-estate.ts';

const OUT = 'docs/report.png';

const dir = await mkdtemp(join(tmpdir(), 'posture-report-'));
try {
  const file = join(dir, 'report.html');
  await writeFile(file, renderReport({ title: 'Posture report: sample estate (all accounts)', generatedAt: new Date('2026-11-22T06:00:00Z'), ...sampleReport() }));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1680, height: 1400 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href);
    // The top of the page down to the not-evaluated scopes: cards, charts and that table.
    const table = (await page.locator('#not-evaluated').boundingBox())!;
    await page.screenshot({ path: OUT, fullPage: true, clip: { x: 0, y: 0, width: 1680, height: Math.ceil(table.y + table.height + 2) } });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${OUT}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
