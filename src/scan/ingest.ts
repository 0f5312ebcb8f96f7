/**
 * Fresh resources in, persisted state out: diff-write each resource, evaluate all of them (policies
 * may depend on time, so unchanged resources are evaluated too), and write compliance transitions.
 * Shared by the daily scan and the real-time path.
 */
import type { Resource } from '#resources/types.ts';
import { mapLimit } from '#core/errors.ts';
import type { PolicyResult, Trigger } from '#core/types.ts';
import { getResourceType } from '#resources/index.ts';
import type { AlertItem, ComplianceIndex } from '#store/compliance-store.ts';
import { changeHash, type ScopeEntry } from '#store/resource-store.ts';
import type { ScanDeps } from './deps.ts';
import { meterEngine } from '#core/usage.ts';

const WRITE_CONCURRENCY = 8;

export interface IngestOutcome {
  changed: number;
  complianceChanges: number;
  opened: AlertItem[];
  resolved: AlertItem[];
}

/** What the caller already read for the scope: lets unchanged resources cost no store call at all. */
export interface Known {
  stored?: Map<string, ScopeEntry>;
  compliance?: ComplianceIndex;
}

export async function ingest(deps: ScanDeps, resources: readonly Resource[], scope: string, trigger: Trigger, known: Known = {}): Promise<IngestOutcome> {
  const now = deps.clock.now();
  const out: IngestOutcome = { changed: 0, complianceChanges: 0, opened: [], resolved: [] };
  if (resources.length === 0) return out;

  const writes = await mapLimit(resources, WRITE_CONCURRENCY, (r) => {
    const hash = changeHash(r, getResourceType(r.ResourceType, deps.registry).volatileAttributes);
    const stored = known.stored?.get(r.ResourceId);
    if (stored && !stored.deleted && stored.hash === hash) return Promise.resolve(false);
    return deps.resources.putIfChanged(r, scope, now, hash);
  });
  out.changed = writes.filter(Boolean).length;

  const started = performance.now();
  const evaluated = await deps.evaluator.evaluate(resources);
  meterEngine(performance.now() - started);
  const results = deps.exceptions ? (await deps.exceptions.load()).apply(evaluated, now) : evaluated;
  const byResource = new Map<string, PolicyResult[]>();
  for (const r of results) {
    const list = byResource.get(r.resourceId) ?? [];
    list.push(r);
    byResource.set(r.resourceId, list);
  }
  await mapLimit(resources, WRITE_CONCURRENCY, async (res) => {
    const t = await deps.compliance.apply(
      { resourceId: res.ResourceId, resourceType: res.ResourceType, accountId: res.AccountId, region: res.Region, scope },
      byResource.get(res.ResourceId) ?? [],
      trigger,
      now,
      known.compliance && (known.compliance.get(res.ResourceId) ?? new Map()),
    );
    out.complianceChanges += t.changed;
    out.opened.push(...t.opened);
    out.resolved.push(...t.resolved);
  });
  await notify(deps, out.opened, out.resolved);
  return out;
}

/** Tombstones resources that are gone and resolves their alerts. */
export async function removeResources(deps: ScanDeps, resourceIds: readonly string[]): Promise<number> {
  const now = deps.clock.now();
  const resolved: AlertItem[] = [];
  let removed = 0;
  await mapLimit(resourceIds, WRITE_CONCURRENCY, async (id) => {
    if (await deps.resources.tombstone(id, now)) removed++;
    resolved.push(...(await deps.compliance.resourceDeleted(id, now)));
  });
  await notify(deps, [], resolved);
  return removed;
}

async function notify(deps: ScanDeps, opened: AlertItem[], resolved: AlertItem[]): Promise<void> {
  if (deps.onAlerts && (opened.length || resolved.length)) await deps.onAlerts(opened, resolved);
}
