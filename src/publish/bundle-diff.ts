/**
 * Which policies a new bundle adds, changes or removes compared to the active one, and so which
 * resource types must be re-evaluated: `python -m posture_engine.bundle_diff` compares the two
 * manifests (per-policy spec+source hashes; a changed global counts for the policies naming it).
 */
import { z } from 'zod';
import { resourceTypeNames } from '#resources/index.ts';
import { runEngineJson } from './engine-json.ts';

const Types = z.array(z.string()).nullable();

export const BundleDiffSchema = z.object({
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

export type BundleDiff = z.infer<typeof BundleDiffSchema>;
export type PolicyChange = BundleDiff['policies'][number];

/** The active side: a bundle zip, or policy directories (the local runtime's built-in pack). */
export type Baseline = { zip: string } | { dirs: string[] };

/** The `--<name> FILE` or `--<name>-dir DIR...` arguments the engine's pack commands take. */
export const packArgs = (name: string, pack: Baseline): string[] => ('zip' in pack ? [`--${name}`, pack.zip] : [`--${name}-dir`, ...pack.dirs]);

export function diffBundles(baseline: Baseline, newZip: string): BundleDiff {
  const args = ['--new', newZip, ...packArgs('old', baseline), '--resource-types', resourceTypeNames().join(',')];
  return runEngineJson('posture_engine.bundle_diff', args, BundleDiffSchema, 'bundle diff');
}
