import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseState, StateInputError, stripIndexes } from '../../../src/tester/post/state.js';

const FIX = path.resolve(__dirname, '../../fixtures/state');
const read = (f: string): Buffer => readFileSync(path.join(FIX, f));

function parseError(input: string | Uint8Array, file = 'state.json'): StateInputError {
  try {
    parseState(input, file);
  } catch (e) {
    if (e instanceof StateInputError) return e;
    throw e;
  }
  throw new Error('expected parseState to throw');
}

describe('parseState on recorded states', () => {
  it('reads a recorded `show -json` with child modules and a count index', () => {
    const s = parseState(read('opentofu-modules/output.json'), 'output.json');
    expect(s.format).toBe('show-json');
    expect(s.terraformVersion).toBe('0.12.0');
    expect(s.resources.map((r) => [r.address, r.module, r.index])).toEqual([
      ['module.module_test_bar.test_instance.example', 'module.module_test_bar', null],
      ['module.module_test_foo.test_instance.example[0]', 'module.module_test_foo', 0],
    ]);
    expect(s.resources[1]!.values['ami']).toBe('foo-var');
  });

  it('reads the raw state file of the same deployment to the same addresses', () => {
    const raw = parseState(read('opentofu-modules/terraform.tfstate'), 'terraform.tfstate');
    const shown = parseState(read('opentofu-modules/output.json'), 'output.json');
    expect(raw.format).toBe('tfstate');
    expect(raw.resources.map((r) => r.address).sort()).toEqual(shown.resources.map((r) => r.address).sort());
    const foo = raw.resources.find((r) => r.module === 'module.module_test_foo')!;
    expect(foo).toMatchObject({ type: 'test_instance', name: 'example', mode: 'managed', index: 0, values: { ami: 'foo-var' } });
  });

  it('reads recorded AWS state files (S3 buckets with policies, an instance, a DB, an ALB)', () => {
    const s3 = parseState(read('driftctl-s3.tfstate'), 'driftctl-s3.tfstate');
    expect(s3.terraformVersion).toBe('0.12.26');
    expect(s3.resources).toHaveLength(6);
    expect(s3.resources.filter((r) => r.type === 'aws_s3_bucket').map((r) => r.address)).toEqual([
      'aws_s3_bucket.bucket',
      'aws_s3_bucket.bucket2',
      'aws_s3_bucket.bucket3',
    ]);
    const ec2 = parseState(read('driftctl-ec2-instance.tfstate'), 'x').resources;
    expect(ec2).toHaveLength(1);
    expect(ec2[0]).toMatchObject({ address: 'aws_instance.test', module: '', index: null, values: { instance_type: 't3.nano' } });
    const db = parseState(read('driftctl-db-instance.tfstate'), 'x').resources[0]!;
    expect(db.values['backup_retention_period']).toBe(0);
    const alb = parseState(read('driftctl-alb.tfstate'), 'x').resources[0]!;
    expect(alb.address).toBe('aws_alb.test');
    expect(alb.values['arn_suffix']).toBe('app/test-lb-tf/35be57d467ff22b9');
  });

  it('keeps the sensitive markings of `show -json` and of raw state', () => {
    expect(parseState(read('opentofu-sensitive-output.json'), 'x').resources[0]!.sensitive).toEqual(['ami']);
    const raw = parseState(
      JSON.stringify({
        version: 4,
        resources: [
          {
            mode: 'managed',
            type: 'aws_db_instance',
            name: 'main',
            instances: [{ attributes: { password: 'x' }, sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] }],
          },
        ],
      }),
      'x',
    );
    expect(raw.resources[0]!.sensitive).toEqual(['password']);
  });

  it('builds addresses for for_each keys, data sources and module instances, and skips deposed objects', () => {
    const s = parseState(
      JSON.stringify({
        version: 4,
        terraform_version: '1.9.0',
        resources: [
          { mode: 'managed', type: 'aws_s3_bucket', name: 'b', each: 'map', instances: [{ index_key: 'logs', attributes: {} }, { index_key: 'data', attributes: {} }] },
          { module: 'module.web[1]', mode: 'data', type: 'aws_ami', name: 'ubuntu', instances: [{ attributes: { id: 'ami-1' } }] },
          { mode: 'managed', type: 'aws_instance', name: 'x', instances: [{ attributes: {} }, { deposed: '00000001', attributes: {} }] },
        ],
      }),
      'terraform.tfstate',
    );
    expect(s.resources.map((r) => r.address)).toEqual([
      'aws_s3_bucket.b["logs"]',
      'aws_s3_bucket.b["data"]',
      'module.web[1].data.aws_ami.ubuntu',
      'aws_instance.x',
    ]);
    expect(s.resources[2]).toMatchObject({ mode: 'data', module: 'module.web[1]' });
    expect(stripIndexes('module.web[1].aws_s3_bucket.b["lo]gs"]')).toBe('module.web.aws_s3_bucket.b');
  });

  it('treats an empty `show -json` state as no resources', () => {
    expect(parseState('{"format_version":"1.0"}', 'x').resources).toEqual([]);
  });

  it('decodes UTF-16LE with a BOM (PowerShell `>`) and UTF-8 with a BOM', () => {
    const text = read('driftctl-alb.tfstate').toString('utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(parseState(utf16, 'ps.json').resources[0]!.address).toBe('aws_alb.test');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(parseState(bom, 'bom.json').resources).toHaveLength(1);
  });
});

