import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/tester/finding.js';
import { toArtifactUri, toSarif, type SarifLog } from '../../../src/tester/report/sarif.js';
import { mergeFindings, parseCheckovJson, parseSarif, parseTfsecJson, parseTrivyJson } from '../../../src/tester/scanners/index.js';
import { finding, sampleFindings } from './fixtures.js';

const fixture = (rel: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url)), 'utf8');

// --- the official OASIS SARIF 2.1.0 schema (draft-07), see test/fixtures/sarif/SOURCES.md ----------

/*
 * Format checks written for this test, from RFC 3986 / RFC 3339 (ajv-formats is not a dependency).
 * A URI reference is split with the RFC 3986 appendix-B expression, then each part is checked
 * against the characters its grammar allows.
 */
const UNRESERVED_SUB = "A-Za-z0-9\\-._~!$&'()*+,;=";
const pathRe = new RegExp(`^[${UNRESERVED_SUB}:@%/]*$`);
const queryRe = new RegExp(`^[${UNRESERVED_SUB}:@%/?]*$`);
const authorityRe = new RegExp(`^(?:[${UNRESERVED_SUB}:%]*@)?(?:\\[[${UNRESERVED_SUB}:]+\\]|[${UNRESERVED_SUB}%]*)(?::\\d*)?$`);

function uriParts(s: string): { scheme?: string; authority?: string; path: string } | null {
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return null;
  const m = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) return null;
  const [, scheme, authority, path = '', query, fragment] = m;
  if (scheme !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) return null;
  if (authority !== undefined && !authorityRe.test(authority)) return null;
  if (!pathRe.test(path) || (query !== undefined && !queryRe.test(query)) || (fragment !== undefined && !queryRe.test(fragment))) return null;
  if (authority === undefined && path.startsWith('//')) return null;
  // relative-ref: a colon in the first segment would make it read as a scheme
  if (scheme === undefined && authority === undefined && /^[^/]*:/.test(path)) return null;
  return { scheme, authority, path };
}
const isUri = (s: string) => uriParts(s)?.scheme !== undefined;
const isUriReference = (s: string) => uriParts(s) !== null;
function isDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se, oh, om] = m.slice(1).map((x) => Number(x ?? 0));
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && se! <= 60 && oh! <= 23 && om! <= 59;
}

const officialSchema = JSON.parse(fixture('sarif/sarif-schema-2.1.0.json')) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('uri', isUri);
ajv.addFormat('uri-reference', isUriReference);
ajv.addFormat('date-time', isDateTime);
const validateOfficial = ajv.compile(officialSchema);

