/**
 * Monitoring verification: resources that should be watched have an alarm or logging.
 * - Each type in `MONITORED_TYPES` needs at least one `aws_cloudwatch_metric_alarm` whose
 *   `dimensions` (or a `metric_query { metric { dimensions } }`) name it — by expression
 *   (`${aws_db_instance.main.identifier}`, `.id`, `.arn_suffix`, `.name`, `.function_name`, with any
 *   `[index]`) or by the literal value found in state → else `IO_MON_NO_ALARM` (MEDIUM) with a
 *   ready-to-paste alarm.
 * - An application load balancer without `access_logs { enabled = true }` → `IO_MON_LB_ACCESS_LOGS` (LOW).
 * - An `aws_vpc` without an `aws_flow_log` for it → `IO_MON_VPC_FLOW_LOGS` (MEDIUM).
 * Works on declared resources (`loadTerraformDir`) and on deployed ones (`stateAsResources`).
 * What cannot be resolved (alarms or flow logs pointing at variables, locals, module outputs, a
 * `for_each` over resources) is unknown, and unknown is not a finding.
 */
import type { Finding, Severity } from '../finding.js';
import { isUnresolved, type TfResource } from '../hcl/load.js';
import { lbType } from '../rules/aws/lb-common.js';
import { blocks, hasDynamic, UNKNOWN } from '../rules/util.js';
import { isDataAddress } from './posture.js';
import { resourceFinding } from '../resource-finding.js';

/** What one monitored resource type needs: the CloudWatch metric that names it and a suggested alarm. */
export interface MonitoredType {
  type: string;
  /** CloudWatch namespaces its metrics are in. */
  namespaces: string[];
  /** Dimension names whose value identifies the resource. */
  dimensions: string[];
  /** Attributes whose (deployed or literal) value is what the dimension holds. */
  valueAttrs: string[];
  /** The attribute to reference in a new alarm's dimension. */
  refAttr: string;
  /** The alarm we suggest: metric, statistic, comparison and threshold. */
  alarm: { metric: string; namespace: string; statistic: string; comparison: string; threshold: number; period: number; evaluationPeriods: number; why: string };
  /** Extra dimensions the suggested alarm needs besides `dimensions[0]`. */
  extraDimensions?: (r: TfResource) => Record<string, string>;
}

const ALARM_TYPE = 'aws_cloudwatch_metric_alarm';

