/**
 * Substitutes what is statically known into a resource body: `${var.x}` with the environment's
 * tfvars or the variable's default, `${local.y}`, templates and functions of those. Anything not
 * fully known (resource attributes, data sources, module outputs) keeps its original `${...}` text,
 * so rules still follow references to companion resources and still treat it as unknown.
 */
import type { LoadResult, TfResource } from './load.js';
import { buildScopes, EMPTY_SCOPE, evaluate, isFullyKnown, OpenMap, Unknown, type Scope, type Value } from './values.js';

function plain(v: Value): unknown {
  if (v instanceof Unknown || v instanceof OpenMap) return undefined;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The raw value with every fully-known `${...}` string replaced by its value. */
export function resolveKnown(raw: unknown, scope: Scope): unknown {
  if (typeof raw === 'string') {
    if (!raw.includes('${') && !raw.includes('%{')) return raw;
    const v = evaluate(raw, scope);
    return isFullyKnown(v) ? plain(v) : raw;
  }
  if (Array.isArray(raw)) return raw.map((x) => resolveKnown(x, scope));
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(raw as Record<string, unknown>)) out[k] = resolveKnown(x, scope);
    return out;
  }
  return raw;
}

export interface ResolvedResources {
  /** Resources with known values substituted; those with a known `count` of 0 (or empty `for_each`) removed. */
  resources: TfResource[];
  /** Known instance count per address (`count` or `for_each` size); absent when not statically known. */
  instances: Map<string, number>;
  removed: number;
}

function instanceCount(r: TfResource, scope: Scope): number | null {
  if ('count' in r.body) {
    const n = evaluate(r.body['count'], scope);
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
  }
  if ('for_each' in r.body) {
    const fe = evaluate(r.body['for_each'], scope);
    if (Array.isArray(fe) && isFullyKnown(fe)) return new Set(fe.map((x) => JSON.stringify(x))).size;
    if (fe !== null && typeof fe === 'object' && !(fe instanceof Unknown) && !(fe instanceof OpenMap) && !Array.isArray(fe)) return Object.keys(fe).length;
    return null;
  }
  return 1;
}

export function resolveResources(load: LoadResult, tfvars: Record<string, unknown> = {}): ResolvedResources {
  const scopes = buildScopes(load, tfvars);
  const instances = new Map<string, number>();
  const resources: TfResource[] = [];
  let removed = 0;
  for (const r of load.resources) {
    const scope = scopes.get(r.module) ?? EMPTY_SCOPE;
    let n: number | null;
    try {
      n = instanceCount(r, scope);
    } catch {
      n = null;
    }
    if (n === 0) {
      removed++;
      continue;
    }
    if (n !== null) instances.set(r.address, n);
    let body: Record<string, unknown>;
    try {
      body = resolveKnown(r.body, scope) as Record<string, unknown>;
    } catch {
      body = r.body;
    }
    resources.push({ ...r, body });
  }
  return { resources, instances, removed };
}
