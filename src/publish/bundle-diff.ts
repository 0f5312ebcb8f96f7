/**
 * Which policies a new bundle adds, changes or removes compared to the active one, and so which
 * resource types must be re-evaluated: `python -m posture_engine.bundle_diff` compares the two
 * manifests (per-policy spec+source hashes; a changed global counts for the policies naming it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { engineEnv } from '#core/engine-env.ts';
import { projectRoot, pythonExecutable } from '#core/paths.ts';
import { resourceTypeNames } from '#resources/index.ts';

const Types = z.array(z.string()).nullable();

const DiffSchema = z.object({
  oldHash: z.string(),
  newHash: z.string(),
  policies: z.array(
    z.object({
      id: z.string(),
      change: z.enum(['added', 'changed', 'removed', 'unchanged']),
      enabledBefore: z.boolean(),
      enabledAfter: z.boolean(),
      /** null: the policy applies to every type. */
      typesBefore: Types,
      typesAfter: Types,
    }),
  ),
  changedGlobals: z.array(z.string()),
  /** null: every type (an affected policy lists none). */
  affectedTypes: Types,
});

export type BundleDiff = z.infer<typeof DiffSchema>;
export type PolicyChange = BundleDiff['policies'][number];

/** The active side: a bundle zip, or policy directories (the local runtime's built-in pack). */
export type Baseline = { zip: string } | { dirs: string[] };

export class BundleDiffError extends Error {}

export function diffBundles(baseline: Baseline, newZip: string): BundleDiff {
  const old = 'zip' in baseline ? ['--old', baseline.zip] : ['--old-dir', ...baseline.dirs];
  const args = ['-m', 'posture_engine.bundle_diff', '--new', newZip, ...old, '--resource-types', resourceTypeNames().join(',')];
  const r = spawnSync(pythonExecutable(), args, {
    encoding: 'utf8',
    env: engineEnv({ set: { PYTHONPATH: join(projectRoot, 'python-runtime') } }),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new BundleDiffError(`cannot run the policy engine (${r.error.message}); run npm ci to create .venv`);
  if (r.status !== 0) throw new BundleDiffError((r.stderr || r.stdout).trim().split('\n').at(-1) ?? `bundle diff exited ${r.status}`);
  const parsed = DiffSchema.safeParse(JSON.parse(r.stdout));
  if (!parsed.success) throw new BundleDiffError(`bundle diff: unexpected output: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
