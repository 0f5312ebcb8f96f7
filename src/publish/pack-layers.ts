/**
 * A custom pack added to a base pack, policy by policy (`python -m posture_engine.pack_layers`):
 * each policy is added or overrides the base's policy of the same PolicyID, each global by
 * GlobalID, and nothing is removed. The one merge rule of `posture scan --policies` (base: the
 * built-in pack) and `posture upload` (base: the target's active pack).
 */
import { z } from 'zod';
import { packArgs, type Baseline } from './bundle-diff.ts';
import { runEngineJson } from './engine-json.ts';

const MergeSchema = z.object({
  contentHash: z.string(),
  /** Policy IDs the base did not have. */
  added: z.array(z.string()),
  /** Policy IDs whose base policy the custom pack's replaces. */
  overridden: z.array(z.string()),
  addedGlobals: z.array(z.string()),
  overriddenGlobals: z.array(z.string()),
});
export type PackMerge = z.infer<typeof MergeSchema>;

const LookupSchema = z.object({ found: z.boolean(), enabled: z.boolean(), close: z.array(z.string()) });
export type PolicyLookup = z.infer<typeof LookupSchema>;

/**
 * Writes `base` + `overlay` as one bundle zip at `out`; says what the overlay added and overrode.
 * Both sides are packs validated already (a built bundle, the built-in pack, directories
 * `posture scan` has tested): their resource types are not checked again here.
 */
export function mergePacks(base: Baseline, overlay: Baseline, out: string): PackMerge {
  return runEngineJson('posture_engine.pack_layers', ['merge', ...packArgs('base', base), ...packArgs('overlay', overlay), '--out', out], MergeSchema, 'pack merge');
}

/** Whether the pack defines a policy (and enables it), with the closest IDs when it does not. */
export function lookupPolicy(pack: Baseline, policyId: string): PolicyLookup {
  return runEngineJson('posture_engine.pack_layers', ['lookup', ...packArgs('base', pack), '--policy', policyId], LookupSchema, 'policy lookup');
}
