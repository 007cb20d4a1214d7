/**
 * `terraform show -json <planfile>` → a flat resource list for cost estimation. Walks
 * `planned_values.root_module` and its `child_modules` recursively (or `values.root_module` for
 * `terraform show -json` of state), attaches `resource_changes[].change.actions`, and adds
 * resources being destroyed (present only in `resource_changes`) with their `before` values.
 */
import { CostInputError, decodeInput, isObject, parseJsonText, type JsonObject } from './text.js';

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | string;

export interface PlanResource {
  /** Full address, e.g. `module.net.aws_nat_gateway.main[0]`. */
  address: string;
  type: string;
  name: string;
  mode: 'managed' | 'data';
  /** `module.net` (nested: `module.a.module.b`), or null at the root. */
  moduleAddress: string | null;
  /** count (number) or for_each (string) index, or null. */
  index: number | string | null;
  values: JsonObject;
  /** From resource_changes; `[]` when the input has none (state JSON). */
  actions: PlanAction[];
}

export interface PlanParseResult {
  file: string;
  formatVersion: string | null;
  terraformVersion: string | null;
  resources: PlanResource[];
  /** Non-fatal things worth telling the user (wrapper stripped, encoding recovered…). */
  notes: string[];
}

const WRAPPER_LINE = /^(\[command\]|::(debug|set-output|group|endgroup|warning|error|notice|add-mask)\b)/;

/**
 * Remove GitHub `setup-terraform` wrapper noise: a `[command]…terraform-bin show -json` first line
 * and `::debug::` / `::set-output name=…::` workflow-command lines after the JSON.
 */
export function stripWrapperNoise(text: string): { text: string; stripped: boolean } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // Still may carry a trailer; only strip when workflow-command lines exist.
    if (!/^::(set-output|debug)/m.test(text)) return { text, stripped: false };
  } else if (!/^(\[command\]|::)/m.test(text)) {
    return { text, stripped: false };
  }
  const kept = text.split(/\r?\n/).filter((l) => !WRAPPER_LINE.test(l));
  return { text: kept.join('\n'), stripped: true };
}

function parseIndexFromAddress(address: string): number | string | null {
  const m = /\[(\d+|"(?:[^"\\]|\\.)*")\]$/.exec(address);
  if (!m) return null;
  const raw = m[1]!;
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
}

function moduleOf(address: string): string | null {
  // Only leading module segments belong to the module path.
  let rest = address;
  const mods: string[] = [];
  for (;;) {
    const m = /^module\.[^.[]+(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\./.exec(rest);
    if (!m) break;
    mods.push(m[0].slice(0, -1));
    rest = rest.slice(m[0].length);
  }
  return mods.length ? mods.join('.') : null;
}

function toResource(r: JsonObject, moduleAddress: string | null, values: JsonObject, actions: PlanAction[]): PlanResource | null {
  const address = typeof r.address === 'string' ? r.address : null;
  const type = typeof r.type === 'string' ? r.type : null;
  if (!address || !type) return null;
  const idx = r.index;
  return {
    address,
    type,
    name: typeof r.name === 'string' ? r.name : '',
    mode: r.mode === 'data' ? 'data' : 'managed',
    moduleAddress: moduleAddress ?? (typeof r.module_address === 'string' ? r.module_address : moduleOf(address)),
    index: typeof idx === 'number' || typeof idx === 'string' ? idx : parseIndexFromAddress(address),
    values,
    actions,
  };
}

export function parsePlanJson(input: string | Uint8Array, file = '<plan>'): PlanParseResult {
  const notes: string[] = [];
  let text = decodeInput(input, file);
  if (typeof input !== 'string' && input[0] === 0xff && input[1] === 0xfe) notes.push('decoded UTF-16LE input (byte-order mark)');
  const w = stripWrapperNoise(text);
  if (w.stripped) {
    text = w.text;
    notes.push('stripped GitHub setup-terraform wrapper output ([command] line / ::set-output trailer); set terraform_wrapper: false to avoid it');
  }
  const doc = parseJsonText(text, file);
  if (!isObject(doc)) throw new CostInputError(file, 'expected a JSON object from `terraform show -json`');
  const root = isObject(doc.planned_values) ? doc.planned_values.root_module : isObject(doc.values) ? doc.values.root_module : undefined;
  const changes = Array.isArray(doc.resource_changes) ? doc.resource_changes.filter(isObject) : [];
  if (root === undefined && changes.length === 0) {
    throw new CostInputError(file, 'not a `terraform show -json` plan: no planned_values.root_module, values.root_module or resource_changes');
  }
  const actionsByAddress = new Map<string, PlanAction[]>();
  for (const c of changes) {
    const acts = isObject(c.change) && Array.isArray(c.change.actions) ? c.change.actions.filter((a): a is string => typeof a === 'string') : [];
    if (typeof c.address === 'string') actionsByAddress.set(c.address, acts);
  }

  const resources: PlanResource[] = [];
  const seen = new Set<string>();
  const walk = (mod: unknown, moduleAddress: string | null): void => {
    if (!isObject(mod)) return;
    for (const r of Array.isArray(mod.resources) ? mod.resources.filter(isObject) : []) {
      const values = isObject(r.values) ? r.values : {};
      const addr = typeof r.address === 'string' ? r.address : '';
      const res = toResource(r, moduleAddress, values, actionsByAddress.get(addr) ?? []);
      if (res && !seen.has(res.address)) {
        seen.add(res.address);
        resources.push(res);
      }
    }
    for (const child of Array.isArray(mod.child_modules) ? mod.child_modules.filter(isObject) : []) {
      walk(child, typeof child.address === 'string' ? child.address : null);
    }
  };
  walk(root, null);

  // Resources only in resource_changes: deletions (and anything planned_values omitted).
  for (const c of changes) {
    if (typeof c.address !== 'string' || seen.has(c.address)) continue;
    const change = isObject(c.change) ? c.change : {};
    const acts = actionsByAddress.get(c.address) ?? [];
    const values = acts.includes('delete') && !acts.includes('create') ? change.before : change.after;
    const res = toResource(c, typeof c.module_address === 'string' ? c.module_address : null, isObject(values) ? values : {}, acts);
    if (res) {
      seen.add(res.address);
      resources.push(res);
    }
  }
  return {
    file,
    formatVersion: typeof doc.format_version === 'string' ? doc.format_version : null,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : null,
    resources,
    notes,
  };
}
