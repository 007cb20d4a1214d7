import { describe, expect, it } from 'vitest';
import { ScannerParseError } from '../../../src/tester/scanners/common.js';
import { mergeFindings } from '../../../src/tester/scanners/merge.js';
import { legacyResourceFromDescription, parseTfsecJson } from '../../../src/tester/scanners/tfsec.js';
import { parseTrivyJson } from '../../../src/tester/scanners/trivy.js';
import { fixture, json } from './helpers.js';

const tfsecFailed = (name: string) => (json(name).results as any[]).filter((r) => r.status !== 1 && r.status !== 'passed').length;
const trivyFailed = (name: string) =>
  (json(name).Results as any[]).flatMap((r) => r.Misconfigurations ?? []).filter((m: any) => m.Status === 'FAIL').length;

describe('parseTfsecJson', () => {
  it.each([
    ['tfsec-trimmed.json', 3],
    ['tfsec-legacy-0.x.json', 19],
    ['tfsec-trivy-action-config.json', 3],
  ])('%s → %i findings', (name, expected) => {
    expect(tfsecFailed(name)).toBe(expected);
    expect(parseTfsecJson(fixture(name), { file: name }).findings).toHaveLength(expected);
  });

  it('modern schema: long id canonical, AVD + trivy + no legacy aliases, fields', () => {
    const { findings, problems } = parseTfsecJson(fixture('tfsec-trimmed.json'), {
      baseDir: '/tmp/workspaces/c5a4981e-19a4-4e0b-86ae-4f64b4f0345f/code',
    });
    expect(problems).toEqual([]);
    expect(findings[0]).toEqual({
      ruleId: 'aws-cloudwatch-log-group-customer-key',
      aliases: ['AVD-AWS-0017', 'AWS-0017'],
      title: 'CloudWatch log groups should be encrypted using CMK',
      severity: 'LOW',
      tools: ['tfsec'],
      resource: 'aws_cloudwatch_log_group.alb_logs',
      file: '23-monitoring.tf',
      startLine: 2,
      endLine: 10,
      remediation: 'Enable CMK encryption of CloudWatch Log Groups',
      docs: 'https://aquasecurity.github.io/tfsec/latest/checks/aws/cloudwatch/log-group-customer-key/',
      suppressed: null,
    });
    expect(findings.map((f) => [f.ruleId, f.severity, f.resource])).toEqual([
      ['aws-cloudwatch-log-group-customer-key', 'LOW', 'aws_cloudwatch_log_group.alb_logs'],
      ['aws-ec2-no-public-egress-sgr', 'CRITICAL', 'aws_security_group.db_sg'],
      ['aws-elb-drop-invalid-headers', 'HIGH', 'aws_lb.app_alb'],
    ]);
  });

  it('absolute paths without baseDir are kept and reported as a problem', () => {
    const { findings, problems } = parseTfsecJson(fixture('tfsec-trimmed.json'));
    expect(findings[0]?.file).toBe('/tmp/workspaces/c5a4981e-19a4-4e0b-86ae-4f64b4f0345f/code/23-monitoring.tf');
    expect(problems).toEqual([expect.stringMatching(/3 finding\(s\) have absolute file paths; pass baseDir/)]);
  });

  it('legacy 0.x schema: long rule_id, legacy id alias, module resource from description', () => {
    const { findings } = parseTfsecJson(fixture('tfsec-legacy-0.x.json'), { baseDir: '/tmp/aws-eks' });
    expect(findings[0]).toEqual({
      ruleId: 'aws-vpc-no-excessive-port-access',
      aliases: ['AWS050'],
      title: 'An ingress Network ACL rule allows ALL ports.',
      severity: 'CRITICAL',
      tools: ['tfsec'],
      resource: 'module.SUBNETS.aws_network_acl_rule.public_inbound[0]',
      file: 'modules/vpc-subnets/resources.tf',
      startLine: 155,
      endLine: 155,
      remediation: 'Set specific allowed ports',
      docs: 'https://tfsec.dev/docs/aws/vpc/no-excessive-port-access#aws/vpc',
      suppressed: null,
    });
    expect(findings.find((f) => f.ruleId === 'aws-autoscaling-enable-at-rest-encryption')?.resource).toBe(
      'module.EKS.module.lc["workers"].aws_launch_configuration.this',
    );
    expect(findings.every((f) => f.resource?.startsWith('module.'))).toBe(true);
  });

  it('legacy resource notation: colons inside index keys are kept', () => {
    expect(legacyResourceFromDescription(`Resource 'module.a:aws_x.y["k:v"]' is bad`)).toBe('module.a.aws_x.y["k:v"]');
    expect(legacyResourceFromDescription('no resource here')).toBeNull();
  });

  it('status 2 (ignored) → suppressed by tfsec', () => {
    const { findings } = parseTfsecJson(fixture('tfsec-trivy-action-config.json'), { baseDir: '/tmp/scan' });
    expect(findings.map((f) => [f.ruleId, f.file, f.suppressed])).toEqual([
      ['aws-s3-block-public-acls', 'trivy-action-config/main.tf', null],
      ['aws-s3-enable-bucket-logging', 'trivy-action-config/main.tf', null],
      ['aws-s3-enable-versioning', 'trivy-action-config/main.tf', { reason: null, by: 'tfsec' }],
    ]);
  });

  it('truncated / UTF-16 / wrong input → ScannerParseError naming tfsec', () => {
    const text = fixture('tfsec-legacy-0.x.json');
    expect(() => parseTfsecJson(text.slice(0, 1234), { file: 'tfsec.json' })).toThrow(ScannerParseError);
    expect(() => parseTfsecJson(text.slice(0, 1234), { file: 'tfsec.json' })).toThrow(/^tfsec: cannot parse tfsec\.json: truncated JSON/);
    expect(() => parseTfsecJson(fixture('infracost-utf16le-head.json'), { file: 'r.json' })).toThrow(/^tfsec: cannot parse r\.json: .*UTF-16/);
    expect(() => parseTfsecJson('[]', { file: 'r.json' })).toThrow(/tfsec: cannot parse r\.json: expected an object with "results"/);
    expect(parseTfsecJson('{"results": null}').findings).toEqual([]);
  });
});

