/**
 * The TypeScript side of `resource_lookup` (python-runtime/posture_engine/lookup.py). The engine
 * holds no credentials to the inventory, so a policy that looks up another resource makes its
 * resource come back under `retry` with the IDs it asked for; these are read from the resource
 * store in one batch per round, cached for the evaluation, counted in the scope's usage
 * (`lookups`), and sent with the resource again. An ID that is not stored (or deleted) is sent as
 * null, which the policy sees as BadLookup.
 */
import type { Resource } from '#core/resource.ts';
import type { LookupSource } from '#core/types.ts';
import { meterLookups } from '#core/usage.ts';

/** Rounds of retries one evaluation may take (the engine allows 20 lookups per policy evaluation, each at most one round). */
export const MAX_LOOKUP_ROUNDS = 25;

/** What one evaluation has read so far: each ID is read once. */
export class LookupCache {
  private readonly known = new Map<string, Resource | null>();

  constructor(private readonly source: LookupSource | undefined) {}

  /** Reads the IDs not read yet. Without a source, a lookup cannot be answered truthfully: an error, never "not found". */
  async supply(ids: readonly string[], askedBy: string): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.known.has(id));
    if (!missing.length) return;
    if (!this.source) throw new Error(`policy engine: the policies of ${askedBy} call resource_lookup, but this evaluation has no inventory to read`);
    const found = await this.source.getMany(missing);
    for (const id of missing) this.known.set(id, found.get(id) ?? null);
    meterLookups(missing.length);
  }

  /** The request's `lookups` for these IDs (each supplied before). */
  subset(ids: Iterable<string>): Record<string, Resource | null> {
    const out: Record<string, Resource | null> = {};
    for (const id of ids) out[id] = this.known.get(id) ?? null;
    return out;
  }
}
