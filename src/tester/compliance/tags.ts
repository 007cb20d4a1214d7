/**
 * Required tags (`IO_REQUIRED_TAGS`): every taggable AWS resource must carry the configured tag
 * keys, counting the provider's `default_tags` (see `providers.ts` for which provider applies).
 *
 * - Taggable: a type in {@link TAGGABLE_TYPES}, or any `aws_*` resource that sets `tags`; never a
 *   type in {@link NOT_TAGGABLE_TYPES} (companion resources such as `aws_s3_bucket_versioning`,
 *   attachments, rules and routes, which have no tags in AWS).
 * - Effective tags = `merge(default_tags.tags, tags)`. `aws_autoscaling_group` is the exception:
 *   its tags are its `tag { key value }` blocks and provider default tags do not apply to it.
 * - Tag keys are case-sensitive, as in AWS. A tag whose value is known to be empty (or only
 *   whitespace, or null) counts as missing; a tag whose key is certainly present but whose value
 *   is not statically known counts as present (we judge the key, and flag only what we can see).
 * - Tags that cannot be resolved (`tags = var.tags` with no value) are unknown, not a failure:
 *   unless a required key is certainly absent from what is known, the verdict is unknown.
 */
import type { TfResource } from '../hcl/load.js';
import { evaluate, isObject, isUnknown, OpenMap, resourceInstances, UNKNOWN, type Scope, type Value } from '../hcl/values.js';

/** Common AWS resource types that accept tags. */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  'aws_acm_certificate', 'aws_alb', 'aws_alb_target_group', 'aws_ami', 'aws_api_gateway_rest_api', 'aws_api_gateway_stage',
  'aws_apigatewayv2_api', 'aws_apigatewayv2_stage', 'aws_appautoscaling_target', 'aws_athena_workgroup', 'aws_autoscaling_group',
  'aws_backup_plan', 'aws_backup_vault', 'aws_cloudformation_stack', 'aws_cloudfront_distribution', 'aws_cloudtrail',
  'aws_cloudwatch_event_rule', 'aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_codebuild_project',
  'aws_codepipeline', 'aws_cognito_user_pool', 'aws_customer_gateway', 'aws_db_instance', 'aws_db_option_group',
  'aws_db_parameter_group', 'aws_db_subnet_group', 'aws_default_security_group', 'aws_default_vpc', 'aws_dms_replication_instance',
  'aws_docdb_cluster', 'aws_dynamodb_table', 'aws_ebs_snapshot', 'aws_ebs_volume', 'aws_ec2_transit_gateway', 'aws_ecr_repository',
  'aws_ecs_capacity_provider', 'aws_ecs_cluster', 'aws_ecs_service', 'aws_ecs_task_definition', 'aws_efs_access_point',
  'aws_efs_file_system', 'aws_egress_only_internet_gateway', 'aws_eip', 'aws_eks_cluster', 'aws_eks_node_group',
  'aws_eks_fargate_profile', 'aws_elasticache_cluster', 'aws_elasticache_parameter_group', 'aws_elasticache_replication_group',
  'aws_elasticache_subnet_group', 'aws_elasticsearch_domain', 'aws_elb', 'aws_emr_cluster', 'aws_flow_log', 'aws_glue_job',
  'aws_iam_instance_profile', 'aws_iam_openid_connect_provider', 'aws_iam_policy', 'aws_iam_role', 'aws_iam_user', 'aws_instance',
  'aws_internet_gateway', 'aws_key_pair', 'aws_kinesis_firehose_delivery_stream', 'aws_kinesis_stream', 'aws_kms_key',
  'aws_lambda_function', 'aws_launch_template', 'aws_lb', 'aws_lb_listener', 'aws_lb_listener_rule', 'aws_lb_target_group',
  'aws_msk_cluster', 'aws_mq_broker', 'aws_nat_gateway', 'aws_neptune_cluster', 'aws_network_acl', 'aws_network_interface',
  'aws_opensearch_domain', 'aws_placement_group', 'aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_redshift_cluster',
  'aws_route53_health_check', 'aws_route53_zone', 'aws_route_table', 'aws_s3_bucket', 'aws_sagemaker_endpoint',
  'aws_sagemaker_notebook_instance', 'aws_secretsmanager_secret', 'aws_security_group', 'aws_sfn_state_machine', 'aws_sns_topic',
  'aws_sqs_queue', 'aws_ssm_document', 'aws_ssm_parameter', 'aws_subnet', 'aws_transfer_server', 'aws_vpc', 'aws_vpc_endpoint',
  'aws_vpc_peering_connection', 'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpn_connection',
  'aws_vpn_gateway', 'aws_wafv2_ip_set', 'aws_wafv2_web_acl',
]);

