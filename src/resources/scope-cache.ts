/**
 * The per-scope memo every registry module shares (`ScanContext.cache`, one Map per scope):
 * list pages return whole objects, and `remember`/`take` let the describe of a listed resource
 * reuse it once instead of asking AWS again; `scopeMemo` computes a per-scope lookup (a region's
 * SSL policies, its scaling targets, the account's regions) once, never memoizing a failure.
 */
import type { ScanContext } from './types.ts';

/** Keeps a listed item for this scope's describe of it. */
export function remember<T>(ctx: ScanContext, key: string, value: T): void {
  ctx.cache.set(key, Promise.resolve(value));
}

/** The listed item, once: a later describe in the same scope (a real-time rescan) asks AWS again. */
export async function take<T>(ctx: ScanContext, key: string): Promise<T | undefined> {
  const hit = ctx.cache.get(key) as Promise<T> | undefined;
  if (!hit) return undefined;
  ctx.cache.delete(key);
  return hit;
}

/** `make()`'s promise, created once per scope under `key`. A failure is not memoized. */
export function scopeMemo<T>(ctx: ScanContext, key: string, make: () => Promise<T>): Promise<T> {
  const cached = ctx.cache.get(key) as Promise<T> | undefined;
  if (cached) return cached;
  const mine = make();
  mine.catch(() => {
    if (ctx.cache.get(key) === mine) ctx.cache.delete(key);
  });
  ctx.cache.set(key, mine);
  return mine;
}
