/**
 * The console under test: a local runtime seeded and onboarded like the demo (seedAndOnboard) and
 * scanned once, the SPA (built once per vitest run by console-build.ts, or here into a temp dir),
 * `posture console`'s server in process on that runtime (one per role asked for), and Chromium.
 * One of these per test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { localPrincipal } from '../../src/cli/commands/console.ts';
import { consolePorts } from '../../src/cli/console-ports.ts';
import { startConsoleServer, type ConsoleServer } from '../../src/cli/console-server.ts';
import { seedAndOnboard } from '../../src/cli/demo.ts';
import type { SeedResult } from '../../src/local/seed.ts';
import { resolveTarget, type Target } from '../../src/cli/target.ts';
import type { Role } from '../../src/console/auth.ts';
import type { ConsolePorts } from '../../src/console/ports.ts';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime.ts';
import { launchChromium } from './chromium.ts';
import { buildConsole } from './console-build.ts';

export interface ConsoleFixture {
  rt: LocalRuntime;
  /** What the demo seed created (the bastion group's ID). */
  seeded: SeedResult;
  target: Target;
  ports: ConsolePorts;
  /** One server per role, on the same runtime. */
  servers: Record<Role, ConsoleServer>;
  browser: Browser;
  close(): Promise<void>;
}

/** `builtDir`: an SPA already built from the current source (the test run's, kept); without it the
 *  SPA is built here into a temp dir (removed on close). */
export async function startConsoleFixture(roles: readonly Role[] = ['admin', 'viewer'], builtDir?: string): Promise<ConsoleFixture> {
  const staticDir = builtDir ?? (await mkdtemp(join(tmpdir(), 'posture-console-')));
  const [rt] = await Promise.all([startLocalRuntime(), builtDir ? undefined : buildConsole(staticDir)]);
  try {
    const seeded = await seedAndOnboard(rt);
    await rt.scan();
    const target = await resolveTarget({ endpoint: rt.endpoint });
    const ports = consolePorts(target, 'us-east-1');
    const servers = {} as Record<Role, ConsoleServer>;
    for (const role of roles) servers[role] = await startConsoleServer({ ports, principal: localPrincipal(role), staticDir });
    const browser = await launchChromium();
    return {
      rt,
      seeded,
      target,
      ports,
      servers,
      browser,
      async close() {
        await browser.close();
        for (const s of Object.values(servers)) await s.close();
        await rt.close();
        if (!builtDir) await rm(staticDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rt.close();
    throw err;
  }
}

/** A fresh browser page signed in through a one-time token (console errors collected). */
export async function signedInPage(browser: Browser, server: ConsoleServer): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.signInUrl(), { waitUntil: 'load' });
  return { page, errors };
}

/** Throws on any serious or critical axe-core violation of the page as it is now (usable by scripts too, hence no vitest expect). */
export async function axeCheck(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`axe: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`).join(' | ')}`);
}
