import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toArtifactUri, toSarif } from '../../../src/tester/report/sarif.js';
import { finding, sampleFindings } from './fixtures.js';

/** A hand-written subset of the SARIF 2.1.0 schema: the fields consumers (GitHub code scanning) require. */
const sarifSubset = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'properties'],
                      properties: {
                        id: { type: 'string', minLength: 1 },
                        shortDescription: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                        helpUri: { type: 'string', pattern: '^https?://' },
                        defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } },
                        properties: {
                          type: 'object',
                          required: ['security-severity', 'tags'],
                          properties: {
                            'security-severity': { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
                            tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'level'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation'],
                        properties: {
                          // relative, forward slashes, no scheme
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', pattern: '^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)[^\\\\\\s]+$' } } },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: { startLine: { type: 'integer', minimum: 1 }, endLine: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
                suppressions: {
                  type: 'array',
                  minItems: 1,
                  items: { type: 'object', required: ['kind'], properties: { kind: { enum: ['inSource', 'external'] }, justification: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(sarifSubset);

describe('toSarif', () => {
  const log = toSarif(sampleFindings, { toolVersion: '0.1.0' });
  const run = log.runs[0];

  it('is structurally valid SARIF 2.1.0 with one run by infra-ops', () => {
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('infra-ops');
  });

  it('round trip: one result per finding, one rule per rule id, suppressions preserved', () => {
    const back = JSON.parse(JSON.stringify(log)) as typeof log;
    const results = back.runs[0].results;
    expect(results).toHaveLength(sampleFindings.length);
    expect(back.runs[0].tool.driver.rules).toHaveLength(new Set(sampleFindings.map((f) => f.ruleId)).size);
    expect(results.filter((r) => r.suppressions).length).toBe(sampleFindings.filter((f) => f.suppressed).length);
    for (const r of results) expect(back.runs[0].tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('maps severity to level and numeric security-severity', () => {
    const lvl = (sev: string) => run.results.find((r) => r.properties.severity === sev)!.level;
    expect([lvl('CRITICAL'), lvl('HIGH'), lvl('MEDIUM'), lvl('LOW')]).toEqual(['error', 'error', 'warning', 'note']);
    const sev = (id: string) => run.tool.driver.rules.find((r) => r.id === id)!.properties['security-severity'];
    expect(sev('IO_AWS_SG_OPEN_SSH')).toBe('9.5');
    expect(sev('IO_AWS_S3_PUBLIC_ACL')).toBe('8.0');
    expect(sev('IO_AWS_S3_NO_VERSIONING')).toBe('5.5');
    expect(sev('IO_AWS_EBS_UNENCRYPTED')).toBe('2.0');
  });

  it('rule carries helpUri and tags (tools and aliases)', () => {
    const rule = run.tool.driver.rules.find((r) => r.id === 'IO_AWS_S3_PUBLIC_ACL')!;
    expect(rule.helpUri).toBe('https://infra-ops.dev/rules/IO_AWS_S3_PUBLIC_ACL');
    expect(rule.shortDescription.text).toBe('S3 bucket has a public ACL');
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'builtin', 'CKV_AWS_20']));
  });

  it('locations: relative uri with / separators and a line region', () => {
    const r = run.results.find((x) => x.ruleId === 'IO_AWS_SG_OPEN_SSH')!;
    expect(r.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'main.tf' }, region: { startLine: 3, endLine: 9 } });
    expect(toArtifactUri('.\\modules\\net work\\main.tf')).toBe('modules/net%20work/main.tf');
  });

  it('suppressed findings get an inSource suppression with the justification', () => {
    const r = run.results.find((x) => x.ruleId === 'IO_AWS_RDS_PUBLIC')!;
    expect(r.suppressions).toEqual([{ kind: 'inSource', justification: 'legacy, tracked in OPS-12' }]);
    const noReason = toSarif([finding({ suppressed: { reason: null, by: 'config' } })]).runs[0].results[0]!;
    expect(noReason.suppressions![0]!.justification).toMatch(/config/);
  });

  it('a rule takes the highest severity among its findings; findings without a file have no location', () => {
    const log2 = toSarif([finding({ severity: 'LOW', file: null, startLine: null, endLine: null }), finding({ severity: 'CRITICAL' })]);
    expect(validate(log2)).toBe(true);
    expect(log2.runs[0].tool.driver.rules[0]!.properties['security-severity']).toBe('9.5');
    expect(log2.runs[0].results[0]!.locations).toBeUndefined();
  });

  it('empty input is still a valid log', () => {
    const empty = toSarif([]);
    expect(validate(empty)).toBe(true);
    expect(empty.runs[0].results).toEqual([]);
  });
});
