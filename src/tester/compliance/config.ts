/**
 * Compliance settings for one environment (from `.infra-ops/config.yaml`), with the `{project}`
 * and `{env}` placeholders of naming patterns substituted and every pattern compiled up front, so
 * that a bad pattern is an error naming its config field before anything is checked.
 */

export interface ComplianceConfig {
  /** Substituted for `{project}` in naming patterns. */
  project?: string;
  /** The environment name; substituted for `{env}`. */
  env: string;
  /** Tag keys every taggable AWS resource must carry (case-sensitive, as AWS tag keys are). */
  requiredTags?: string[];
  naming?: {
    /** Applies to every resource type that has a name (see `NAME_ATTRIBUTES`). */
    pattern?: string;
    /** Per-type patterns that replace `pattern` for that type. */
    byResourceType?: Record<string, string>;
  };
  /** Root-module variable values (from `loadTfvars`), taking precedence over defaults. */
  tfvars?: Record<string, unknown>;
}

/** A configuration error; `field` is the config path at fault (`naming.byResourceType.aws_s3_bucket`). */
export class ComplianceConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ComplianceConfigError';
  }
}

export interface NamingPattern {
  /** The config field it came from. */
  field: string;
  /** After placeholder substitution: what the remediation shows. */
  source: string;
  regex: RegExp;
}

export interface CompiledNaming {
  default: NamingPattern | null;
  byType: Map<string, NamingPattern>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Substitutes `{project}` / `{env}` (regex-escaped) and compiles; errors name `field`. */
export function compilePattern(field: string, pattern: unknown, cfg: Pick<ComplianceConfig, 'project' | 'env'>): NamingPattern {
  if (typeof pattern !== 'string' || pattern.trim() === '') throw new ComplianceConfigError(field, 'must be a non-empty regular expression string');
  let source = pattern;
  if (source.includes('{project}')) {
    if (!cfg.project) throw new ComplianceConfigError(field, 'uses {project} but no project name is configured');
    source = source.replaceAll('{project}', escapeRegex(cfg.project));
  }
  if (source.includes('{env}')) {
    if (!cfg.env) throw new ComplianceConfigError(field, 'uses {env} but no environment is given');
    source = source.replaceAll('{env}', escapeRegex(cfg.env));
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (err) {
    throw new ComplianceConfigError(field, `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  return { field, source, regex };
}

export function compileNaming(cfg: ComplianceConfig): CompiledNaming {
  const naming = cfg.naming ?? {};
  const byType = new Map<string, NamingPattern>();
  for (const [type, p] of Object.entries(naming.byResourceType ?? {})) byType.set(type, compilePattern(`naming.byResourceType.${type}`, p, cfg));
  return {
    default: naming.pattern === undefined || naming.pattern === null ? null : compilePattern('naming.pattern', naming.pattern, cfg),
    byType,
  };
}

export function validateRequiredTags(tags: unknown): string[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw new ComplianceConfigError('requiredTags', 'must be a list of tag keys');
  tags.forEach((t, i) => {
    if (typeof t !== 'string' || t.trim() === '') throw new ComplianceConfigError(`requiredTags[${i}]`, 'must be a non-empty tag key');
  });
  return [...new Set(tags as string[])];
}
