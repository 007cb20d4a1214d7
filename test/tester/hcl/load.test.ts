import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUnresolved, loadTerraformDir, normalizeRuleId, parseSuppressions, type LoadResult, type TfResource } from '../../../src/tester/hcl/load.js';
import { scanHcl } from '../../../src/tester/hcl/scan.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform/loader');

describe('loadTerraformDir', () => {
  let result: LoadResult;
  const byAddress = (a: string): TfResource => {
    const r = result.resources.find((x) => x.address === a);
    if (!r) throw new Error(`no ${a} in ${result.resources.map((x) => x.address).join(', ')}`);
    return r;
  };
  beforeAll(async () => {
    result = await loadTerraformDir(FIXTURE);
  });

  it('reports a syntax error with file and line, and still loads the other files', () => {
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'broken.tf', line: 6 });
    expect(result.problems[0]!.message).toMatch(/Invalid expression/);
    expect(byAddress('aws_s3_bucket.tricky').file).toBe('main.tf');
    // the broken file is skipped as a whole (hcl2json gives nothing for it)
    expect(result.resources.some((r) => r.file === 'broken.tf')).toBe(false);
  });

  it('computes line ranges despite braces in strings, templates, heredocs and comments', () => {
    const lines = (a: string) => [byAddress(a).startLine, byAddress(a).endLine];
    expect(lines('aws_s3_bucket.tricky')).toEqual([6, 16]);
    expect(lines('aws_iam_policy.heredoc')).toEqual([18, 24]);
    expect(lines('aws_s3_bucket.skip_infra_ops')).toEqual([27, 29]);
    expect(lines('aws_s3_bucket.skip_checkov_tfsec')).toEqual([33, 36]);
    expect(lines('aws_s3_bucket.skip_trivy_inside')).toEqual([38, 42]);
    expect(lines('aws_s3_bucket.counted')).toEqual([50, 53]);
  });

  it('keeps the hcl2json body, with expressions recognisable as unresolved', () => {
    const tricky = byAddress('aws_s3_bucket.tricky');
    expect(tricky.body['bucket']).toBe('logs-${var.env}-{not-a-brace');
    expect(isUnresolved(tricky.body['bucket'])).toBe(true);
    expect((tricky.body['tags'] as Record<string, unknown>)['Note']).toBe('} closing brace in a string');
    expect(isUnresolved(byAddress('aws_s3_bucket.skip_checkov_tfsec').body['acl'])).toBe(false);
  });

  it('flags count and for_each', () => {
    expect(byAddress('aws_s3_bucket.counted')).toMatchObject({ hasCount: true, hasForEach: false });
    expect(byAddress('aws_s3_bucket.each')).toMatchObject({ hasCount: false, hasForEach: true });
    expect(byAddress('aws_s3_bucket.tricky')).toMatchObject({ hasCount: false, hasForEach: false });
  });

  it('follows local modules, prefixing addresses', () => {
    expect(byAddress('module.net.aws_security_group.web')).toMatchObject({
      module: 'module.net',
      file: 'modules/net/main.tf',
      startLine: 5,
      endLine: 7,
    });
    expect(byAddress('aws_s3_bucket.tricky').module).toBe('');
  });

  it('collects infra-ops, checkov, tfsec and trivy suppressions from comments above or inside a block', () => {
    const ids = (a: string) => byAddress(a).suppressions.map(({ id, reason, by }) => ({ id, reason, by }));
    expect(ids('aws_s3_bucket.skip_infra_ops')).toEqual([
      { id: 'IO_AWS_S3_VERSIONING', reason: 'scratch bucket, recreated daily', by: 'infra-ops' },
    ]);
    expect(ids('aws_s3_bucket.skip_checkov_tfsec')).toEqual([
      { id: 'CKV_AWS_20', reason: 'public website bucket', by: 'checkov' },
      { id: 'aws-s3-enable-bucket-logging', reason: null, by: 'tfsec' },
    ]);
    expect(ids('aws_s3_bucket.skip_trivy_inside')).toEqual([
      { id: 'AVD-AWS-0086', reason: 'account-level block exists', by: 'trivy' },
      { id: 'AWS-0090', reason: null, by: 'trivy' },
    ]);
    // a comment separated by a blank line does not apply; nor do other blocks' comments
    expect(ids('aws_s3_bucket.not_directly_above')).toEqual([]);
    expect(ids('aws_s3_bucket.tricky')).toEqual([]);
  });

  it('returns data blocks separately, addressed as data.<type>.<name>', () => {
    expect(result.resources.some((r) => r.type === 'aws_iam_policy_document')).toBe(false);
    expect(result.data?.map((d) => [d.address, d.startLine, d.endLine])).toEqual([['data.aws_iam_policy_document.doc', 65, 70]]);
  });

  it('reports a missing directory as a problem instead of throwing', async () => {
    const r = await loadTerraformDir(path.join(FIXTURE, 'does-not-exist'));
    expect(r.resources).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.line).toBeNull();
  });
});

