import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findBinary } from '../../../src/tester/tools/exec.js';
import { INSTALL_HINTS } from '../../../src/tester/tools/install-hints.js';
import {
  judgeValidate,
  parseFmtList,
  parseValidateJson,
  pickIacBinary,
  runTerraformChecks,
} from '../../../src/tester/tools/terraform.js';
import { FAKE_BIN, fakeData, makeSandbox } from './helpers.js';

let box: ReturnType<typeof makeSandbox>;
beforeAll(() => {
  box = makeSandbox();
});
beforeEach(() => {
  box.calls();
});
afterAll(() => {
  expect(box.pwned()).toBe(false);
  box.cleanup();
});

describe('runTerraformChecks with fake binaries', () => {
  it('validate errors and unformatted files: failed checks, one HIGH finding per error, one LOW per file', async () => {
    const r = await runTerraformChecks(box.dir, { env: box.env('tf-errors') });
    expect(r.binary).toEqual({ tool: 'terraform', bin: path.join(FAKE_BIN, 'tf-errors', 'terraform') });
    expect(r.validate).toMatchObject({
      name: 'terraform validate',
      status: 'failed',
      detail: '1 error: Reference to undeclared input variable (main.tf:11)',
    });
    expect(r.fmt).toMatchObject({
      name: 'terraform fmt',
      status: 'failed',
      detail: '2 files not formatted: main.tf, modules/net/net.tf; run `terraform fmt -recursive`',
    });
    expect(r.findings).toEqual([
      {
        ruleId: 'IO_TF_VALIDATE',
        aliases: [],
        title: 'terraform validate: Reference to undeclared input variable',
        severity: 'HIGH',
        tools: ['builtin'],
        resource: 'terraform_data.bad',
        file: 'main.tf',
        startLine: 11,
        endLine: 11,
        remediation:
          'An input variable with the name "environment" has not been declared. This variable can be declared with a variable "environment" {} block.',
        docs: 'https://developer.hashicorp.com/terraform/cli/commands/validate',
        suppressed: null,
      },
      ...['main.tf', 'modules/net/net.tf'].map((file) => ({
        ruleId: 'IO_TF_FMT',
        aliases: [],
        title: 'File is not in canonical Terraform format',
        severity: 'LOW',
        tools: ['builtin'],
        resource: null,
        file,
        startLine: null,
        endLine: null,
        remediation: 'terraform fmt -recursive',
        docs: 'https://developer.hashicorp.com/terraform/cli/commands/fmt',
        suppressed: null,
      })),
    ]);
  });

  it('passes argument arrays exactly (directory with spaces and shell syntax), validate with cwd = DIR', async () => {
    await runTerraformChecks(box.dir, { env: box.env('tf-errors') });
    const calls = box.calls().sort((a, b) => a.argv[0]!.localeCompare(b.argv[0]!));
    expect(calls).toEqual([
      { tool: 'terraform', argv: ['fmt', '-check', '-recursive', '-list=true', '-no-color', box.dir], cwd: box.dir },
      { tool: 'terraform', argv: ['validate', '-json', '-no-color'], cwd: box.dir },
    ]);
    expect(box.pwned()).toBe(false);
  });

  it('a directory never initialised: validate is skipped with the init command, we do not run init', async () => {
    const r = await runTerraformChecks(box.dir, { env: box.env('tf-noinit') });
    expect(r.validate).toMatchObject({ status: 'skipped', detail: 'not initialised: run `terraform init -backend=false`' });
    expect(r.fmt).toMatchObject({ status: 'passed', detail: null });
    expect(r.findings).toEqual([]);
    expect(box.calls().map((c) => c.argv[0])).not.toContain('init');
  });

  it('auto falls back to tofu; a warning leaves validate passed and is shown in the detail', async () => {
    const r = await runTerraformChecks(box.dir, { env: box.env('clean') });
    expect(r.binary?.tool).toBe('tofu');
    expect(r.validate).toMatchObject({
      name: 'tofu validate',
      status: 'passed',
      detail: '1 warning: Quoted references are deprecated (main.tf:5)',
    });
    expect(r.fmt).toMatchObject({ name: 'tofu fmt', status: 'passed' });
    expect(r.findings).toEqual([]);
  });

  it('tool failures without JSON are errors with one telling line (not the CLI warning, no later secrets)', async () => {
    const r = await runTerraformChecks(box.dir, { env: box.env('tf-broken') });
    expect(r.validate.status).toBe('error');
    expect(r.validate.detail).toBe('terraform validate failed (exit code 1): Error: Failed to load plugin schemas');
    expect(r.fmt.status).toBe('error');
    expect(r.fmt.detail).toBe('terraform fmt failed (exit code 2): Error: Unclosed configuration block');
    expect(JSON.stringify(r)).not.toContain('TF_TOKEN');
    expect(r.findings).toEqual([]);
  });

  it('missing binaries: both checks skipped with how to install', async () => {
    const auto = await runTerraformChecks(box.dir, { env: box.env('none') });
    expect(auto.binary).toBeNull();
    expect(auto.validate.status).toBe('skipped');
    expect(auto.fmt.status).toBe('skipped');
    expect(auto.validate.detail).toContain('neither terraform nor tofu');
    expect(auto.validate.detail).toContain(INSTALL_HINTS.terraform);
    expect(auto.validate.detail).toContain(INSTALL_HINTS.tofu);

    // Only tofu is installed in `clean/`, but terraform was asked for.
    const explicit = await runTerraformChecks(box.dir, { tool: 'terraform', env: box.env('clean') });
    expect(explicit.validate).toEqual({
      name: 'terraform validate',
      status: 'skipped',
      detail: `not installed (install: ${INSTALL_HINTS.terraform})`,
      durationMs: 0,
    });
  });

  it('pickIacBinary: auto prefers terraform, explicit choice is honoured', async () => {
    const both = { PATH: [path.join(FAKE_BIN, 'tf-errors'), path.join(FAKE_BIN, 'clean')].join(path.delimiter) };
    expect((await pickIacBinary('auto', both))?.tool).toBe('terraform');
    expect((await pickIacBinary('tofu', both))?.bin).toBe(path.join(FAKE_BIN, 'clean', 'tofu'));
    expect(await pickIacBinary('tofu', box.env('tf-errors'))).toBeNull();
  });

  it('a directory that does not exist is an error naming it', async () => {
    const missing = path.join(box.root, 'nope');
    const r = await runTerraformChecks(missing, { env: box.env('tf-errors') });
    expect(r.validate).toMatchObject({ status: 'error', detail: `directory not found: ${missing}` });
    expect(box.calls()).toEqual([]);
  });
});

