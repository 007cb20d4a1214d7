import type { Finding } from '../../../src/tester/finding.js';
import type { BuildReportInput } from '../../../src/tester/report/report.js';

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'IO_AWS_S3_PUBLIC_ACL',
    aliases: ['CKV_AWS_20'],
    title: 'S3 bucket has a public ACL',
    severity: 'HIGH',
    tools: ['builtin'],
    resource: 'aws_s3_bucket.logs',
    file: 'modules/storage/main.tf',
    startLine: 10,
    endLine: 14,
    remediation: 'Set acl = "private".',
    docs: 'https://infra-ops.dev/rules/IO_AWS_S3_PUBLIC_ACL',
    suppressed: null,
    ...over,
  };
}

export const sampleFindings: Finding[] = [
  finding({ ruleId: 'IO_AWS_SG_OPEN_SSH', title: 'Security group allows SSH from 0.0.0.0/0', severity: 'CRITICAL', resource: 'aws_security_group.web', file: 'main.tf', startLine: 3, endLine: 9, remediation: 'Restrict ingress to known CIDRs.' }),
  finding(),
  finding({ resource: 'aws_s3_bucket.assets', startLine: 30, endLine: 33 }),
  finding({ ruleId: 'IO_AWS_S3_NO_VERSIONING', title: 'S3 bucket versioning disabled', severity: 'MEDIUM', remediation: 'Enable versioning.' }),
  finding({ ruleId: 'IO_AWS_EBS_UNENCRYPTED', title: 'EBS volume not encrypted', severity: 'LOW', remediation: null, resource: 'aws_ebs_volume.data', file: 'main.tf', startLine: 40, endLine: 44 }),
  finding({ ruleId: 'IO_AWS_RDS_PUBLIC', title: 'RDS instance publicly accessible', severity: 'CRITICAL', resource: 'aws_db_instance.legacy', file: 'db.tf', startLine: 1, endLine: 20, suppressed: { reason: 'legacy, tracked in OPS-12', by: 'inline' } }),
];

export const sampleInput: BuildReportInput = {
  env: 'staging',
  phase: 'pre',
  generatedAt: '2026-11-23T11:15:54.123Z',
  findings: sampleFindings,
  checks: [
    { name: 'terraform validate', status: 'passed', detail: null },
    { name: 'checkov', status: 'skipped', detail: 'skipped: not installed' },
    { name: 'tfsec', status: 'skipped', detail: 'skipped: not installed' },
    { name: 'builtin rules', status: 'passed', detail: null },
  ],
  cost: {
    monthlyTotal: 1234.5,
    currency: 'USD',
    budget: 1000,
    byResource: [
      { address: 'aws_db_instance.main', monthly: 600 },
      { address: 'aws_instance.web[0]', monthly: 200 },
      { address: 'aws_instance.web[1]', monthly: 200 },
      { address: 'aws_nat_gateway.main', monthly: 120.25 },
      { address: 'aws_lb.web', monthly: 80 },
      { address: 'aws_s3_bucket.logs', monthly: 34.25 },
    ],
  },
};