describe('parseTrivyJson', () => {
  it.each([
    ['trivy.json', 8],
    ['trivy-legacy-avd-ids.json', 9],
    ['trivy-remote-module.json', 3],
  ])('%s → %i findings', (name, expected) => {
    expect(trivyFailed(name)).toBe(expected);
    expect(parseTrivyJson(fixture(name), { file: name }).findings).toHaveLength(expected);
  });

  it('a FAIL misconfiguration field by field', () => {
    const { findings, problems } = parseTrivyJson(fixture('trivy.json'));
    expect(problems).toEqual([]);
    expect(findings[0]).toEqual({
      ruleId: 'AWS-0086',
      aliases: ['AVD-AWS-0086'],
      title: 'S3 Access block should block public ACL',
      severity: 'HIGH',
      tools: ['trivy'],
      resource: 'aws_s3_bucket.bucket',
      file: 'main.tf',
      startLine: 8,
      endLine: 10,
      remediation: 'Enable blocking any PUT calls with a public ACL specified',
      docs: 'https://avd.aquasec.com/misconfig/aws-0086',
      suppressed: null,
    });
    expect(findings.find((f) => f.ruleId === 'AWS-0090')).toMatchObject({
      severity: 'MEDIUM',
      resource: 'aws_s3_bucket_versioning.bucket_versioning',
      startLine: 16,
      endLine: 16,
    });
  });

  it('legacy AVD-AWS-nnnn ids (and the odd `s3-bucket-logging`) give the same ruleIds as the new form', () => {
    const key = (f: { ruleId: string; resource: string | null; severity: string; startLine: number | null }) =>
      `${f.ruleId} ${f.resource} ${f.severity} ${f.startLine}`;
    const modern = parseTrivyJson(fixture('trivy.json')).findings.map(key);
    const legacy = parseTrivyJson(fixture('trivy-legacy-avd-ids.json')).findings;
    // the old bundle also reported AWS-0088 (bucket encryption), dropped from newer bundles
    expect(legacy.map(key).filter((k) => !k.startsWith('AWS-0088 '))).toEqual(modern);
    expect(legacy.find((f) => f.ruleId === 'AWS-0089')?.aliases).toEqual(['AVD-AWS-0089', 's3-bucket-logging']);
    expect(legacy.find((f) => f.ruleId === 'AWS-0086')?.aliases).toEqual(['AVD-AWS-0086']);
  });

  it('findings inside a remote module keep the module target and `module.x` resource', () => {
    const { findings } = parseTrivyJson(fixture('trivy-remote-module.json'));
    expect(findings.map((f) => [f.ruleId, f.severity, f.resource, f.file, f.startLine, f.endLine])).toEqual([
      ['AWS-0089', 'LOW', 'module.bucket', 'terraform-aws-modules/s3-bucket/aws/main.tf', 25, 36],
      ['AWS-0090', 'MEDIUM', 'module.bucket', 'terraform-aws-modules/s3-bucket/aws/main.tf', 25, 36],
      ['AWS-0132', 'HIGH', 'module.bucket', 'terraform-aws-modules/s3-bucket/aws/main.tf', 25, 36],
    ]);
  });

  it('only Status FAIL counts', () => {
    const d = json('trivy.json');
    d.Results[1].Misconfigurations[0].Status = 'PASS';
    expect(parseTrivyJson(JSON.stringify(d)).findings).toHaveLength(7);
  });

  it('truncated JSON and UTF-16 → ScannerParseError naming trivy', () => {
    const text = fixture('trivy.json');
    const err = (() => {
      try {
        parseTrivyJson(text.slice(0, 4000), { file: 'trivy.json' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ScannerParseError);
    expect((err as ScannerParseError).tool).toBe('trivy');
    expect((err as Error).message).toMatch(/^trivy: cannot parse trivy\.json: truncated JSON.*position \d+/);
    expect(() => parseTrivyJson(fixture('infracost-utf16le-head.json'), { file: 'x.json' })).toThrow(/^trivy: cannot parse x\.json: .*UTF-16/);
  });
});

describe('mergeFindings', () => {
  const tfsec = () => parseTfsecJson(fixture('tfsec-trivy-action-config.json'), { baseDir: '/tmp/scan/trivy-action-config' }).findings;
  const trivy = () => parseTrivyJson(fixture('trivy.json')).findings;

  it('tfsec AVD-AWS-0086 and trivy AWS-0086 on the same main.tf resource become one finding', () => {
    const merged = mergeFindings([...tfsec(), ...trivy()]);
    // 3 tfsec + 8 trivy, of which 3 pairs overlap
    expect(merged).toHaveLength(3 + 8 - 3);
    expect(merged[0]).toEqual({
      ruleId: 'aws-s3-block-public-acls',
      aliases: ['AVD-AWS-0086', 'AWS-0086'],
      title: 'S3 Access block should block public ACL',
      severity: 'HIGH',
      tools: ['tfsec', 'trivy'],
      resource: 'aws_s3_bucket.bucket',
      file: 'main.tf',
      startLine: 8,
      endLine: 10,
      remediation: 'Enable blocking any PUT calls with a public ACL specified',
      docs: 'https://aquasecurity.github.io/tfsec/latest/checks/aws/s3/block-public-acls/',
      suppressed: null,
    });
    // highest severity wins (tfsec MEDIUM, trivy LOW for bucket logging); first non-null suppressed kept
    expect(merged[1]).toMatchObject({ ruleId: 'aws-s3-enable-bucket-logging', severity: 'MEDIUM', tools: ['tfsec', 'trivy'] });
    expect(merged[2]).toMatchObject({ ruleId: 'aws-s3-enable-versioning', tools: ['tfsec', 'trivy'], suppressed: { reason: null, by: 'tfsec' } });
    expect(merged.slice(3).every((f) => f.tools.join() === 'trivy')).toBe(true);
  });

  it('order of inputs only changes which fields come first; trivy first keeps AWS-0086 as ruleId', () => {
    const merged = mergeFindings([...trivy(), ...tfsec()]);
    expect(merged).toHaveLength(8);
    expect(merged[0]).toMatchObject({ ruleId: 'AWS-0086', aliases: ['AVD-AWS-0086', 'aws-s3-block-public-acls'], tools: ['trivy', 'tfsec'] });
  });

  it('same ids never merge across different resources, nor without a resource', () => {
    const [f] = trivy();
    const other = { ...f!, resource: 'aws_s3_bucket.other', tools: ['tfsec' as const] };
    expect(mergeFindings([f!, other])).toHaveLength(2);
    expect(mergeFindings([{ ...f!, resource: null }, { ...f!, resource: null, tools: ['tfsec'] }])).toHaveLength(2);
  });

  it('a tool never merges with itself (two occurrences on one resource stay two)', () => {
    const legacy = parseTfsecJson(fixture('tfsec-legacy-0.x.json')).findings;
    expect(mergeFindings(legacy)).toHaveLength(legacy.length);
  });

  it('does not mutate its input', () => {
    const input = [...tfsec(), ...trivy()];
    const snapshot = JSON.stringify(input);
    mergeFindings(input);
    expect(JSON.stringify(input)).toBe(snapshot);
  });
});
