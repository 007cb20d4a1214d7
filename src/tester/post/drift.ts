/**
 * Existence and configuration drift: the resources declared in the Terraform code compared with
 * what the state says is deployed.
 * - A declared managed resource with no instance in state → `IO_POST_MISSING` (HIGH).
 * - A literal declared value (not a `${...}` expression) that differs from the deployed value →
 *   `IO_POST_DRIFT` (MEDIUM), one finding per instance and top-level attribute, naming the
 *   attribute path, the configured and the deployed value (hidden for secret-looking attributes
 *   and those Terraform marks sensitive).
 * - State resources nobody declares (remote modules, imports, leftovers) are counted as `extra`.
 * Comparison is lenient where Terraform is: numbers vs numeric strings, `"true"` vs true, null vs
 * an empty value, JSON documents by content, sets of blocks in any order, maps on declared keys only.
 */
import type { Finding } from '../finding.js';
import { isUnresolved, type TfResource } from '../hcl/load.js';
import { formatIndex, stripIndexes, type StateResource } from './state.js';
import { resourceFinding } from '../resource-finding.js';

export interface DriftSummary {
  /** Declared managed resource blocks. */
  declared: number;
  /** Declared blocks with at least one instance in state. */
  found: number;
  /** Declared blocks (or literal count/for_each instances) with no instance in state. */
  missing: number;
  /** Declared blocks with at least one drifted attribute in some instance. */
  drifted: number;
  /** Managed state instances that no declared block accounts for. */
  extra: number;
  /** Declared blocks with a count/for_each we cannot evaluate and no instance in state (may be zero on purpose). */
  undetermined: number;
  extraAddresses: string[];
}

export interface DriftResult {
  findings: Finding[];
  summary: DriftSummary;
}

const MISSING = {
  ruleId: 'IO_POST_MISSING',
  severity: 'HIGH',
  remediation:
    'Run `terraform apply` for this environment (check that the right workspace/state was compared); if the resource was removed on purpose, delete its block too.',
  docs: 'https://developer.hashicorp.com/terraform/cli/commands/state/list',
} as const;

const DRIFT = {
  ruleId: 'IO_POST_DRIFT',
  severity: 'MEDIUM',
  remediation:
    'Find who changed it (CloudTrail), then either run `terraform apply` to restore the configured value or change the configuration to match; `terraform plan -refresh-only` shows the same difference.',
  docs: 'https://developer.hashicorp.com/terraform/tutorials/state/resource-drift',
} as const;

/** Arguments that are Terraform meta-arguments, not provider attributes. */
const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'dynamic', 'timeouts']);
/** Attributes the provider stores transformed (hashes, base64) or never stores. */
const NOT_COMPARABLE = new Set(['user_data', 'user_data_base64', 'user_data_replace_on_change']);

const SECRET = /(^|_)(password|passwd|passphrase|secret|secrets|token|private_key|secret_key|access_key|api_key|credentials?)($|_)/i;

export function isSecretAttribute(name: string): boolean {
  return SECRET.test(name);
}

interface Diff {
  path: string;
  declared: unknown;
  actual: unknown;
}

