/** Debian's Chromium for playwright-core (no bundled browser download): where it is and how it runs here. */
import { access, constants } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.POSTURE_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails (never skips) when the browser is missing: a report test that cannot run must not pass. */
export async function requireChromium(): Promise<void> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set POSTURE_CHROMIUM`);
  }
}

export interface OpenedReport {
  page: Page;
  consoleErrors: string[];
  /** Every URL the page asked for that is not a file: or data: URL (all of them refused). */
  external: string[];
  dialogs: string[];
}

export async function launchChromium(): Promise<Browser> {
  await requireChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Opens a report file in a fresh context that records console errors, dialogs and any network request (refused). */
export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const out: OpenedReport = { page, consoleErrors: [], external: [], dialogs: [] };
  page.on('console', (m) => m.type() === 'error' && out.consoleErrors.push(m.text()));
  page.on('pageerror', (e) => out.consoleErrors.push(e.message));
  page.on('dialog', (d) => {
    out.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) out.external.push(r.url());
  });
  // Nothing may leave the machine: a network request is refused (and recorded above).
  await context.route(/^(?!file:|data:)/, (route) => route.abort());
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return out;
}
