/**
 * The console SPA built from the current source (a stale dist/console must not pass the tests): as
 * vitest globalSetup, once per run into a temp dir whose path the browser test files inject.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

export async function buildConsole(outDir: string): Promise<void> {
  await build({ configFile: join(import.meta.dirname, '../../console/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'posture-console-'));
  await buildConsole(dir);
  project.provide('consoleStaticDir', dir);
}

export async function teardown(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    consoleStaticDir: string;
  }
}