function schemaErrors(log: unknown): string[] {
  return validateOfficial(log) ? [] : (validateOfficial.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

// --- what GitHub code scanning needs on upload, beyond the schema ---------------------------------

/** Problems GitHub code scanning would have with `log` made from `findings` (results are in finding order). */
function githubProblems(log: SarifLog, findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  const run = log.runs[0];
  const rules = run.tool.driver.rules;
  const ids = rules.map((r) => r.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate rule ids');
  for (const rule of rules) {
    if (!rule.shortDescription?.text) problems.push(`${rule.id}: no shortDescription.text`);
    const sev = rule.properties?.['security-severity'];
    if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) > 10) problems.push(`${rule.id}: security-severity ${String(sev)}`);
    if (!Array.isArray(rule.properties?.tags) || rule.properties.tags.some((t) => typeof t !== 'string' || !t)) problems.push(`${rule.id}: tags`);
    const docs = findings.find((f) => f.ruleId === rule.id && f.docs && /^https?:\/\//.test(f.docs))?.docs;
    if (docs && !rule.helpUri) problems.push(`${rule.id}: docs ${docs} but no helpUri`);
  }
  if (run.results.length !== findings.length) problems.push(`${run.results.length} results for ${findings.length} findings`);
  run.results.forEach((r, i) => {
    const f = findings[i]!;
    const at = `result ${i} (${r.ruleId})`;
    if (!ids.includes(r.ruleId)) problems.push(`${at}: ruleId not in tool.driver.rules`);
    if (r.ruleIndex !== undefined && rules[r.ruleIndex]?.id !== r.ruleId) problems.push(`${at}: ruleIndex ${r.ruleIndex} points elsewhere`);
    if (!r.message?.text) problems.push(`${at}: no message.text`);
    const loc = r.locations?.[0]?.physicalLocation;
    const uri = loc?.artifactLocation?.uri;
    // GitHub rejects the whole upload when a result has no location ("expected at least one location").
    if (!uri) problems.push(`${at}: no locations[0].physicalLocation.artifactLocation.uri`);
    else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || uri.startsWith('/') || uri.includes('\\')) problems.push(`${at}: uri ${uri} is not relative`);
    const hasLine = f.file != null && f.startLine != null && f.startLine >= 1;
    if (hasLine && !(Number.isInteger(loc?.region?.startLine) && loc!.region!.startLine >= 1)) problems.push(`${at}: line ${f.startLine} but region ${JSON.stringify(loc?.region)}`);
    if (loc?.region && !(loc.region.startLine >= 1)) problems.push(`${at}: region.startLine ${loc.region.startLine}`);
    if (f.suppressed) {
      const s = r.suppressions;
      if (!s || s.length !== 1 || s[0]!.kind !== 'inSource' || typeof s[0]!.justification !== 'string' || !s[0]!.justification) {
        problems.push(`${at}: suppressed but suppressions ${JSON.stringify(s)}`);
      }
    } else if (r.suppressions) problems.push(`${at}: not suppressed but has suppressions`);
  });
  return problems;
}

/** Every check at once, so one failure message lists everything wrong. */
function expectAccepted(findings: readonly Finding[], opts?: Parameters<typeof toSarif>[1]): SarifLog {
  const log = toSarif(findings, opts);
  const roundTripped = JSON.parse(JSON.stringify(log)) as SarifLog;
  expect([...schemaErrors(roundTripped), ...githubProblems(roundTripped, findings)]).toEqual([]);
  return roundTripped;
}

/** `decodeURIComponent` per segment: the path a consumer reads back from an artifact uri. */
const decodedPath = (uri: string) => uri.split('/').map(decodeURIComponent).join('/');

// Findings from every tool, parsed from the real recorded scanner outputs (test/fixtures/scanners/SOURCES.md).
const scannerFindings = [
  ...parseCheckovJson(fixture('scanners/checkov-trimmed.json')).findings,
  ...parseCheckovJson(fixture('scanners/checkov-multiple-check-types.json')).findings,
  ...parseTfsecJson(fixture('scanners/tfsec-trimmed.json')).findings,
  ...parseTrivyJson(fixture('scanners/trivy.json')).findings,
  ...parseTrivyJson(fixture('scanners/trivy-remote-module.json')).findings,
  ...parseSarif(fixture('scanners/checkov-trimmed.sarif'), 'checkov').findings,
  ...parseSarif(fixture('scanners/tfsec-trimmed.sarif'), 'tfsec').findings,
  ...parseSarif(fixture('scanners/trivy.sarif'), 'trivy').findings,
];
const everyTool = mergeFindings([...sampleFindings, ...scannerFindings]);

describe('the official SARIF 2.1.0 schema fixture and its format checks', () => {
  it('is the OASIS SARIF 2.1.0 draft-07 schema', () => {
    expect(officialSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(officialSchema.$id).toBe('https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json');
    expect(officialSchema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
  });

  it('format checks accept and reject what RFC 3986 / RFC 3339 say', () => {
    for (const ok of ['https://infra-ops.dev/rules/X', 'http://h:8080/a%20b?q=1#f', 'urn:isbn:0451450523', 'https://[::1]/x'])
      expect(isUri(ok), ok).toBe(true);
    for (const bad of ['main.tf', 'https://h/a b', 'https://h/%zz', 'ht tp://h', '1http://h', 'https://h/é'])
      expect(isUri(bad), bad).toBe(false);
    for (const ok of ['main.tf', 'modules/net%20work/main.tf', '../x.tf', './', '', 'a/b:c', 'https://h/x'])
      expect(isUriReference(ok), ok).toBe(true);
    for (const bad of ['modules/net work/main.tf', 'modules\\main.tf', 'r%C3%A9seau/%', 'a:b/c d', 'réseau/main.tf', '1a:b'])
      expect(isUriReference(bad), bad).toBe(false);
    expect(isDateTime('2026-11-23T11:15:54.123Z')).toBe(true);
    expect(isDateTime('2026-11-23T11:15:54+01:00')).toBe(true);
    for (const bad of ['2026-11-23', '2026-02-30T00:00:00Z', '2026-11-23T25:00:00Z', '2026-11-23 11:15:54']) expect(isDateTime(bad), bad).toBe(false);
  });

  it('rejects logs GitHub would refuse: the checks can fail', () => {
    const log = toSarif(sampleFindings);
    const broken = JSON.parse(JSON.stringify(log)) as SarifLog & Record<string, unknown>;
    const r0 = broken.runs[0].results[0]!;
    r0.locations[0].physicalLocation.artifactLocation.uri = 'modules/net work/main.tf';
    r0.locations[0].physicalLocation.region = { startLine: 0 };
    broken.runs[0].tool.driver.rules[0]!.helpUri = 'not a uri';
    (r0 as unknown as Record<string, unknown>).severity = 'HIGH';
    expect(schemaErrors(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/artifactLocation\/uri must match format "uri-reference"/),
        expect.stringMatching(/region\/startLine must be >= 1/),
        expect.stringMatching(/helpUri must match format "uri"/),
        expect.stringMatching(/must NOT have additional properties/),
      ]),
    );
    const noLocation = JSON.parse(JSON.stringify(log)) as SarifLog;
    delete (noLocation.runs[0].results[1] as Partial<(typeof noLocation.runs)[0]['results'][0]>).locations;
    noLocation.runs[0].results[2]!.ruleId = 'NOT_A_RULE';
    delete noLocation.runs[0].results[5]!.suppressions;
    noLocation.runs[0].tool.driver.rules[1]!.properties['security-severity'] = 'high';
    expect(schemaErrors(noLocation)).toEqual([]);
    expect(githubProblems(noLocation, sampleFindings)).toEqual([
      'IO_AWS_S3_PUBLIC_ACL: security-severity high',
      'result 1 (IO_AWS_S3_PUBLIC_ACL): no locations[0].physicalLocation.artifactLocation.uri',
      'result 1 (IO_AWS_S3_PUBLIC_ACL): line 10 but region undefined',
      'result 2 (NOT_A_RULE): ruleId not in tool.driver.rules',
      'result 2 (NOT_A_RULE): ruleIndex 1 points elsewhere',
      'result 5 (IO_AWS_RDS_PUBLIC): suppressed but suppressions undefined',
    ]);
  });
});

describe('toSarif output is valid against the official schema and accepted by GitHub code scanning', () => {
  it('the shared sample findings', () => {
    expectAccepted(sampleFindings, { toolVersion: '0.1.0', informationUri: 'https://github.com/infra-ops/infra-ops' });
  });

  it('findings from every tool (built-in rules and recorded checkov, tfsec, trivy outputs)', () => {
    expect(new Set(everyTool.flatMap((f) => f.tools))).toEqual(new Set(['builtin', 'checkov', 'tfsec', 'trivy']));
    expect(everyTool.length).toBeGreaterThan(20);
    const log = expectAccepted(everyTool, { toolVersion: '0.1.0' });
    // every rule whose findings carry an http(s) docs link has it as helpUri
    const withDocs = log.runs[0].tool.driver.rules.filter((r) => r.helpUri);
    expect(withDocs.length).toBeGreaterThan(10);
  });

  it('findings with no file, or a file but no line', () => {
    const findings = [
      finding({ file: null, startLine: null, endLine: null }),
      finding({ ruleId: 'CKV_AWS_1', file: null, startLine: null, endLine: null, resource: null, docs: null }),
      finding({ ruleId: 'AVD-AWS-0086', startLine: null, endLine: null }),
      finding({ ruleId: 'AVD-AWS-0087', startLine: 0, endLine: 0 }),
      finding({ ruleId: 'AVD-AWS-0088', startLine: 12, endLine: 4 }),
    ];
    const log = expectAccepted(findings);
    const locs = log.runs[0].results.map((r) => r.locations[0]);
    // no file: the scanned directory, with the resource as logical location
    expect(locs[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: './' } },
      logicalLocations: [{ fullyQualifiedName: 'aws_s3_bucket.logs', kind: 'resource' }],
    });
    expect(locs[1]).toEqual({ physicalLocation: { artifactLocation: { uri: './' } } });
    expect(toSarif([findings[0]!], { pathPrefix: 'infra/prod' }).runs[0].results[0]!.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'infra/prod' },
    });
    // file but no (usable) line: the file, no region
    expect(locs[2]!.physicalLocation).toEqual({ artifactLocation: { uri: 'modules/storage/main.tf' } });
    expect(locs[3]!.physicalLocation).toEqual({ artifactLocation: { uri: 'modules/storage/main.tf' } });
    // an end before the start is dropped, the start kept
    expect(locs[4]!.physicalLocation.region).toEqual({ startLine: 12 });
  });

  it('suppressed findings carry an inSource suppression with a justification', () => {
    const findings = [
      ...sampleFindings,
      finding({ ruleId: 'CKV_AWS_18', suppressed: { reason: null, by: 'config' } }),
      finding({ ruleId: 'CKV_AWS_21', suppressed: { reason: '', by: 'inline' } }),
    ];
    const results = expectAccepted(findings).runs[0].results;
    expect(results[5]!.suppressions).toEqual([{ kind: 'inSource', justification: 'legacy, tracked in OPS-12' }]);
    expect(results[6]!.suppressions).toEqual([{ kind: 'inSource', justification: 'suppressed by config' }]);
    expect(results[7]!.suppressions).toEqual([{ kind: 'inSource', justification: 'suppressed by inline' }]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(3);
  });

  it('a multi-module address', () => {
    const address = 'module.app["blue"].module.network.aws_security_group.web["ingress 443"]';
    const log = expectAccepted([finding({ resource: address, file: 'modules/network/sg.tf', startLine: 7, endLine: 21 })]);
    const r = log.runs[0].results[0]!;
    expect(r.message.text).toBe(`S3 bucket has a public ACL (${address})`);
    expect(r.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: address, kind: 'resource' }]);
    expect(r.properties.resource).toBe(address);
  });

  it('file paths with spaces, non-ASCII characters, backslashes, colons and dot segments', () => {
    const files = ['modules/net work/main.tf', 'modules/réseau/sécurité.tf', 'envs/東京/main.tf', '.\\modules\\a b\\c.tf', 'x/100%/a:b.tf', './envs/../shared/main.tf'];
    const log = expectAccepted(files.map((file, i) => finding({ ruleId: `R${i}`, file })));
    const uris = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual([
      'modules/net%20work/main.tf',
      'modules/r%C3%A9seau/s%C3%A9curit%C3%A9.tf',
      'envs/%E6%9D%B1%E4%BA%AC/main.tf',
      'modules/a%20b/c.tf',
      'x/100%25/a%3Ab.tf',
      'shared/main.tf',
    ]);
    expect(uris.map(decodedPath)).toEqual(['modules/net work/main.tf', 'modules/réseau/sécurité.tf', 'envs/東京/main.tf', 'modules/a b/c.tf', 'x/100%/a:b.tf', 'shared/main.tf']);
  });

  it('pathPrefix makes uris relative to the repository root', () => {
    const log = expectAccepted([finding({ file: '../../modules/storage/main.tf' }), finding({ file: 'main.tf' })], { pathPrefix: 'infra/envs/prod' });
    expect(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['infra/modules/storage/main.tf', 'infra/envs/prod/main.tf']);
    expect(toArtifactUri('main.tf', 'infra\\my env/')).toBe('infra/my%20env/main.tf');
  });

  it('docs that are not a valid URL: helpUri is normalised or left out', () => {
    const log = expectAccepted([
      finding({ ruleId: 'A', docs: 'https://example.com/docs/a rule' }),
      finding({ ruleId: 'B', docs: 'see the README' }),
      finding({ ruleId: 'C', docs: 'javascript:alert(1)' }),
      finding({ ruleId: 'D', docs: null }),
    ], { informationUri: 'not a uri' });
    const help = Object.fromEntries(log.runs[0].tool.driver.rules.map((r) => [r.id, r.helpUri]));
    expect(help).toEqual({ A: 'https://example.com/docs/a%20rule', B: undefined, C: undefined, D: undefined });
    expect(log.runs[0].tool.driver.informationUri).toBeUndefined();
  });

  it('an empty finding list', () => {
    const log = expectAccepted([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe('toSarif content', () => {
  const log = toSarif(sampleFindings, { toolVersion: '0.1.0' });
  const run = log.runs[0];

  it('one run by infra-ops: one result per finding, one rule per rule id, ruleIndex pointing at it', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'infra-ops', version: '0.1.0' });
    expect(run.results).toHaveLength(sampleFindings.length);
    expect(run.tool.driver.rules).toHaveLength(new Set(sampleFindings.map((f) => f.ruleId)).size);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
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

  it('rule carries helpUri, help and tags (tools and aliases)', () => {
    const rule = run.tool.driver.rules.find((r) => r.id === 'IO_AWS_S3_PUBLIC_ACL')!;
    expect(rule.helpUri).toBe('https://infra-ops.dev/rules/IO_AWS_S3_PUBLIC_ACL');
    expect(rule.help).toEqual({ text: 'Set acl = "private".' });
    expect(rule.shortDescription.text).toBe('S3 bucket has a public ACL');
    expect(rule.properties.tags).toEqual(['security', 'terraform', 'builtin', 'CKV_AWS_20']);
  });

  it('locations: relative uri with / separators and a line region', () => {
    const r = run.results.find((x) => x.ruleId === 'IO_AWS_SG_OPEN_SSH')!;
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'main.tf' }, region: { startLine: 3, endLine: 9 } });
    expect(toArtifactUri('.\\modules\\net work\\main.tf')).toBe('modules/net%20work/main.tf');
  });

  it('a rule takes the highest severity among its findings', () => {
    const log2 = toSarif([finding({ severity: 'LOW' }), finding({ severity: 'CRITICAL' })]);
    expect(log2.runs[0].tool.driver.rules[0]!.properties['security-severity']).toBe('9.5');
    expect(log2.runs[0].tool.driver.rules[0]!.defaultConfiguration.level).toBe('error');
  });
});
