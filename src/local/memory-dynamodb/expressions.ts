/**
 * DynamoDB's expression languages for the in-memory store: condition, filter and key-condition
 * expressions, update expressions (SET, REMOVE, ADD, DELETE) and projections, with `#name` and
 * `:value` placeholders — parsed once per request and evaluated on wire-format items. The grammar
 * and precedence are the developer guide's (comparators, IN, BETWEEN, functions, NOT, AND, OR).
 * An expression it cannot parse is a ValidationException naming the expression, as in DynamoDB.
 */
import { clone, compare, equal, sizeFunction, typeOf, type AttributeValue, type Item } from './values.ts';

export class ValidationError extends Error {}

type Tok = { k: 'id' | 'name' | 'value' | 'num' | 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>(),.[\]+-]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new ValidationError(`Invalid expression: syntax error near "${src.slice(i, i + 20)}" in "${src}"`);
    if (m[1]) out.push({ k: 'name', v: m[1] });
    else if (m[2]) out.push({ k: 'value', v: m[2] });
    else if (m[3]) out.push({ k: 'id', v: m[3] });
    else if (m[4]) out.push({ k: 'num', v: m[4] });
    else out.push({ k: 'op', v: m[5]! });
    i = re.lastIndex;
  }
  return out;
}

/** A document path: attribute names and list indexes. */
export type Path = (string | number)[];

export type Operand =
  | { t: 'path'; path: Path }
  | { t: 'value'; value: AttributeValue }
  | { t: 'size'; path: Path }
  | { t: 'if_not_exists'; path: Path; fallback: Operand }
  | { t: 'list_append'; a: Operand; b: Operand }
  | { t: 'arith'; op: '+' | '-'; a: Operand; b: Operand };

export type Condition =
  | { t: 'cmp'; op: string; a: Operand; b: Operand }
  | { t: 'between'; a: Operand; lo: Operand; hi: Operand }
  | { t: 'in'; a: Operand; list: Operand[] }
  | { t: 'fn'; name: string; args: Operand[] }
  | { t: 'and' | 'or'; a: Condition; b: Condition }
  | { t: 'not'; a: Condition };

export interface Placeholders {
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  constructor(
    private readonly src: string,
    private readonly ph: Placeholders,
  ) {
    this.toks = tokenize(src);
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isKw(kw: string): boolean {
    const t = this.peek();
    return t?.k === 'id' && t.v.toUpperCase() === kw;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.k === 'op' && t.v === op;
  }
  private fail(what: string): never {
    const near = this.peek()?.v ?? 'end of expression';
    throw new ValidationError(`Invalid expression "${this.src}": ${what} near "${near}"`);
  }
  expectOp(op: string): void {
    if (!this.isOp(op)) this.fail(`expected "${op}"`);
    this.i++;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  end(): void {
    if (!this.done()) this.fail('unexpected token');
  }

  nameOf(tok: Tok): string {
    if (tok.k === 'name') {
      const n = this.ph.names?.[tok.v];
      if (n === undefined) throw new ValidationError(`An expression attribute name used in the document path is not defined; attribute name: ${tok.v}`);
      return n;
    }
    return tok.v;
  }

  path(): Path {
    const first = this.peek();
    if (!first || (first.k !== 'id' && first.k !== 'name')) this.fail('expected an attribute name');
    this.i++;
    const path: Path = [this.nameOf(first)];
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.peek();
        if (!t || (t.k !== 'id' && t.k !== 'name')) this.fail('expected an attribute name after "."');
        this.i++;
        path.push(this.nameOf(t));
      } else if (this.isOp('[')) {
        this.i++;
        const t = this.peek();
        if (t?.k !== 'num') this.fail('expected a list index');
        this.i++;
        path.push(Number(t.v));
        this.expectOp(']');
      } else return path;
    }
  }