describe('parseState on bad input', () => {
  it('names the file, line and column where a truncated state stops', () => {
    const text = read('driftctl-ec2-instance.tfstate').toString('utf8');
    const cut = text.slice(0, text.indexOf('"monitoring"'));
    const e = parseError(cut, 'prod.tfstate');
    expect(e.message).toMatch(/^cannot parse prod\.tfstate: truncated JSON/);
    const line = cut.split('\n').length;
    expect(e.message).toContain(`line ${line}, column`);
  });

  it('names the position of garbage', () => {
    const e = parseError('{"version": 4, "resources": [ oops ]}', 'bad.tfstate');
    expect(e.message).toContain('bad.tfstate');
    expect(e.message).toContain('line 1, column 31');
    expect(parseError('Error: No state file was found!', 'out.json').message).toMatch(/out\.json: invalid JSON at position 0 \(line 1, column 1\)/);
    expect(parseError('', 'empty.json').message).toBe('cannot parse empty.json: input is empty');
  });

  it('names the missing or wrong field', () => {
    expect(parseError('{"foo": 1}', 's.json').message).toMatch(/missing field `values`.*field `resources`/);
    expect(parseError('[1,2]', 's.json').message).toContain('expected a JSON object');
    expect(parseError('{"version": 3, "modules": []}', 's.json').message).toContain('state format version 3 is not supported');
    expect(parseError('{"version": 4, "resources": [{"mode":"managed","name":"x","instances":[]}]}', 's.json').message).toBe(
      'cannot parse s.json: resources[0]: missing field `type`',
    );
    expect(parseError('{"version": 4, "resources": [{"type":"aws_vpc","name":"x"}]}', 's.json').message).toContain('resources[0]: missing field `instances`');
    expect(
      parseError('{"format_version":"1.0","values":{"root_module":{"child_modules":[{"resources":[{"address":"module.a.x.y","type":"x","name":"y"}]}]}}}', 's.json')
        .message,
    ).toContain('values.root_module.child_modules[0]: missing field `address`');
    expect(parseError('{"format_version":"1.0","planned_values":{},"resource_changes":[]}', 'plan.json').message).toContain('this is a plan');
  });

  it('explains a UTF-16 file that was read as text', () => {
    const mangled = '\uFFFD\uFFFD{\u0000"\u0000é\u0000';
    expect(parseError(mangled, 'ps.json').message).toContain('UTF-16');
  });
});
