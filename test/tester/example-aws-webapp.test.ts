/**
 * The bundled example is the README's main job: its report must name exactly the deliberate issues
 * its README lists, and nothing else (no false positives on the parts configured correctly).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runPreTests } from '../../src/tester/phase-pre.js';
import { buildReport } from '../../src/tester/report/report.js';
import { ROOT } from '../plugin/helpers.js';

const DIR = join(ROOT, 'examples', 'aws-webapp');
const NO_TOOLS = { PATH: '/nonexistent' };

describe('examples/aws-webapp, pre-deployment, built-in checks', async () => {
  const file = join(DIR, '.infra-ops', 'config.yaml');
  const { config, problems } = await parseConfig(readFileSync(file, 'utf8'), file);
  expect(problems).toEqual([]);
  const env = config!.environments['test']!;
  const result = await runPreTests({
    dir: DIR,
    env: 'test',
    project: config!.project,
    scanners: ['builtin'],
    requiredTags: env.requiredTags,
    naming: env.naming,
    tfvars: env.tfvars,
    budget: env.budget,
    toolEnv: NO_TOOLS,
  });
  const report = buildReport({ env: 'test', phase: 'pre', generatedAt: '2026-11-23T12:00:00Z', findings: result.findings, checks: result.checks, cost: result.cost, gate: env.gate });

  it('reports exactly the deliberate issues of its README, with their places', () => {
    const active = report.findings.filter((f) => f.outcome !== 'suppressed').map((f) => `${f.severity} ${f.ruleId} ${f.resource} ${f.file}`);
    expect(active.sort()).toEqual(
      [
        'HIGH IO_AWS_LB_HTTP_LISTENER aws_lb_listener.http alb.tf',
        'HIGH IO_AWS_LAUNCH_TEMPLATE_IMDSV2 aws_launch_template.app asg.tf',
        'HIGH IO_AWS_RDS_STORAGE_ENCRYPTED aws_db_instance.main rds.tf',
        'MEDIUM IO_AWS_RDS_BACKUP_RETENTION aws_db_instance.main rds.tf',
        'HIGH IO_AWS_S3_PUBLIC_ACCESS_BLOCK aws_s3_bucket.logs s3.tf',
        'HIGH IO_AWS_SG_SSH_WORLD aws_vpc_security_group_ingress_rule.bastion_ssh security.tf',
        'HIGH IO_AWS_IAM_ADMIN_POLICY aws_iam_role_policy.app_debug iam.tf',
        'MEDIUM IO_REQUIRED_TAGS aws_autoscaling_group.app asg.tf',
        // not a README issue but true of the example: a single-AZ database (LOW, informational)
        'LOW IO_AWS_RDS_MULTI_AZ aws_db_instance.main rds.tf',
      ].sort(),
    );
    for (const f of report.findings) expect(f.startLine, f.ruleId).toBeGreaterThan(0);
  });

  it('honours the inline suppression with its reason', () => {
    const s = report.findings.filter((f) => f.outcome === 'suppressed');
    expect(s.map((f) => [f.ruleId, f.resource, f.suppressed?.reason])).toEqual([
      ['IO_AWS_S3_LOGGING', 'aws_s3_bucket.logs', 'this is the log bucket itself; logging it into itself would loop'],
    ]);
  });

  it('fails the gate, with every name matching the naming pattern after test.tfvars', () => {
    expect(report.status).toBe('FAIL');
    expect(report.gate.blocking).toBe(6);
    expect(report.findings.some((f) => f.ruleId === 'IO_NAMING_CONVENTION')).toBe(false);
    expect(result.notes).toContain('variables from test.tfvars');
  });

  it('estimates the cost from the HCL within the budget', () => {
    const c = report.cost!;
    // RDS db.t3.medium 0.068×730 + 20 GB gp3; NAT 0.045×730 + 100 GB×0.045; ASG 2×0.0208×730; ALB; bastion; 2 buckets
    expect(c.resources.map((r) => r.address).slice(0, 3)).toEqual(['aws_db_instance.main', 'aws_nat_gateway.main', 'aws_autoscaling_group.app']);
    expect(c.resources.find((r) => r.address === 'aws_autoscaling_group.app')!.monthly).toBeCloseTo(2 * 0.0208 * 730, 2);
    expect(c.budget).toBe(300);
    expect(c.budgetStatus).toBe('pass');
    expect(c.monthlyTotal).toBeGreaterThan(140);
    expect(c.monthlyTotal).toBeLessThan(160);
  });
});
