/**
 * Where the project lives on disk and which Python runs its engine: the package's root (the
 * policy pack, python-runtime/, the Lambda entry files) — a checkout, or an installed package whose
 * code is the build in dist/ — and the interpreter that runs the engine. Used by the CLI, the CDK
 * app and the local runtime alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEngineVenv } from './engine-venv.ts';

/** The nearest folder above this module holding package.json: src/core/../.. in a checkout, dist/.. in the build. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../..');
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The package's version (package.json), for `posture --version`. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The POSTURE_PYTHON env var, else the checkout's .venv (created by `npm ci`), else the per-user
 * venv of an installed package (created on first use from python-runtime/requirements.txt).
 */
export function pythonExecutable(): string {
  if (process.env.POSTURE_PYTHON) return process.env.POSTURE_PYTHON;
  const venv = join(projectRoot, '.venv/bin/python');
  if (existsSync(venv)) return venv;
  return ensureEngineVenv(join(projectRoot, 'python-runtime/requirements.txt'));
}
