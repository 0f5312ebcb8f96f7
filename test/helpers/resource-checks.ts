/**
 * Checks shared by registry-type tests: paging an emulator that ignores MaxResults, listing every
 * page, and asserting that a resource carries exactly the documented keys as plain JSON.
 */
import { expect } from 'vitest';
import type { ResourceType, ScanContext } from '../../src/resources/types.ts';
import type { Resource } from '../../src/core/resource.ts';
import { COMMON_KEYS } from './intercept.ts';

/** One page of `items`: `size` items from the numeric `token` on, and the next token. */
export function sliced<T>(items: readonly T[], size: number, token?: string): { page: T[]; next: string | undefined } {
  const from = Number(token ?? 0);
  const to = from + size;
  return { page: items.slice(from, to), next: to < items.length ? String(to) : undefined };
}

/** Every page of a type's `list`, following nextPageToken. */
export async function listAll<Ref>(type: ResourceType<Ref>, ctx: ScanContext): Promise<{ refs: Ref[]; pages: number }> {
  const refs: Ref[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await type.list(ctx, token);
    refs.push(...page.refs);
    token = page.nextPageToken;
    pages++;
  } while (token && pages < 1000);
  return { refs, pages };
}

/** Exactly the common keys plus the type's documented attributes, as plain JSON (no SDK
 *  metadata, no undefined, no Date objects). */
export function expectDocumentedKeys(resource: Resource, attributes: readonly { name: string }[]): void {
  expect(Object.keys(resource).sort()).toEqual([...COMMON_KEYS, ...attributes.map((a) => a.name)].sort());
  const json = JSON.stringify(resource);
  expect(json).not.toContain('$metadata');
  expect(JSON.parse(json)).toStrictEqual(resource);
}
