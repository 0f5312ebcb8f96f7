/**
 * Panther-model JSON for services whose API members are camelCase (CloudWatch Logs, ECS, EKS).
 *
 * Panther serialized aws-sdk-go v1 structs, whose field names are the API member names with the
 * first letter capitalized (`clusterArn` → `ClusterArn`), so Panther policies read PascalCase keys
 * at every depth. `pascalShape` works like `shape` (every modeled member present, null when unset,
 * RFC 3339 dates, base64 blobs) and also capitalizes structure member names. Map keys (tags,
 * labels, …) are data and stay as they are.
 */
import type { StaticStructureSchema } from '@smithy/types';
import { shape } from './shape.ts';

function resolve(ref: unknown): unknown {
  let s = ref;
  for (let i = 0; i < 32; i++) {
    if (typeof s === 'function') s = (s as () => unknown)();
    // member schema: [schema, traits]
    else if (Array.isArray(s) && s.length === 2) s = s[0];
    // simple schema with a name and traits: [0, ns, name, traits, schema]
    else if (Array.isArray(s) && s[0] === 0 && s.length >= 5) s = s[4];
    else return s;
  }
  throw new Error('shape: schema reference does not resolve');
}

/** `clusterArn` → `ClusterArn`. */
export const pascal = (name: string): string => (name ? name[0]!.toUpperCase() + name.slice(1) : name);

/** `value` as Panther-model JSON following `schema`, structure members in PascalCase. */
export function pascalShape(schema: unknown, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const s = resolve(schema);
  if (!Array.isArray(s)) return shape(s, value);
  const kind = s[0] as number;
  if (kind === 1) return Array.isArray(value) ? value.map((v) => pascalShape(s[4], v)) : shape(s, value);
  if (kind === 2) {
    if (typeof value !== 'object') return shape(s, value);
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, pascalShape(s[5], v)]));
  }
  if (kind === 3 || kind === -3 || kind === 4) {
    if (typeof value !== 'object') return shape(s, value);
    const names = s[4] as string[];
    const members = s[5] as unknown[];
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    names.forEach((name, i) => {
      out[pascal(name)] = pascalShape(members[i], v[name]);
    });
    return out;
  }
  return shape(s, value);
}

/** Each element of `items` shaped by `pascalShape`; null when there are none (Panther convention). */
export function pascalShapeList(schema: StaticStructureSchema, items: readonly unknown[] | undefined | null): unknown[] | null {
  if (!items || items.length === 0) return null;
  return items.map((item) => pascalShape(schema, item));
}

/** A shaped AWS object's fields without the keys the common model owns (`Tags`, `Arn`, …). */
export function apiFields(shaped: unknown, ...drop: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof shaped !== 'object' || shaped === null) return out;
  for (const [k, v] of Object.entries(shaped)) if (!drop.includes(k)) out[k] = v;
  return out;
}
