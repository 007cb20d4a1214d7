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
    expect(r.counts.checks).toEqual({ passed: 2, failed: 0, skipped: 2 });
    expect(r.statusReasons.join('\n')).toMatch(/3 blocking/);
    expect(r.findings[0]!.severity).toBe('CRITICAL');
    expect(r.findings.find((f) => f.ruleId === 'IO_AWS_RDS_PUBLIC')!.outcome).toBe('suppressed');
    expect(r.findings.find((f) => f.severity === 'LOW')!.outcome).toBe('info');
  });

  it('keeps skipped checks with their reason', () => {
    expect(r.checks.filter((c) => c.status === 'skipped').map((c) => c.detail)).toEqual(['skipped: not installed', 'skipped: not installed']);
  });

  it('a failed check fails the run; an exceeded budget alone warns', () => {
    const failed = buildReport({ ...sampleInput, findings: [], checks: [{ name: 'terraform validate', status: 'failed', detail: 'exit 1' }] });
    expect(failed.status).toBe('FAIL');
    expect(failed.statusReasons.join()).toMatch(/terraform validate/);
    const over = buildReport({ ...sampleInput, findings: [], checks: [] });
    expect(over.status).toBe('WARN');
    expect(over.statusReasons.join()).toMatch(/exceeds budget/);
    const under = buildReport({ ...sampleInput, findings: [], checks: [], cost: { ...sampleInput.cost!, budget: 5000 } });
    expect(under.status).toBe('PASS');
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
