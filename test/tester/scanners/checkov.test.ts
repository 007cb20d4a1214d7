import { describe, expect, it } from 'vitest';
import { CHECKOV_DEFAULT_SEVERITY, parseCheckovJson } from '../../../src/tester/scanners/checkov.js';
import { ScannerParseError } from '../../../src/tester/scanners/common.js';
import { fixture, json } from './helpers.js';

/** Independent count: failed checks over all reports of a file (dict or list). */
function failedCount(name: string): number {
  const d = json(name);
  const reports: any[] = Array.isArray(d) ? d : [d];
  return reports.reduce((n, r) => n + (r.results?.failed_checks?.length ?? 0), 0);
}

describe('parseCheckovJson on recorded outputs', () => {
  it.each([
    ['checkov-trimmed.json', 3, 'list of reports (terraform + terraform_plan)'],
    ['checkov-with-platform-severity.json', 4, 'single report dict'],
    ['checkov-multiple-check-types.json', 13, 'list: terraform 11 + dockerfile 2'],
    ['checkov-no-resources.json', 0, 'summary only'],
  ])('%s → %i failed findings (%s)', (name, expected) => {
    expect(failedCount(name)).toBe(expected);
    const { findings } = parseCheckovJson(fixture(name), { file: name });
    expect(findings).toHaveLength(expected);
    expect(findings.every((f) => f.tools.join() === 'checkov' && f.suppressed === null)).toBe(true);
  });

  it('summary-only output (nothing scanned) gives zero findings and no problems', () => {
    expect(parseCheckovJson(fixture('checkov-no-resources.json'))).toEqual({ findings: [], problems: [] });
  });

  it('module resource, relative path, line range, guideline, default severity table', () => {
    const { findings, problems } = parseCheckovJson(fixture('checkov-trimmed.json'));
    expect(findings[0]).toEqual({
      ruleId: 'CKV_AWS_131',
      aliases: ['BC_AWS_NETWORKING_41'],
      title: 'Ensure that ALB drops HTTP headers',
      severity: 'MEDIUM',
      tools: ['checkov'],
      resource: 'module.asg.aws_lb.web_alb',
      file: 'modules/asg/main.tf',
      startLine: 2,
      endLine: 19,
      remediation: null,
      docs: 'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/aws-networking-policies/ensure-that-alb-drops-http-headers',
      suppressed: null,
    });
    expect(findings.map((f) => [f.ruleId, f.resource, f.file, f.severity])).toEqual([
      ['CKV_AWS_131', 'module.asg.aws_lb.web_alb', 'modules/asg/main.tf', 'MEDIUM'],
      ['CKV_AWS_131', 'aws_lb.alb_app', 'modules/alb/app_alb.tf', 'MEDIUM'],
      ['CKV_AWS_150', 'aws_lb.alb_app', 'modules/alb/app_alb.tf', CHECKOV_DEFAULT_SEVERITY.CKV_AWS_150],
    ]);
    // the terraform_plan report's parsing error is surfaced, not thrown
    expect(problems).toEqual(['checkov terraform_plan: 1 file(s) could not be parsed: ./checkov.json']);
  });

  it('uses the platform severity when present', () => {
    const { findings } = parseCheckovJson(fixture('checkov-with-platform-severity.json'));
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['CKV_GCP_29', 'MEDIUM'],
      ['CKV_GCP_62', 'MEDIUM'],
      ['CKV_GCP_78', 'LOW'],
      ['CKV_GCP_28', 'HIGH'],
    ]);
    expect(findings[3]).toMatchObject({
      aliases: ['BC_GCP_PUBLIC_1'],
      resource: 'google_storage_bucket_iam_binding.allow_public_read',
      file: 'gcs.tf',
      startLine: 17,
      endLine: 21,
      docs: 'https://docs.bridgecrew.io/docs/bc_gcp_public_1',
    });
  });

  it('null severity falls back to the table, else MEDIUM; non-Terraform frameworks get no resource', () => {
    const { findings } = parseCheckovJson(fixture('checkov-multiple-check-types.json'));
    const rds = findings.find((f) => f.ruleId === 'CKV_AWS_16');
    expect(rds).toMatchObject({ severity: 'HIGH', resource: 'aws_db_instance.default', file: 'aws/db-app.tf', startLine: 1, endLine: 41 });
    expect(findings.find((f) => f.ruleId === 'CKV2_AWS_17')?.severity).toBe('MEDIUM');
    const docker = findings.filter((f) => f.ruleId.startsWith('CKV_DOCKER_'));
    expect(docker).toHaveLength(2);
    expect(docker[0]).toMatchObject({ resource: null, file: 'aws/resources/Dockerfile', startLine: null, endLine: null });
  });

  it('passed checks are ignored; skipped checks and suppress_comment become suppressed findings', () => {
    const d = json('checkov-with-platform-severity.json');
    const skipped = { ...d.results.failed_checks[0], check_result: { result: 'SKIPPED', suppress_comment: 'public website bucket' } };
    d.results.skipped_checks = [skipped];
    d.results.passed_checks = [{ ...d.results.failed_checks[1], check_result: { result: 'PASSED' } }];
    const { findings } = parseCheckovJson(JSON.stringify(d));
    expect(findings).toHaveLength(5);
    expect(findings.filter((f) => f.suppressed)).toEqual([
      expect.objectContaining({ ruleId: 'CKV_GCP_29', suppressed: { reason: 'public website bucket', by: 'checkov' } }),
    ]);
  });

  it('baseDir: file_abs_path under it wins (absolute `-f` runs), else file_path minus the leading /', () => {
    const base = '/home/harish/Desktop/terraform-project-vpc-alb-modules-workspace';
    expect(parseCheckovJson(fixture('checkov-trimmed.json'), { baseDir: base }).findings.map((f) => f.file)).toEqual([
      'modules/asg/main.tf',
      'modules/alb/app_alb.tf',
      'modules/alb/app_alb.tf',
    ]);
    const d = json('checkov-trimmed.json');
    d[0].results.failed_checks[0].file_path = `${base}/modules/asg/main.tf`;
    expect(parseCheckovJson(JSON.stringify(d), { baseDir: base }).findings[0]?.file).toBe('modules/asg/main.tf');
  });

  it('uses resource_address when present', () => {
    const d = json('checkov-with-platform-severity.json');
    d.results.failed_checks[0].resource_address = 'module.site.google_storage_bucket.terragoat_website';
    expect(parseCheckovJson(JSON.stringify(d)).findings[0]?.resource).toBe('module.site.google_storage_bucket.terragoat_website');
  });

  it('truncated JSON → ScannerParseError naming the tool, file and position', () => {
    const text = fixture('checkov-with-platform-severity.json');
    const cut = text.slice(0, 5000);
    expect(() => parseCheckovJson(cut, { file: 'checkov.json' })).toThrow(ScannerParseError);
    expect(() => parseCheckovJson(cut, { file: 'checkov.json' })).toThrow(/^checkov: cannot parse checkov\.json: truncated JSON.*position \d+ \(line \d+, column \d+\)/);
  });

  it('UTF-16LE BOM file → ScannerParseError naming the tool and the encoding', () => {
    const text = fixture('infracost-utf16le-head.json');
    expect(() => parseCheckovJson(text, { file: 'out.json' })).toThrow(/^checkov: cannot parse out\.json: .*UTF-16/);
  });

  it('JSON that is not checkov output is rejected', () => {
    expect(() => parseCheckovJson('{"foo": 1}', { file: 'x.json' })).toThrow(/checkov: cannot parse x\.json: .*not checkov JSON/);
  });
});
