/**
 * Static evaluation of simple Terraform expressions, as `@cdktf/hcl2json` gives them (`${...}`
 * strings), for checks that need a value rather than "is it an expression?": names and tags.
 *
 * Understood: literals; `var.x` (tfvars given by the caller, then the variable's default; inside
 * a module, the argument of the calling `module` block, evaluated in the caller's scope, then the
 * default); `local.x`; `count.index`, `each.key`, `each.value` when the caller knows them; string
 * templates mixing those; object and tuple constructors; attribute and index access; `==`, `!=`,
 * `!`, `&&`, `||`, `? :`; and the functions merge, lower, upper, format (%s %d %v), join, concat,
 * tomap, toset, tolist, tostring, trimspace, lookup, coalesce, replace (plain strings).
 *
 * Anything else (resource attributes, module outputs, data sources, other functions, `for`
 * expressions, template directives) is {@link UNKNOWN}: never a guess. A map that is only partly
 * known (`merge(local.tags, var.extra)` with `var.extra` unknown) is an {@link OpenMap}: keys it
 * certainly has, and that it may have more.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadProblem, LoadResult } from './load.js';

/** The type of {@link UNKNOWN}. */
export class Unknown {
  readonly unknown = true;
  toString(): string {
    return '(unknown)';
  }
}
/** A value that cannot be known statically. */
export const UNKNOWN: Unknown = new Unknown();

/** A map known to contain `entries` (values may be UNKNOWN) and possibly other keys. */
export class OpenMap {
  constructor(readonly entries: Readonly<Record<string, Value>>) {}
}

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | OpenMap | Unknown;

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}

/** A plain (closed, fully enumerated) object. */
export function isObject(v: Value): v is { [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof OpenMap) && !(v instanceof Unknown);
}

/** True when v contains no UNKNOWN and no OpenMap anywhere. */
export function isFullyKnown(v: Value): boolean {
  if (v instanceof Unknown || v instanceof OpenMap) return false;
  if (Array.isArray(v)) return v.every(isFullyKnown);
  if (isObject(v)) return Object.values(v).every(isFullyKnown);
  return true;
}

/** The values a module's expressions can see. */
export interface Scope {
  /** Resolves `var.<name>`. */
  variable(name: string): Value;
  /** Resolves `local.<name>`. */
  local(name: string): Value;
  /** `count.index`, when evaluating one instance of a counted resource. */
  countIndex?: Value;
  /** `each.key` / `each.value`, when evaluating one instance of a `for_each` resource. */
  each?: { key: Value; value: Value };
}

/** A scope in which every variable and local is unknown (for tfvars values and defaults). */
export const EMPTY_SCOPE: Scope = { variable: () => UNKNOWN, local: () => UNKNOWN };

/** The same scope, seen from one instance of a `count` / `for_each` resource. */
export function instanceScope(scope: Scope, instance: { countIndex?: Value; each?: { key: Value; value: Value } }): Scope {
  return { variable: scope.variable, local: scope.local, ...instance };
}

// ---------------------------------------------------------------------------------------------
// Values as hcl2json gives them

/** Evaluates a value as hcl2json gives it: literals stay, `${...}` strings are evaluated. */
export function evaluate(raw: unknown, scope: Scope): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return evaluateTemplate(raw, scope);
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw.map((v) => evaluate(v, scope));
  if (typeof raw === 'object') {
    const out: Record<string, Value> = {};
    let open = false;
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const key = evaluateTemplate(k, scope);
      if (typeof key !== 'string') {
        open = true;
        continue;
      }
      out[key] = evaluate(v, scope);
    }
    return open ? new OpenMap(out) : out;
  }
  return UNKNOWN;
}

