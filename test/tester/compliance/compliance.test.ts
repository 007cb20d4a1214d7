import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, ComplianceConfigError, type ComplianceConfig } from '../../../src/tester/compliance/index.js';
import type { Finding } from '../../../src/tester/finding.js';
import { loadTerraformDir, type LoadResult } from '../../../src/tester/hcl/load.js';
import { loadTfvars } from '../../../src/tester/hcl/values.js';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform/compliance/app');

const CONFIG: ComplianceConfig = {
  project: 'acme',
  env: 'dev',
  requiredTags: ['Environment', 'Owner'],
  naming: {
    pattern: '^{project}-{env}-[a-z0-9-]+$',
    byResourceType: { aws_s3_bucket: '^{project}-{env}-[a-z0-9.-]+$' },
  },
};

let load: LoadResult;
beforeAll(async () => {
  load = await loadTerraformDir(APP);
  expect(load.problems).toEqual([]);
});

const of = (findings: Finding[], ruleId: string): Map<string, Finding> =>
  new Map(findings.filter((f) => f.ruleId === ruleId).map((f) => [f.resource!, f]));

describe('required tags', () => {
  let tags: Map<string, Finding>;
  let result: ReturnType<typeof checkCompliance>;
  beforeAll(() => {
    result = checkCompliance(load, CONFIG);
    tags = of(result.findings, 'IO_REQUIRED_TAGS');
  });

  it('flags exactly the resources that certainly lack a required tag', () => {
    expect([...tags.keys()].sort()).toEqual([
      'aws_autoscaling_group.web',
      'aws_ebs_volume.logs',
      'aws_iam_role.legacy',
      'aws_kms_key.main',
      'aws_s3_bucket.replica',
      'module.edge.aws_cloudwatch_log_group.this',
      'module.edge.aws_dynamodb_table.this',
    ]);
  });

  it("counts the default provider's default_tags (no tags on the resource is fine)", () => {
    expect(tags.has('aws_s3_bucket.data')).toBe(false);
    expect(tags.has('aws_security_group.web')).toBe(false);
    expect(tags.has('module.api.aws_dynamodb_table.this')).toBe(false); // module inherits the root provider
  });

  it('does not count default_tags for a resource on an alias provider without them, and says which provider to fix', () => {
    const f = tags.get('aws_s3_bucket.replica')!;
    expect(f.remediation).toBe('add tags: Environment = "<value>", Owner = "<value>" (or set them in provider "aws" alias "us" default_tags)');
    expect(f).toMatchObject({
      title: 'Resource is missing required tags',
      severity: 'MEDIUM',
      tools: ['builtin'],
      file: 'main.tf',
      startLine: 44,
      endLine: 50,
      suppressed: null,
    });
    expect(f.docs).toMatch(/^https:\/\//);
  });

  it('follows a module call that maps its providers to an alias', () => {
    expect(tags.get('module.edge.aws_dynamodb_table.this')!).toMatchObject({ file: 'modules/api/main.tf', startLine: 15 });
  });

  it('resolves merge(local.common_tags, {...})', () => {
    expect(tags.has('aws_sqs_queue.jobs')).toBe(false);
  });

  it('treats empty values as missing and points out case mismatches', () => {
    expect(tags.get('aws_ebs_volume.logs')!.remediation).toContain('Owner is set to an empty value');
    expect(tags.get('aws_kms_key.main')!.remediation).toMatch(/^add tags: Environment = "<value>" .*found "environment"/);
  });

  it('uses tag blocks for autoscaling groups, to which default_tags do not apply', () => {
    expect(tags.get('aws_autoscaling_group.web')!.remediation).toBe(
      'add tag { key = "Owner" value = "<value>" propagate_at_launch = true }; provider default_tags do not apply to aws_autoscaling_group (to reuse them: dynamic "tag" over data.aws_default_tags)',
    );
  });

  it('counts tags = var.tags with no value as unknown, not a finding', () => {
    expect(tags.has('aws_sns_topic.alerts')).toBe(false);
    expect(result.unknown.tags).toBe(1);
    const withValue = checkCompliance(load, { ...CONFIG, tfvars: { extra_tags: { Team: 'x' } } });
    expect(withValue.unknown.tags).toBe(0);
    expect(of(withValue.findings, 'IO_REQUIRED_TAGS').get('aws_sns_topic.alerts')!.remediation).toMatch(/^add tags: Environment = "<value>", Owner/);
  });

  it('never flags non-taggable companion resources', () => {
    const companions = ['aws_s3_bucket_versioning.data', 'aws_s3_bucket_policy.data', 'aws_iam_role_policy_attachment.legacy', 'aws_security_group_rule.web_in', 'aws_route.default', 'aws_kms_alias.main'];
    const strict = checkCompliance(load, { ...CONFIG, requiredTags: ['Nobody-Has-This'] });
    const flagged = new Set(strict.findings.map((f) => f.resource));
    for (const c of companions) expect(flagged.has(c), c).toBe(false);
    // while every taggable resource is flagged for the tag nobody has
    expect(flagged.has('aws_vpc.main')).toBe(true);
    expect(flagged.has('aws_s3_bucket.data')).toBe(true);
  });
});

describe('naming convention', () => {
  let naming: Map<string, Finding>;
  let result: ReturnType<typeof checkCompliance>;
  beforeAll(() => {
    result = checkCompliance(load, CONFIG);
    naming = of(result.findings, 'IO_NAMING_CONVENTION');
  });

  it('flags exactly the names that break the pattern, resolving variable defaults and locals', () => {
    expect([...naming.keys()].sort()).toEqual([
      'aws_cloudwatch_log_group.unnamed',
      'aws_iam_role.legacy',
      'aws_lb.web',
      'aws_security_group.web',
      'aws_vpc.main',
      'module.edge.aws_cloudwatch_log_group.this',
      'module.edge.aws_dynamodb_table.this',
    ]);
    expect(naming.get('aws_security_group.web')!.remediation).toBe('rename to match ^acme-dev-[a-z0-9-]+$ (current name: "WebSG"; pattern from naming.pattern)');
    expect(naming.get('aws_vpc.main')!.remediation).toContain('current tags.Name: "main-vpc"');
    expect(naming.get('module.edge.aws_dynamodb_table.this')!.remediation).toContain('"Edge-table"');
  });

  it('applies the per-type override (dots allowed in bucket names only)', () => {
    expect(naming.has('aws_s3_bucket.site')).toBe(false);
    const noOverride = checkCompliance(load, { ...CONFIG, naming: { pattern: CONFIG.naming!.pattern } });
    expect(of(noOverride.findings, 'IO_NAMING_CONVENTION').get('aws_s3_bucket.site')!.remediation).toContain('"acme-dev-www.example.com"');
  });

  it('checks name prefixes and generated names against the pattern', () => {
    expect(naming.get('aws_lb.web')!.remediation).toMatch(/^change name_prefix .*current prefix: "web-"/);
    expect(naming.has('aws_launch_template.web')).toBe(false);
    expect(naming.get('aws_cloudwatch_log_group.unnamed')!.remediation).toMatch(/^set name to a name matching .*"terraform-"/);
  });

  it('checks every counted instance and strips alias/ from KMS alias names', () => {
    expect(naming.has('aws_instance.web')).toBe(false);
    expect(naming.has('aws_kms_alias.main')).toBe(false);
  });

  it('counts names it cannot resolve as unknown', () => {
    expect(naming.has('aws_ecr_repository.app')).toBe(false);
    expect(result.unknown.naming).toBe(1);
    expect(result.checked.naming).toBeGreaterThan(15);
  });

  it('takes tfvars over variable defaults', async () => {
    const vars = await loadTfvars(APP, 'prod');
    expect(vars.values['env']).toBe('prod');
    const prodNoVars = checkCompliance(load, { ...CONFIG, env: 'prod' });
    expect(of(prodNoVars.findings, 'IO_NAMING_CONVENTION').get('aws_s3_bucket.data')!.remediation).toContain('"acme-dev-data"');
    const prod = checkCompliance(load, { ...CONFIG, env: 'prod', tfvars: vars.values });
    const names = of(prod.findings, 'IO_NAMING_CONVENTION');
    expect(names.has('aws_s3_bucket.data')).toBe(false);
    expect(names.has('module.api.aws_cloudwatch_log_group.this')).toBe(false);
    expect(names.get('aws_security_group.web')!.remediation).toContain('^acme-prod-');
  });

  it('honours inline suppressions for its own rule id only', () => {
    expect(naming.get('aws_iam_role.legacy')!.suppressed).toEqual({ reason: 'legacy role imported with its old name', by: 'infra-ops' });
    expect(of(result.findings, 'IO_REQUIRED_TAGS').get('aws_iam_role.legacy')!.suppressed).toBeNull();
  });

  it('gives module resources module addresses and their own file and lines', () => {
    expect(naming.get('module.edge.aws_cloudwatch_log_group.this')).toMatchObject({ file: 'modules/api/main.tf', startLine: 10, endLine: 13 });
  });
});

describe('configuration', () => {
  it('reports a bad regular expression naming the config field', () => {
    expect(() => checkCompliance(load, { ...CONFIG, naming: { byResourceType: { aws_lb: '^acme-(' } } })).toThrow(ComplianceConfigError);
    expect(() => checkCompliance(load, { ...CONFIG, naming: { byResourceType: { aws_lb: '^acme-(' } } })).toThrow(/^naming\.byResourceType\.aws_lb: invalid regular expression "\^acme-\("/);
    expect(() => checkCompliance(load, { ...CONFIG, naming: { pattern: '[a-' } })).toThrow(/^naming\.pattern: invalid regular expression/);
  });

  it('requires a project when a pattern uses {project}, and a list of tag keys', () => {
    expect(() => checkCompliance(load, { env: 'dev', naming: { pattern: '^{project}-x' } })).toThrow(/^naming\.pattern: uses \{project\} but no project/);
    expect(() => checkCompliance(load, { env: 'dev', requiredTags: ['Owner', ''] })).toThrow(/^requiredTags\[1\]: must be a non-empty tag key/);
  });

  it('substitutes placeholders literally (regex characters in names are escaped)', () => {
    const r = checkCompliance(load, { project: 'a.me', env: 'dev', naming: { pattern: '^{project}-{env}-[a-z0-9-]+$' } });
    // "acme-dev-…" must not match "a.me" used as a regex
    expect(of(r.findings, 'IO_NAMING_CONVENTION').has('aws_s3_bucket.data')).toBe(true);
  });

  it('does nothing without requiredTags or naming', () => {
    expect(checkCompliance(load, { env: 'dev' })).toEqual({ findings: [], checked: { naming: 0, tags: 0 }, unknown: { naming: 0, tags: 0 } });
  });
});

describe('types outside the AWS table', () => {
  const resource = (type: string, body: Record<string, unknown>) => ({
    type,
    name: 'x',
    address: `${type}.x`,
    module: '',
    file: 'main.tf',
    startLine: 1,
    endLine: 3,
    body,
    suppressions: [],
    hasCount: 'count' in body,
    hasForEach: 'for_each' in body,
  });
  const synthetic: LoadResult = {
    problems: [],
    resources: [
      resource('google_storage_bucket', { name: 'Bad_Name' }),
      resource('random_id', { byte_length: 4 }),
      resource('aws_s3_bucket', { count: 0, bucket: 'Bad' }),
    ],
  };

  it('checks a non-AWS type only when byResourceType names it, and skips count = 0', () => {
    const plain = checkCompliance(synthetic, { env: 'dev', requiredTags: ['Owner'], naming: { pattern: '^ok$' } });
    expect(plain.findings).toEqual([]);
    expect(plain.checked).toEqual({ naming: 0, tags: 0 });
    const withGcs = checkCompliance(synthetic, { env: 'dev', naming: { pattern: '^ok$', byResourceType: { google_storage_bucket: '^[a-z-]+$' } } });
    expect(withGcs.findings.map((f) => [f.resource, f.remediation])).toEqual([
      ['google_storage_bucket.x', 'rename to match ^[a-z-]+$ (current name: "Bad_Name"; pattern from naming.byResourceType.google_storage_bucket)'],
    ]);
  });
});
