/** Debian's Chromium for playwright-core (no bundled browser download): where it is and how it runs here. */
import { access, constants } from 'node:fs/promises';

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