/** Evaluates a template string (`"${var.project}-web"`); a lone `${expr}` keeps the expression's type. */
export function evaluateTemplate(text: string, scope: Scope): Value {
  const parts: (string | { expr: string })[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      lit += '${';
      i += 3;
    } else if (text.startsWith('%%{', i)) {
      lit += '%{';
      i += 3;
    } else if (text.startsWith('%{', i)) {
      return UNKNOWN; // template directives (%{ if }, %{ for })
    } else if (text.startsWith('${', i)) {
      const end = interpolationEnd(text, i + 2);
      if (end < 0) return UNKNOWN;
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ expr: text.slice(i + 2, end).replace(/^~|~$/g, '') });
      i = end + 1;
    } else {
      lit += text[i];
      i++;
    }
  }
  if (lit) parts.push(lit);
  if (parts.length === 1 && typeof parts[0] !== 'string') return evaluateExpression(parts[0]!.expr, scope);
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const v = evaluateExpression(p.expr, scope);
    const s = toTemplateString(v);
    if (s === null) return UNKNOWN;
    out += s;
  }
  return out;
}

function toTemplateString(v: Value): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Index of the `}` closing an interpolation whose body starts at `start`, or -1. */
function interpolationEnd(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

/** `i` at an opening quote; the index just after its closing quote (nested templates allowed), or -1. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if ((c === '$' || c === '%') && text[j + 1] === '{') {
      const end = interpolationEnd(text, j + 2);
      if (end < 0) return -1;
      j = end + 1;
    } else j++;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Expressions (the text inside `${ }`)

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const OPS = ['==', '!=', '&&', '||', '<=', '>=', '=>', '...', '?', ':', '!', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ',', '.', '='];

class ParseError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#' || src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new ParseError('unterminated comment');
      i = end + 2;
      continue;
    }
    if (c === '"') {
      const end = stringEnd(src, i);
      if (end < 0) throw new ParseError('unterminated string');
      out.push({ t: 'str', v: unescape(src.slice(i + 1, end - 1)) });
      i = end;
      continue;
    }
    if (src.startsWith('<<', i)) throw new ParseError('heredoc');
    const num = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ParseError(`unexpected character ${JSON.stringify(c)}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** HCL string escapes; `${` and `%{` sequences stay for template evaluation. */
function unescape(s: string): string {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

/** Evaluates the text of one interpolation. Syntax it does not understand gives UNKNOWN. */
export function evaluateExpression(src: string, scope: Scope): Value {
  try {
    const p = new Parser(tokenize(src), scope);
    const v = p.expr();
    if (!p.done()) return UNKNOWN;
    return v;
  } catch (err) {
    if (err instanceof ParseError) return UNKNOWN;
    throw err;
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly scope: Scope,
  ) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }
  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }
  private eat(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.eat(v)) throw new ParseError(`expected ${v}`);
  }

  expr(): Value {
    const cond = this.binary(0);
    if (!this.eat('?')) return cond;
    const a = this.expr();
    this.expect(':');
    const b = this.expr();
    if (cond === true) return a;
    if (cond === false) return b;
    return UNKNOWN;
  }

  private static readonly LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Value {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || !Parser.LEVELS[level]!.includes(t.v)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = applyBinary(t.v, left, right);
    }
  }

  private unary(): Value {
    if (this.eat('!')) {
      const v = this.unary();
      return typeof v === 'boolean' ? !v : UNKNOWN;
    }
    if (this.eat('-')) {
      const v = this.unary();
      return typeof v === 'number' ? -v : UNKNOWN;
    }
    return this.postfix();
  }

  private postfix(): Value {
    let v = this.primary();
    for (;;) {
      if (this.eat('.')) {
        const t = this.peek();
        if (t?.t === 'id') {
          this.i++;
          v = getAttr(v, t.v);
        } else if (t?.t === 'num') {
          this.i++;
          v = getIndex(v, t.v);
        } else if (this.eat('*')) v = UNKNOWN;
        else throw new ParseError('bad attribute access');
      } else if (this.isOp('[')) {
        this.i++;
        if (this.eat('*')) {
          this.expect(']');
          v = UNKNOWN;
          continue;
        }
        const k = this.expr();
        this.expect(']');
        v = getIndex(v, k);
      } else return v;
    }
  }

  private primary(): Value {
    const t = this.peek();
    if (!t) throw new ParseError('unexpected end');
    this.i++;
    if (t.t === 'num') return t.v;
    if (t.t === 'str') return evaluateTemplate(t.v, this.scope);
    if (t.t === 'op') {
      if (t.v === '(') {
        const v = this.expr();
        this.expect(')');
        return v;
      }
      if (t.v === '[') return this.tuple();
      if (t.v === '{') return this.object();
      throw new ParseError(`unexpected ${t.v}`);
    }
    switch (t.v) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
    }
    if (this.isOp('(')) {
      this.i++;
      const args: Value[] = [];
      let spread = false;
      while (!this.eat(')')) {
        args.push(this.expr());
        if (this.eat('...')) spread = true;
        if (!this.isOp(')')) this.expect(',');
      }
      return spread ? UNKNOWN : callFunction(t.v, args);
    }
    return this.root(t.v);
  }

  /** A variable-like root: `var.x`, `local.x`, `count.index`, `each.key`; anything else is unknown. */
  private root(name: string): Value {
    const attr = (): string | null => {
      if (!this.isOp('.')) return null;
      const next = this.toks[this.i + 1];
      if (next?.t !== 'id') return null;
      this.i += 2;
      return next.v;
    };
    if (name === 'var') {
      const a = attr();
      return a === null ? UNKNOWN : this.scope.variable(a);
    }
    if (name === 'local') {
      const a = attr();
      return a === null ? UNKNOWN : this.scope.local(a);
    }
    if (name === 'count') {
      const a = attr();
      return a === 'index' && this.scope.countIndex !== undefined ? this.scope.countIndex : UNKNOWN;
    }
    if (name === 'each') {
      const a = attr();
      if (!this.scope.each) return UNKNOWN;
      if (a === 'key') return this.scope.each.key;
      if (a === 'value') return this.scope.each.value;
      return UNKNOWN;
    }
    return UNKNOWN; // resources, data, module outputs, path.*, terraform.workspace, ...
  }

  private tuple(): Value {
    if (this.peek()?.t === 'id' && this.peek()!.v === 'for') {
      this.skipBalanced(']');
      return UNKNOWN;
    }
    const out: Value[] = [];
    while (!this.eat(']')) {
      out.push(this.expr());
      if (!this.isOp(']')) this.expect(',');
    }
    return out;
  }

  private object(): Value {
    if (this.peek()?.t === 'id' && this.peek()!.v === 'for') {
      this.skipBalanced('}');
      return UNKNOWN;
    }
    const out: Record<string, Value> = {};
    let open = false;
    while (!this.eat('}')) {
      const kt = this.peek();
      let key: Value;
      // a bare identifier is a literal key, unless it is followed by more expression
      const next = this.toks[this.i + 1];
      if (kt?.t === 'id' && next?.t === 'op' && (next.v === '=' || next.v === ':')) {
        this.i++;
        key = kt.v;
      } else key = this.expr();
      if (!this.eat('=')) this.expect(':');
      const v = this.expr();
      if (typeof key === 'string') out[key] = v;
      else if (typeof key === 'number' || typeof key === 'boolean') out[String(key)] = v;
      else open = true;
      this.eat(',');
    }
    return open ? new OpenMap(out) : out;
  }

  /** Skips to the matching closer of a bracket already consumed. */
  private skipBalanced(closer: string): void {
    let depth = 1;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i++]!;
      if (t.t !== 'op') continue;
      if (t.v === '[' || t.v === '{' || t.v === '(') depth++;
      else if (t.v === ']' || t.v === '}' || t.v === ')') {
        depth--;
        if (depth === 0) {
          if (t.v !== closer) throw new ParseError('mismatched bracket');
          return;
        }
      }
    }
    throw new ParseError('unterminated bracket');
  }
}