describe('reading recorded terraform 1.11 output', () => {
  const judge = (name: string) => judgeValidate(parseValidateJson(fakeData(`terraform-data/${name}`)), 'terraform', '/x');

  it('modules not installed count as "not initialised"', () => {
    expect(judge('validate-module-not-installed.json')).toEqual({
      status: 'skipped',
      detail: 'not initialised: run `terraform init -backend=false`',
      findings: [],
    });
  });

  it('syntax errors: one finding per error with its line', () => {
    const j = judge('validate-syntax-errors.json');
    expect(j.status).toBe('failed');
    expect(j.detail).toBe('2 errors: Unclosed configuration block (main.tf:1), …');
    expect(j.findings.map((f) => [f.title, f.file, f.startLine, f.resource])).toEqual([
      ['terraform validate: Unclosed configuration block', 'main.tf', 1, null],
      ['terraform validate: Unsupported block type', 'main.tf', 4, null],
    ]);
  });

  it('a valid configuration passes with no detail', () => {
    expect(judge('validate-valid.json')).toEqual({ status: 'passed', detail: null, findings: [] });
  });

  it('real errors beside a not-initialised error: failed, and the init hint is kept', () => {
    const errors = JSON.parse(fakeData('terraform-data/validate-errors.json'));
    const noinit = JSON.parse(fakeData('terraform-data/validate-not-initialised.json'));
    errors.diagnostics.push(...noinit.diagnostics);
    const j = judgeValidate(parseValidateJson(JSON.stringify(errors)), 'tofu', '/x');
    expect(j.status).toBe('failed');
    expect(j.findings).toHaveLength(1);
    expect(j.detail).toBe('1 error: Reference to undeclared input variable (main.tf:11); also not initialised: run `tofu init -backend=false`');
  });

  it('a diagnostic in a child module file gets no resource address (it would be module-relative)', () => {
    const data = JSON.parse(fakeData('terraform-data/validate-errors.json'));
    data.diagnostics[0].range.filename = 'modules/app/main.tf';
    const j = judgeValidate(parseValidateJson(JSON.stringify(data)), 'terraform', '/x');
    expect(j.findings[0]).toMatchObject({ file: 'modules/app/main.tf', resource: null, startLine: 11 });
  });

  it('bad validate output is rejected naming what is wrong', () => {
    expect(() => parseValidateJson('{"format_version": "1.0", "valid": fal')).toThrow(/validate output is not JSON/);
    expect(() => parseValidateJson('{"diagnostics": []}')).toThrow('validate output has no boolean "valid"');
    expect(() => parseValidateJson('{"valid": false, "diagnostics": {}}')).toThrow('"diagnostics" is not a list');
    expect(() => parseValidateJson('{"valid": false, "diagnostics": [3]}')).toThrow('diagnostics[0] is not an object');
  });

  it('fmt list: relative and absolute paths come out relative to the directory', () => {
    expect(parseFmtList(fakeData('terraform-data/fmt-unformatted.stdout.txt'), '/x')).toEqual(['main.tf', 'modules/net/net.tf']);
    expect(parseFmtList('/work/infra/a.tf\n\n/work/infra/m/b.tf\n', '/work/infra')).toEqual(['a.tf', 'm/b.tf']);
  });
});

