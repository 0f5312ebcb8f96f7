/**
 * Where the project lives on disk and which Python runs its engine: the checkout's root (the
 * policy pack, python-runtime/, the Lambda entry files) and the interpreter of the .venv that
 * `npm ci` creates. Used by the CLI, the CDK app and the local runtime alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The project's Python (the venv `npm ci` creates), else the POSTURE_PYTHON env var, else python3. */
export function pythonExecutable(): string {
  const venv = join(projectRoot, '.venv/bin/python');
  return process.env.POSTURE_PYTHON ?? (existsSync(venv) ? venv : 'python3');
}
