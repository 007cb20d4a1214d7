/**
 * Reads deployed Terraform state for post-deployment checks. Accepts both shapes people have:
 * - `terraform show -json` (or `tofu show -json`) of a state: `{ format_version, terraform_version,
 *   values: { root_module: { resources[], child_modules[] } } }`, modules nested recursively;
 * - a raw state file (`terraform.tfstate`, version 4): `{ version, terraform_version, resources[] }`
 *   with `module`, `mode`, `type`, `name` and `instances[]` (`index_key`, `attributes`).
 * Bytes or text in (UTF-8 with or without BOM, UTF-16 as PowerShell `>` writes it); errors name the
 * file and the line/column where parsing stopped, or the field that is missing.
 */
import { CostInputError, decodeInput, isObject, parseJsonText, type JsonObject } from '../cost/text.js';

export interface StateResource {
  /** `aws_instance.web[0]`, `module.web.aws_lb.this`, `aws_s3_bucket.b["logs"]`, `data.aws_iam_policy_document.x`. */
  address: string;
  type: string;
  name: string;
  /** `''` for the root module, else `module.web` (with instance keys when the module has count/for_each: `module.web[0]`). */
  module: string;
  mode: 'managed' | 'data';
  /** `count` index, `for_each` key, or null for a single instance. */
  index: number | string | null;
  /** Attribute values as the provider stored them. */
  values: Record<string, unknown>;
  /** Top-level attribute names that Terraform marks sensitive (values must not be shown). */
  sensitive: string[];
}

export interface ParsedState {
  resources: StateResource[];
  terraformVersion: string | null;
  format: 'show-json' | 'tfstate';
}

export class StateInputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    /** Offset into the decoded text where JSON parsing failed, when known. */
    readonly position?: number,
  ) {
    super(`cannot parse ${file}: ${detail}`);
    this.name = 'StateInputError';
  }
}

/** `[0]` / `["key"]` as Terraform writes instance keys in addresses. */
export function formatIndex(index: number | string | null): string {
  if (index === null) return '';
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

/** `module.a[0].module.b` → `module.a.module.b`; `aws_x.y[2]` → `aws_x.y`. */
export function stripIndexes(address: string): string {
  return address.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, '');
}

export function parseState(input: string | Uint8Array, file: string): ParsedState {
  let doc: unknown;
  try {
    doc = parseJsonText(decodeInput(input, file), file);
  } catch (e) {
    if (e instanceof CostInputError) throw new StateInputError(file, e.detail, e.position);
    throw e;
  }
  if (!isObject(doc)) throw new StateInputError(file, `expected a JSON object (Terraform state), found ${describe(doc)}`);
  const tfVersion = typeof doc['terraform_version'] === 'string' ? doc['terraform_version'] : null;

  if ('planned_values' in doc || 'resource_changes' in doc) {
    throw new StateInputError(
      file,
      'this is a plan (`terraform show -json <planfile>`), not a state; use `terraform show -json` with no plan file, or the state file (`terraform state pull`)',
    );
  }
  if ('values' in doc || 'format_version' in doc) {
    return { resources: fromShowJson(doc, file), terraformVersion: tfVersion, format: 'show-json' };
  }
  if ('resources' in doc || 'version' in doc) {
    return { resources: fromTfstate(doc, file), terraformVersion: tfVersion, format: 'tfstate' };
  }
  throw new StateInputError(
    file,
    'not a Terraform state: missing field `values` (output of `terraform show -json`) and field `resources` (terraform.tfstate)',
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function str(obj: JsonObject, key: string, file: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') {
    throw new StateInputError(file, `${where}: missing field \`${key}\`${v === undefined ? '' : ` (found ${describe(v)})`}`);
  }
  return v;
}

function modeOf(obj: JsonObject, file: string, where: string): 'managed' | 'data' {
  const m = obj['mode'] ?? 'managed';
  if (m !== 'managed' && m !== 'data') throw new StateInputError(file, `${where}: field \`mode\` must be "managed" or "data", found ${JSON.stringify(m)}`);
  return m;
}

function indexOf(v: unknown, file: string, where: string): number | string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new StateInputError(file, `${where}: instance key must be a number or a string, found ${describe(v)}`);
}

function resourceAddress(module: string, mode: 'managed' | 'data', type: string, name: string, index: number | string | null): string {
  return `${module ? `${module}.` : ''}${mode === 'data' ? 'data.' : ''}${type}.${name}${formatIndex(index)}`;
}

/** Top-level attribute names under `sensitive_values` (show -json): any `true` below them. */
function sensitiveFromValues(sv: unknown): string[] {
  if (!isObject(sv)) return [];
  const hasTrue = (v: unknown): boolean => v === true || (Array.isArray(v) ? v.some(hasTrue) : isObject(v) && Object.values(v).some(hasTrue));
  return Object.keys(sv).filter((k) => hasTrue(sv[k]));
}