function applyBinary(op: string, a: Value, b: Value): Value {
  if (op === '&&') {
    if (a === false || b === false) return false;
    return a === true && b === true ? true : UNKNOWN;
  }
  if (op === '||') {
    if (a === true || b === true) return true;
    return a === false && b === false ? false : UNKNOWN;
  }
  if (op === '==' || op === '!=') {
    if (!isFullyKnown(a) || !isFullyKnown(b)) return UNKNOWN;
    const eq = JSON.stringify(a) === JSON.stringify(b);
    return op === '==' ? eq : !eq;
  }
  const x = typeof a === 'string' && /^-?[0-9.]+$/.test(a) ? Number(a) : a;
  const y = typeof b === 'string' && /^-?[0-9.]+$/.test(b) ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number') return UNKNOWN;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? UNKNOWN : x / y;
    case '%':
      return y === 0 ? UNKNOWN : x % y;
  }
  return UNKNOWN;
}

function getAttr(v: Value, name: string): Value {
  if (isObject(v)) return name in v ? v[name]! : UNKNOWN;
  if (v instanceof OpenMap) return name in v.entries ? v.entries[name]! : UNKNOWN;
  return UNKNOWN;
}

function getIndex(v: Value, k: Value): Value {
  if (Array.isArray(v) && typeof k === 'number') return Number.isInteger(k) && k >= 0 && k < v.length ? v[k]! : UNKNOWN;
  if (typeof k === 'string' || typeof k === 'number') return getAttr(v, String(k));
  return UNKNOWN;
}

