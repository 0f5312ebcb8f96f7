/** Canonical JSON (sorted keys) and its SHA-256: the attribute hash behind diff-only writes. */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function attributesHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
