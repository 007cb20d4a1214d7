/**
 * Which `provider "aws"` configuration a resource uses, and its `default_tags`.
 *
 * Kept to Terraform's documented rules, simply:
 * - a resource uses `provider = aws.<alias>` when set, else the default (un-aliased) `aws`;
 * - a module's own `provider "aws"` blocks serve its resources (legacy style) when present;
 * - otherwise a module called without `providers` inherits its caller's default `aws`
 *   (aliases are not inherited); a module called with `providers = { aws = aws.us, ... }` uses
 *   exactly that mapping, and anything it does not map is unknown;
 * - a root module with no `provider "aws"` block has an implicit empty one (no default tags);
 * - an alias that is not declared, or a mapping that cannot be read statically, is unknown.
 */
import type { LoadResult, TfProvider, TfResource } from '../hcl/load.js';
import { evaluate, UNKNOWN, type Scope, type Value } from '../hcl/values.js';

/** The provider configuration used, or unknown; `label` is how to name it in a remediation. */
export type ProviderResolution = { provider: TfProvider | null; label: string } | { unknown: true };

const REF = /^\$\{\s*([A-Za-z][A-Za-z0-9_-]*)(?:\.([A-Za-z][A-Za-z0-9_-]*))?\s*\}$/;

/** `aws.us` → { name: 'aws', alias: 'us' }; `aws` → alias null; null when not a plain reference. */
export function parseProviderRef(raw: unknown): { name: string; alias: string | null } | null {
  if (typeof raw !== 'string') return null;
  const m = REF.exec(raw.trim()) ?? /^([A-Za-z][A-Za-z0-9_-]*)(?:\.([A-Za-z][A-Za-z0-9_-]*))?$/.exec(raw.trim());
  return m ? { name: m[1]!, alias: m[2] ?? null } : null;
}

export class ProviderIndex {
  private readonly providers: TfProvider[];
  private readonly calls: Map<string, Record<string, unknown>>;
  private readonly parentOf: Map<string, string>;

  constructor(load: LoadResult) {
    this.providers = load.providers ?? [];
    this.calls = new Map((load.moduleCalls ?? []).map((c) => [c.address, c.body]));
    this.parentOf = new Map((load.moduleCalls ?? []).map((c) => [c.address, c.module]));
  }

  /** The `aws` provider configuration `resource` uses. */
  forResource(resource: TfResource): ProviderResolution {
    const name = resource.type.split('_')[0] ?? resource.type;
    let alias: string | null = null;
    if ('provider' in resource.body) {
      const ref = parseProviderRef(resource.body['provider']);
      if (!ref || ref.name !== name) return { unknown: true };
      alias = ref.alias;
    }
    return this.resolve(resource.module, name, alias, 0);
  }

  private resolve(module: string, name: string, alias: string | null, depth: number): ProviderResolution {
    if (depth > 20) return { unknown: true };
    const own = this.providers.filter((p) => p.module === module && p.type === name);
    const hit = own.find((p) => p.alias === alias);
    if (hit) return { provider: hit, label: describe(hit) };
    if (own.some((p) => p.alias === null && 'alias' in p.body)) return { unknown: true }; // an alias we could not read
    if (module === '') return alias === null ? { provider: null, label: `provider "${name}"` } : { unknown: true };
    const call = this.calls.get(module);
    const parent = this.parentOf.get(module);
    if (!call || parent === undefined) return { unknown: true };
    if (!('providers' in call)) {
      return alias === null ? this.resolve(parent, name, null, depth + 1) : { unknown: true };
    }
    const mapping = call['providers'];
    if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) return { unknown: true };
    const key = alias === null ? name : `${name}.${alias}`;
    const target = parseProviderRef((mapping as Record<string, unknown>)[key]);
    if (!target || target.name !== name) return { unknown: true };
    return this.resolve(parent, name, target.alias, depth + 1);
  }
}

function describe(p: TfProvider): string {
  const where = p.module ? ` in ${p.module}` : '';
  return p.alias ? `provider "${p.type}" alias "${p.alias}"${where}` : `provider "${p.type}"${where}`;
}

/** `default_tags { tags = ... }` of a provider, evaluated in its module's scope; `{}` when none. */
export function defaultTagsOf(provider: TfProvider | null, scopes: Map<string, Scope>): Value {
  if (!provider) return {};
  const blocks = provider.body['default_tags'];
  if (blocks === undefined) return {};
  const list = Array.isArray(blocks) ? blocks : [blocks];
  if (list.length === 0) return {};
  const block = list[list.length - 1] as Record<string, unknown> | null;
  if (!block || typeof block !== 'object') return UNKNOWN;
  if (!('tags' in block)) return {};
  const scope = scopes.get(provider.module);
  if (!scope) return UNKNOWN;
  const v = evaluate(block['tags'], scope);
  return v === null ? {} : v;
}