// ---------------------------------------------------------------------------------------------
// Functions

function callFunction(name: string, args: Value[]): Value {
  const str = (v: Value | undefined): string | null => (v === undefined ? null : toTemplateString(v));
  switch (name) {
    case 'merge':
      return merge(args);
    case 'lower':
    case 'upper':
    case 'trimspace':
    case 'tostring': {
      const s = str(args[0]);
      if (s === null || args.length !== 1) return UNKNOWN;
      return name === 'lower' ? s.toLowerCase() : name === 'upper' ? s.toUpperCase() : name === 'trimspace' ? s.trim() : s;
    }
    case 'format':
      return format(args);
    case 'join': {
      const sep = str(args[0]);
      if (sep === null || args.length < 2) return UNKNOWN;
      const items: string[] = [];
      for (const list of args.slice(1)) {
        if (!Array.isArray(list)) return UNKNOWN;
        for (const item of list) {
          const s = str(item);
          if (s === null) return UNKNOWN;
          items.push(s);
        }
      }
      return items.join(sep);
    }
    case 'concat': {
      const out: Value[] = [];
      for (const a of args) {
        if (!Array.isArray(a)) return UNKNOWN;
        out.push(...a);
      }
      return out;
    }
    case 'tolist':
      return args.length === 1 && Array.isArray(args[0]) ? args[0] : UNKNOWN;
    case 'toset': {
      if (args.length !== 1 || !Array.isArray(args[0]) || !isFullyKnown(args[0])) return UNKNOWN;
      const seen = new Map<string, Value>();
      for (const v of args[0]) seen.set(JSON.stringify(v), v);
      return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    }
    case 'tomap':
      return args.length === 1 && (isObject(args[0]!) || args[0] instanceof OpenMap) ? args[0]! : UNKNOWN;
    case 'lookup': {
      if (args.length < 2) return UNKNOWN;
      const [m, k, d] = args as [Value, Value, Value | undefined];
      if (typeof k !== 'string') return UNKNOWN;
      if (isObject(m)) return k in m ? m[k]! : d ?? UNKNOWN;
      if (m instanceof OpenMap && k in m.entries) return m.entries[k]!;
      return UNKNOWN;
    }
    case 'coalesce': {
      for (const a of args) {
        if (isUnknown(a)) return UNKNOWN;
        if (a !== null && a !== '') return a;
      }
      return UNKNOWN;
    }
    case 'replace': {
      const [s, from, to] = args.map(str);
      if (args.length !== 3 || s == null || from == null || to == null) return UNKNOWN;
      if (from.length > 1 && from.startsWith('/') && from.endsWith('/')) return UNKNOWN; // regex form
      return from === '' ? s : s.split(from).join(to);
    }
  }
  return UNKNOWN;
}

/**
 * Terraform's merge: later maps win; null arguments are skipped. An unknown argument makes the
 * result open: keys from earlier arguments are still present but their values may be overridden.
 */
