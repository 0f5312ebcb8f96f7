/**
 * Runs one of the engine's JSON commands (`python -m posture_engine.<module>`) in the allow-listed
 * engine environment and parses its one JSON object with the caller's schema: the bundle diff and
 * the pack layers speak this way. Failures are one line (the command's last stderr line).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { z } from 'zod';
import { engineEnv } from '#core/engine-env.ts';
import { projectRoot, pythonExecutable } from '#core/paths.ts';

export class EngineCommandError extends Error {}

export function runEngineJson<S extends z.ZodType>(module: string, args: readonly string[], schema: S, what: string): z.infer<S> {
  const r = spawnSync(pythonExecutable(), ['-m', module, ...args], {
    encoding: 'utf8',
    env: engineEnv({ set: { PYTHONPATH: join(projectRoot, 'python-runtime') } }),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new EngineCommandError(`cannot run the policy engine (${r.error.message}); run npm ci to create .venv`);
  if (r.status !== 0) throw new EngineCommandError((r.stderr || r.stdout).trim().split('\n').at(-1) ?? `${what} exited ${r.status}`);
  let doc: unknown;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new EngineCommandError(`${what}: output is not JSON`);
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw new EngineCommandError(`${what}: unexpected output: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as z.infer<S>;
}