  operand(): Operand {
    const t = this.peek();
    if (!t) this.fail('expected an operand');
    if (t.k === 'value') {
      this.i++;
      const v = this.ph.values?.[t.v];
      if (v === undefined) throw new ValidationError(`An expression attribute value used in expression is not defined; attribute value: ${t.v}`);
      return { t: 'value', value: v };
    }
    if (t.k === 'id' && this.toks[this.i + 1]?.v === '(') {
      const fn = t.v;
      if (fn === 'size') {
        this.i += 2;
        const path = this.path();
        this.expectOp(')');
        return { t: 'size', path };
      }
      if (fn === 'if_not_exists') {
        this.i += 2;
        const path = this.path();
        this.expectOp(',');
        const fallback = this.setValue();
        this.expectOp(')');
        return { t: 'if_not_exists', path, fallback };
      }
      if (fn === 'list_append') {
        this.i += 2;
        const a = this.setValue();
        this.expectOp(',');
        const b = this.setValue();
        this.expectOp(')');
        return { t: 'list_append', a, b };
      }
      this.fail(`unknown function ${fn}`);
    }
    return { t: 'path', path: this.path() };
  }

  /** The right-hand side of SET: operand, or operand + / - operand. */
  setValue(): Operand {
    const a = this.operand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.peek()!.v as '+' | '-';
      this.i++;
      return { t: 'arith', op, a, b: this.operand() };
    }
    return a;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKw('OR')) {
      this.i++;
      left = { t: 'or', a: left, b: this.conjunction() };
    }
    return left;
  }
  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKw('AND')) {
      this.i++;
      left = { t: 'and', a: left, b: this.negation() };
    }
    return left;
  }
  private negation(): Condition {
    if (this.isKw('NOT')) {
      this.i++;
      return { t: 'not', a: this.negation() };
    }
    return this.primary();
  }
  private primary(): Condition {
    if (this.isOp('(')) {
      this.i++;
      const c = this.condition();
      this.expectOp(')');
      return c;
    }
    const t = this.peek();
    const fns = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
    if (t?.k === 'id' && fns.includes(t.v) && this.toks[this.i + 1]?.v === '(') {
      this.i += 2;
      const args: Operand[] = [this.operand()];
      while (this.isOp(',')) {
        this.i++;
        args.push(this.operand());
      }
      this.expectOp(')');
      return { t: 'fn', name: t.v, args };
    }
    const a = this.operand();
    if (this.isKw('BETWEEN')) {
      this.i++;
      const lo = this.operand();
      if (!this.isKw('AND')) this.fail('expected AND in BETWEEN');
      this.i++;
      return { t: 'between', a, lo, hi: this.operand() };
    }
    if (this.isKw('IN')) {
      this.i++;
      this.expectOp('(');
      const list = [this.operand()];
      while (this.isOp(',')) {
        this.i++;
        list.push(this.operand());
      }
      this.expectOp(')');
      return { t: 'in', a, list };
    }
    const op = this.peek();
    if (op?.k === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(op.v)) {
      this.i++;
      return { t: 'cmp', op: op.v, a, b: this.operand() };
    }
    return this.fail('expected a comparison');
  }

  isClause(): string | undefined {
    const t = this.peek();
    if (t?.k !== 'id') return undefined;
    const u = t.v.toUpperCase();
    return ['SET', 'REMOVE', 'ADD', 'DELETE'].includes(u) ? u : undefined;
  }
  advance(): void {
    this.i++;
  }
  comma(): boolean {
    if (!this.isOp(',')) return false;
    this.i++;
    return true;
  }
}

export function parseCondition(src: string, ph: Placeholders): Condition {
  const p = new Parser(src, ph);
  const c = p.condition();
  p.end();
  return c;
}

export function parseProjection(src: string, ph: Placeholders): Path[] {
  const p = new Parser(src, ph);
  const out = [p.path()];
  while (p.comma()) out.push(p.path());
  p.end();
  return out;
}

export type UpdateAction =
  | { t: 'SET'; path: Path; value: Operand }
  | { t: 'REMOVE'; path: Path }
  | { t: 'ADD' | 'DELETE'; path: Path; value: Operand };

export function parseUpdate(src: string, ph: Placeholders): UpdateAction[] {
  const p = new Parser(src, ph);
  const actions: UpdateAction[] = [];
  const seen = new Set<string>();
  while (!p.done()) {
    const clause = p.isClause();
    if (!clause) throw new ValidationError(`Invalid UpdateExpression "${src}": expected SET, REMOVE, ADD or DELETE`);
    if (seen.has(clause)) throw new ValidationError(`Invalid UpdateExpression "${src}": the ${clause} section can only be used once`);
    seen.add(clause);
    p.advance();
    do {
      const path = p.path();
      if (clause === 'SET') {
        p.expectOp('=');
        actions.push({ t: 'SET', path, value: p.setValue() });
      } else if (clause === 'REMOVE') actions.push({ t: 'REMOVE', path });
      else actions.push({ t: clause as 'ADD' | 'DELETE', path, value: p.operand() });
    } while (p.comma());
  }
  const paths = actions.map((a) => JSON.stringify(a.path));
  const dup = paths.find((x, i) => paths.indexOf(x) !== i);
  if (dup) throw new ValidationError(`Invalid UpdateExpression "${src}": Two document paths overlap with each other: ${JSON.parse(dup).join('.')}`);
  return actions;
}

