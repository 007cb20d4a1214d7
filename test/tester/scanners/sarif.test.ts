import { describe, expect, it } from 'vitest';
import { ScannerParseError } from '../../../src/tester/scanners/common.js';
import { parseSarif, severityFromLevel, severityFromScore } from '../../../src/tester/scanners/sarif.js';
import { parseTrivyJson } from '../../../src/tester/scanners/trivy.js';
import { fixture, json } from './helpers.js';

const resultCount = (name: string) => (json(name).runs as any[]).reduce((n, r) => n + r.results.length, 0);

describe('parseSarif on recorded outputs', () => {
  it.each([
    ['checkov-trimmed.sarif', 'checkov', 2],
    ['tfsec-trimmed.sarif', 'tfsec', 3],
    ['trivy.sarif', 'trivy', 8],
  ] as const)('%s (%s) → %i findings, no problems', (name, tool, expected) => {
    expect(resultCount(name)).toBe(expected);
    const { findings, problems } = parseSarif(fixture(name), tool, { file: name });
    expect(findings).toHaveLength(expected);
    expect(problems).toEqual([]);
    expect(findings.every((f) => f.tools.join() === tool && f.resource === null)).toBe(true);
  });

  it('trivy: security-severity score decides, and agrees with trivy JSON severities on the same scan', () => {
    const { findings } = parseSarif(fixture('trivy.sarif'), 'trivy');
    expect(findings[0]).toEqual({
      ruleId: 'AWS-0086',
      aliases: ['AVD-AWS-0086'],
      title: 'S3 Access block should block public ACL',
      severity: 'HIGH',
      tools: ['trivy'],
      resource: null,
      file: 'main.tf',
      startLine: 8,
      endLine: 10,
      remediation: null,
      docs: 'https://avd.aquasec.com/misconfig/aws-0086',
      suppressed: null,
    });
    const fromJson = parseTrivyJson(fixture('trivy.json')).findings.map((f) => [f.ruleId, f.severity, f.startLine, f.endLine]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.startLine, f.endLine])).toEqual(fromJson);
  });

  it('checkov: no security-severity, every result level error → HIGH; module file uri, help URI → docs', () => {
    const { findings } = parseSarif(fixture('checkov-trimmed.sarif'), 'checkov');
    expect(findings).toEqual([
      {
        ruleId: 'CKV_AWS_26',
        aliases: [],
        title: 'Ensure all data stored in the SNS topic is encrypted',
        severity: 'HIGH',
        tools: ['checkov'],
        resource: null,
        file: 'modules/disaster-recovery/eventbridge.tf',
        startLine: 2,
        endLine: 4,
        remediation: null,
        docs: 'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/aws-general-policies/general-15',
        suppressed: null,
      },
      expect.objectContaining({
        ruleId: 'CKV_AWS_23',
        severity: 'HIGH',
        file: 'modules/disaster-recovery/multi-region-dr.tf',
        startLine: 167,
        endLine: 189,
        docs: 'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/aws-networking-policies/networking-31',
      }),
    ]);
  });

  it('tfsec (driver "defsec"): levels error/warning/note → HIGH/MEDIUM/LOW', () => {
    const { findings } = parseSarif(fixture('tfsec-trimmed.sarif'), 'tfsec');
    expect(findings.map((f) => [f.ruleId, f.severity, f.file, f.startLine, f.endLine])).toEqual([
      ['aws-ec2-enable-at-rest-encryption', 'HIGH', 'main.tf', 79, 79],
      ['aws-ec2-require-vpc-flow-logs-for-all-vpcs', 'MEDIUM', 'main.tf', 88, 96],
      ['aws-ec2-add-description-to-security-group-rule', 'LOW', 'main.tf', 54, 59],
    ]);
    expect(findings[0]?.docs).toBe('https://aquasecurity.github.io/tfsec/v1.28.14/checks/aws/ec2/enable-at-rest-encryption/');
  });

  it('score and level tables', () => {
    expect([9.5, 9, 8.9, 7, 6.9, 4, 3.9, 0].map(severityFromScore)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
    expect(['error', 'warning', 'note', 'none'].map(severityFromLevel)).toEqual(['HIGH', 'MEDIUM', 'LOW', 'LOW']);
  });

  it('uriBaseId: resolved through originalUriBaseIds and made relative to baseDir', () => {
    const d = json('trivy.sarif');
    d.runs[0].originalUriBaseIds = { ROOTPATH: { uri: 'file:///home/u/infra/' } };
    expect(parseSarif(JSON.stringify(d), 'trivy', { baseDir: '/home/u/infra' }).findings[0]?.file).toBe('main.tf');
    expect(parseSarif(JSON.stringify(d), 'trivy').findings[0]?.file).toBe('main.tf');
    d.runs[0].results[0].locations[0].physicalLocation.artifactLocation = { uri: 'file:///home/u/infra/mod%20a/main.tf' };
    expect(parseSarif(JSON.stringify(d), 'trivy', { baseDir: '/home/u/infra' }).findings[0]?.file).toBe('mod a/main.tf');
  });

  it('suppressions and result-level overrides', () => {
    const d = json('tfsec-trimmed.sarif');
    d.runs[0].results[0].suppressions = [{ kind: 'inSource', justification: 'legacy AMI' }];
    d.runs[0].results[1].properties = { 'security-severity': '9.1' };
    const { findings } = parseSarif(JSON.stringify(d), 'tfsec');
    expect(findings[0]?.suppressed).toEqual({ reason: 'legacy AMI', by: 'tfsec' });
    expect(findings[1]?.severity).toBe('CRITICAL');
  });

  it('wrong tool is a problem, not an error', () => {
    const { problems } = parseSarif(fixture('trivy.sarif'), 'checkov');
    expect(problems).toEqual(['checkov: runs[0] was produced by "Trivy", not checkov']);
  });

  it('truncated SARIF, UTF-16 and non-SARIF JSON → ScannerParseError naming the tool', () => {
    const text = fixture('trivy.sarif');
    expect(() => parseSarif(text.slice(0, text.length - 7), 'trivy', { file: 'r.sarif' })).toThrow(ScannerParseError);
    expect(() => parseSarif(text.slice(0, text.length - 7), 'trivy', { file: 'r.sarif' })).toThrow(/^trivy: cannot parse r\.sarif: truncated JSON/);
    expect(() => parseSarif(fixture('infracost-utf16le-head.json'), 'tfsec', { file: 'r.sarif' })).toThrow(/^tfsec: cannot parse r\.sarif: .*UTF-16/);
    expect(() => parseSarif('{"results": []}', 'checkov', { file: 'r.sarif' })).toThrow(/^checkov: cannot parse r\.sarif: expected a SARIF log/);
  });
});
