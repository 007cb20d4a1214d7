import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTerraformDir, type TfResource } from '../../../src/tester/hcl/load.js';
import { compareWithState, type DriftResult } from '../../../src/tester/post/drift.js';
import { parseState, type StateResource } from '../../../src/tester/post/state.js';

const FIX = path.resolve(__dirname, '../../fixtures/state');

function declared(type: string, name: string, body: Record<string, unknown>, extra: Partial<TfResource> = {}): TfResource {
  return {
    type,
    name,
    address: `${extra.module ? `${extra.module}.` : ''}${type}.${name}`,
    module: '',
    file: 'main.tf',
    startLine: 1,
    endLine: 5,
    body,
    suppressions: [],
    hasCount: 'count' in body,
    hasForEach: 'for_each' in body,
    ...extra,
  };
}

function deployed(address: string, values: Record<string, unknown>, extra: Partial<StateResource> = {}): StateResource {
  const m = /^(?:(.*)\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[.*\])?$/.exec(address)!;
  const idx = m[4] ? (JSON.parse(m[4].slice(1, -1)) as number | string) : null;
  return { address, type: m[2]!, name: m[3]!, module: m[1] ?? '', mode: 'managed', index: idx, values, sensitive: [], ...extra };
}

const titles = (r: DriftResult): string[] => r.findings.map((f) => f.title);

describe('compareWithState on the hand-written web app', () => {
  let result: DriftResult;
  beforeAll(async () => {
    const loaded = await loadTerraformDir(path.join(FIX, 'webapp'));
    expect(loaded.problems).toEqual([]);
    const state = parseState(readFileSync(path.join(FIX, 'webapp/terraform.tfstate')), 'terraform.tfstate');
    result = compareWithState(loaded.resources, state.resources);
  });

  it('counts declared, found, missing, drifted and extra resources', () => {
    expect(result.summary).toEqual({
      declared: 13,
      found: 12,
      missing: 1,
      drifted: 4,
      extra: 1,
      undetermined: 0,
      extraAddresses: ['aws_iam_role.legacy_deployer'],
    });
  });

  it('reports the queue that was never deployed as missing, at its line in main.tf', () => {
    const missing = result.findings.filter((f) => f.ruleId === 'IO_POST_MISSING');
    expect(missing).toHaveLength(1);
    const line = readFileSync(path.join(FIX, 'webapp/main.tf'), 'utf8').split('\n').indexOf('resource "aws_sqs_queue" "jobs" {') + 1;
    expect(line).toBeGreaterThan(0);
    expect(missing[0]).toMatchObject({ resource: 'aws_sqs_queue.jobs', severity: 'HIGH', file: 'main.tf', startLine: line });
  });

  it('names each drifted attribute with configured and deployed values', () => {
    const drift = result.findings.filter((f) => f.ruleId === 'IO_POST_DRIFT');
    expect(drift.every((f) => f.severity === 'MEDIUM')).toBe(true);
    expect(titles({ ...result, findings: drift }).sort()).toEqual([
      'aws_db_instance.main: backup_retention_period is 1 in the deployed state, configured 7',
      'aws_s3_bucket_acl.assets: acl is "public-read" in the deployed state, configured "private"',
      'aws_security_group.web: ingress is "3 block(s)" in the deployed state, configured "2 block(s)"',
      'aws_vpc.main: tags.Environment is "prod" in the deployed state, configured "test"',
    ]);
  });

  it('ignores expressions (password = var.db_password, vpc_id = aws_vpc.main.id) and lenient-equal values ("60" vs 60)', () => {
    expect(titles(result).join('\n')).not.toMatch(/password|vpc_id|idle_timeout|access_logs|subnet/);
  });
});

