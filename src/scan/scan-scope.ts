/**
 * ScanScope: scans a batch of scopes within a time budget. Each scope is listed page by page,
 * described, ingested and finally reconciled (stored IDs that were not listed are tombstoned).
 * When time runs out mid-scope it returns a cursor with the page token, and the state machine
 * calls it again; the IDs seen so far are parked in the scan bucket so reconciliation stays exact.
 */
import { type Account, excludesResource } from '#accounts/account.ts';
import { getResourceType } from '#resources/index.ts';
import type { ResourceType, ScanContext, ScanTarget } from '#resources/types.ts';
import type { Resource } from '#core/resource.ts';
import { classifyError, describeError, mapLimit } from '#core/errors.ts';
import { scopeKey, type Scope, type Trigger } from '#core/types.ts';
import type { Provenance } from '#core/provenance.ts';
import { cachedExceptions } from '#compliance/exceptions.ts';
import type { ScanDeps } from './deps.ts';
import { ingest, removeResources, type Known } from './ingest.ts';
import { addUsage, emptyUsage, metered, type Usage } from '#core/usage.ts';
import type { ScanBatchInput, ScanBatchOutput, ScanCursor } from './batch-contract.ts';
import { seenIdsKey } from '#store/bucket-layout.ts';

/** Describe calls of one scope in flight at once (the scale model's API-rate ceiling uses it). */
export const DESCRIBE_CONCURRENCY = 8;

export type { ScanBatchInput, ScanBatchOutput, ScanCursor } from './batch-contract.ts';

export interface ScanBudget {
  /** Epoch ms after which no new page is started. */
  deadline: number;
  trigger?: Trigger;
  /** The CloudTrail events behind a real-time region or account rescan (kept on what it writes). */
  provenance?: Provenance;
  /** Called after each page (progress display). */
  onPage?: (scope: Scope, resources: number) => void;
}

export function scanTarget(deps: Pick<ScanDeps, 'partition' | 'homeRegion'>, scope: Scope): ScanTarget {
  return { accountId: scope.accountId, region: scope.region === 'global' ? deps.homeRegion : scope.region, partition: deps.partition };
}

export function scanContext(deps: ScanDeps, account: Account, scope: Scope): ScanContext {
  const target = scanTarget(deps, scope);
  return {
    ...target,
    clients: deps.access.clients(account, target.region),
    cache: new Map(),
    now: () => deps.clock.now(),
    excludeRegions: account.excludeRegions,
  };
}


export async function scanBatch(batchDeps: ScanDeps, input: ScanBatchInput, budget: ScanBudget): Promise<ScanBatchOutput> {
  // Exceptions are read once per batch, not per resource.
  const deps: ScanDeps = batchDeps.exceptions ? { ...batchDeps, exceptions: cachedExceptions(batchDeps.exceptions) } : batchDeps;
  const accounts = new Map<string, Account | undefined>();
  let cursor: ScanCursor = input.cursor ?? { index: 0 };
  while (cursor.index < input.scopes.length) {
    const scope = input.scopes[cursor.index]!;
    if (!accounts.has(scope.accountId)) accounts.set(scope.accountId, await deps.accounts.get(scope.accountId));
    const usage = addUsage(emptyUsage(), cursor.usage);
    const result = await metered(usage, () => scanScope(deps, input.scanId, scope, accounts.get(scope.accountId), cursor, budget, usage));
    if (result) return { ...input, cursor: result, done: false };
    cursor = { index: cursor.index + 1 };
    if (Date.now() >= budget.deadline && cursor.index < input.scopes.length) return { ...input, cursor, done: false };
  }
  return { ...input, cursor, done: true };
}

/**
 * Scans one scope from `cursor`. Returns a continuation cursor when time ran out, else undefined.
 * Runs inside `metered(usage)`: what it uses is counted there, on top of earlier invocations'.
 */
