/**
 * Compliance from config for `infra-ops test`: naming convention (`IO_NAMING_CONVENTION`) and
 * required tags (`IO_REQUIRED_TAGS`), both MEDIUM (warn by default), judged on what can be
 * resolved statically from the HCL, tfvars, variable defaults and locals. What cannot be resolved
 * is counted as unknown and never reported as a finding.
 */
import type { Finding } from '../finding.js';
import type { LoadResult, TfResource } from '../hcl/load.js';
import { buildScopes, EMPTY_SCOPE, UNKNOWN, type Value } from '../hcl/values.js';
import { compileNaming, validateRequiredTags, type ComplianceConfig } from './config.js';
import { checkNaming, namingRemediation } from './naming.js';
import { defaultTagsOf, ProviderIndex } from './providers.js';
import { checkTags, tagsRemediation } from './tags.js';
import { resourceFinding } from '../resource-finding.js';

export { ComplianceConfigError, type ComplianceConfig } from './config.js';
export { NAME_ATTRIBUTES } from './naming.js';
export { NOT_TAGGABLE_TYPES, TAGGABLE_TYPES, isTaggable } from './tags.js';

export const NAMING_RULE = {
  id: 'IO_NAMING_CONVENTION',
  title: 'Resource name does not follow the naming convention',
  severity: 'MEDIUM',
  docs: 'https://www.terraform-best-practices.com/naming',
} as const;

export const TAGS_RULE = {
  id: 'IO_REQUIRED_TAGS',
  title: 'Resource is missing required tags',
  severity: 'MEDIUM',
  docs: 'https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html',
} as const;

/** The provider-side fix is documented here. */
export const DEFAULT_TAGS_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/resource-tagging';

export interface ComplianceResult {
  findings: Finding[];
  /** Resources that got a definite verdict (pass or fail). */
  checked: { naming: number; tags: number };
  /** Resources in scope whose name / tags could not be resolved statically (not findings). */
  unknown: { naming: number; tags: number };
}

function finding(rule: typeof NAMING_RULE | typeof TAGS_RULE, r: TfResource, remediation: string): Finding {
  return resourceFinding(rule, r, { remediation });
}

/**
 * Checks every resource of `load` against the environment's naming patterns and required tags.
 * Throws `ComplianceConfigError` (naming the config field) on a bad pattern or tag list.
 */
export function checkCompliance(load: LoadResult, cfg: ComplianceConfig): ComplianceResult {
  const naming = compileNaming(cfg);
  const required = validateRequiredTags(cfg.requiredTags);
  const result: ComplianceResult = { findings: [], checked: { naming: 0, tags: 0 }, unknown: { naming: 0, tags: 0 } };
  const wantsNaming = naming.default !== null || naming.byType.size > 0;
  if (!wantsNaming && required.length === 0) return result;

  const scopes = buildScopes(load, cfg.tfvars ?? {});
  const providers = new ProviderIndex(load);
  const defaultTagsCache = new Map<string, { tags: Value; label: string | null }>();
  const providerOf = (r: TfResource): { tags: Value; label: string | null } => {
    const res = providers.forResource(r);
    if ('unknown' in res) return { tags: UNKNOWN, label: null };
    const key = res.provider ? `${res.provider.module}\0${res.provider.file}\0${res.provider.startLine}\0${res.provider.alias}` : '';
    let hit = defaultTagsCache.get(key);
    if (!hit) {
      hit = { tags: defaultTagsOf(res.provider, scopes), label: res.label };
      defaultTagsCache.set(key, hit);
    }
    return hit;
  };

  for (const r of load.resources) {
    if (!r.type.startsWith('aws_') && !naming.byType.has(r.type)) continue;
    const scope = scopes.get(r.module) ?? EMPTY_SCOPE;
    const prov = providerOf(r);
    if (wantsNaming) {
      const v = checkNaming(r, scope, naming, prov.tags);
      if (v.verdict === 'unknown') result.unknown.naming++;
      else if (v.verdict !== 'out-of-scope') {
        result.checked.naming++;
        if (v.verdict === 'fail') result.findings.push(finding(NAMING_RULE, r, namingRemediation(v)));
      }
    }
    if (required.length) {
      const v = checkTags(r, scope, required, prov.tags);
      if (v.verdict === 'unknown') result.unknown.tags++;
      else if (v.verdict !== 'out-of-scope') {
        result.checked.tags++;
        if (v.verdict === 'fail') result.findings.push(finding(TAGS_RULE, r, tagsRemediation(r, v, prov.label)));
      }
    }
  }
  result.findings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.startLine ?? 0) - (b.startLine ?? 0) || a.ruleId.localeCompare(b.ruleId));
  return result;
}
