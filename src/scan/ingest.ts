/**
 * Fresh resources in, persisted state out: diff-write each resource, evaluate all of them (policies
 * may depend on time, so unchanged resources are evaluated too), and write compliance transitions.
 * Shared by the daily scan and the real-time path. Every write carries the time its resource was
 * observed (taken before the API call that read it): the stores drop a write whose observation is
 * older than the one they hold, so a slow scan page never overwrites a newer real-time verdict.
 */
import type { Resource } from '#core/resource.ts';
import { mapLimit } from '#core/errors.ts';
import type { Provenance } from '#core/provenance.ts';
import type { PolicyResult, Trigger } from '#core/types.ts';
import { getResourceType } from '#resources/index.ts';
import type { AlertItem, ComplianceIndex } from '#compliance/model.ts';
import { changeHash, type ScopeEntry } from '#store/resource-store.ts';
import type { ScanDeps } from './deps.ts';
import { meterEngine } from '#core/usage.ts';

const WRITE_CONCURRENCY = 8;

export interface IngestOutcome {
  changed: number;
  complianceChanges: number;
  /** Resource and compliance writes dropped because the store held a newer observation. */
  stale: number;
  opened: AlertItem[];
  resolved: AlertItem[];
}

/** What the caller already read for the scope: lets unchanged resources cost no store call at all. */
export interface Known {
  stored?: Map<string, ScopeEntry>;
  compliance?: ComplianceIndex;
  /**
   * When the scope's previous successful scan started (read once, only when something changed):
   * the lower bound of the window in which a change a scan found happened.
   */
  since?: () => Promise<string | undefined>;
}

export interface IngestOptions {
  /** When the resources were read from AWS (before the call). */
  observedAt: Date;
  known?: Known;
  /**
   * Record the observation even where nothing changed (real-time rescans: a few resources, racing
   * scan pages that read them earlier). The daily scan leaves it off: unchanged means no write.
   */
  touch?: boolean;
  /** The CloudTrail events behind a real-time rescan: kept on the versions, transitions and alerts it writes. */
  provenance?: Provenance;
}

export async function ingest(deps: ScanDeps, resources: readonly Resource[], scope: string, trigger: Trigger, opts: IngestOptions): Promise<IngestOutcome> {
  const now = deps.clock.now();
  const { observedAt, known = {} } = opts;
  const out: IngestOutcome = { changed: 0, complianceChanges: 0, stale: 0, opened: [], resolved: [] };
  if (resources.length === 0) return out;

  const volatiles = resources.map((r) => getResourceType(r.ResourceType, deps.registry).volatileAttributes);
  const hashes = resources.map((r, i) => changeHash(r, volatiles[i]));
  const knownUnchanged = resources.map((r, i) => {
    const stored = known.stored?.get(r.ResourceId);
    return stored !== undefined && !stored.deleted && stored.hash === hashes[i];
  });
  // A scan's window starts at the scope's previous scan: read only when this page changed something.
  const since = !opts.provenance && known.since && knownUnchanged.some((u) => !u) ? await known.since() : undefined;
  const writes = await mapLimit(resources, WRITE_CONCURRENCY, async (r, i) => {
    if (knownUnchanged[i]) return Promise.resolve('unchanged' as const);
    const volatile = volatiles[i];
    const cause = { trigger, ...(opts.provenance ? { provenance: opts.provenance } : {}), ...(since ? { since } : {}), ...(volatile ? { volatile } : {}) };
    const outcome = await deps.resources.putIfChanged(r, scope, now, hashes[i], observedAt, cause);
    if (outcome === 'unchanged' && opts.touch) await deps.resources.touch(r.ResourceId, observedAt);
    return outcome;
  });
  out.changed = writes.filter((w) => w === 'written').length;
  out.stale = writes.filter((w) => w === 'stale').length;

  const started = performance.now();
  const evaluated = await deps.evaluator.evaluate(resources, deps.resources);
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
      {
        current: known.compliance && (known.compliance.get(res.ResourceId) ?? new Map()),
        observedAt,
        touch: opts.touch,
        // The engine answered every policy that runs on the resource: pairs of others go.
        complete: true,
        ...(opts.provenance ? { provenance: opts.provenance } : {}),
        ...(since ? { since } : {}),
      },
    );
    out.complianceChanges += t.changed;
    out.stale += t.stale;
    out.opened.push(...t.opened);
    out.resolved.push(...t.resolved);
  });
  await notify(deps, out.opened, out.resolved);
  return out;
}

/**
 * Tombstones resources that AWS said were gone at `observedAt` and resolves their alerts. A
 * resource (or result) observed after that — say, recreated and rescanned in real time — stays.
 */
export async function removeResources(
  deps: ScanDeps,
  resourceIds: readonly string[],
  observedAt: Date,
  cause: { trigger: Trigger; provenance?: Provenance; since?: string } = { trigger: 'scheduled' },
): Promise<{ removed: number; stale: number }> {
  const now = deps.clock.now();
  const resolved: AlertItem[] = [];
  let removed = 0;
  let stale = 0;
  await mapLimit(resourceIds, WRITE_CONCURRENCY, async (id) => {
    const t = await deps.resources.tombstone(id, now, observedAt, cause);
    if (t === 'written') removed++;
    if (t === 'stale') stale++;
    const d = await deps.compliance.resourceDeleted(id, now, observedAt, cause);
    resolved.push(...d.resolved);
    stale += d.stale;
  });
  await notify(deps, [], resolved);
  return { removed, stale };
}

async function notify(deps: ScanDeps, opened: AlertItem[], resolved: AlertItem[]): Promise<void> {
  if (deps.onAlerts && (opened.length || resolved.length)) await deps.onAlerts(opened, resolved);
}