describe('parseSuppressions', () => {
  const parse = (text: string) => parseSuppressions({ line: 1, endLine: 1, text, ownLine: true }).map(({ id, reason, by }) => ({ id, reason, by }));
  it('understands each syntax and its reason form', () => {
    expect(parse('infra-ops:skip=IO_AWS_EBS_ENCRYPTED')).toEqual([{ id: 'IO_AWS_EBS_ENCRYPTED', reason: null, by: 'infra-ops' }]);
    expect(parse(' checkov:skip=CKV_AWS_21')).toEqual([{ id: 'CKV_AWS_21', reason: null, by: 'checkov' }]);
    expect(parse('tfsec:ignore:aws-s3-enable-versioning:exp:2030-01-01 until migration')).toEqual([
      { id: 'aws-s3-enable-versioning', reason: 'until migration', by: 'tfsec' },
    ]);
    expect(parse('trivy:ignore:AVD-AWS-0089')).toEqual([{ id: 'AVD-AWS-0089', reason: null, by: 'trivy' }]);
    expect(parse('just a comment about tfsec')).toEqual([]);
  });
  it('normalizes ids for comparison', () => {
    expect(normalizeRuleId('AVD-AWS-0086')).toBe(normalizeRuleId('aws-0086'));
    expect(normalizeRuleId('ckv_aws_20')).toBe('CKV_AWS_20');
  });
});

describe('isUnresolved', () => {
  it('treats templates and references as unresolved, literals as resolved', () => {
    expect(isUnresolved('${var.x}')).toBe(true);
    expect(isUnresolved('${module.y.z}')).toBe(true);
    expect(isUnresolved('prefix-${local.n}')).toBe(true);
    expect(isUnresolved('%{ if true }a%{ endif }')).toBe(true);
    expect(isUnresolved(['10.0.0.0/8', '${var.extra}'])).toBe(true);
    expect(isUnresolved({ a: { b: '${data.x.y}' } })).toBe(true);
    expect(isUnresolved('private')).toBe(false);
    expect(isUnresolved(true)).toBe(false);
    expect(isUnresolved(22)).toBe(false);
    expect(isUnresolved(['0.0.0.0/0'])).toBe(false);
  });
});

describe('scanHcl', () => {
  it('finds top-level blocks with labels and skips nested ones', () => {
    const { blocks } = scanHcl('terraform {\n  required_version = ">= 1.5"\n}\nresource "a" "b" {\n  x {\n    y = 1\n  }\n}\ndata "c" "d" {}\n');
    expect(blocks).toEqual([
      { kind: 'terraform', labels: [], startLine: 1, endLine: 3 },
      { kind: 'resource', labels: ['a', 'b'], startLine: 4, endLine: 8 },
      { kind: 'data', labels: ['c', 'd'], startLine: 9, endLine: 9 },
    ]);
  });
  it('handles strings with nested quotes in interpolations and escaped quotes', () => {
    const text = 'resource "a" "b" {\n  x = "${lookup(m, "}")}"\n  y = "say \\"}\\""\n  z = "$${literal}"\n}\nresource "a" "c" {\n}\n';
    expect(scanHcl(text).blocks.map((b) => [b.labels[1], b.startLine, b.endLine])).toEqual([
      ['b', 1, 5],
      ['c', 6, 7],
    ]);
  });
  it('records comments with their line and whether they stand alone', () => {
    const { comments } = scanHcl('# one\nx = 1 // two\n/* three\nfour */\n');
    expect(comments).toEqual([
      { line: 1, endLine: 1, text: ' one', ownLine: true },
      { line: 2, endLine: 2, text: ' two', ownLine: false },
      { line: 3, endLine: 4, text: ' three\nfour ', ownLine: true },
    ]);
  });
});
