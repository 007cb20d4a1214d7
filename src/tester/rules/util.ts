import { isUnresolved, type TfResource } from '../hcl/load.js';
import type { Companions, RuleContext, Verdict } from './types.js';

/** An attribute as a boolean: `true`/`false`, `"true"`/`"false"`; `'unknown'` when an expression; `undefined` when absent. */
export function boolAttr(body: Record<string, unknown>, key: string): boolean | 'unknown' | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return 'unknown';
}

/** A number attribute; `'unknown'` for expressions; `undefined` when absent. */
export function numAttr(body: Record<string, unknown>, key: string): number | 'unknown' | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return 'unknown';
}

/** A string attribute; `'unknown'` for expressions (sentinel object); `undefined` when absent. */
export const UNKNOWN = Symbol('unknown');
export function strAttr(body: Record<string, unknown>, key: string): string | typeof UNKNOWN | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || isUnresolved(v)) return UNKNOWN;
  return v;
}

/** Nested blocks (`ingress { }`) as an array of objects. */
export function blocks(body: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = body[key];
  if (Array.isArray(v)) return v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  if (v !== null && typeof v === 'object') return [v as Record<string, unknown>];
  return [];
}

/** True when the body has a `dynamic "<key>"` block, whose content we cannot evaluate. */
export function hasDynamic(body: Record<string, unknown>, key: string): boolean {
  return blocks(body, 'dynamic').some((d) => key in d);
}

/** Combine verdicts: any fail → fail, else any unknown → unknown, else pass. */
export function worst(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'pass';
}

/**
 * For "a companion resource must exist and be right" checks: evaluates each companion;
 * none found → fail, unless an unresolvable companion might be ours (→ unknown).
 */
export function companionVerdict(c: Companions, judge: (r: TfResource) => Verdict): Verdict {
  if (c.matches.length === 0) return c.ambiguous ? 'unknown' : 'fail';
  const vs = c.matches.map(judge);
  if (vs.includes('pass')) return 'pass';
  if (vs.includes('unknown') || c.ambiguous) return 'unknown';
  return 'fail';
}

export function makeContext(resources: TfResource[], data: TfResource[] = []): RuleContext {
  return {
    resources,
    data,
    dataSource(subject, expression, type) {
      if (typeof expression !== 'string') return undefined;
      const m = new RegExp(`^\\$\\{data\\.${escape(type)}\\.([A-Za-z0-9_-]+)\\.[A-Za-z_]+\\}$`).exec(expression.trim());
      if (!m) return undefined;
      return data.find((d) => d.type === type && d.name === m[1] && d.module === subject.module);
    },
    companions(subject, type, attr = 'bucket', nameAttr = 'bucket') {
      const ref = new RegExp(`(^|[^A-Za-z0-9_.])${escape(subject.type)}\\.${escape(subject.name)}(\\[[^\\]]*\\])?\\.[A-Za-z_]+`);
      const anyRef = new RegExp(`(^|[^A-Za-z0-9_.])${escape(subject.type)}\\.[A-Za-z0-9_-]+(\\[[^\\]]*\\])?\\.[A-Za-z_]+`);
      const literal = subject.body[nameAttr];
      const matches: TfResource[] = [];
      let ambiguous = false;
      for (const r of resources) {
        if (r.type !== type || r.module !== subject.module) continue;
        const v = r.body[attr];
        if (typeof v !== 'string') continue;
        if (ref.test(v)) matches.push(r);
        else if (!isUnresolved(v)) {
          if (typeof literal === 'string' && !isUnresolved(literal) && literal === v) matches.push(r);
          else if (typeof literal === 'string' && isUnresolved(literal)) ambiguous = true;
        } else if (!anyRef.test(v)) ambiguous = true; // var.x, local.x, module.y.z, data...: might be ours
      }
      return { matches, ambiguous };
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How many instances `dynamic` blocks expand to: `none` (no dynamic block), `some` (known non-empty), `maybe` (for_each unresolved). */
export type DynamicExpansion = 'none' | 'some' | 'maybe';

/**
 * Nested blocks of `key` together with the `content` of `dynamic "<key>"` blocks. A dynamic block with a
 * known empty `for_each` contributes nothing; one whose `for_each` is unresolved makes `dynamic` `maybe`.
 */
export function blocksWithDynamic(body: Record<string, unknown>, key: string): { blocks: Record<string, unknown>[]; dynamic: DynamicExpansion } {
  const out = blocks(body, key);
  let dynamic: DynamicExpansion = 'none';
  for (const d of blocks(body, 'dynamic')) {
    for (const spec of blocks(d, key)) {
      const fe = spec['for_each'];
      const size = Array.isArray(fe) ? fe.length : fe !== null && typeof fe === 'object' ? Object.keys(fe).length : null;
      if (size === 0) continue;
      if (size === null) dynamic = 'maybe';
      else if (dynamic === 'none') dynamic = 'some';
      out.push(...blocks(spec, 'content'));
    }
  }
  return { blocks: out, dynamic };
}