/** AWS resource types that have no tags: never flagged, even if a `tags`-like attribute appears. */
export const NOT_TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  'aws_autoscaling_attachment', 'aws_autoscaling_policy', 'aws_cloudwatch_event_target', 'aws_cloudwatch_log_stream',
  'aws_cloudwatch_log_subscription_filter', 'aws_db_instance_role_association', 'aws_ecr_lifecycle_policy', 'aws_ecr_repository_policy',
  'aws_eip_association', 'aws_iam_group_membership', 'aws_iam_group_policy', 'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_user_policy',
  'aws_iam_user_policy_attachment', 'aws_kms_alias', 'aws_lambda_permission', 'aws_lb_listener_certificate',
  'aws_lb_target_group_attachment', 'aws_main_route_table_association', 'aws_network_acl_rule', 'aws_route',
  'aws_route53_record', 'aws_route_table_association', 'aws_s3_bucket_acl', 'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_logging', 'aws_s3_bucket_notification',
  'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning', 'aws_s3_bucket_website_configuration',
  'aws_security_group_rule', 'aws_sns_topic_policy', 'aws_sns_topic_subscription', 'aws_sqs_queue_policy',
  'aws_volume_attachment', 'aws_vpc_endpoint_route_table_association', 'aws_wafv2_web_acl_association',
]);

/** Types whose tags do not include the provider's default tags. */
const NO_DEFAULT_TAGS: ReadonlySet<string> = new Set(['aws_autoscaling_group']);

export function isTaggable(resource: TfResource): boolean {
  if (!resource.type.startsWith('aws_') || NOT_TAGGABLE_TYPES.has(resource.type)) return false;
  return TAGGABLE_TYPES.has(resource.type) || 'tags' in resource.body;
}

export type TagsVerdict =
  | { verdict: 'pass' }
  | { verdict: 'unknown' }
  | { verdict: 'out-of-scope' }
  | { verdict: 'fail'; missing: string[]; empty: string[]; caseMismatch: Record<string, string> };

type TagState = 'present' | 'missing' | 'empty' | 'unknown';

/** Terraform's merge for tag maps, with unknown handling (see `values.ts`). */
function mergeTags(base: Value, over: Value): Value {
  const parts = [base, over];
  let entries: Record<string, Value> = {};
  let open = false;
  for (const p of parts) {
    if (p === null) continue;
    if (isObject(p)) entries = { ...entries, ...p };
    else if (p instanceof OpenMap) {
      entries = { ...Object.fromEntries(Object.keys(entries).map((k) => [k, UNKNOWN])), ...p.entries };
      open = true;
    } else {
      entries = Object.fromEntries(Object.keys(entries).map((k) => [k, UNKNOWN]));
      open = true;
    }
  }
  return open ? new OpenMap(entries) : entries;
}

/** An autoscaling group's `tag` blocks as a map; open when `dynamic "tag"` blocks or unknown keys appear. */
function asgTags(body: Record<string, unknown>, scope: Scope): Value {
  const out: Record<string, Value> = {};
  let open = false;
  const blocks = body['tag'];
  for (const b of Array.isArray(blocks) ? blocks : blocks === undefined ? [] : [blocks]) {
    if (b === null || typeof b !== 'object') {
      open = true;
      continue;
    }
    const key = evaluate((b as Record<string, unknown>)['key'], scope);
    if (typeof key !== 'string') {
      open = true;
      continue;
    }
    out[key] = evaluate((b as Record<string, unknown>)['value'], scope);
  }
  const dyn = body['dynamic'];
  const dynList = Array.isArray(dyn) ? dyn : dyn ? [dyn] : [];
  if (dynList.some((d) => d !== null && typeof d === 'object' && 'tag' in d)) open = true;
  if ('tags' in body) open = true; // the removed list-of-maps `tags` argument of provider v4
  return open ? new OpenMap(out) : out;
}

