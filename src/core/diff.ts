/**
 * A structural diff of two resource states: which paths were added, removed or changed, with a
 * short preview of each value — what a resource version records and `posture resources history`
 * shows. Objects are compared key by key; arrays of the same length element by element, else as
 * multisets (an element that moved is not a change; one that appeared or went is).
 */
import { canonicalJson } from './canonical.ts';
import type { DiffEntry, StructuralDiff } from './history.ts';

export type { DiffEntry, StructuralDiff } from './history.ts';

export const MAX_ENTRIES = 200;
const PREVIEW = 300;

const preview = (v: unknown): string => {
  const s = canonicalJson(v) ?? 'null';
  return s.length > PREVIEW ? `${s.slice(0, PREVIEW)}…` : s;
};
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const keyPath = (base: string, key: string): string => (base ? `${base}.${key}` : key);

export function structuralDiff(before: unknown, after: unknown): StructuralDiff {
  const out: StructuralDiff = { added: [], removed: [], changed: [] };
  let count = 0;
  const push = (list: DiffEntry[], e: DiffEntry) => {
    if (count++ < MAX_ENTRIES) list.push(e);
  };
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isObject(a) && isObject(b)) {
      for (const k of Object.keys(a).sort()) {
        if (!(k in b)) push(out.removed, { path: keyPath(path, k), before: preview(a[k]) });
        else walk(a[k], b[k], keyPath(path, k));
      }
      for (const k of Object.keys(b).sort()) if (!(k in a)) push(out.added, { path: keyPath(path, k), after: preview(b[k]) });
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length === b.length) {
        a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`));
        return;
      }
      // Different lengths: which elements went and which came (by content, counting repeats).
      const left = new Map<string, number[]>();
      a.forEach((x, i) => {
        const k = canonicalJson(x);
        left.set(k, [...(left.get(k) ?? []), i]);
      });
      b.forEach((x, i) => {
        const k = canonicalJson(x);
        const at = left.get(k);
        if (at?.length) at.shift();
        else push(out.added, { path: `${path}[${i}]`, after: preview(x) });
      });
      for (const idx of left.values()) for (const i of idx) push(out.removed, { path: `${path}[${i}]`, before: preview(a[i]) });
      return;
    }
    if (canonicalJson(a) !== canonicalJson(b)) push(out.changed, { path: path || '(root)', before: preview(a), after: preview(b) });
  };
  walk(before, after, '');
  if (count > MAX_ENTRIES) out.more = count - MAX_ENTRIES;
  return out;
}

/** True when the diff lists nothing (the states are the same). */
export const emptyDiff = (d: StructuralDiff): boolean => d.added.length + d.removed.length + d.changed.length === 0 && !d.more;