/** Top-level attribute names under `sensitive_attributes` (tfstate): paths of `{type: get_attr, value}` steps. */
function sensitiveFromPaths(paths: unknown): string[] {
  if (!Array.isArray(paths)) return [];
  const out = new Set<string>();
  for (const p of paths) {
    const first = Array.isArray(p) ? p[0] : p;
    if (isObject(first) && typeof first['value'] === 'string') out.add(first['value']);
  }
  return [...out];
}

function fromShowJson(doc: JsonObject, file: string): StateResource[] {
  const values = doc['values'];
  if (values === undefined || values === null) return []; // `terraform show -json` of an empty state
  if (!isObject(values)) throw new StateInputError(file, `field \`values\` must be an object, found ${describe(values)}`);
  const root = values['root_module'];
  if (root === undefined || root === null) return [];
  if (!isObject(root)) throw new StateInputError(file, `field \`values.root_module\` must be an object, found ${describe(root)}`);
  const out: StateResource[] = [];
  walkModule(root, '', 'values.root_module', file, out, 0);
  return out;
}

function walkModule(mod: JsonObject, moduleAddr: string, where: string, file: string, out: StateResource[], depth: number): void {
  if (depth > 50) throw new StateInputError(file, `${where}: modules nested more than 50 deep`);
  const resources = mod['resources'] ?? [];
  if (!Array.isArray(resources)) throw new StateInputError(file, `${where}.resources must be an array, found ${describe(resources)}`);
  resources.forEach((r, i) => {
    const w = `${where}.resources[${i}]`;
    if (!isObject(r)) throw new StateInputError(file, `${w} must be an object, found ${describe(r)}`);
    if (r['deposed_key'] !== undefined) return; // an old object awaiting destroy, not the live one
    const type = str(r, 'type', file, w);
    const name = str(r, 'name', file, w);
    const mode = modeOf(r, file, w);
    const index = indexOf(r['index'], file, w);
    const vals = r['values'] ?? {};
    if (!isObject(vals)) throw new StateInputError(file, `${w}.values must be an object, found ${describe(vals)}`);
    const address = typeof r['address'] === 'string' && r['address'] !== '' ? r['address'] : resourceAddress(moduleAddr, mode, type, name, index);
    out.push({ address, type, name, module: moduleAddr, mode, index, values: vals, sensitive: sensitiveFromValues(r['sensitive_values']) });
  });
  const children = mod['child_modules'] ?? [];
  if (!Array.isArray(children)) throw new StateInputError(file, `${where}.child_modules must be an array, found ${describe(children)}`);
  children.forEach((c, i) => {
    const w = `${where}.child_modules[${i}]`;
    if (!isObject(c)) throw new StateInputError(file, `${w} must be an object, found ${describe(c)}`);
    walkModule(c, str(c, 'address', file, w), w, file, out, depth + 1);
  });
}

function fromTfstate(doc: JsonObject, file: string): StateResource[] {
  const version = doc['version'];
  if (version === undefined) throw new StateInputError(file, 'missing field `version` (state format version; 4 since Terraform 0.12)');
  if (version !== 4) {
    throw new StateInputError(
      file,
      `state format version ${JSON.stringify(version)} is not supported (only version 4, written by Terraform 0.12 and later and OpenTofu); run \`terraform show -json\` with a current Terraform instead`,
    );
  }
  const resources = doc['resources'] ?? [];
  if (!Array.isArray(resources)) throw new StateInputError(file, `field \`resources\` must be an array, found ${describe(resources)}`);
  const out: StateResource[] = [];
  resources.forEach((r, i) => {
    const w = `resources[${i}]`;
    if (!isObject(r)) throw new StateInputError(file, `${w} must be an object, found ${describe(r)}`);
    const type = str(r, 'type', file, w);
    const name = str(r, 'name', file, w);
    const mode = modeOf(r, file, w);
    const module = r['module'] === undefined || r['module'] === null ? '' : str(r, 'module', file, w);
    const instances = r['instances'];
    if (!Array.isArray(instances)) throw new StateInputError(file, `${w}: missing field \`instances\` (an array)`);
    instances.forEach((inst, j) => {
      const wi = `${w}.instances[${j}]`;
      if (!isObject(inst)) throw new StateInputError(file, `${wi} must be an object, found ${describe(inst)}`);
      if (inst['deposed'] !== undefined) return;
      const index = indexOf(inst['index_key'], file, wi);
      const attrs = inst['attributes'] ?? {};
      if (!isObject(attrs)) throw new StateInputError(file, `${wi}.attributes must be an object, found ${describe(attrs)}`);
      out.push({
        address: resourceAddress(module, mode, type, name, index),
        type,
        name,
        module,
        mode,
        index,
        values: attrs,
        sensitive: sensitiveFromPaths(inst['sensitive_attributes']),
      });
    });
  });
  return out;
}
