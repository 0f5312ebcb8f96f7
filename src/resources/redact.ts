/**
 * Secret-bearing attribute values (DESIGN §7): a type declares them in `secretAttributes`, and
 * the registry's `describe` returns them replaced by REDACTED, keys kept. Everything downstream —
 * change hash, storage, history, evaluation, findings, exports, alerts — only ever sees the
 * redacted resource, so no path needs to remember to redact.
 *
 * Path grammar (dot-separated segments, read from the top-level key):
 *   `Name`    the value under key Name
 *   `Name[]`  each element of the list under key Name
 *   `*`       each value of the object at this level (the keys stay)
 * e.g. `Environment.Variables.*`, `Parameters[].ParameterValue`,
 * `Tasks[].Overrides.ContainerOverrides[].Environment[].Value`.
 *
 * Absent and null values stay as they are (a policy can still tell "unset" from "set"); every
 * other value, whatever its type, becomes REDACTED. Because the redacted value is fixed, a secret
 * that changes while nothing else does hashes the same and causes no write.
 */
import type { ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** What a secret-bearing value reads as everywhere after the scan. */
export const REDACTED = '<redacted by Posture>';

type Json = unknown;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `node` with the value(s) at `segs` redacted; the same object when nothing changed (copy on write). */
function redactAt(node: Json, segs: readonly string[]): Json {
  if (segs.length === 0) return node === null || node === undefined ? node : REDACTED;
  const [seg, ...rest] = segs as [string, ...string[]];
  if (seg === '*') {
    if (!isObject(node)) return node;
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(node)) {
      const r = redactAt(v, rest);
      if (r !== v) (out ??= { ...node })[k] = r;
    }
    return out ?? node;
  }
  if (!isObject(node)) return node;
  const list = seg.endsWith('[]');
  const key = list ? seg.slice(0, -2) : seg;
  if (!(key in node)) return node;
  const child = node[key];
  let next: unknown;
  if (list) {
    if (!Array.isArray(child)) return node;
    let copy: unknown[] | undefined;
    child.forEach((item, i) => {
      const r = redactAt(item, rest);
      if (r !== item) (copy ??= [...child])[i] = r;
    });
    next = copy ?? child;
  } else {
    next = redactAt(child, rest);
  }
  return next === child ? node : { ...node, [key]: next };
}

/** Checks a declared path against the grammar; throws a one-line error naming it. */
export function parseSecretPath(path: string): string[] {
  const segs = path.split('.');
  for (const s of segs) {
    if (s !== '*' && !/^[A-Za-z0-9_$-]+(\[\])?$/.test(s)) throw new Error(`secret attribute path '${path}': bad segment '${s}' (use Name, Name[] or *)`);
  }
  if (segs[0] === '*') throw new Error(`secret attribute path '${path}': cannot start with * (name the top-level attribute)`);
  return segs;
}

/** `resource` with the values at `paths` redacted (a copy where anything changed; never mutated). */
export function redactAttributes<T extends Resource>(resource: T, paths: readonly string[]): T {
  let out: Json = resource;
  for (const p of paths) out = redactAt(out, parseSecretPath(p));
  return out as T;
}

/** The wrapped type of each original, and the set of wrapped types (wrapping is idempotent). */
const wrapped = new WeakMap<object, ResourceType<never>>();
const redacting = new WeakSet<object>();

/**
 * The type whose `describe` returns resources with its `secretAttributes` redacted: the registry
 * applies this to every type (a type without secret attributes is returned unchanged).
 */
export function withRedaction<Ref>(type: ResourceType<Ref>): ResourceType<Ref> {
  const paths = type.secretAttributes;
  if (!paths?.length || redacting.has(type)) return type;
  const known = wrapped.get(type);
  if (known) return known as unknown as ResourceType<Ref>;
  paths.forEach(parseSecretPath);
  const out: ResourceType<Ref> = {
    ...type,
    async describe(ctx, ref) {
      const r = await type.describe(ctx, ref);
      return r && redactAttributes(r, paths);
    },
  };
  redacting.add(out);
  wrapped.set(type, out as unknown as ResourceType<never>);
  return out;
}
