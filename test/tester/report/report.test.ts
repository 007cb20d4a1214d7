import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildReport, reportPath } from '../../../src/tester/report/report.js';
import { sampleFindings, sampleInput } from './fixtures.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../../schemas/test-report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);


describe('buildReport', () => {
  const r = buildReport(sampleInput);

  it('matches schemas/test-report.schema.json', () => {
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    const minimal = buildReport({ env: 'dev', phase: 'post', generatedAt: new Date(0), findings: [], checks: [] });
    expect(validate(minimal), JSON.stringify(validate.errors)).toBe(true);
    expect(minimal.status).toBe('PASS');
    expect(minimal.cost).toBeNull();
  });

  it('schema rejects extra fields and bad enums (describes the report exactly)', () => {
    expect(validate({ ...r, extra: 1 })).toBe(false);
    expect(validate({ ...r, status: 'OK' })).toBe(false);
    expect(validate({ ...r, checks: [{ name: 'x', status: 'errored', detail: null }] })).toBe(false);
  });

  it('overall status, gate and counts', () => {
    expect(r.status).toBe('FAIL');
    expect(r.gate).toEqual({ blockOn: ['CRITICAL', 'HIGH'], warnOn: ['MEDIUM'], blocking: 3, warnings: 1 });
    expect(r.counts.total).toBe(6);
    expect(r.counts.bySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1 });
    expect(r.counts.suppressed).toBe(1);
    expect(r.counts.checks).toEqual({ passed: 2, failed: 0, skipped: 2, error: 0 });
    expect(r.statusReasons.join('\n')).toMatch(/3 blocking/);
    expect(r.findings[0]!.severity).toBe('CRITICAL');
    expect(r.findings.find((f) => f.ruleId === 'IO_AWS_RDS_PUBLIC')!.outcome).toBe('suppressed');
    expect(r.findings.find((f) => f.severity === 'LOW')!.outcome).toBe('info');
  });

  it('keeps skipped checks with their reason', () => {
    expect(r.checks.filter((c) => c.status === 'skipped').map((c) => c.detail)).toEqual(['skipped: not installed', 'skipped: not installed']);
  });

  it('a failed check fails the run; a check that could not run warns', () => {
    const failed = buildReport({ ...sampleInput, findings: [], cost: null, checks: [{ name: 'terraform validate', status: 'failed', detail: 'exit 1' }] });
    expect(failed.status).toBe('FAIL');
    expect(failed.statusReasons.join()).toMatch(/terraform validate/);
    const errored = buildReport({ ...sampleInput, findings: [], cost: null, checks: [{ name: 'checkov', status: 'error', detail: 'timed out after 300 s', durationMs: 300000 }] });
    expect(errored.status).toBe('WARN');
    expect(errored.counts.checks.error).toBe(1);
    expect(errored.checks[0]!.durationMs).toBe(300000);
    expect(errored.statusReasons.join()).toMatch(/could not run: checkov/);
  });

  it('budget: over budget fails, at or over warnAtPercent (default 80) warns, below passes', () => {
    // sampleInput: 1234.5 USD against 1000
    const over = buildReport({ ...sampleInput, findings: [], checks: [] });
    expect(over.status).toBe('FAIL');
    expect(over.cost!.budgetStatus).toBe('fail');
    expect(over.statusReasons.join()).toMatch(/exceeds the budget of 1000 USD/);
    const at80 = buildReport({ ...sampleInput, findings: [], checks: [], cost: { ...sampleInput.cost!, budget: 1234.5 / 0.8 } });
    expect(at80.cost!.budgetStatus).toBe('warn');
    expect(at80.status).toBe('WARN');
    expect(at80.statusReasons.join()).toMatch(/80% of the .* budget \(warn at 80%\)/);
    const at79 = buildReport({ ...sampleInput, findings: [], checks: [], cost: { ...sampleInput.cost!, budget: 1234.5 / 0.79 } });
    expect(at79.status).toBe('PASS');
    const custom = buildReport({ ...sampleInput, findings: [], checks: [], cost: { ...sampleInput.cost!, budget: 1234.5 / 0.79, warnAtPercent: 50 } });
    expect(custom.status).toBe('WARN');
    const none = buildReport({ ...sampleInput, findings: [], checks: [], cost: { ...sampleInput.cost!, budget: null } });
    expect(none.cost!.budgetStatus).toBeNull();
    expect(none.status).toBe('PASS');
  });

  it('cost breakdown lists every priced resource, most expensive first', () => {
    expect(r.cost!.resources.map((x) => x.address)).toEqual([
      'aws_db_instance.main', 'aws_instance.web[0]', 'aws_instance.web[1]', 'aws_nat_gateway.main', 'aws_lb.web', 'aws_s3_bucket.logs',
    ]);
    expect(r.cost!.resources.reduce((s, x) => s + x.monthly, 0)).toBeCloseTo(1234.5, 2);
  });

  it('recommendations: from active findings with remediation, deduplicated per rule, most severe first', () => {
    expect(r.recommendations.map((x) => x.ruleId)).toEqual(['IO_AWS_SG_OPEN_SSH', 'IO_AWS_S3_PUBLIC_ACL', 'IO_AWS_S3_NO_VERSIONING']);
    const acl = r.recommendations[1]!;
    expect(acl.count).toBe(2);
    expect(acl.resources).toEqual(['aws_s3_bucket.logs', 'aws_s3_bucket.assets']);
    expect(r.recommendations.some((x) => x.ruleId === 'IO_AWS_RDS_PUBLIC')).toBe(false); // suppressed
  });

  it('cost: top 5 drivers by monthly cost, shares and budget use', () => {
    const c = r.cost!;
    expect(c.topDrivers).toHaveLength(5);
    expect(c.topDrivers[0]).toEqual({ address: 'aws_db_instance.main', monthly: 600, share: 0.486 });
    expect(c.topDrivers.map((d) => d.address)).not.toContain('aws_s3_bucket.logs');
    expect(c.resourceCount).toBe(6);
    expect(c.overBudget).toBe(true);
    expect(c.budgetUsedPercent).toBe(123.5);
  });

  it('is pure: input findings are not mutated or reordered', () => {
    const copy = structuredClone(sampleFindings);
    buildReport({ ...sampleInput, findings: sampleFindings });
    expect(sampleFindings).toEqual(copy);
  });

  it('rejects an invalid timestamp', () => {
    expect(() => buildReport({ ...sampleInput, generatedAt: 'yesterday' })).toThrow(/timestamp/);
  });
});

describe('reportPath', () => {
  it('builds .infra-ops/reports/<env>/<timestamp>-<phase>.json with a filesystem-safe timestamp', () => {
    const p = reportPath('.infra-ops', 'staging', '2026-11-23T11:15:54.123Z', 'pre');
    expect(p.split(/[\\/]/)).toEqual(['.infra-ops', 'reports', 'staging', '20261123T111554123Z-pre.json']);
    expect(p).not.toMatch(/:/);
  });

  it('sorts chronologically and keeps hostile env names to one segment', () => {
    const a = reportPath('s', 'e', '2026-01-02T00:00:00Z', 'post');
    const b = reportPath('s', 'e', '2026-01-10T00:00:00Z', 'pre');
    expect(a < b).toBe(true);
    expect(reportPath('s', '../x', new Date(0), 'pre').split(/[\\/]/)).toHaveLength(4);
    expect(reportPath('s', '..', new Date(0), 'pre').split(/[\\/]/)[2]).toBe('_');
  });
});