// The real thing, when this machine has terraform: proves the recorded shapes and our reading agree.
const realTerraform = await findBinary('terraform');
describe.skipIf(realTerraform === null)('with the installed terraform', () => {
  it('reports the undeclared variable at its line and the unformatted file', async () => {
    const dir = path.join(box.root, 'real tf $(x)');
    mkdirSync(path.join(dir, 'modules', 'net'), { recursive: true });
    writeFileSync(
      path.join(dir, 'main.tf'),
      'resource "terraform_data" "app" {\n  input = var.missing\n}\n\nmodule "net" {\n  source = "./modules/net"\n}\n',
    );
    writeFileSync(path.join(dir, 'modules', 'net', 'main.tf'), 'locals {\n a    = 1\n}\n');
    const r = await runTerraformChecks(dir, { tool: 'terraform' });
    // The local module is not "installed" until `terraform init`: validate is skipped, fmt still runs.
    expect(r.validate.status).toBe('skipped');
    expect(r.fmt.status).toBe('failed');
    expect(r.findings.map((f) => [f.ruleId, f.file])).toEqual([['IO_TF_FMT', 'modules/net/main.tf']]);

    writeFileSync(path.join(dir, 'main.tf'), 'resource "terraform_data" "app" {\n  input = var.missing\n}\n');
    const r2 = await runTerraformChecks(dir, { tool: 'terraform' });
    expect(r2.validate.status).toBe('failed');
    expect(r2.findings.filter((f) => f.ruleId === 'IO_TF_VALIDATE').map((f) => [f.file, f.startLine, f.resource])).toEqual([
      ['main.tf', 2, 'terraform_data.app'],
    ]);
  });
});
