/**
 * The Chromium that playwright-core drives (no browser download at run time): the binary that the
 * @sparticuz/chromium devDependency ships in the npm registry package (Linux x64), unpacked once per
 * version into the temp dir — or POSTURE_CHROMIUM (e.g. Debian's /usr/bin/chromium) — and how it runs here.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { access, chmod, constants, mkdir, readFile, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Unpacks the package's brotli-compressed binary to a folder named for its version (atomically: parallel test files may race). */
async function packagedChromium(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const root = join(dirname(entry), '../..');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const exe = join(tmpdir(), `posture-chromium-${version}`, 'chromium');
  if (existsSync(exe)) return exe;
  await mkdir(dirname(exe), { recursive: true });
  const part = `${exe}.${process.pid}.part`;
  await pipeline(createReadStream(join(root, 'bin/chromium.br')), createBrotliDecompress(), createWriteStream(part));
  await chmod(part, 0o755);
  await rename(part, exe);
  return exe;
}

export const chromiumPath = async (): Promise<string> => process.env.POSTURE_CHROMIUM ?? (await packagedChromium());

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
export async function requireChromium(): Promise<string> {
  const path = await chromiumPath();
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${path}: run npm ci (the @sparticuz/chromium devDependency ships it) or set POSTURE_CHROMIUM`);
  }
  return path;
}

export interface OpenedReport {
  page: Page;
  consoleErrors: string[];
  /** Every URL the page asked for that is not a file: or data: URL (all of them refused). */
  external: string[];
  dialogs: string[];
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await requireChromium(), args: CHROMIUM_ARGS });
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
