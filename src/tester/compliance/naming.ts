/**
 * Naming convention (`IO_NAMING_CONVENTION`): the name AWS will show for a resource must match the
 * environment's pattern (`naming.byResourceType[type]`, else `naming.pattern`).
 *
 * The name is the type's name attribute (table below), else, for other AWS types, `tags.Name`
 * (resource tags merged over the provider's default tags); a resource with neither is not in
 * scope. Non-AWS types are checked only when `naming.byResourceType` names them, on `name`.
 * Names that cannot be resolved statically are counted as unknown, never flagged.
 *
 * Name prefixes (`bucket_prefix`, `name_prefix`, ...): Terraform appends a 26-character unique
 * suffix (a timestamp of digits and an 8-digit hex counter). We test the prefix plus two such
 * suffixes (all digits, and ending in a hex letter): both match → pass, neither → fail, otherwise
 * unknown. When neither name nor prefix is set and the provider generates the name (e.g.
 * `terraform-2026…`), the generated form is tested the same way; types whose generated form we do
 * not ship are unknown.
 *
 * Against `naming.pattern` (not a per-type pattern) AWS-mandated decorations are removed first:
 * the `alias/` of a KMS alias and the `.fifo` of an SQS queue or SNS topic. A per-type pattern
 * sees the attribute exactly as written.
 */
import type { TfResource } from '../hcl/load.js';
import { evaluate, isObject, OpenMap, resourceInstances, type Scope, type Value } from '../hcl/values.js';
import type { CompiledNaming, NamingPattern } from './config.js';

export interface NameAttribute {
  /** The attribute holding the name. */
  attr: string;
  /** The attribute holding a prefix to which Terraform appends a unique suffix. */
  prefixAttr?: string;
  /** Prefix of the name the provider generates when neither is set (e.g. `terraform-`). */
  generated?: string;
  /** Removed before matching the generic pattern. */
  strip?: RegExp;
}

const GEN = 'terraform-';
const FIFO = /\.fifo$/;

/** The name attribute per AWS resource type. Types not listed fall back to `tags.Name`. */
export const NAME_ATTRIBUTES: Readonly<Record<string, NameAttribute>> = {
  aws_s3_bucket: { attr: 'bucket', prefixAttr: 'bucket_prefix', generated: GEN },
  aws_db_instance: { attr: 'identifier', prefixAttr: 'identifier_prefix', generated: GEN },
  aws_rds_cluster: { attr: 'cluster_identifier', prefixAttr: 'cluster_identifier_prefix' },
  aws_db_subnet_group: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_db_parameter_group: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_lb: { attr: 'name', prefixAttr: 'name_prefix', generated: 'tf-lb-' },
  aws_alb: { attr: 'name', prefixAttr: 'name_prefix', generated: 'tf-lb-' },
  aws_lb_target_group: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_alb_target_group: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_security_group: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_iam_role: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_iam_policy: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_iam_user: { attr: 'name' },
  aws_iam_group: { attr: 'name' },
  aws_iam_instance_profile: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_lambda_function: { attr: 'function_name' },
  aws_ecs_cluster: { attr: 'name' },
  aws_ecs_service: { attr: 'name' },
  aws_ecs_task_definition: { attr: 'family' },
  aws_eks_cluster: { attr: 'name' },
  aws_eks_node_group: { attr: 'node_group_name', prefixAttr: 'node_group_name_prefix' },
  aws_dynamodb_table: { attr: 'name' },
  aws_sqs_queue: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN, strip: FIFO },
  aws_sns_topic: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN, strip: FIFO },
  aws_cloudwatch_log_group: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_cloudwatch_metric_alarm: { attr: 'alarm_name' },
  aws_elasticache_cluster: { attr: 'cluster_id' },
  aws_elasticache_replication_group: { attr: 'replication_group_id' },
  aws_elasticache_subnet_group: { attr: 'name' },
  aws_elasticache_parameter_group: { attr: 'name' },
  aws_kms_alias: { attr: 'name', prefixAttr: 'name_prefix', strip: /^alias\// },
  aws_ecr_repository: { attr: 'name' },
  aws_autoscaling_group: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_launch_template: { attr: 'name', prefixAttr: 'name_prefix', generated: GEN },
  aws_secretsmanager_secret: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_sfn_state_machine: { attr: 'name', prefixAttr: 'name_prefix' },
  aws_cloudtrail: { attr: 'name' },
  aws_kinesis_stream: { attr: 'name' },
  aws_kinesis_firehose_delivery_stream: { attr: 'name' },
  aws_opensearch_domain: { attr: 'domain_name' },
  aws_elasticsearch_domain: { attr: 'domain_name' },
  aws_redshift_cluster: { attr: 'cluster_identifier' },
  aws_api_gateway_rest_api: { attr: 'name' },
  aws_apigatewayv2_api: { attr: 'name' },
};

/** Two representative 26-character suffixes of Terraform's `PrefixedUniqueId`. */
export const UNIQUE_SUFFIX_SAMPLES = ['20260101000000000000000001', '2026010100000000000000000a'] as const;

export type NamingVerdict =
  | { verdict: 'pass' }
  | { verdict: 'unknown' }
  | { verdict: 'out-of-scope' }
  | { verdict: 'fail'; attribute: string; pattern: NamingPattern; offending: string[]; kind: 'name' | 'prefix' | 'generated' };

/** The pattern for `type`, or null when none applies (no pattern, or not an AWS type). */
export function patternFor(type: string, naming: CompiledNaming): NamingPattern | null {
  const own = naming.byType.get(type);
  if (own) return own;
  if (!type.startsWith('aws_')) return null;
  return naming.default;
}

