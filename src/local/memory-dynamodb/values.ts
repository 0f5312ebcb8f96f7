/**
 * DynamoDB's typed values (the wire format's AttributeValue) as the in-memory store compares,
 * orders and sizes them — the rules of the DynamoDB developer guide: numbers compare by value,
 * strings and binaries by their bytes, sets and documents only for (in)equality.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

export type Item = Record<string, AttributeValue>;

export const typeOf = (v: AttributeValue): string => Object.keys(v)[0]!;

const raw = (v: AttributeValue): unknown => (v as Record<string, unknown>)[typeOf(v)];

/** Ordering for the scalar types a key or a comparison may use; null when the two are not comparable. */
export function compare(a: AttributeValue, b: AttributeValue): number | null {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return null;
  if (ta === 'N') {
    const x = Number(raw(a));
    const y = Number(raw(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'S') return Buffer.compare(Buffer.from(raw(a) as string, 'utf8'), Buffer.from(raw(b) as string, 'utf8'));
  if (ta === 'B') return Buffer.compare(Buffer.from(raw(a) as string, 'base64'), Buffer.from(raw(b) as string, 'base64'));
  return null;
}

export function equal(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  switch (ta) {
    case 'N':
    case 'S':
    case 'B':
      return compare(a, b) === 0;
    case 'BOOL':
      return raw(a) === raw(b);
    case 'NULL':
      return true;
    case 'SS':
    case 'BS':
    case 'NS': {
      const norm = (s: string[]) => (ta === 'NS' ? s.map((n) => String(Number(n))) : s).slice().sort();
      const x = norm(raw(a) as string[]);
      const y = norm(raw(b) as string[]);
      return x.length === y.length && x.every((e, i) => e === y[i]);
    }
    case 'L': {
      const x = raw(a) as AttributeValue[];
      const y = raw(b) as AttributeValue[];
      return x.length === y.length && x.every((e, i) => equal(e, y[i]!));
    }
    case 'M': {
      const x = raw(a) as Item;
      const y = raw(b) as Item;
      const kx = Object.keys(x);
      return kx.length === Object.keys(y).length && kx.every((k) => y[k] !== undefined && equal(x[k]!, y[k]!));
    }
    default:
      return false;
  }
}

/** The size DynamoDB counts toward its 400 KB item limit (names and values in bytes, numbers ~1 byte per 2 digits). */
export function valueSize(v: AttributeValue): number {
  const t = typeOf(v);
  const r = raw(v);
  switch (t) {
    case 'S':
      return Buffer.byteLength(r as string, 'utf8');
    case 'N':
      return Math.ceil((r as string).replace(/^-|\.|^0+/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(r as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (r as string[]).reduce((n, e) => n + valueSize({ [t.slice(0, 1)]: e } as AttributeValue), 0);
    case 'L':
      return 3 + (r as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
    case 'M':
      return 3 + itemSize(r as Item);
    default:
      return 0;
  }
}

export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + valueSize(v);
  return n;
}

/** The size `size()` returns: string length, binary bytes, elements of a set, list or map. */
export function sizeFunction(v: AttributeValue): number | null {
  const t = typeOf(v);
  const r = raw(v);
  if (t === 'S') return (r as string).length;
  if (t === 'B') return Buffer.from(r as string, 'base64').length;
  if (t === 'SS' || t === 'NS' || t === 'BS' || t === 'L') return (r as unknown[]).length;
  if (t === 'M') return Object.keys(r as Item).length;
  return null;
}

/** A stable string of a key's values (map keys and ordering within a partition). */
export const keyString = (v: AttributeValue): string => `${typeOf(v)}:${String(raw(v))}`;

export const clone = <T>(v: T): T => structuredClone(v);