function ecsClusterDimension(r: TfResource): Record<string, string> {
  const c = r.body['cluster'];
  if (typeof c === 'string') {
    const m = /^\$\{(aws_ecs_cluster\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.(?:id|arn|name)\}$/.exec(c.trim());
    if (m) return { ClusterName: `${m[1]}.name` };
    if (!isUnresolved(c)) return { ClusterName: JSON.stringify(c.replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:cluster\//, '')) };
  }
  return { ClusterName: '"CLUSTER_NAME" # the service\'s cluster' };
}

/** One entry per monitored resource type. */
export const MONITORED_TYPES: readonly MonitoredType[] = [
  {
    type: 'aws_db_instance',
    namespaces: ['AWS/RDS'],
    dimensions: ['DBInstanceIdentifier'],
    valueAttrs: ['identifier', 'id'],
    refAttr: 'identifier',
    alarm: { metric: 'CPUUtilization', namespace: 'AWS/RDS', statistic: 'Average', comparison: 'GreaterThanThreshold', threshold: 80, period: 300, evaluationPeriods: 3, why: 'CPU above 80% for 15 minutes' },
  },
  ...(['aws_lb', 'aws_alb'] as const).map(
    (type): MonitoredType => ({
      type,
      namespaces: ['AWS/ApplicationELB', 'AWS/NetworkELB', 'AWS/GatewayELB'],
      dimensions: ['LoadBalancer'],
      valueAttrs: ['arn_suffix'],
      refAttr: 'arn_suffix',
      alarm: { metric: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB', statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 10, period: 300, evaluationPeriods: 1, why: 'more than 10 target 5xx responses in 5 minutes (add UnHealthyHostCount per target group too)' },
    }),
  ),
  {
    type: 'aws_autoscaling_group',
    namespaces: ['AWS/EC2', 'AWS/AutoScaling'],
    dimensions: ['AutoScalingGroupName'],
    valueAttrs: ['name', 'id'],
    refAttr: 'name',
    alarm: { metric: 'StatusCheckFailed', namespace: 'AWS/EC2', statistic: 'Maximum', comparison: 'GreaterThanThreshold', threshold: 0, period: 300, evaluationPeriods: 2, why: 'an instance failing its status checks for 10 minutes' },
  },
  {
    type: 'aws_ecs_service',
    namespaces: ['AWS/ECS', 'ECS/ContainerInsights'],
    dimensions: ['ServiceName'],
    valueAttrs: ['name'],
    refAttr: 'name',
    alarm: { metric: 'CPUUtilization', namespace: 'AWS/ECS', statistic: 'Average', comparison: 'GreaterThanThreshold', threshold: 80, period: 300, evaluationPeriods: 3, why: 'service CPU above 80% for 15 minutes' },
    extraDimensions: ecsClusterDimension,
  },
  {
    type: 'aws_lambda_function',
    namespaces: ['AWS/Lambda'],
    dimensions: ['FunctionName'],
    valueAttrs: ['function_name', 'id'],
    refAttr: 'function_name',
    alarm: { metric: 'Errors', namespace: 'AWS/Lambda', statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 0, period: 300, evaluationPeriods: 1, why: 'any invocation error in 5 minutes' },
  },
  {
    type: 'aws_sqs_queue',
    namespaces: ['AWS/SQS'],
    dimensions: ['QueueName'],
    valueAttrs: ['name'],
    refAttr: 'name',
    alarm: { metric: 'ApproximateAgeOfOldestMessage', namespace: 'AWS/SQS', statistic: 'Maximum', comparison: 'GreaterThanThreshold', threshold: 900, period: 300, evaluationPeriods: 1, why: 'a message waiting more than 15 minutes (consumers stuck)' },
  },
];

const RULES = {
  IO_MON_NO_ALARM: {
    title: 'Resource has no CloudWatch alarm',
    severity: 'MEDIUM' as Severity,
    aliases: [] as string[],
    docs: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html',
  },
  IO_MON_LB_ACCESS_LOGS: {
    title: 'Load balancer access logs are not enabled',
    severity: 'LOW' as Severity,
    aliases: ['CKV_AWS_91'],
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html',
  },
  IO_MON_VPC_FLOW_LOGS: {
    title: 'VPC has no flow log',
    severity: 'MEDIUM' as Severity,
    aliases: ['CKV2_AWS_11', 'aws-ec2-require-vpc-flow-logs-for-all-vpcs', 'AWS-0178'],
    docs: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
  },
};
type MonRuleId = keyof typeof RULES;

type Verdict = 'pass' | 'fail' | 'unknown';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does `value` (an expression) reference `<type>.<name>` (any index, any attribute)? */
function referencesResource(value: string, type: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.])${escapeRe(type)}\\.${escapeRe(name)}(\\[[^\\]]*\\])?\\.[A-Za-z_]`).test(value);
}

function referencesType(value: string, type: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.])${escapeRe(type)}\\.[A-Za-z0-9_-]+(\\[[^\\]]*\\])?\\.[A-Za-z_]`).test(value);
}

/** Literal values of the resource's naming attributes; `unknown` set when some is an expression. */
function literalNames(r: TfResource, attrs: string[]): { values: Set<string>; unresolved: boolean } {
  const values = new Set<string>();
  let unresolved = false;
  for (const a of attrs) {
    const v = r.body[a];
    if (typeof v !== 'string' || v === '') continue;
    if (isUnresolved(v)) unresolved = true;
    else values.add(v);
  }
  return { values, unresolved };
}

interface DimensionSet {
  namespace: unknown;
  /** The `dimensions` value: a map, or an expression string. */
  dimensions: unknown;
}

/** Every (namespace, dimensions) an alarm watches: its own and those of `metric_query { metric {} }`. */
function dimensionSets(alarm: TfResource): DimensionSet[] {
  const out: DimensionSet[] = [];
  const b = alarm.body;
  const own = Array.isArray(b['dimensions']) && b['dimensions'].length === 1 ? b['dimensions'][0] : b['dimensions'];
  if (own !== undefined && own !== null) out.push({ namespace: b['namespace'], dimensions: own });
  if (hasDynamic(b, 'metric_query') || typeof b['metric_query'] === 'string') out.push({ namespace: undefined, dimensions: '${dynamic}' });
  for (const q of blocks(b, 'metric_query')) {
    for (const m of blocks(q, 'metric')) {
      const d = Array.isArray(m['dimensions']) && m['dimensions'].length === 1 ? m['dimensions'][0] : m['dimensions'];
      if (d !== undefined && d !== null) out.push({ namespace: m['namespace'], dimensions: d });
    }
  }
  return out;
}

