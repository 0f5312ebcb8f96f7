/**
 * Attribute docs derived from the SDK's static schema of a describe output, so that a type whose
 * top-level fields are an AWS shape verbatim documents exactly the members it spreads: a member
 * AWS adds reaches the model and the docs together. Notes (type and meaning) come from the type;
 * a member without one is documented by the call that answers it.
 */
import type { AttributeDoc } from './types.ts';

function resolve(ref: unknown): unknown {
  let s = ref;
  for (let i = 0; i < 32; i++) {
    if (typeof s === 'function') s = (s as () => unknown)();
    else if (Array.isArray(s) && s.length === 2) s = s[0];
    else if (Array.isArray(s) && s[0] === 0 && s.length >= 5) s = s[4];
    else return s;
  }
  throw new Error('attribute-docs: schema reference does not resolve');
}

/** A readable type for a schema: `string`, `integer`, `list<Tag>`, `DBClusterMember`, … */
export function schemaTypeName(ref: unknown): string {
  const s = resolve(ref);
  if (typeof s === 'number') {
    const base = s & 0b0011_1111;
    const simple = base === 0 ? 'string' : base === 1 ? 'number' : base === 2 ? 'boolean' : base >= 4 && base <= 7 ? 'timestamp' : base === 15 ? 'document' : 'blob';
    if (s & 0b0100_0000) return `list<${simple}>`;
    if (s & 0b1000_0000) return `map<string, ${simple}>`;
    return simple;
  }
  if (!Array.isArray(s)) return 'object';
  const kind = s[0] as number;
  if (kind === 1) return `list<${schemaTypeName(s[4])}>`;
  if (kind === 2) return `map<string, ${schemaTypeName(s[5])}>`;
  return String(s[2]);
}

/** `[type, description]`, or just the description (the type then comes from the schema). */
export type AttributeNote = string | readonly [string, string];

/**
 * One doc per member of `schema` (minus `omit`), in schema order; each nullable unless its note
 * gives a type. `source` names the call in the fallback description.
 */
export function schemaAttributeDocs(schema: unknown, source: string, notes: Readonly<Record<string, AttributeNote>>, omit: readonly string[] = []): AttributeDoc[] {
  const s = resolve(schema) as unknown[];
  const names = s[4] as string[];
  const members = s[5] as unknown[];
  const known = new Set(names);
  const stray = Object.keys(notes).filter((n) => !known.has(n));
  if (stray.length > 0) throw new Error(`attribute-docs: ${source} has no member ${stray.join(', ')}`);
  return names.flatMap((name, i) => {
    if (omit.includes(name)) return [];
    const note = notes[name];
    if (Array.isArray(note)) return [{ name, type: note[0] as string, description: note[1] as string }];
    const type = `${schemaTypeName(members[i])} | null`;
    return [{ name, type, description: (note as string | undefined) ?? `${source} ${name}, as AWS reports it.` }];
  });
}