type JsonObject = Record<string, unknown>;
function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === false || v === 0 || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function parseJsonDoc(s: string): unknown {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Deep equality for JSON documents (IAM policies): key order ignored, `["x"]` ≡ `"x"`. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && a.length === 1 && !Array.isArray(b)) return jsonEqual(a[0], b);
  if (Array.isArray(b) && b.length === 1 && !Array.isArray(a)) return jsonEqual(a, b[0]);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const used = new Set<number>();
    return a.every((x) => {
      const i = b.findIndex((y, j) => !used.has(j) && jsonEqual(x, y));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Equality of two scalar values the way Terraform's type conversion sees them. */
function scalarEqual(declared: unknown, actual: unknown): boolean {
  if (declared === actual) return true;
  if (actual === null || actual === undefined) return isEmpty(declared);
  if (typeof declared === 'number' && typeof actual === 'string') return actual.trim() !== '' && Number(actual) === declared;
  if (typeof declared === 'string' && typeof actual === 'number') return declared.trim() !== '' && Number(declared) === actual;
  if (typeof declared === 'boolean' && typeof actual === 'string') return String(declared) === actual;
  if (typeof declared === 'string' && typeof actual === 'boolean') return declared === String(actual);
  if (typeof declared === 'string' && typeof actual === 'string') {
    if (declared.replace(/\s+$/, '') === actual.replace(/\s+$/, '')) return true; // heredoc trailing newline
    const a = parseJsonDoc(declared);
    const b = a === undefined ? undefined : parseJsonDoc(actual);
    return a !== undefined && b !== undefined && jsonEqual(a, b);
  }
  return false;
}

/** Differences between a declared value and the deployed one; unresolved parts are skipped. */
function diffValue(declared: unknown, actual: unknown, path: string, out: Diff[]): void {
  if (declared === null || declared === undefined) return;
  if (typeof declared === 'string' && isUnresolved(declared)) return;
  if (Array.isArray(declared)) {
    diffList(declared, actual, path, out);
    return;
  }
  if (isObject(declared)) {
    // a map/object attribute (tags): only declared keys count, and a declared key absent from state is drift
    const act = isObject(actual) ? actual : Array.isArray(actual) && actual.length === 1 && isObject(actual[0]) ? actual[0] : undefined;
    if (act === undefined) {
      if (Object.keys(declared).length > 0 && !isUnresolved(declared)) out.push({ path, declared, actual: actual ?? null });
      return;
    }
    for (const [k, v] of Object.entries(declared)) {
      if (isUnresolved(k)) continue;
      const sub = `${path}.${k}`;
      if (!(k in act) || act[k] === null) {
        if (!isUnresolved(v) && !isEmpty(v)) out.push({ path: sub, declared: v, actual: null });
        continue;
      }
      diffValue(v, act[k], sub, out);
    }
    return;
  }
  if (!scalarEqual(declared, actual)) out.push({ path, declared, actual: actual ?? null });
}

/** Diffs of one declared block against one deployed block: declared keys only, absent keys skipped. */
function diffBlock(declared: JsonObject, actual: JsonObject, path: string): Diff[] {
  const out: Diff[] = [];
  for (const [k, v] of Object.entries(declared)) {
    if (k === 'dynamic' || !(k in actual)) continue;
    diffValue(v, actual[k], `${path}.${k}`, out);
  }
  return out;
}

function diffList(declared: unknown[], actual: unknown, path: string, out: Diff[]): void {
  if (actual === undefined) return;
  const act = Array.isArray(actual) ? actual : actual === null ? [] : [actual];
  if (declared.length > 0 && declared.every(isObject)) {
    // nested blocks (hcl2json and state both give arrays of objects); sets may come back in any order
    const objs = act.filter(isObject);
    if (objs.length !== declared.length) {
      if (!isUnresolved(declared) || objs.length < declared.length) {
        out.push({ path, declared: `${declared.length} block(s)`, actual: `${objs.length} block(s)` });
      }
      return;
    }
    const free = new Set(objs.map((_, i) => i));
    const unmatched: number[] = [];
    declared.forEach((d, i) => {
      const j = [...free].find((k) => diffBlock(d as JsonObject, objs[k]!, '').length === 0);
      if (j === undefined) unmatched.push(i);
      else free.delete(j);
    });
    const rest = [...free];
    unmatched.forEach((i, n) => out.push(...diffBlock(declared[i] as JsonObject, objs[rest[n]!]!, `${path}[${i}]`)));
    return;
  }
  if (isUnresolved(declared)) return; // a list with expressions in it: we cannot know its elements
  // lists of scalars: compared as multisets (provider sets come back sorted)
  const pool = [...act];
  const ok =
    pool.length === declared.length &&
    declared.every((d) => {
      const i = pool.findIndex((a) => scalarEqual(d, a) && !(a === null && d !== null));
      if (i < 0) return false;
      pool.splice(i, 1);
      return true;
    });
  if (!ok) out.push({ path, declared, actual: act });
}

/** Attribute names (top level) listed in `lifecycle { ignore_changes = [...] }`; `'all'` ignores everything. */
function ignoredChanges(body: JsonObject): Set<string> | 'all' {
  const out = new Set<string>();
  const lifecycles = Array.isArray(body['lifecycle']) ? body['lifecycle'] : isObject(body['lifecycle']) ? [body['lifecycle']] : [];
  for (const l of lifecycles) {
    if (!isObject(l)) continue;
    const ic = l['ignore_changes'];
    if (ic === 'all' || ic === '${all}') return 'all';
    const list = Array.isArray(ic) ? ic : typeof ic === 'string' ? [ic] : [];
    for (const x of list) {
      if (typeof x !== 'string') continue;
      const m = /^(?:\$\{)?([A-Za-z0-9_-]+)/.exec(x.trim());
      if (m) {
        if (m[1] === 'all') return 'all';
        out.add(m[1]!);
      }
    }
  }
  return out;
}

function formatValue(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isSensitivePath(path: string, sensitive: string[]): boolean {
  const parts = path.split(/[.[\]]+/).filter((p) => p !== '' && !/^\d+$/.test(p));
  return sensitive.includes(parts[0] ?? '') || parts.some(isSecretAttribute);
}

/** Instances a declared block is expected to have, when count/for_each are literal; null when unknown. */
function expectedKeys(r: TfResource): (number | string | null)[] | null {
  if (r.hasCount) {
    const c = r.body['count'];
    const n = typeof c === 'number' ? c : typeof c === 'string' && /^\d+$/.test(c) ? Number(c) : null;
    if (n === null) return null;
    return Array.from({ length: n }, (_, i) => i);
  }
  if (r.hasForEach) {
    const fe = r.body['for_each'];
    if (isUnresolved(fe)) return null;
    if (isObject(fe)) return Object.keys(fe);
    if (Array.isArray(fe) && fe.every((x) => typeof x === 'string')) return [...new Set(fe as string[])];
    return null;
  }
  return [null];
}

function finding(kind: typeof MISSING | typeof DRIFT, r: TfResource, resource: string, title: string): Finding {
  return resourceFinding({ id: kind.ruleId, title, severity: kind.severity, docs: kind.docs }, r, { remediation: kind.remediation, resource });
}

function keyOf(module: string, type: string, name: string): string {
  return `${stripIndexes(module)}|${type}|${name}`;
}

/** Compare declared resources (from `loadTerraformDir`) with the deployed state. */
export function compareWithState(declared: TfResource[], state: StateResource[]): DriftResult {
  const byKey = new Map<string, StateResource[]>();
  for (const s of state) {
    if (s.mode !== 'managed') continue;
    const k = keyOf(s.module, s.type, s.name);
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  const findings: Finding[] = [];
  const summary: DriftSummary = { declared: 0, found: 0, missing: 0, drifted: 0, extra: 0, undetermined: 0, extraAddresses: [] };
  const claimed = new Set<string>();

  for (const r of declared) {
    if (r.address === `${r.module ? `${r.module}.` : ''}data.${r.type}.${r.name}`) continue; // data blocks are not deployed objects
    summary.declared++;
    const k = keyOf(r.module, r.type, r.name);
    const instances = byKey.get(k) ?? [];
    claimed.add(k);
    const expected = expectedKeys(r);
    if (instances.length === 0) {
      if (expected === null) summary.undetermined++;
      else if (expected.length > 0) {
        summary.missing++;
        findings.push(finding(MISSING, r, r.address, `${r.address} is declared but not in the deployed state`));
      }
      continue;
    }
    summary.found++;
    if (expected !== null) {
      const have = new Set(instances.map((i) => JSON.stringify(i.index)));
      const absent = expected.filter((e) => !have.has(JSON.stringify(e)) && !(e === null && instances.length > 0));
      for (const e of absent) {
        const addr = `${r.address}${formatIndex(e)}`;
        findings.push(finding(MISSING, r, addr, `${addr} is declared but not in the deployed state`));
      }
      if (absent.length > 0) summary.missing++;
    }
    const ignored = ignoredChanges(r.body);
    if (ignored === 'all') continue;
    let drifted = false;
    for (const inst of instances) {
      for (const [attr, value] of Object.entries(r.body)) {
        if (META.has(attr) || NOT_COMPARABLE.has(attr) || ignored.has(attr) || attr.endsWith('_wo') || attr.endsWith('_wo_version')) continue;
        if (!(attr in inst.values)) continue; // not a stored attribute (older/newer provider schema)
        if (inst.values[attr] === null && (isSecretAttribute(attr) || inst.sensitive.includes(attr))) continue; // secrets are often not kept in state
        const diffs: Diff[] = [];
        diffValue(value, inst.values[attr], attr, diffs);
        if (diffs.length === 0) continue;
        drifted = true;
        const d = diffs[0]!;
        const more = diffs.length > 1 ? ` (and ${diffs.length - 1} more difference${diffs.length > 2 ? 's' : ''} in ${attr})` : '';
        const title = isSensitivePath(d.path, inst.sensitive)
          ? `${inst.address}: ${d.path} differs from the configuration (values hidden: sensitive)${more}`
          : `${inst.address}: ${d.path} is ${formatValue(d.actual)} in the deployed state, configured ${formatValue(d.declared)}${more}`;
        findings.push(finding(DRIFT, r, inst.address, title));
      }
    }
    if (drifted) summary.drifted++;
  }

  for (const s of state) {
    if (s.mode !== 'managed' || claimed.has(keyOf(s.module, s.type, s.name))) continue;
    summary.extra++;
    summary.extraAddresses.push(s.address);
  }
  return { findings, summary };
}
