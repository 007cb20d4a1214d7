import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUnresolved, type TfResource } from '../../../src/tester/hcl/load.js';
import { evaluate, runRules } from '../../../src/tester/rules/registry.js';
import { checkPosture, isDataAddress, stateAsResources, stateBody } from '../../../src/tester/post/posture.js';
import { parseState, type StateResource } from '../../../src/tester/post/state.js';

const FIX = path.resolve(__dirname, '../../fixtures/state');
const load = (f: string): StateResource[] => parseState(readFileSync(path.join(FIX, f)), f).resources;
const failing = (findings: { ruleId: string; resource: string | null }[]): string[] => findings.map((f) => `${f.resource} ${f.ruleId}`).sort();

function mk(address: string, values: Record<string, unknown>, extra: Partial<StateResource> = {}): StateResource {
  const [type, name] = address.replace(/\[.*\]$/, '').split('.').slice(-2) as [string, string];
  return { address, type, name, module: '', mode: 'managed', index: null, values, sensitive: [], ...extra };
}

describe('stateAsResources', () => {
  it('keeps state addresses (module, index) and names the state file, with no lines', () => {
    const rs = stateAsResources(load('opentofu-modules/terraform.tfstate'), { file: 'prod.tfstate' });
    expect(rs.map((r) => [r.address, r.module, r.name, r.file, r.startLine, r.hasCount])).toEqual([
      ['module.module_test_foo.test_instance.example[0]', 'module.module_test_foo', 'example', 'prod.tfstate', null, true],
      ['module.module_test_bar.test_instance.example', 'module.module_test_bar', 'example', 'prod.tfstate', null, false],
    ]);
  });

  it('drops "" and null members and escapes literal ${...} so deployed text is not taken for an expression', () => {
    const flow = load('webapp/terraform.tfstate').find((r) => r.type === 'aws_flow_log')!;
    expect(isUnresolved(flow.values['log_format'])).toBe(true); // raw state text looks like a template
    const body = stateAsResources([flow])[0]!.body;
    expect(isUnresolved(body['log_format'])).toBe(false);
    expect(body).not.toHaveProperty('iam_role_arn'); // was ""
    expect(body).not.toHaveProperty('eni_id'); // was null
    expect(stateBody({ a: [{ b: '', c: 1 }], d: null })).toEqual({ a: [{ c: 1 }] });
  });

  it('tells data addresses from managed ones, also in a module called "data"', () => {
    const base = { type: 'aws_vpc', name: 'x' };
    expect(isDataAddress({ ...base, address: 'data.aws_vpc.x', module: '' })).toBe(true);
    expect(isDataAddress({ ...base, address: 'module.a[0].data.aws_vpc.x', module: 'module.a[0]' })).toBe(true);
    expect(isDataAddress({ ...base, address: 'module.data.aws_vpc.x', module: 'module.data' })).toBe(false);
  });
});

