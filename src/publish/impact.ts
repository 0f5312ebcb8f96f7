/**
 * The impact of publishing a bundle, from the stored inventory alone (no rescans): the stored
 * resources of the affected types are evaluated against the new bundle and compared with their
 * stored compliance, per policy. The same comparison decides what `applyImpact` writes, so the
 * printed impact is what the compliance path then does (alerts open on new failures, resolve on
 * fixes, suppressions and removed policies). A FAIL that stops alerting only because an exception
 * covers it now (added since it was stored) is the exception's doing: counted apart, not as resolved.
 */
import { mapLimit } from '#core/errors.ts';
import type { Clock, Evaluator, PolicyResult } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { ComplianceItem, ResourceRef } from '#compliance/model.ts';
import { planRemoval, planTransition } from '#compliance/transition.ts';
import { uploadTrigger } from './apply-impact.ts';
import type { ExceptionSource } from '#compliance/exceptions.ts';
import type { ResourceStore } from '#store/resource-store.ts';
import type { BundleDiff, PolicyChange } from './bundle-diff.ts';

/** Resources read and evaluated per round (bounded memory for the resources themselves). */
const CHUNK = 100;
const READ_CONCURRENCY = 8;

export interface ImpactDeps {
  resources: Pick<ResourceStore, 'idsOfType' | 'get' | 'getMany'>;
  compliance: Pick<ComplianceStore, 'forResource'>;
  /** Evaluates with the new bundle. */
  evaluator: Evaluator;
  exceptions?: ExceptionSource;
  clock: Clock;
}

export interface PolicyImpact {
  policyId: string;
  change: PolicyChange['change'];
  /** Resources the new bundle evaluated against this policy. */
  evaluated: number;
  /** Resource IDs that become unsuppressed FAILs (an alert opens for each). */
  newFailures: string[];
  /** Resource IDs whose open finding the bundle resolves: PASS, suppressed by the policy, or the policy no longer applies. */
  resolved: string[];
  /** Resource IDs whose open finding goes away only because an exception covers the FAIL now: the exception's doing, not the bundle's. */
  suppressedByException: string[];
  /** Resource IDs that become ERROR (listed, never alerted). */
  newErrors: string[];
}

/** One resource's writes: its new results, and the stored pairs no policy of the bundle produces any more. */
export interface ResourceWrite {
  ref: ResourceRef;
  results: PolicyResult[];
  current: Map<string, ComplianceItem>;
  stale: ComplianceItem[];
  /** When the stored resource was read: a verdict observed after it (a real-time rescan) is not replaced. */
  observedAt: Date;
}

export interface Impact {
  fromHash: string;
  toHash: string;
  /** The re-evaluated types (every registry type when an affected policy lists none). */
  types: string[];
  resources: number;
  policies: PolicyImpact[];
  totals: { newFailures: number; resolved: number; suppressedByException: number; newErrors: number };
}


export async function computeImpact(deps: ImpactDeps, diff: BundleDiff, types: readonly string[]): Promise<{ impact: Impact; writes: ResourceWrite[] }> {
  const changes = new Map(diff.policies.map((p) => [p.id, p.change]));
  const byPolicy = new Map<string, PolicyImpact>();
  const entry = (policyId: string): PolicyImpact => {
    let e = byPolicy.get(policyId);
    if (!e) byPolicy.set(policyId, (e = { policyId, change: changes.get(policyId) ?? 'unchanged', evaluated: 0, newFailures: [], resolved: [], suppressedByException: [], newErrors: [] }));
    return e;
  };
  // Every added, changed or removed policy is listed, even when no stored resource moves.
  for (const p of diff.policies) if (p.change !== 'unchanged') entry(p.id);

  const writes: ResourceWrite[] = [];
  let resources = 0;
  const now = deps.clock.now();
  const exceptions = deps.exceptions ? await deps.exceptions.load() : undefined;
  for (const type of types) {
    const ids = await deps.resources.idsOfType(type);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const loaded = await mapLimit(ids.slice(i, i + CHUNK), READ_CONCURRENCY, async (id) => {
        const [stored, current] = await Promise.all([deps.resources.get(id), deps.compliance.forResource(id)]);
        return stored && !stored.deleted ? { stored, current } : undefined;
      });
      const live = loaded.filter((x) => x !== undefined);
      if (live.length === 0) continue;
      resources += live.length;
      const evaluated = await deps.evaluator.evaluate(live.map((x) => x.stored.attributes as Resource), deps.resources);
      const results = exceptions ? exceptions.apply(evaluated, now) : evaluated;
      const byResource = new Map<string, PolicyResult[]>();
      for (const r of results) byResource.set(r.resourceId, [...(byResource.get(r.resourceId) ?? []), r]);

      for (const { stored, current } of live) {
        const mine = byResource.get(stored.resourceId) ?? [];
        const ref = { resourceId: stored.resourceId, resourceType: stored.resourceType, accountId: stored.accountId, region: stored.region, scope: stored.scope };
        // The store's own rules decide (src/compliance/transition.ts): the preview is what applyImpact writes.
        const ctx = { resource: ref, trigger: uploadTrigger(diff.newHash), now, observedAt: now.toISOString() };
        for (const r of mine) {
          const prev = current.get(r.policyId);
          const e = entry(r.policyId);
          e.evaluated++;
          const t = planTransition(prev, r, ctx);
          if (t.kind !== 'change') continue;
          if (t.opened) e.newFailures.push(stored.resourceId);
          if (t.resolved) (r.status === 'FAIL' && r.suppressedBy ? e.suppressedByException : e.resolved).push(stored.resourceId);
          if (t.item.status === 'ERROR' && prev?.status !== 'ERROR') e.newErrors.push(stored.resourceId);
        }
        const produced = new Set(mine.map((r) => r.policyId));
        const stale = [...current.values()].filter((c) => !produced.has(c.policyId));
        for (const c of stale) {
          const removal = planRemoval(c, now, ctx.trigger);
          if (removal.kind === 'remove' && removal.resolved) entry(c.policyId).resolved.push(stored.resourceId);
        }
        writes.push({
          ref,
          results: mine,
          current,
          stale,
          observedAt: now,
        });
      }
    }
  }

  const policies = [...byPolicy.values()]
    .filter((p) => p.change !== 'unchanged' || p.newFailures.length || p.resolved.length || p.suppressedByException.length || p.newErrors.length)
    .sort((a, b) => a.policyId.localeCompare(b.policyId));
  const sum = (k: 'newFailures' | 'resolved' | 'suppressedByException' | 'newErrors') => policies.reduce((n, p) => n + p[k].length, 0);
  return {
    impact: { fromHash: diff.oldHash, toHash: diff.newHash, types: [...types], resources, policies, totals: { newFailures: sum('newFailures'), resolved: sum('resolved'), suppressedByException: sum('suppressedByException'), newErrors: sum('newErrors') },
    },
    writes,
  };
}