function namespaceMatches(ns: unknown, spec: MonitoredType): boolean {
  if (typeof ns !== 'string' || isUnresolved(ns)) return true; // unknown namespace: could be
  return spec.namespaces.includes(ns);
}

function alarmVerdict(subject: TfResource, spec: MonitoredType, alarms: TfResource[]): Verdict {
  const names = literalNames(subject, spec.valueAttrs);
  let unknown = false;
  for (const alarm of alarms) {
    for (const set of dimensionSets(alarm)) {
      const nsOk = namespaceMatches(set.namespace, spec);
      if (typeof set.dimensions === 'string') {
        if (isUnresolved(set.dimensions) && nsOk) {
          if (alarm.module === subject.module && referencesResource(set.dimensions, subject.type, subject.name)) return 'pass';
          if (!referencesType(set.dimensions, subject.type)) unknown = true;
        }
        continue;
      }
      if (set.dimensions === null || typeof set.dimensions !== 'object' || Array.isArray(set.dimensions)) continue;
      for (const [key, value] of Object.entries(set.dimensions as Record<string, unknown>)) {
        const relevant = nsOk && (spec.dimensions.includes(key) || isUnresolved(key));
        if (typeof value !== 'string') continue;
        if (isUnresolved(value)) {
          if (alarm.module === subject.module && referencesResource(value, subject.type, subject.name)) return 'pass';
          if (relevant && !referencesType(value, subject.type)) unknown = true; // var.x, local.y, each.value...
        } else if (names.values.has(value) && spec.dimensions.includes(key)) {
          return 'pass';
        } else if (relevant && names.unresolved) {
          unknown = true; // our name is an expression: the literal might be it
        }
      }
    }
  }
  return unknown ? 'unknown' : 'fail';
}

/** `aws_db_instance.main` in its own module, with the state index if any: what to write in a reference. */
function localReference(r: TfResource): string {
  const addr = r.module ? r.address.slice(r.module.length + 1) : r.address;
  const m = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(\[.*\])?$/.exec(addr);
  if (!m) return `${r.type}.${r.name}`;
  if (m[2]) return `${m[1]}${m[2]}`;
  if (r.hasCount && r.file.endsWith('.tf')) return `${m[1]}[0]`;
  return m[1]!;
}

function hclName(s: string): string {
  const n = s.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
  return n || 'resource';
}

/** A ready-to-paste `aws_cloudwatch_metric_alarm` for a monitored resource. */
export function alarmSnippet(r: TfResource, spec: MonitoredType): string {
  const a = spec.alarm;
  const ref = localReference(r);
  const idx = /\[(.*)\]$/.exec(ref)?.[1];
  const suffix = idx === undefined ? '' : `_${idx.replace(/"/g, '')}`;
  const kind = r.type.replace(/^aws_/, '');
  const label = hclName(`${kind}_${r.name}${suffix}_${a.metric.toLowerCase()}`);
  const dims: Record<string, string> = { [spec.dimensions[0]!]: `${ref}.${spec.refAttr}`, ...(spec.extraDimensions?.(r) ?? {}) };
  const width = Math.max(...Object.keys(dims).map((k) => k.length));
  const dimLines = Object.entries(dims).map(([k, v]) => `    ${k.padEnd(width)} = ${v}`);
  return [
    `resource "${ALARM_TYPE}" "${label}" {`,
    `  alarm_name          = "${r.name}${suffix}-${kind}-${a.metric}"`,
    `  alarm_description   = "${r.address}: ${a.why.replace(/"/g, '\\"')}"`,
    `  namespace           = "${a.namespace}"`,
    `  metric_name         = "${a.metric}"`,
    `  statistic           = "${a.statistic}"`,
    `  period              = ${a.period}`,
    `  evaluation_periods  = ${a.evaluationPeriods}`,
    `  comparison_operator = "${a.comparison}"`,
    `  threshold           = ${a.threshold}`,
    `  treat_missing_data  = "notBreaching"`,
    `  alarm_actions       = [aws_sns_topic.alerts.arn] # your alert topic`,
    `  dimensions = {`,
    ...dimLines,
    `  }`,
    `}`,
  ].join('\n');
}


