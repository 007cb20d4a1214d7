import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTerraformDir } from '../../../src/tester/hcl/load.js';
import { resolveResources } from '../../../src/tester/hcl/resolve.js';
import { evaluate, RULES, runRules } from '../../../src/tester/rules/registry.js';
import { SEVERITIES } from '../../../src/tester/finding.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform/rules');
const VERDICTS = ['pass', 'fail', 'unknown'] as const;
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * Each fixture file is loaded alone, so companions in one file cannot affect another's verdicts, and
 * resolved as the CLI does (variable defaults, locals; `count = 0` resources dropped).
 */
async function loadAlone(file: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'io-rule-'));
  temps.push(dir);
  await copyFile(file, path.join(dir, 'main.tf'));
  const load = await loadTerraformDir(dir);
  return { ...load, resources: resolveResources(load).resources };
}

describe('built-in rule registry', () => {
  it('has unique ids and aliases, valid severities, and a fixture directory per rule', async () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // an alias names one check: two rules may share it only when they judge different resource types
    // (checkov's CKV_AWS_79 covers instances and launch templates, which are two rules here)
    for (const a of RULES) {
      expect(new Set(a.aliases).size).toBe(a.aliases.length);
      for (const b of RULES) {
        if (a === b || !a.aliases.some((x) => b.aliases.includes(x))) continue;
        expect({ a: a.id, b: b.id, shared: a.resourceTypes.filter((t) => b.resourceTypes.includes(t)) }).toEqual({ a: a.id, b: b.id, shared: [] });
      }
    }
    for (const r of RULES) {
      expect(r.id).toMatch(/^IO_AWS_[A-Z0-9_]+$/);
      expect(SEVERITIES).toContain(r.severity);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
      expect(r.docs).toMatch(/^https:\/\//);
      expect((await readdir(path.join(FIXTURES, r.id))).sort()).toEqual(['fail.tf', 'pass.tf', 'unknown.tf']);
    }
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  it.each(VERDICTS)('%s.tf: every resource named for a verdict gets it', async (expected) => {
    const { resources, data, problems } = await loadAlone(path.join(FIXTURES, rule.id, `${expected}.tf`));
    expect(problems).toEqual([]);
    const evaluations = evaluate(resources, [rule], data).filter((e) => /^(pass|fail|unknown)_/.test(e.resource.name));
    expect(evaluations.length).toBeGreaterThan(0);
    for (const e of evaluations) {
      const want = e.resource.name.split('_')[0];
      expect({ resource: e.resource.address, verdict: e.verdict }).toEqual({ resource: e.resource.address, verdict: want });
      expect(want).toBe(expected);
    }
    // findings exactly for the failing ones
    const findings = runRules(resources, [rule], data);
    expect(findings.map((f) => f.resource).sort()).toEqual(
      evaluations.filter((e) => e.verdict === 'fail').map((e) => e.resource.address).sort(),
    );
  });
});

describe('runRules', () => {
  it('builds findings with location, aliases and suppression from an alias', async () => {
    const { resources } = await loadAlone(path.join(FIXTURES, 'IO_AWS_S3_VERSIONING', 'fail.tf'));
    const rule = RULES.find((r) => r.id === 'IO_AWS_S3_VERSIONING')!;
    const target = resources.find((r) => r.name === 'fail_no_versioning')!;
    target.suppressions.push({ id: 'AVD-AWS-0090', reason: 'scratch bucket', by: 'trivy', line: 1 });
    const f = runRules(resources, [rule]).find((x) => x.resource === 'aws_s3_bucket.fail_no_versioning')!;
    expect(f).toMatchObject({
      ruleId: 'IO_AWS_S3_VERSIONING',
      tools: ['builtin'],
      file: 'main.tf',
      startLine: 1,
      endLine: 3,
      suppressed: { reason: 'scratch bucket', by: 'trivy' },
    });
    expect(f.aliases).toContain('CKV_AWS_21');
    const other = runRules(resources, [rule]).find((x) => x.resource === 'aws_s3_bucket.fail_suspended')!;
    expect(other.suppressed).toBeNull();
  });
});

describe('runRules on a loaded directory', () => {
  it('marks findings suppressed by each comment syntax (own id or an alias), and only those', async () => {
    const { resources } = await loadTerraformDir(path.resolve(FIXTURES, '../loader'));
    const findings = runRules(resources);
    const get = (resource: string, ruleId: string) => findings.find((f) => f.resource === resource && f.ruleId === ruleId);
    expect(get('aws_s3_bucket.skip_infra_ops', 'IO_AWS_S3_VERSIONING')?.suppressed).toEqual({ reason: 'scratch bucket, recreated daily', by: 'infra-ops' });
    expect(get('aws_s3_bucket.skip_infra_ops', 'IO_AWS_S3_ENCRYPTION')?.suppressed).toBeNull();
    expect(get('aws_s3_bucket.skip_checkov_tfsec', 'IO_AWS_S3_PUBLIC_ACL')?.suppressed).toEqual({ reason: 'public website bucket', by: 'checkov' });
    expect(get('aws_s3_bucket.skip_checkov_tfsec', 'IO_AWS_S3_LOGGING')?.suppressed).toEqual({ reason: null, by: 'tfsec' });
    // AVD-AWS-0086 (block public ACLs only) is not the same check as ours, so it does not silence it
    expect(get('aws_s3_bucket.skip_trivy_inside', 'IO_AWS_S3_PUBLIC_ACCESS_BLOCK')?.suppressed).toBeNull();
    expect(get('aws_s3_bucket.skip_trivy_inside', 'IO_AWS_S3_VERSIONING')?.suppressed).toEqual({ reason: null, by: 'trivy' });
    expect(get('aws_s3_bucket.not_directly_above', 'IO_AWS_S3_VERSIONING')?.suppressed).toBeNull();
    // resources in a local module carry its prefix and their own file
    expect(findings.every((f) => f.tools.length === 1 && f.tools[0] === 'builtin')).toBe(true);
  });
});