function stateOf(tags: Value, key: string): TagState {
  if (isUnknown(tags)) return 'unknown';
  const entries = isObject(tags) ? tags : tags instanceof OpenMap ? tags.entries : null;
  if (!entries) return 'unknown';
  if (key in entries) {
    const v = entries[key]!;
    if (v === null) return 'empty';
    if (typeof v === 'string') return v.trim() === '' ? 'empty' : 'present';
    return 'present'; // a number/bool (Terraform converts it) or a value we cannot know
  }
  return tags instanceof OpenMap ? 'unknown' : 'missing';
}

function keysOf(tags: Value): string[] {
  if (isObject(tags)) return Object.keys(tags);
  if (tags instanceof OpenMap) return Object.keys(tags.entries);
  return [];
}

/**
 * The required-tags verdict over all instances of `resource`: fail if any instance certainly
 * lacks a required tag (missing or empty), else unknown if any state is unknown, else pass.
 * `defaultTags` is the provider's `default_tags.tags` (UNKNOWN when the provider is unknown).
 */
export function checkTags(resource: TfResource, scope: Scope, required: string[], defaultTags: Value): TagsVerdict {
  if (required.length === 0 || !isTaggable(resource)) return { verdict: 'out-of-scope' };
  const instances = resourceInstances(resource.body, scope);
  if (instances.length === 0) return { verdict: 'out-of-scope' };
  const missing = new Set<string>();
  const empty = new Set<string>();
  const caseMismatch: Record<string, string> = {};
  let unknown = false;
  for (const s of instances) {
    const own = resource.type === 'aws_autoscaling_group' ? asgTags(resource.body, s) : 'tags' in resource.body ? evaluate(resource.body['tags'], s) : {};
    const tags = NO_DEFAULT_TAGS.has(resource.type) ? mergeTags({}, own) : mergeTags(defaultTags, own);
    for (const key of required) {
      const st = stateOf(tags, key);
      if (st === 'missing') {
        missing.add(key);
        const near = keysOf(tags).find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
        if (near) caseMismatch[key] = near;
      } else if (st === 'empty') empty.add(key);
      else if (st === 'unknown') unknown = true;
    }
  }
  if (missing.size || empty.size) return { verdict: 'fail', missing: [...missing], empty: [...empty], caseMismatch };
  return unknown ? { verdict: 'unknown' } : { verdict: 'pass' };
}

/** The exact fix, for the finding's remediation. `providerLabel` names the provider whose default_tags apply. */
export function tagsRemediation(resource: TfResource, v: Extract<TagsVerdict, { verdict: 'fail' }>, providerLabel: string | null): string {
  const keys = [...v.missing, ...v.empty];
  const notes: string[] = [];
  for (const [k, found] of Object.entries(v.caseMismatch)) notes.push(`found "${found}": tag keys are case-sensitive, expected "${k}"`);
  if (v.empty.length) notes.push(`${v.empty.join(', ')} ${v.empty.length === 1 ? 'is' : 'are'} set to an empty value`);
  const suffix = notes.length ? ` (${notes.join('; ')})` : '';
  if (resource.type === 'aws_autoscaling_group') {
    const blocks = keys.map((k) => `tag { key = "${k}" value = "<value>" propagate_at_launch = true }`).join(' ');
    return `add ${blocks}; provider default_tags do not apply to aws_autoscaling_group (to reuse them: dynamic "tag" over data.aws_default_tags)${suffix}`;
  }
  const list = keys.map((k) => `${k} = "<value>"`).join(', ');
  const where = providerLabel ? ` (or set ${keys.length === 1 ? 'it' : 'them'} in ${providerLabel} default_tags)` : '';
  return `add tags: ${list}${where}${suffix}`;
}