async function scanScope(
  deps: ScanDeps,
  scanId: string,
  scope: Scope,
  account: Account | undefined,
  cursor: ScanCursor,
  budget: ScanBudget,
  usage: Usage,
): Promise<ScanCursor | undefined> {
  const key = scopeKey(scope);
  const startedAt = cursor.startedAt ?? deps.clock.now().toISOString();
  let resourceCount = cursor.resourceCount ?? 0;
  let changedCount = cursor.changedCount ?? 0;
  let staleCount = cursor.staleCount ?? 0;
  const finish = async (outcome: Parameters<ScanDeps['ledger']['record']>[0]['outcome'], message: string | null, deletedCount = 0) =>
    deps.ledger.record({
      scanId,
      scope: key,
      accountId: scope.accountId,
      region: scope.region,
      resourceType: scope.resourceType,
      startedAt,
      finishedAt: deps.clock.now().toISOString(),
      resourceCount,
      changedCount,
      deletedCount,
      ...(staleCount ? { staleCount } : {}),
      outcome,
      message,
      trigger: budget.trigger ?? 'scheduled',
      // The ledger write itself is not in it: the entry is written with the numbers it carries.
      usage: { ...usage },
    });

  if (!account || !account.enabled) {
    await finish('ERROR', `account ${scope.accountId} is not onboarded or is disabled`);
    return undefined;
  }
  try {
    const type = getResourceType(scope.resourceType, deps.registry);
    const ctx = scanContext(deps, account, scope);
    const seen = new Set<string>();
    // One read each of the scope's stored hashes and compliance: unchanged resources then cost
    // no store call at all (writes follow change).
    let since: Promise<string | undefined> | undefined;
    const known = {
      stored: await deps.resources.scopeIndex(key),
      compliance: await deps.compliance.forScope(key),
      since: () => (since ??= deps.ledger.lastVerifiedStart(key)),
    };
    let token = cursor.pageToken;
    do {
      const page = await scanPage(deps, type, ctx, account, key, token, budget.trigger ?? 'scheduled', known, budget.provenance);
      page.ids.forEach((id) => seen.add(id));
      resourceCount += page.stored;
      changedCount += page.changed;
      staleCount += page.stale;
      budget.onPage?.(scope, page.stored);
      token = page.nextPageToken;
      if (token && Date.now() >= budget.deadline) {
        const part = cursor.seenParts ?? 0;
        await deps.blobs.putJson(seenIdsKey(scanId, scope, part), [...seen]);
        return { index: cursor.index, pageToken: token, seenParts: part + 1, startedAt, resourceCount, changedCount, staleCount, usage: { ...usage } };
      }
    } while (token);

    for (let part = 0; part < (cursor.seenParts ?? 0); part++) {
      (await deps.blobs.getJson<string[]>(seenIdsKey(scanId, scope, part))).forEach((id) => seen.add(id));
    }
    // Reconciliation runs only after a complete listing: a failed scope never deletes anything.
    // Against the snapshot taken at the start of this invocation: a resource a real-time rescan
    // added since is not in it (so it stays), and one it tombstoned since is a no-op here. The
    // absence was observed no later than the listing's start: a resource a real-time rescan saw
    // alive after that (recreated meanwhile) is not tombstoned.
    const gone = [...known.stored].filter(([id, e]) => !e.deleted && !seen.has(id)).map(([id]) => id);
    const trigger = budget.trigger ?? 'scheduled';
    const removal = await removeResources(deps, gone, new Date(startedAt), {
      trigger,
      ...(budget.provenance ? { provenance: budget.provenance } : gone.length ? { since: await known.since() } : {}),
    });
    staleCount += removal.stale;
    await finish('OK', null, removal.removed);
  } catch (err) {
    deps.log.warn('scope not evaluated', { scope: key, error: describeError(err) });
    await finish(classifyError(err), describeError(err));
  }
  return undefined;
}

interface PageOutcome {
  /** IDs of every listed resource (for reconciliation), excluded ones left out so they drop from inventory. */
  ids: string[];
  stored: number;
  changed: number;
  stale: number;
  nextPageToken?: string;
}

async function scanPage(
  deps: ScanDeps,
  type: ResourceType,
  ctx: ScanContext,
  account: Account,
  scope: string,
  pageToken: string | undefined,
  trigger: Trigger,
  known: Known,
  provenance: Provenance | undefined,
): Promise<PageOutcome> {
  // The page's observation time: taken before the listing, so no verdict it yields can claim to
  // be newer than what AWS said after this moment.
  const observedAt = deps.clock.now();
  const page = await type.list(ctx, pageToken);
  const wanted = page.refs.filter((ref) => {
    const id = type.resourceId(ctx, ref);
    return !(id && excludesResource(account, id));
  });
  const described = await mapLimit(wanted, DESCRIBE_CONCURRENCY, (ref) => type.describe(ctx, ref));
  const resources = described.filter((r): r is Resource => r !== null && !excludesResource(account, r.ResourceId));
  const outcome = await ingest(deps, resources, scope, trigger, { observedAt, known, ...(provenance ? { provenance } : {}) });
  if (outcome.stale) deps.log.info('stale writes dropped: the store holds newer observations', { scope, stale: outcome.stale });
  return { ids: resources.map((r) => r.ResourceId), stored: resources.length, changed: outcome.changed, stale: outcome.stale, nextPageToken: page.nextPageToken };
}

/** Scans one whole scope now, without a time limit (real-time region/account rescans, local runs). */
export async function scanWholeScope(deps: ScanDeps, scanId: string, scope: Scope, trigger: Trigger, provenance?: Provenance): Promise<void> {
  await scanBatch(deps, { scanId, scopes: [scope] }, { deadline: Number.POSITIVE_INFINITY, trigger, ...(provenance ? { provenance } : {}) });
}
