/**
 * Turning SDK v3 output into Panther-model JSON.
 *
 * Panther's poller serialized aws-sdk-go v1 structs, where every member of a nested AWS shape is
 * present (null when unset). Panther policies rely on that: `grant['Grantee']['URI']` must not
 * raise KeyError for a CanonicalUser grant. SDK v3 omits unset members, so nested shapes are
 * rebuilt here from the SDK's own static schemas (the `Foo$` exports of each client, a public
 * `@smithy/types` format): every modeled member present, null when unset, unmodeled fields (and
 * `$metadata`) dropped, Dates as RFC 3339 strings, blobs as base64.
 */
import type { StaticStructureSchema } from '@smithy/types';

/** A schema reference as found inside static schemas (lazy function, member tuple, id). */
type SchemaRef = unknown;

function resolve(ref: SchemaRef): SchemaRef {
  let s = ref;
  for (let i = 0; i < 32; i++) {
    if (typeof s === 'function') s = (s as () => SchemaRef)();
    // member schema: [schema, traits]
    else if (Array.isArray(s) && s.length === 2) s = s[0];
    // simple schema with a name and traits: [0, ns, name, traits, schema]
    else if (Array.isArray(s) && s[0] === 0 && s.length >= 5) s = s[4];
    else return s;
  }
  throw new Error('shape: schema reference does not resolve');
}

/** A Date (or date-like) as an RFC 3339 string. */
export function iso(value: Date | string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${String(value)}`);
  return d.toISOString();
}

function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '$metadata') out[k] = plain(v);
    return out;
  }
  return value;
}

/**
 * `value` as Panther-model JSON following `schema`: structures carry every modeled member.
 * Unset (undefined/null) becomes null.
 */
export function shape(schema: SchemaRef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const s = resolve(schema);
  // Simple ids (string, number, timestamp, blob, lists and maps of those) and documents.
  if (!Array.isArray(s)) return plain(value);
  const kind = s[0] as number;
  if (kind === 1) {
    return Array.isArray(value) ? value.map((v) => shape(s[4], v)) : plain(value);
  }
  if (kind === 2) {
    if (typeof value !== 'object') return plain(value);
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shape(s[5], v)]));
  }
  if (kind === 3 || kind === -3 || kind === 4) {
    if (typeof value !== 'object') return plain(value);
    const names = s[4] as string[];
    const members = s[5] as SchemaRef[];
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    names.forEach((name, i) => {
      out[name] = shape(members[i], v[name]);
    });
    return out;
  }
  return plain(value);
}

/** Each element of `items` shaped by `schema`; null when there are none (Panther convention). */
export function shapeList(schema: StaticStructureSchema, items: readonly unknown[] | undefined | null): unknown[] | null {
  if (!items || items.length === 0) return null;
  return items.map((item) => shape(schema, item));
}

/** AWS `[{Key, Value}]` tags as a map; null when there are none. */
export function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined | null): Record<string, string> | null {
  if (!tags || tags.length === 0) return null;
  const out: Record<string, string> = {};
  for (const t of tags) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}