function finding(id: MonRuleId, r: TfResource, title: string, remediation: string): Finding {
  return resourceFinding({ id, ...RULES[id] }, r, { title, remediation });
}

function accessLogsVerdict(lb: TfResource): Verdict {
  const t = lbType(lb);
  if (t === UNKNOWN) return 'unknown';
  if (t !== 'application') return 'pass'; // NLB logs cover TLS listeners only; gateway LBs have none
  if (hasDynamic(lb.body, 'access_logs') || typeof lb.body['access_logs'] === 'string') return 'unknown';
  const logs = blocks(lb.body, 'access_logs');
  if (logs.length === 0) return 'fail';
  const enabled = logs[0]!['enabled'];
  if (enabled === true || enabled === 'true') return 'pass';
  if (typeof enabled === 'string' && isUnresolved(enabled)) return 'unknown';
  return 'fail'; // absent: the provider's default is false
}

function flowLogVerdict(vpc: TfResource, flowLogs: TfResource[]): Verdict {
  const id = vpc.body['id'];
  let unknown = false;
  for (const f of flowLogs) {
    const v = f.body['vpc_id'];
    if (typeof v !== 'string' || v === '') continue;
    if (isUnresolved(v)) {
      if (f.module === vpc.module && referencesResource(v, vpc.type, vpc.name)) return 'pass';
      if (!referencesType(v, 'aws_vpc') && !referencesType(v, 'aws_default_vpc')) unknown = true;
    } else if (typeof id === 'string' && !isUnresolved(id) && v === id) {
      return 'pass';
    } else if (typeof id !== 'string' || isUnresolved(id)) {
      unknown = true; // a literal vpc id and a VPC whose id we do not know
    }
  }
  return unknown ? 'unknown' : 'fail';
}

/** Monitoring gaps among `resources` (declared or deployed; data sources are ignored). */
export function checkMonitoring(resources: TfResource[]): Finding[] {
  const managed = resources.filter((r) => !isDataAddress(r));
  const alarms = managed.filter((r) => r.type === ALARM_TYPE);
  const flowLogs = managed.filter((r) => r.type === 'aws_flow_log');
  const byType = new Map(MONITORED_TYPES.map((m) => [m.type, m]));
  const out: Finding[] = [];
  for (const r of managed) {
    const spec = byType.get(r.type);
    if (spec && alarmVerdict(r, spec, alarms) === 'fail') {
      out.push(
        finding(
          'IO_MON_NO_ALARM',
          r,
          `${r.address} has no CloudWatch alarm (${spec.dimensions[0]} dimension in ${spec.namespaces[0]})`,
          `Add an alarm on ${spec.alarm.metric} (${spec.alarm.why}), for example:\n\n${alarmSnippet(r, spec)}`,
        ),
      );
    }
    if ((r.type === 'aws_lb' || r.type === 'aws_alb') && accessLogsVerdict(r) === 'fail') {
      out.push(
        finding(
          'IO_MON_LB_ACCESS_LOGS',
          r,
          `${r.address} does not write access logs`,
          'Add `access_logs { bucket = aws_s3_bucket.<logs>.id, enabled = true }` (the bucket policy must let the regional ELB account write to it).',
        ),
      );
    }
    if (r.type === 'aws_vpc' && flowLogVerdict(r, flowLogs) === 'fail') {
      const ref = localReference(r);
      out.push(
        finding(
          'IO_MON_VPC_FLOW_LOGS',
          r,
          `${r.address} has no flow log`,
          [
            'Record the VPC\'s traffic (at least rejected packets), for example:',
            '',
            `resource "aws_flow_log" "${hclName(`${r.name}${formatIndexSuffix(ref)}`)}" {`,
            `  vpc_id               = ${ref}.id`,
            '  traffic_type         = "ALL"',
            '  log_destination_type = "s3"',
            '  log_destination      = aws_s3_bucket.<logs>.arn',
            '}',
          ].join('\n'),
        ),
      );
    }
  }
  return out;
}

function formatIndexSuffix(ref: string): string {
  const idx = /\[(.*)\]$/.exec(ref)?.[1];
  return idx === undefined ? '' : `_${idx.replace(/"/g, '')}`;
}