type One = { verdict: 'pass' | 'unknown' | 'out-of-scope' } | { verdict: 'fail'; attribute: string; name: string; kind: 'name' | 'prefix' | 'generated' };

function matchOne(pattern: NamingPattern, name: string, strip: RegExp | undefined): boolean {
  const subject = strip && pattern.field === 'naming.pattern' ? name.replace(strip, '') : name;
  return pattern.regex.test(subject);
}

/** Checks samples `base + suffix`; both match → pass, neither → fail, else unknown. */
function matchGenerated(pattern: NamingPattern, base: string, strip: RegExp | undefined): 'pass' | 'fail' | 'unknown' {
  const results = UNIQUE_SUFFIX_SAMPLES.map((s) => matchOne(pattern, base + s, strip));
  if (results.every(Boolean)) return 'pass';
  if (!results.some(Boolean)) return 'fail';
  return 'unknown';
}

function checkInstance(resource: TfResource, scope: Scope, pattern: NamingPattern, defaultTags: Value): One {
  // a non-AWS type reaches here only through naming.byResourceType; its name is `name`
  const spec = NAME_ATTRIBUTES[resource.type] ?? (resource.type.startsWith('aws_') ? undefined : { attr: 'name' });
  const body = resource.body;
  if (spec) {
    if (spec.attr in body) {
      const v = evaluate(body[spec.attr], scope);
      if (v === null) return checkUnset(spec, pattern);
      if (typeof v !== 'string') return { verdict: 'unknown' };
      return matchOne(pattern, v, spec.strip) ? { verdict: 'pass' } : { verdict: 'fail', attribute: spec.attr, name: v, kind: 'name' };
    }
    return checkUnset(spec, pattern, body, scope);
  }
  // other types: the Name tag
  const tags = 'tags' in body ? evaluate(body['tags'], scope) : {};
  const own = nameTag(tags);
  const name = own === undefined ? nameTag(defaultTags) : own;
  if (name === undefined) return { verdict: 'out-of-scope' };
  if (typeof name !== 'string') return { verdict: 'unknown' };
  return matchOne(pattern, name, undefined) ? { verdict: 'pass' } : { verdict: 'fail', attribute: 'tags.Name', name, kind: 'name' };
}

/** The `Name` entry of a tags value: a string, null (unknown), or undefined (certainly none). */
function nameTag(tags: Value): string | null | undefined {
  if (isObject(tags)) {
    const v = tags['Name'];
    return v === undefined || v === null ? undefined : typeof v === 'string' ? v : null;
  }
  if (tags instanceof OpenMap) {
    const v = tags.entries['Name'];
    return typeof v === 'string' ? v : null;
  }
  return tags === null ? undefined : null;
}

function checkUnset(spec: NameAttribute, pattern: NamingPattern, body?: Record<string, unknown>, scope?: Scope): One {
  if (spec.prefixAttr && body && scope && spec.prefixAttr in body) {
    const p = evaluate(body[spec.prefixAttr], scope);
    if (typeof p !== 'string') return { verdict: 'unknown' };
    const r = matchGenerated(pattern, p, spec.strip);
    return r === 'fail' ? { verdict: 'fail', attribute: spec.prefixAttr, name: p, kind: 'prefix' } : { verdict: r };
  }
  if (!spec.generated) return { verdict: 'unknown' };
  const r = matchGenerated(pattern, spec.generated, spec.strip);
  return r === 'fail' ? { verdict: 'fail', attribute: spec.attr, name: spec.generated, kind: 'generated' } : { verdict: r };
}

/**
 * The naming verdict for a resource over all its instances (`count` / `for_each`): fail when any
 * instance fails, else unknown when any is unknown, else pass. `defaultTags` are the provider's
 * (only used for `tags.Name`).
 */
export function checkNaming(resource: TfResource, scope: Scope, naming: CompiledNaming, defaultTags: Value): NamingVerdict {
  const pattern = patternFor(resource.type, naming);
  if (!pattern) return { verdict: 'out-of-scope' };
  const instances = resourceInstances(resource.body, scope);
  if (instances.length === 0) return { verdict: 'out-of-scope' };
  const results = instances.map((s) => checkInstance(resource, s, pattern, defaultTags));
  const fails = results.filter((r): r is Extract<One, { verdict: 'fail' }> => r.verdict === 'fail');
  if (fails.length > 0) {
    return { verdict: 'fail', attribute: fails[0]!.attribute, pattern, offending: [...new Set(fails.map((f) => f.name))], kind: fails[0]!.kind };
  }
  if (results.some((r) => r.verdict === 'unknown')) return { verdict: 'unknown' };
  if (results.every((r) => r.verdict === 'out-of-scope')) return { verdict: 'out-of-scope' };
  return { verdict: 'pass' };
}

/** The exact fix, for the finding's remediation. */
export function namingRemediation(v: Extract<NamingVerdict, { verdict: 'fail' }>): string {
  const current = v.offending.slice(0, 3).map((n) => JSON.stringify(n)).join(', ') + (v.offending.length > 3 ? `, … (${v.offending.length} names)` : '');
  switch (v.kind) {
    case 'prefix':
      return `change ${v.attribute} so that names it generates (prefix + 26-character unique suffix) match ${v.pattern.source} (current prefix: ${current}; pattern from ${v.pattern.field})`;
    case 'generated':
      return `set ${v.attribute} to a name matching ${v.pattern.source}: without it AWS/Terraform generates one starting ${current} (pattern from ${v.pattern.field})`;
    default:
      return `rename to match ${v.pattern.source} (current ${v.attribute}: ${current}; pattern from ${v.pattern.field})`;
  }
}