function merge(args: Value[]): Value {
  let entries: Record<string, Value> = {};
  let open = false;
  for (const a of args) {
    if (a === null) continue;
    if (isObject(a)) {
      entries = { ...entries, ...a };
    } else if (a instanceof OpenMap) {
      const next: Record<string, Value> = {};
      for (const k of Object.keys(entries)) next[k] = UNKNOWN;
      entries = { ...next, ...a.entries };
      open = true;
    } else if (isUnknown(a)) {
      const next: Record<string, Value> = {};
      for (const k of Object.keys(entries)) next[k] = UNKNOWN;
      entries = next;
      open = true;
    } else return UNKNOWN;
  }
  return open ? new OpenMap(entries) : entries;
}

function format(args: Value[]): Value {
  const spec = args[0];
  if (typeof spec !== 'string') return UNKNOWN;
  let n = 1;
  let bad = false;
  const out = spec.replace(/%(%|[sdv])/g, (_, c: string) => {
    if (c === '%') return '%';
    const v = args[n++];
    const s = v === undefined ? null : toTemplateString(v);
    if (s === null || (c === 'd' && typeof v !== 'number')) {
      bad = true;
      return '';
    }
    return s;
  });
  if (bad || /%[^%]/.test(spec.replace(/%(%|[sdv])/g, ''))) return UNKNOWN;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Module scopes

/**
 * Scopes for every module of a loaded directory, keyed by module path (`''` for the root,
 * `module.web`, ...). Root variables take `tfvars` first, then their default; a module's
 * variables take the calling block's argument (evaluated in the caller's scope), then their
 * default. A module called with `count` / `for_each` sees `count.*` / `each.*` as unknown.
 */
export function buildScopes(load: LoadResult, tfvars: Record<string, unknown> = {}): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  const modules = new Set<string>(['']);
  for (const r of load.resources) modules.add(r.module);
  for (const v of load.variables ?? []) modules.add(v.module);
  for (const l of load.locals ?? []) modules.add(l.module);
  for (const m of load.moduleCalls ?? []) modules.add(m.address);
  for (const p of load.providers ?? []) modules.add(p.module);

  const callOf = new Map((load.moduleCalls ?? []).map((m) => [m.address, m]));
  const scopeOf = (module: string): Scope => scopes.get(module) ?? EMPTY_SCOPE;

  for (const module of modules) {
    const vars = new Map((load.variables ?? []).filter((v) => v.module === module).map((v) => [v.name, v]));
    const locals = new Map((load.locals ?? []).filter((l) => l.module === module).map((l) => [l.name, l.value]));
    const varMemo = new Map<string, Value>();
    const localMemo = new Map<string, Value>();
    const inProgress = new Set<string>();
    const call = callOf.get(module);
    const scope: Scope = {
      variable(name) {
        if (varMemo.has(name)) return varMemo.get(name)!;
        const key = `var.${name}`;
        if (inProgress.has(key)) return UNKNOWN;
        inProgress.add(key);
        let v: Value = UNKNOWN;
        const decl = vars.get(name);
        if (decl) {
          if (module === '' && Object.prototype.hasOwnProperty.call(tfvars, name)) v = evaluate(tfvars[name], EMPTY_SCOPE);
          else if (call && name in call.body) v = evaluate(call.body[name], scopeOf(call.module));
          else if (decl.hasDefault) v = evaluate(decl.default, EMPTY_SCOPE);
        }
        inProgress.delete(key);
        varMemo.set(name, v);
        return v;
      },
      local(name) {
        if (localMemo.has(name)) return localMemo.get(name)!;
        const key = `local.${name}`;
        if (inProgress.has(key) || !locals.has(name)) return UNKNOWN;
        inProgress.add(key);
        const v = evaluate(locals.get(name), scope);
        inProgress.delete(key);
        localMemo.set(name, v);
        return v;
      },
    };
    scopes.set(module, scope);
  }
  return scopes;
}

// ---------------------------------------------------------------------------------------------
// tfvars files

export interface TfvarsResult {
  /** Variable values as hcl2json gives them, later files overriding earlier ones. */
  values: Record<string, unknown>;
  /** Files read, in the order applied, relative to `dir`. */
  files: string[];
  problems: LoadProblem[];
}

