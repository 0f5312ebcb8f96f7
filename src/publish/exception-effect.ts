/**
 * An exception takes effect on the stored compliance at once, not at the next scan: the stored
 * resources whose verdicts it can change are re-evaluated against the active pack (no rescan), the
 * exceptions are applied exactly as ingest applies them (ExceptionSet), and the results are written
 * through the compliance store — the same transition rules and conditional writes as a scan, so a
 * FAIL that becomes suppressed resolves its open alert and one that is no longer covered opens one.
 * Each write keeps the observation time of the verdict it replaces: a re-evaluation of the stored
 * copy observes nothing new, and a scan that read the resource later still wins.
 */
import { mapLimit } from '#core/errors.ts';
import type { Clock, Evaluator, PolicyResult, Trigger } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';
import type { AlertItem, ComplianceItem } from '#compliance/model.ts';
import type { ExceptionSource } from '#compliance/exceptions.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { ResourceStore } from '#store/resource-store.ts';

const CHUNK = 100;
const CONCURRENCY = 8;

export interface ExceptionEffectDeps {
  resources: Pick<ResourceStore, 'get' | 'getMany'>;
  compliance: Pick<ComplianceStore, 'forPolicy' | 'apply'>;
  /** Evaluates with the target's active pack. */
  evaluator: Evaluator;
  exceptions: ExceptionSource;
  clock: Clock;
}

export interface ExceptionEffect {
  /** Stored verdicts re-evaluated. */
  evaluated: number;
  /** Resource IDs whose FAIL an exception covers now (suppressed, whether or not it was before). */
  covered: string[];
  /** Resource IDs whose FAIL is now suppressed by an exception (it alerted before). */
  suppressed: string[];
  /** Resource IDs whose FAIL alerts again (no exception covers it any more). */
  reopened: string[];
  changed: number;
  opened: AlertItem[];
  resolved: AlertItem[];
}

export const exceptionTrigger = (exceptionId: string): Trigger => `exception:${exceptionId}`;

const alerted = (c: Pick<ComplianceItem, 'status' | 'suppressed'>): boolean => c.status === 'FAIL' && !c.suppressed;

/**
 * Re-evaluates the stored verdicts of `policyId` that `affects` selects (after the exception was
 * added or removed) and writes what changed.
 */
export async function applyExceptionChange(
  deps: ExceptionEffectDeps,
  policyId: string,
  affects: (item: ComplianceItem) => boolean,
  trigger: Trigger,
): Promise<ExceptionEffect> {
  const out: ExceptionEffect = { evaluated: 0, covered: [], suppressed: [], reopened: [], changed: 0, opened: [], resolved: [] };
  const items = (await deps.compliance.forPolicy(policyId)).filter(affects);
  const exceptions = await deps.exceptions.load();
  const now = deps.clock.now();
  for (let i = 0; i < items.length; i += CHUNK) {
    const loaded = await mapLimit(items.slice(i, i + CHUNK), CONCURRENCY, async (item) => {
      const stored = await deps.resources.get(item.resourceId);
      return stored && !stored.deleted ? { item, stored } : undefined;
    });
    const live = loaded.filter((x) => x !== undefined);
    if (live.length === 0) continue;
    const evaluated = await deps.evaluator.evaluate(live.map((x) => x.stored.attributes as Resource), deps.resources);
    const results = new Map<string, PolicyResult>();
    for (const r of exceptions.apply(evaluated.filter((r) => r.policyId === policyId), now)) results.set(r.resourceId, r);
    await mapLimit(live, CONCURRENCY, async ({ item, stored }) => {
      const r = results.get(item.resourceId);
      if (!r) return; // the active pack no longer applies the policy here: the next upload or scan removes the pair
      out.evaluated++;
      if (r.status === 'FAIL' && r.suppressedBy) out.covered.push(item.resourceId);
      const ref = { resourceId: stored.resourceId, resourceType: stored.resourceType, accountId: stored.accountId, region: stored.region, scope: stored.scope };
      const observedAt = new Date(item.observedAt ?? item.lastChanged);
      const t = await deps.compliance.apply(ref, [r], trigger, now, { current: new Map([[policyId, item]]), observedAt });
      out.changed += t.changed;
      out.opened.push(...t.opened);
      out.resolved.push(...t.resolved);
      if (t.changed === 0) return;
      if (alerted(item) && r.status === 'FAIL' && r.suppressedBy) out.suppressed.push(item.resourceId);
      if (!alerted(item) && alerted(r)) out.reopened.push(item.resourceId);
    });
  }
  out.covered.sort();
  out.suppressed.sort();
  out.reopened.sort();
  return out;
}