// ---- evaluation ----

export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let cur = { M: item } as AttributeValue | undefined;
  for (const step of path) {
    if (!cur) return undefined;
    if (typeof step === 'number') cur = 'L' in cur ? cur.L[step] : undefined;
    else cur = 'M' in cur ? cur.M[step] : undefined;
  }
  return cur;
}

function operandValue(item: Item, o: Operand): AttributeValue | undefined {
  switch (o.t) {
    case 'value':
      return o.value;
    case 'path':
      return getPath(item, o.path);
    case 'size': {
      const v = getPath(item, o.path);
      const n = v && sizeFunction(v);
      return n === null || n === undefined ? undefined : { N: String(n) };
    }
    case 'if_not_exists':
      return getPath(item, o.path) ?? operandValue(item, o.fallback);
    case 'list_append': {
      const a = operandValue(item, o.a);
      const b = operandValue(item, o.b);
      if (!a || !b || !('L' in a) || !('L' in b)) throw new ValidationError('An operand in the update expression has an incorrect data type (list_append needs two lists)');
      return { L: [...a.L, ...b.L] };
    }
    case 'arith': {
      const a = operandValue(item, o.a);
      const b = operandValue(item, o.b);
      if (!a || !b || !('N' in a) || !('N' in b)) throw new ValidationError('An operand in the update expression has an incorrect data type (arithmetic needs two numbers)');
      return { N: String(o.op === '+' ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N)) };
    }
  }
}

export function evaluate(item: Item, c: Condition): boolean {
  switch (c.t) {
    case 'and':
      return evaluate(item, c.a) && evaluate(item, c.b);
    case 'or':
      return evaluate(item, c.a) || evaluate(item, c.b);
    case 'not':
      return !evaluate(item, c.a);
    case 'cmp': {
      const a = operandValue(item, c.a);
      const b = operandValue(item, c.b);
      if (!a || !b) return c.op === '<>' ? a !== undefined || b !== undefined : false;
      if (c.op === '=') return equal(a, b);
      if (c.op === '<>') return !equal(a, b);
      const r = compare(a, b);
      if (r === null) return false;
      return c.op === '<' ? r < 0 : c.op === '<=' ? r <= 0 : c.op === '>' ? r > 0 : r >= 0;
    }
    case 'between': {
      const a = operandValue(item, c.a);
      const lo = operandValue(item, c.lo);
      const hi = operandValue(item, c.hi);
      if (!a || !lo || !hi) return false;
      const x = compare(a, lo);
      const y = compare(a, hi);
      return x !== null && y !== null && x >= 0 && y <= 0;
    }
    case 'in': {
      const a = operandValue(item, c.a);
      return a !== undefined && c.list.some((o) => {
        const v = operandValue(item, o);
        return v !== undefined && equal(a, v);
      });
    }
    case 'fn': {
      const [first, second] = c.args;
      const pathOf = (o: Operand | undefined): Path => {
        if (o?.t !== 'path') throw new ValidationError(`Invalid ${c.name}: its first operand must be an attribute path`);
        return o.path;
      };
      if (c.name === 'attribute_exists') return getPath(item, pathOf(first)) !== undefined;
      if (c.name === 'attribute_not_exists') return getPath(item, pathOf(first)) === undefined;
      const v = getPath(item, pathOf(first));
      const arg = second && operandValue(item, second);
      if (!v || !arg) return false;
      if (c.name === 'attribute_type') return 'S' in arg && typeOf(v) === arg.S;
      if (c.name === 'begins_with') {
        if ('S' in v && 'S' in arg) return v.S.startsWith(arg.S);
        if ('B' in v && 'B' in arg) return Buffer.from(v.B, 'base64').subarray(0, Buffer.from(arg.B, 'base64').length).equals(Buffer.from(arg.B, 'base64'));
        return false;
      }
      // contains
      if ('S' in v && 'S' in arg) return v.S.includes(arg.S);
      if ('SS' in v && 'S' in arg) return v.SS.includes(arg.S);
      if ('NS' in v && 'N' in arg) return v.NS.some((n) => Number(n) === Number(arg.N));
      if ('L' in v) return v.L.some((e) => equal(e, arg));
      return false;
    }
  }
}

