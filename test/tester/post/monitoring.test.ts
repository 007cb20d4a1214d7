import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTerraformDir, type TfResource } from '../../../src/tester/hcl/load.js';
import { alarmSnippet, checkMonitoring, MONITORED_TYPES } from '../../../src/tester/post/monitoring.js';
import { stateAsResources } from '../../../src/tester/post/posture.js';
import { parseState } from '../../../src/tester/post/state.js';

const FIX = path.resolve(__dirname, '../../fixtures/state');

function res(address: string, body: Record<string, unknown>, extra: Partial<TfResource> = {}): TfResource {
  const parts = address.replace(/\[.*\]$/, '').split('.');
  const [type, name] = parts.slice(-2) as [string, string];
  return {
    type,
    name,
    address,
    module: parts.slice(0, -2).join('.'),
    file: 'main.tf',
    startLine: 1,
    endLine: 4,
    body,
    suppressions: [],
    hasCount: 'count' in body,
    hasForEach: 'for_each' in body,
    ...extra,
  };
}

const db = (body: Record<string, unknown> = { identifier: 'orders-db', engine: 'postgres' }) => res('aws_db_instance.main', body);
const alarm = (name: string, body: Record<string, unknown>, extra: Partial<TfResource> = {}) =>
  res(`aws_cloudwatch_metric_alarm.${name}`, { metric_name: 'CPUUtilization', threshold: 80, ...body }, extra);
const gaps = (rs: TfResource[]): string[] => checkMonitoring(rs).map((f) => `${f.resource} ${f.ruleId}`);

describe('checkMonitoring: alarms', () => {
  it('flags a database with no alarm, with a ready-to-paste alarm in the remediation', () => {
    const [f] = checkMonitoring([db()]);
    expect(f).toMatchObject({ ruleId: 'IO_MON_NO_ALARM', severity: 'MEDIUM', resource: 'aws_db_instance.main', file: 'main.tf', startLine: 1 });
    expect(f!.remediation).toContain('resource "aws_cloudwatch_metric_alarm" "db_instance_main_cpuutilization" {');
    expect(f!.remediation).toContain('DBInstanceIdentifier = aws_db_instance.main.identifier');
    expect(f!.remediation).toContain('namespace           = "AWS/RDS"');
  });

  it('accepts an alarm whose dimension references the database by expression (any attribute, any index)', () => {
    for (const ref of ['${aws_db_instance.main.identifier}', '${aws_db_instance.main.id}', '${aws_db_instance.main[0].identifier}']) {
      expect(gaps([db(), alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: ref } })])).toEqual([]);
    }
  });

  it('accepts an alarm naming the deployed database by its literal identifier, and ignores one for another database', () => {
    const ok = alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: 'orders-db' } });
    expect(gaps([db(), ok])).toEqual([]);
    const other = alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: 'billing-db' } });
    expect(gaps([db(), other])).toEqual(['aws_db_instance.main IO_MON_NO_ALARM']);
    const otherRef = alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: '${aws_db_instance.replica.identifier}' } });
    expect(gaps([db(), otherRef])).toEqual(['aws_db_instance.main IO_MON_NO_ALARM']);
  });

  it('finds dimensions inside metric_query (metric math alarms)', () => {
    const math = alarm('err_rate', {
      metric_query: [
        { id: 'e1', expression: 'm1/m2*100', return_data: true },
        { id: 'm1', metric: [{ namespace: 'AWS/SQS', metric_name: 'NumberOfMessagesSent', dimensions: { QueueName: '${aws_sqs_queue.jobs.name}' } }] },
      ],
    });
    expect(gaps([res('aws_sqs_queue.jobs', { name: 'jobs' }), math])).toEqual([]);
  });

  it('does not cry wolf when the alarm dimension cannot be resolved', () => {
    const viaVar = alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: '${var.db_id}' } });
    expect(gaps([db(), viaVar])).toEqual([]);
    const forEach = alarm('cpu', { for_each: '${local.dbs}', namespace: '${each.value.ns}', dimensions: '${each.value.dimensions}' });
    expect(gaps([db(), forEach])).toEqual([]);
    const dbNamedByVar = db({ identifier: '${var.name}-db' });
    expect(gaps([dbNamedByVar, alarm('cpu', { namespace: 'AWS/RDS', dimensions: { DBInstanceIdentifier: 'prod-db' } })])).toEqual([]);
    // an unresolved alarm for a queue says nothing about the database
    const queueAlarm = alarm('age', { namespace: 'AWS/SQS', dimensions: { QueueName: '${var.queue}' } });
    expect(gaps([db(), queueAlarm])).toEqual(['aws_db_instance.main IO_MON_NO_ALARM']);
  });

  it('covers every type in the table, and the snippets reference each one', () => {
    expect(MONITORED_TYPES.map((m) => m.type)).toEqual([
      'aws_db_instance',
      'aws_lb',
      'aws_alb',
      'aws_autoscaling_group',
      'aws_ecs_service',
      'aws_lambda_function',
      'aws_sqs_queue',
    ]);
    for (const spec of MONITORED_TYPES) {
      const r = res(`${spec.type}.x`, { load_balancer_type: 'network', cluster: '${aws_ecs_cluster.main.id}' });
      const f = checkMonitoring([r]).find((x) => x.ruleId === 'IO_MON_NO_ALARM');
      expect(f?.remediation, spec.type).toContain(`${spec.dimensions[0]!}`);
      expect(f!.remediation).toContain(`= ${spec.type}.x.${spec.refAttr}`);
    }
    const svc = res('aws_ecs_service.api', { cluster: '${aws_ecs_cluster.main.id}' });
    expect(alarmSnippet(svc, MONITORED_TYPES.find((m) => m.type === 'aws_ecs_service')!)).toContain('ClusterName = aws_ecs_cluster.main.name');
  });
});