describe('built-in rules over deployed values', () => {
  it('finds the public-read ACL and the missing public access block on the deployed assets bucket, not on the logs bucket', () => {
    const findings = checkPosture(load('webapp/terraform.tfstate'));
    const acl = findings.find((f) => f.ruleId === 'IO_AWS_S3_PUBLIC_ACL');
    expect(acl).toMatchObject({ resource: 'aws_s3_bucket.assets', severity: 'HIGH', file: 'terraform.tfstate', startLine: null, tools: ['builtin'] });
    expect(failing(findings).filter((f) => f.includes('PUBLIC_A'))).toEqual([
      'aws_s3_bucket.assets IO_AWS_S3_PUBLIC_ACCESS_BLOCK',
      'aws_s3_bucket.assets IO_AWS_S3_PUBLIC_ACL',
    ]);
    // the deployed 0.0.0.0/0 SSH rule that is not in the code
    expect(failing(findings)).toContain('aws_security_group.web IO_AWS_SG_SSH_WORLD');
    expect(failing(findings)).not.toContain('aws_s3_bucket.logs IO_AWS_S3_ENCRYPTION');
  });

  it('judges recorded AWS states: public bucket policies, IMDSv1 instance, ALB keeping invalid headers', () => {
    expect(failing(checkPosture(load('driftctl-s3.tfstate'))).filter((f) => f.endsWith('POLICY_PUBLIC'))).toEqual([
      'aws_s3_bucket_policy.bucket2_policy IO_AWS_S3_POLICY_PUBLIC',
      'aws_s3_bucket_policy.bucket3_policy IO_AWS_S3_POLICY_PUBLIC',
      'aws_s3_bucket_policy.bucket_policy IO_AWS_S3_POLICY_PUBLIC',
    ]);
    expect(failing(checkPosture(load('driftctl-ec2-instance.tfstate')))).toEqual(['aws_instance.test IO_AWS_EC2_IMDSV2']);
    expect(failing(checkPosture(load('driftctl-alb.tfstate')))).toEqual(['aws_alb.test IO_AWS_ALB_DROP_INVALID_HEADERS']);
  });

  it('fails backup retention 0 on a recorded DB, which raw state values would pass (replicate_source_db = "")', () => {
    const db = load('driftctl-db-instance.tfstate');
    expect(failing(checkPosture(db))).toContain('aws_db_instance.default IO_AWS_RDS_BACKUP_RETENTION');
    const raw: TfResource[] = stateAsResources(db).map((r, i) => ({ ...r, body: db[i]!.values }));
    expect(evaluate(raw).find((e) => e.rule.id === 'IO_AWS_RDS_BACKUP_RETENTION')!.verdict).toBe('pass');
  });

  it('fails a public Lambda permission whose source fields are stored as ""', () => {
    const perm = mk('aws_lambda_permission.pub', { principal: '*', source_arn: '', source_account: '', principal_org_id: null, function_name: 'f' });
    expect(failing(checkPosture([perm]))).toEqual(['aws_lambda_permission.pub IO_AWS_LAMBDA_PUBLIC_PERMISSION']);
  });

  it('judges a deployed admin policy that also uses an IAM policy variable', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: 'arn:aws:iam::111122223333:user/${aws:username}' },
        { Effect: 'Allow', Action: '*', Resource: '*' },
      ],
    });
    expect(failing(checkPosture([mk('aws_iam_policy.ops', { name: 'ops', policy })]))).toEqual(['aws_iam_policy.ops IO_AWS_IAM_ADMIN_POLICY']);
    const narrow = policy.replace('"Action":"*"', '"Action":"s3:GetObject"');
    expect(checkPosture([mk('aws_iam_policy.ops', { name: 'ops', policy: narrow })])).toEqual([]);
  });

  it('reports each count instance at its own address and reuses the declared block\'s suppressions', () => {
    const state = [0, 1].map((i) =>
      mk(`aws_instance.web[${i}]`, { metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'optional' }] }, { index: i }),
    );
    expect(failing(runRules(stateAsResources(state)))).toEqual(['aws_instance.web[0] IO_AWS_EC2_IMDSV2', 'aws_instance.web[1] IO_AWS_EC2_IMDSV2']);
    const declared: TfResource = {
      type: 'aws_instance',
      name: 'web',
      address: 'aws_instance.web',
      module: '',
      file: 'main.tf',
      startLine: 1,
      endLine: 3,
      body: {},
      suppressions: [{ id: 'CKV_AWS_79', reason: 'legacy agent needs IMDSv1', by: 'checkov', line: 1 }],
      hasCount: true,
      hasForEach: false,
    };
    const findings = checkPosture(state, { declared: [declared] });
    expect(findings.map((f) => f.suppressed)).toEqual([
      { reason: 'legacy agent needs IMDSv1', by: 'checkov' },
      { reason: 'legacy agent needs IMDSv1', by: 'checkov' },
    ]);
  });
});
