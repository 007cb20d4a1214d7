/**
 * Security posture of what was deployed: the state's resources shaped like loaded HCL resources so
 * the same built-in rules (`runRules`) judge the deployed values.
 *
 * State values differ from HCL in ways that matter to the rules, so each body goes through
 * `stateBody`:
 * - Providers store an unset optional string as `""` and unset values as `null`. HCL has neither;
 *   rules test presence (`replicate_source_db !== undefined` means "read replica",
 *   `source_arn !== undefined` narrows a public Lambda permission), so a raw `""` misjudges:
 *   e.g. every RDS instance in state would look like a replica and pass the backup-retention rule.
 *   `stateBody` drops `""` and `null` object members.
 * - A literal `${...}` in a deployed value (flow-log `log_format`, IAM policy variables such as
 *   `${aws:username}`) is not an expression; it is escaped as `$${` (and `%{` as `%%{`), which is how
 *   HCL writes a literal, so `isUnresolved` does not call it unknown.
 * - Policy documents (`policy`, `*_policy`) are JSON strings in state; a policy using an IAM policy
 *   variable made the policy rules answer "unknown" (they refuse strings containing `${`), so they
 *   are handed over parsed, as objects, which the rules accept.
 * Companion lookups (bucket ↔ public-access block / ACL / versioning...) work on state because the
 * companion's `bucket` holds the bucket's literal name, which the rule context matches against the
 * bucket's `bucket` attribute.
 *
 * Known limits over state (rules left unchanged): state carries no inline suppressions (pass the
 * declared resources to reuse theirs); an `aws_security_group`'s `ingress` in state also lists rules
 * created by separate `aws_security_group_rule` resources, so one open port can be reported on both.
 */
import type { Finding } from '../finding.js';
import type { TfResource } from '../hcl/load.js';
import { RULES, runRules, type Rule } from '../rules/registry.js';
import { stripIndexes, type StateResource } from './state.js';

function escapeTemplate(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A JSON policy document stored as a string (`policy`, `assume_role_policy`...), parsed; else undefined. */
function policyObject(key: string, v: unknown): unknown {
  if (typeof v !== 'string' || !(key === 'policy' || key.endsWith('_policy'))) return undefined;
  const t = v.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** A state value made to look like a literal HCL value (see the module comment). */
export function stateBody(value: unknown): unknown {
  if (typeof value === 'string') return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(stateBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === '') continue;
      const doc = policyObject(k, v);
      out[k] = stateBody(doc ?? v);
    }
    return out;
  }
  return value;
}

/** True for a `data` resource's address (`data.aws_ami.x`, `module.a[0].data.aws_ami.x`). */
export function isDataAddress(r: Pick<TfResource, 'address' | 'module' | 'type' | 'name'>): boolean {
  const mod = stripIndexes(r.module);
  return stripIndexes(r.address) === `${mod ? `${mod}.` : ''}data.${r.type}.${r.name}`;
}

export interface StateAsResourcesOptions {
  /** Shown as the finding's file: the state file or `terraform show -json`. Default `terraform.tfstate`. */
  file?: string;
  /** Declared resources (from `loadTerraformDir`) whose inline suppressions apply to their deployed instances. */
  declared?: TfResource[];
}

/**
 * State resources (managed and data) as `TfResource`s: address = state address (with index and
 * module keys), body = `stateBody(values)`, no lines. Data sources keep their `data.` address.
 */
export function stateAsResources(state: StateResource[], options: StateAsResourcesOptions = {}): TfResource[] {
  const file = options.file ?? 'terraform.tfstate';
  const suppressions = new Map<string, TfResource['suppressions']>();
  for (const d of options.declared ?? []) {
    suppressions.set(`${stripIndexes(d.module)}|${isDataAddress(d) ? 'data' : 'managed'}|${d.type}|${d.name}`, d.suppressions);
  }
  return state.map((s): TfResource => ({
    type: s.type,
    name: s.name,
    address: s.address,
    module: s.module,
    file,
    startLine: null,
    endLine: null,
    body: stateBody(s.values) as Record<string, unknown>,
    suppressions: suppressions.get(`${stripIndexes(s.module)}|${s.mode}|${s.type}|${s.name}`) ?? [],
    hasCount: typeof s.index === 'number',
    hasForEach: typeof s.index === 'string',
  }));
}

/** The built-in rules over deployed values; findings carry the state address. */
export function checkPosture(state: StateResource[], options: StateAsResourcesOptions & { rules?: readonly Rule[] } = {}): Finding[] {
  const all = stateAsResources(state, options);
  const managed = all.filter((r) => !isDataAddress(r));
  const data = all.filter((r) => isDataAddress(r));
  return runRules(managed, options.rules ?? RULES, data);
}