describe('compareWithState value comparison', () => {
  it('flags a changed literal and accepts numbers/booleans given as strings', () => {
    const d = [declared('aws_instance', 'web', { instance_type: 't3.small', monitoring: 'true', cpu_core_count: '2', ami: '${data.aws_ami.x.id}' })];
    const r = compareWithState(d, [deployed('aws_instance.web', { instance_type: 't3.large', monitoring: true, cpu_core_count: 2, ami: 'ami-1' })]);
    expect(titles(r)).toEqual(['aws_instance.web: instance_type is "t3.large" in the deployed state, configured "t3.small"']);
    expect(r.findings[0]).toMatchObject({ resource: 'aws_instance.web', file: 'main.tf', startLine: 1, endLine: 5, tools: ['builtin'] });
  });

  it('compares nested blocks on declared keys, in any order (sets), and reports the changed field', () => {
    const body = {
      ingress: [
        { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
        { from_port: 80, to_port: 80, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8', '${var.office}'] },
      ],
    };
    const st = (port: number) => [
      { from_port: 80, to_port: 80, protocol: 'tcp', cidr_blocks: ['192.168.0.0/16'], self: false, description: '' },
      { from_port: port, to_port: port, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], self: false, description: '' },
    ];
    expect(compareWithState([declared('aws_security_group', 'sg', body)], [deployed('aws_security_group.sg', { ingress: st(443) })]).findings).toEqual([]);
    expect(titles(compareWithState([declared('aws_security_group', 'sg', body)], [deployed('aws_security_group.sg', { ingress: st(8443) })]))).toEqual([
      'aws_security_group.sg: ingress[0].from_port is 8443 in the deployed state, configured 443 (and 1 more difference in ingress)',
    ]);
  });

  it('checks only declared map keys and reports a declared key removed from state', () => {
    const d = [declared('aws_s3_bucket', 'b', { tags: { Team: 'web', Owner: '${var.owner}' } })];
    expect(compareWithState(d, [deployed('aws_s3_bucket.b', { tags: { Team: 'web', Owner: 'x', CostCenter: '42' } })]).findings).toEqual([]);
    expect(titles(compareWithState(d, [deployed('aws_s3_bucket.b', { tags: { Owner: 'x' } })]))).toEqual([
      'aws_s3_bucket.b: tags.Team is null in the deployed state, configured "web"',
    ]);
  });

  it('compares scalar lists as sets and JSON documents by content', () => {
    const policy = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]\n}\n';
    const d = [declared('aws_iam_policy', 'p', { policy, subnets: ['subnet-b', 'subnet-a'] })];
    const same = { policy: '{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}', subnets: ['subnet-a', 'subnet-b'] };
    expect(compareWithState(d, [deployed('aws_iam_policy.p', same)]).findings).toEqual([]);
    const r = compareWithState(d, [deployed('aws_iam_policy.p', { ...same, policy: same.policy.replace('s3:GetObject', 's3:*'), subnets: ['subnet-a'] })]);
    expect(titles(r)).toHaveLength(2);
    expect(titles(r)[1]).toBe('aws_iam_policy.p: subnets is ["subnet-a"] in the deployed state, configured ["subnet-b","subnet-a"]');
  });

  it('hides the values of secret-looking and sensitive attributes', () => {
    const d = [declared('aws_db_instance', 'db', { password: 'hunter2-literal', custom: 'a' })];
    const r = compareWithState(d, [deployed('aws_db_instance.db', { password: 'rotated-secret', custom: 'b' }, { sensitive: ['custom'] })]);
    expect(titles(r)).toEqual([
      'aws_db_instance.db: password differs from the configuration (values hidden: sensitive)',
      'aws_db_instance.db: custom differs from the configuration (values hidden: sensitive)',
    ]);
    expect(JSON.stringify(r)).not.toMatch(/hunter2|rotated-secret/);
    // a secret the provider does not keep in state is not drift
    expect(compareWithState(d.slice(0, 1), [deployed('aws_db_instance.db', { password: null })]).findings).toEqual([]);
  });

  it('honours lifecycle ignore_changes and skips meta-arguments and user_data', () => {
    const d = [
      declared('aws_instance', 'a', {
        tags: { Name: 'a' },
        user_data: '#!/bin/sh\necho hi\n',
        lifecycle: [{ ignore_changes: ['${tags}'] }],
        depends_on: ['${aws_vpc.x}'],
      }),
      declared('aws_instance', 'b', { instance_type: 't3.micro', lifecycle: [{ ignore_changes: '${all}' }] }),
    ];
    const r = compareWithState(d, [
      deployed('aws_instance.a', { tags: { Name: 'changed' }, user_data: '5d41402abc4b2a76b9719d911017c592' }),
      deployed('aws_instance.b', { instance_type: 'm5.large' }),
    ]);
    expect(r.findings).toEqual([]);
  });
});

describe('compareWithState existence', () => {
  it('matches count and for_each instances and module resources, and counts undeclared state as extra', () => {
    const d = [
      declared('aws_instance', 'web', { count: 2, instance_type: 't3.micro' }),
      declared('aws_s3_bucket', 'b', { for_each: { logs: 1, data: 2 }, force_destroy: false }),
      declared('aws_lb', 'this', { internal: false }, { module: 'module.web', address: 'module.web.aws_lb.this' }),
    ];
    const r = compareWithState(d, [
      deployed('aws_instance.web[0]', { instance_type: 't3.micro' }),
      deployed('aws_instance.web[1]', { instance_type: 't3.nano' }),
      deployed('aws_s3_bucket.b["logs"]', { force_destroy: false }),
      deployed('module.web[0].aws_lb.this', { internal: true }),
      deployed('module.vpc.aws_vpc.this', {}),
      { ...deployed('aws_ami.ubuntu', {}), address: 'data.aws_ami.ubuntu', mode: 'data' },
    ]);
    expect(titles(r)).toEqual([
      'aws_instance.web[1]: instance_type is "t3.nano" in the deployed state, configured "t3.micro"',
      'aws_s3_bucket.b["data"] is declared but not in the deployed state',
      'module.web[0].aws_lb.this: internal is true in the deployed state, configured false',
    ]);
    expect(r.summary).toMatchObject({ declared: 3, found: 3, missing: 1, drifted: 2, extra: 1, extraAddresses: ['module.vpc.aws_vpc.this'] });
  });

  it('does not call a resource with count = 0 or an unknown count missing', () => {
    const d = [declared('aws_instance', 'off', { count: 0 }), declared('aws_instance', 'maybe', { count: '${var.enabled ? 1 : 0}' })];
    const r = compareWithState(d, []);
    expect(r.findings).toEqual([]);
    expect(r.summary).toMatchObject({ declared: 2, found: 0, missing: 0, undetermined: 1 });
  });

  it('marks a finding suppressed by an inline comment on the declared block', () => {
    const d = [declared('aws_sqs_queue', 'q', {}, { suppressions: [{ id: 'IO_POST_MISSING', reason: 'created in stage 2', by: 'infra-ops', line: 1 }] })];
    expect(compareWithState(d, []).findings[0]!.suppressed).toEqual({ reason: 'created in stage 2', by: 'infra-ops' });
  });
});