/**
 * Reads the variable files Terraform would use for `env`, in increasing precedence:
 * `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` (lexical
 * order), then, as if passed with `-var-file`, either `varFiles` (relative to `dir`, in order)
 * when given, or else `<env>.tfvars` and `env/<env>.tfvars` when present. A file that does not
 * parse, or a `varFiles` entry that does not exist, is a problem with its file (and line); the
 * other files still apply.
 */
export async function loadTfvars(dir: string, env: string, varFiles?: string[]): Promise<TfvarsResult> {
  const result: TfvarsResult = { values: {}, files: [], problems: [] };
  const list = async (d: string): Promise<string[]> => (await readdir(path.join(dir, d)).catch(() => [] as string[])).sort();
  const top = await list('.');
  const files: string[] = [];
  for (const f of ['terraform.tfvars', 'terraform.tfvars.json']) if (top.includes(f)) files.push(f);
  for (const f of top) if (f.endsWith('.auto.tfvars') || f.endsWith('.auto.tfvars.json')) files.push(f);
  if (varFiles) {
    files.push(...varFiles.map((f) => f.split(path.sep).join('/')));
  } else if (env && /^[A-Za-z0-9_.-]+$/.test(env) && !env.startsWith('.')) {
    for (const f of [`${env}.tfvars`, `${env}.tfvars.json`]) if (top.includes(f)) files.push(f);
    const sub = await list('env');
    for (const f of [`${env}.tfvars`, `${env}.tfvars.json`]) if (sub.includes(f)) files.push(`env/${f}`);
  }
  for (const rel of files) {
    let text: string;
    try {
      text = await readFile(path.join(dir, rel), 'utf8');
    } catch (err) {
      result.problems.push({ file: rel, line: null, message: `cannot read file: ${(err as Error).message}` });
      continue;
    }
    try {
      const parsed = rel.endsWith('.json') ? parseJsonVars(text) : await parseHclVars(rel, text);
      Object.assign(result.values, parsed);
      result.files.push(rel);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const m = /:(\d+),(\d+)/.exec(message);
      const known = (err as { line?: unknown }).line;
      result.problems.push({
        file: rel,
        line: typeof known === 'number' ? known : m ? Number(m[1]) : null,
        message: message.replace(/^parse config: /, '').replace(/^\[([\s\S]*)\]$/, '$1'),
      });
    }
  }
  return result;
}

function parseJsonVars(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw Object.assign(new Error(`invalid JSON: ${(err as Error).message}`), { line });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('a .tfvars.json file must hold a JSON object');
  return v as Record<string, unknown>;
}

async function parseHclVars(file: string, text: string): Promise<Record<string, unknown>> {
  const { parseHcl } = await import('./hcl2json.js');
  return parseHcl(file, text);
}

// ---------------------------------------------------------------------------------------------
// Resource instances

/** Instances evaluated beyond this many are not looked at (a name/tag check does not need them all). */
export const MAX_INSTANCES = 50;

/**
 * The scopes of a resource's instances: one per `count.index` when `count` is known, one per
 * element of a known `for_each`, none when it is known to be 0 or empty, and a single scope with
 * `count.index` / `each.*` unknown otherwise.
 */
export function resourceInstances(body: Record<string, unknown>, scope: Scope): Scope[] {
  if ('count' in body) {
    const n = evaluate(body['count'], scope);
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) {
      return Array.from({ length: Math.min(n, MAX_INSTANCES) }, (_, i) => instanceScope(scope, { countIndex: i }));
    }
    return [instanceScope(scope, { countIndex: UNKNOWN })];
  }
  if ('for_each' in body) {
    const fe = evaluate(body['for_each'], scope);
    if (isObject(fe)) return Object.entries(fe).slice(0, MAX_INSTANCES).map(([key, value]) => instanceScope(scope, { each: { key, value } }));
    if (Array.isArray(fe) && fe.every((v) => typeof v === 'string')) {
      return [...new Set(fe as string[])].slice(0, MAX_INSTANCES).map((key) => instanceScope(scope, { each: { key, value: key } }));
    }
    return [instanceScope(scope, { each: { key: UNKNOWN, value: UNKNOWN } })];
  }
  return [scope];
}