describe('checkMonitoring: logging', () => {
  it('flags an ALB without enabled access logs, not an NLB or one with logs on', () => {
    expect(gaps([res('aws_lb.a', {})]).filter((g) => g.endsWith('LOGS'))).toEqual(['aws_lb.a IO_MON_LB_ACCESS_LOGS']);
    expect(gaps([res('aws_lb.a', { access_logs: [{ bucket: 'b', enabled: false }] })])).toContain('aws_lb.a IO_MON_LB_ACCESS_LOGS');
    expect(gaps([res('aws_lb.a', { access_logs: [{ bucket: '${aws_s3_bucket.l.id}', enabled: true }] })])).not.toContain('aws_lb.a IO_MON_LB_ACCESS_LOGS');
    expect(gaps([res('aws_lb.a', { access_logs: [{ bucket: 'b', enabled: '${var.logs}' }] })])).not.toContain('aws_lb.a IO_MON_LB_ACCESS_LOGS');
    expect(gaps([res('aws_lb.n', { load_balancer_type: 'network' })])).not.toContain('aws_lb.n IO_MON_LB_ACCESS_LOGS');
  });

  it('flags a VPC with no flow log, accepts one referenced by expression, and is unsure about a variable', () => {
    const vpc = res('aws_vpc.main', { cidr_block: '10.0.0.0/16' });
    expect(gaps([vpc])).toEqual(['aws_vpc.main IO_MON_VPC_FLOW_LOGS']);
    expect(checkMonitoring([vpc])[0]!.remediation).toContain('vpc_id               = aws_vpc.main.id');
    expect(checkMonitoring([vpc])[0]!.aliases).toContain('CKV2_AWS_11');
    expect(gaps([vpc, res('aws_flow_log.f', { vpc_id: '${aws_vpc.main.id}', traffic_type: 'ALL' })])).toEqual([]);
    expect(gaps([vpc, res('aws_flow_log.f', { vpc_id: '${aws_vpc.other.id}' })])).toEqual(['aws_vpc.main IO_MON_VPC_FLOW_LOGS']);
    expect(gaps([vpc, res('aws_flow_log.f', { vpc_id: '${var.vpc_id}' })])).toEqual([]);
  });

  it('ignores data sources and honours suppressions', () => {
    expect(checkMonitoring([res('data.aws_vpc.default', {}, { type: 'aws_vpc', name: 'default', module: '' })])).toEqual([]);
    const vpc = res('aws_vpc.main', {}, { suppressions: [{ id: 'CKV2_AWS_11', reason: 'sandbox', by: 'checkov', line: 1 }] });
    expect(checkMonitoring([vpc])[0]!.suppressed).toEqual({ reason: 'sandbox', by: 'checkov' });
  });
});

describe('checkMonitoring on the web app, declared and deployed', () => {
  let declared: TfResource[];
  let deployed: TfResource[];
  beforeAll(async () => {
    declared = (await loadTerraformDir(path.join(FIX, 'webapp'))).resources;
    deployed = stateAsResources(parseState(readFileSync(path.join(FIX, 'webapp/terraform.tfstate')), 'terraform.tfstate').resources);
  });

  it('declared: the DB alarm (expression) and the flow log count; LB, ASG and queue have no alarm', () => {
    expect(gaps(declared).sort()).toEqual([
      'aws_autoscaling_group.web IO_MON_NO_ALARM',
      'aws_lb.web IO_MON_NO_ALARM',
      'aws_sqs_queue.jobs IO_MON_NO_ALARM',
    ]);
  });

  it('deployed: the same verdicts from literal values in state (the queue was never deployed)', () => {
    expect(gaps(deployed).sort()).toEqual(['aws_autoscaling_group.web IO_MON_NO_ALARM', 'aws_lb.web IO_MON_NO_ALARM']);
    const lb = checkMonitoring(deployed).find((f) => f.resource === 'aws_lb.web')!;
    expect(lb.file).toBe('terraform.tfstate');
    expect(lb.remediation).toContain('LoadBalancer = aws_lb.web.arn_suffix');
  });

  it('deployed recorded ALB: access logs off and no alarm', () => {
    const alb = stateAsResources(parseState(readFileSync(path.join(FIX, 'driftctl-alb.tfstate')), 'x').resources);
    expect(gaps(alb).sort()).toEqual(['aws_alb.test IO_MON_LB_ACCESS_LOGS', 'aws_alb.test IO_MON_NO_ALARM']);
  });
});
