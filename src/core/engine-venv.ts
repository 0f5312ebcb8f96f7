/**
 * The policy engine's Python for an installed package (no .venv beside it): a venv per user and per
 * requirements file, created on first use — never at install time — in $POSTURE_CACHE_DIR, else
 * $XDG_CACHE_HOME/posture, else ~/.cache/posture. Built in a temporary folder and renamed when
 * complete, so an interrupted set-up is redone rather than half used.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function engineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTURE_CACHE_DIR) return env.POSTURE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'posture');
}

/** The venv for this requirements file: one per content, so an upgrade that changes them gets a new one. */
export function engineVenvDir(requirements: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  return join(engineCacheDir(env), `engine-${hash}`);
}

/** Returns the venv's python, creating the venv (one line on stderr) when it does not exist yet. */
export function ensureEngineVenv(requirements: string, env: NodeJS.ProcessEnv = process.env): string {
  const venv = engineVenvDir(requirements, env);
  const python = join(venv, 'bin/python');
  if (existsSync(python)) return python;
  const base = env.PYTHON ?? 'python3';
  process.stderr.write(`posture: setting up the policy engine in ${venv}, once (a Python venv from ${base} with moto and PyYAML)\n`);
  const tmp = `${venv}.tmp-${process.pid}`;
  mkdirSync(engineCacheDir(env), { recursive: true });
  try {
    execFileSync(base, ['-m', 'venv', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(join(tmp, 'bin/python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    renameSync(tmp, venv);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(python)) return python; // another posture process finished the same set-up first
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`could not set up the policy engine in ${venv} (${why}); set POSTURE_PYTHON to a Python 3.11+ with ${requirements} installed`);
  }
  return python;
}
