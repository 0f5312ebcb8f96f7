/**
 * Runs a scan's scopes several at a time while keeping what `resource_lookup` needs: a scope whose
 * type reads other types' stored resources (the registry's `lookupsFrom`: an IAM user's groups and
 * policies) starts only after those types' scopes of the same account have finished, so a first
 * scan can answer its lookups. Scopes start in dependency order (types with nothing to wait for
 * first, the plan's order kept within); a scope that must wait takes no slot meanwhile. A scope that
 * throws does not stop the others; the first error is thrown when all have finished.
 */
import type { Scope } from '#core/types.ts';
import type { AnyResourceType } from '#resources/index.ts';

/** How many lookup levels sit below a type (0: it looks nothing up). */
function depthOf(type: string, byType: ReadonlyMap<string, AnyResourceType>, seen: ReadonlySet<string> = new Set()): number {
  const from = byType.get(type)?.lookupsFrom ?? [];
  // A cycle would be a registry mistake; it must not hang a scan, so it stops counting.
  if (seen.has(type)) return 0;
  const next = new Set([...seen, type]);
  return from.length ? 1 + Math.max(...from.map((t) => depthOf(t, byType, next))) : 0;
}

/** Type → how many lookup levels sit below it, for the types of `registry`. */
export function lookupDepths(registry: readonly AnyResourceType[]): Map<string, number> {
  const byType = new Map(registry.map((t) => [t.type, t]));
  return new Map(registry.map((t) => [t.type, depthOf(t.type, byType)]));
}

export async function runScopes(scopes: readonly Scope[], registry: readonly AnyResourceType[], concurrency: number, run: (scope: Scope) => Promise<void>): Promise<void> {
  const byType = new Map(registry.map((t) => [t.type, t]));
  const depth = new Map([...new Set(scopes.map((s) => s.resourceType))].map((t) => [t, depthOf(t, byType)]));
  const pending = scopes.map((scope, i) => ({ scope, i })).sort((a, b) => depth.get(a.scope.resourceType)! - depth.get(b.scope.resourceType)! || a.i - b.i).map((e) => e.scope);
  // Scopes of each account × type not finished yet (whatever their outcome: a failed scope is in
  // the ledger, and a lookup then says what it could not find).
  const unfinished = new Map<string, number>();
  const key = (accountId: string, type: string) => `${accountId}#${type}`;
  for (const s of pending) unfinished.set(key(s.accountId, s.resourceType), (unfinished.get(key(s.accountId, s.resourceType)) ?? 0) + 1);
  const ready = (s: Scope) => (byType.get(s.resourceType)?.lookupsFrom ?? []).every((t) => !unfinished.get(key(s.accountId, t)));
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const start = (s: Scope) => {
    const task: Promise<void> = run(s)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        unfinished.set(key(s.accountId, s.resourceType), unfinished.get(key(s.accountId, s.resourceType))! - 1);
        running.delete(task);
      });
    running.add(task);
  };
  while (pending.length || running.size) {
    // A waiting scope never takes a slot: the first ready one in order does.
    for (let i = 0; running.size < concurrency && i < pending.length; ) {
      if (ready(pending[i]!)) start(pending.splice(i, 1)[0]!);
      else i++;
    }
    // Nothing can run and nothing runs: only a registry cycle does this; run in order rather than hang.
    if (!running.size && pending.length) start(pending.shift()!);
    await Promise.race(running);
  }
  if (failure) throw failure.error;
}