function setPath(item: Item, path: Path, value: AttributeValue): void {
  let container: AttributeValue = { M: item };
  for (let i = 0; i < path.length - 1; i++) {
    const next = getPath(item, path.slice(0, i + 1));
    if (!next) throw new ValidationError('The document path provided in the update expression is invalid for update');
    container = next;
  }
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    if (!('L' in container)) throw new ValidationError('The document path provided in the update expression is invalid for update');
    if (last >= container.L.length) container.L.push(value);
    else container.L[last] = value;
  } else {
    if (!('M' in container)) throw new ValidationError('The document path provided in the update expression is invalid for update');
    container.M[last] = value;
  }
}

function removePath(item: Item, path: Path): void {
  const parent = path.length === 1 ? ({ M: item } as AttributeValue) : getPath(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent) return;
  if (typeof last === 'number' && 'L' in parent) parent.L.splice(last, 1);
  else if (typeof last === 'string' && 'M' in parent) delete parent.M[last];
}

/** Applies the actions to a copy of `item`; the values are read from the item as it was. */
export function applyUpdate(item: Item, actions: readonly UpdateAction[]): Item {
  const before = item;
  const out = clone(item);
  for (const a of actions) {
    if (a.t === 'REMOVE') {
      removePath(out, a.path);
      continue;
    }
    const value = operandValue(before, a.value);
    if (!value) throw new ValidationError('The provided expression refers to an attribute that does not exist in the item');
    if (a.t === 'SET') {
      setPath(out, a.path, clone(value));
      continue;
    }
    const cur = getPath(out, a.path);
    const t = typeOf(value);
    if (a.t === 'ADD') {
      if (!cur) setPath(out, a.path, clone(value));
      else if ('N' in cur && 'N' in value) setPath(out, a.path, { N: String(Number(cur.N) + Number(value.N)) });
      else if (typeOf(cur) === t && ['SS', 'NS', 'BS'].includes(t)) {
        const merged = [...new Set([...(cur as Record<string, string[]>)[t]!, ...(value as Record<string, string[]>)[t]!])];
        setPath(out, a.path, { [t]: merged } as AttributeValue);
      } else throw new ValidationError('An operand in the update expression has an incorrect data type (ADD)');
    } else {
      if (!cur) continue;
      if (typeOf(cur) !== t || !['SS', 'NS', 'BS'].includes(t)) throw new ValidationError('An operand in the update expression has an incorrect data type (DELETE)');
      const drop = new Set((value as Record<string, string[]>)[t]!);
      const left = (cur as Record<string, string[]>)[t]!.filter((e) => !drop.has(e));
      if (left.length) setPath(out, a.path, { [t]: left } as AttributeValue);
      else removePath(out, a.path);
    }
  }
  return out;
}

/** The attributes of `item` that a projection names (nested paths keep their parents). */
export function project(item: Item, paths: readonly Path[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const v = getPath(item, path);
    if (v === undefined) continue;
    if (path.length === 1) {
      out[path[0] as string] = clone(v);
      continue;
    }
    // Nested: rebuild the parents as maps/lists holding only the projected part.
    let target: AttributeValue = { M: out };
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      const nextIsIndex = typeof path[i + 1] === 'number';
      const holder = target as { M?: Item; L?: AttributeValue[] };
      const existing = typeof step === 'number' ? holder.L?.[step] : holder.M?.[step];
      const created: AttributeValue = existing ?? (nextIsIndex ? { L: [] } : { M: {} });
      if (!existing) {
        if (typeof step === 'number') holder.L!.push(created);
        else holder.M![step] = created;
      }
      target = created;
    }
    const last = path[path.length - 1]!;
    if (typeof last === 'number') (target as { L: AttributeValue[] }).L.push(clone(v));
    else (target as { M: Item }).M[last] = clone(v);
  }
  return out;
}
