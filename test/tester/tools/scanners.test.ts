import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseVersion, runScanner, scannerArgs, SCANNER_NAMES } from '../../../src/tester/tools/scanners.js';
import { INSTALL_HINTS } from '../../../src/tester/tools/install-hints.js';
import { FAKE_BIN, makeSandbox } from './helpers.js';

let box: ReturnType<typeof makeSandbox>;
beforeAll(() => {
  box = makeSandbox();
});
beforeEach(() => {
  box.calls(); // forget calls of the previous test
});
afterAll(() => {
  expect(box.pwned()).toBe(false);
  box.cleanup();
});

describe('runScanner with each tool reporting findings (recorded outputs)', () => {
  it('checkov: exit 1 with a JSON report is "failed", not an error; argv passed exactly, no shell', async () => {
    const out = await runScanner('checkov', box.dir, { env: box.env('findings') });
    expect(out.status).toBe('failed');
    expect(out.detail).toBe('3 findings');
    expect(out.findings.map((f) => `${f.ruleId} ${f.resource} ${f.file}`)).toEqual([
      'CKV_AWS_131 module.asg.aws_lb.web_alb modules/asg/main.tf',
      'CKV_AWS_131 aws_lb.alb_app modules/alb/app_alb.tf',
      'CKV_AWS_150 aws_lb.alb_app modules/alb/app_alb.tf',
    ]);
    expect(out.version).toBe('3.2.497');
    const bin = path.join(FAKE_BIN, 'findings', 'checkov');
    const args = ['-d', box.dir, '-o', 'json', '--quiet', '--compact', '--framework', 'terraform'];
    expect(out.command).toEqual([bin, ...args]);
    const calls = box.calls();
    expect(calls).toContainEqual({ tool: 'checkov', argv: args, cwd: box.dir });
    expect(calls).toContainEqual({ tool: 'checkov', argv: ['--version'], cwd: expect.any(String) });
    expect(calls).toHaveLength(2);
    expect(box.pwned()).toBe(false);
  });

  it('tfsec: absolute paths under the scanned directory come out relative to it', async () => {
    const out = await runScanner('tfsec', box.dir, { env: box.env('findings') });
    expect(out.status).toBe('failed');
    expect(out.findings.map((f) => [f.ruleId, f.file, f.startLine])).toEqual([
      ['aws-cloudwatch-log-group-customer-key', '23-monitoring.tf', 2],
      ['aws-ec2-no-public-egress-sgr', '13-db-sg.tf', 17],
      ['aws-elb-drop-invalid-headers', '17-alb.tf', 1],
    ]);
    expect(out.problems).toEqual([]);
    expect(out.version).toBe('1.28.14');
    expect(box.calls().find((c) => c.argv[0] !== '--version')).toEqual({
      tool: 'tfsec',
      argv: [box.dir, '--format', 'json', '--no-colour', '--soft-fail'],
      cwd: box.dir,
    });
  });

  it('trivy: `config --format json --quiet DIR`, 8 failed checks', async () => {
    const out = await runScanner('trivy', box.dir, { env: box.env('findings') });
    expect(out.status).toBe('failed');
    expect(out.detail).toBe('8 findings');
    expect(out.findings.map((f) => f.ruleId)).toEqual([
      'AWS-0086', 'AWS-0087', 'AWS-0089', 'AWS-0090', 'AWS-0091', 'AWS-0093', 'AWS-0094', 'AWS-0132',
    ]);
    expect(out.findings.every((f) => f.file === 'main.tf' && f.tools.join() === 'trivy')).toBe(true);
    expect(out.version).toBe('0.72.0');
    expect(box.calls().find((c) => c.argv[0] !== '--version')?.argv).toEqual(['config', '--format', 'json', '--quiet', box.dir]);
  });

  it('an explicit bin is used without looking at PATH', async () => {
    const bin = path.join(FAKE_BIN, 'findings', 'trivy');
    const out = await runScanner('trivy', box.dir, { env: box.env('none'), bin });
    expect(out.status).toBe('failed');
    expect(out.command[0]).toBe(bin);
    box.calls();
  });
});

describe('runScanner outcomes other than findings', () => {
  it('JSON with nothing to report is "passed"', async () => {
    const out = await runScanner('checkov', box.dir, { env: box.env('clean') });
    expect(out).toMatchObject({ tool: 'checkov', status: 'passed', detail: 'no findings', findings: [], version: '2.1.87' });
    box.calls();
  });

  it('truncated JSON is an error naming the tool, the exit code and the truncation', async () => {
    const out = await runScanner('checkov', box.dir, { env: box.env('truncated') });
    expect(out.status).toBe('error');
    expect(out.findings).toEqual([]);
    expect(out.detail).toMatch(/^checkov: unreadable JSON output: truncated JSON: input ends at position \d+ .*\(exit code 1\)$/);
    box.calls();
  });

  it('a non-zero exit with only stderr is an error with one stderr line, and nothing after it leaks', async () => {
    const out = await runScanner('tfsec', box.dir, { env: box.env('crash') });
    expect(out.status).toBe('error');
    expect(out.detail).toBe(
      'tfsec: failed with no JSON output (exit code 2): Error: failed to load config file: yaml: line 3: mapping values are not allowed in this context',
    );
    expect(out.detail).not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(JSON.stringify(out)).not.toContain('wJalrXUtnFEMI');
    box.calls();
  });

  it('a scanner that hangs is killed at the timeout and reported as an error', async () => {
    const out = await runScanner('trivy', box.dir, { env: box.env('hang'), timeoutMs: 500 });
    expect(out.status).toBe('error');
    expect(out.detail).toBe('trivy: timed out after 0.5 s');
    expect(out.version).toBe('0.72.0');
    box.calls();
  });

  it.each(SCANNER_NAMES)('%s missing from PATH is "skipped" with how to install it', async (tool) => {
    const out = await runScanner(tool, box.dir, { env: box.env('none') });
    expect(out).toMatchObject({ tool, status: 'skipped', findings: [], command: [], version: null });
    expect(out.detail).toBe(`not installed (install: ${INSTALL_HINTS[tool]})`);
  });

  it('a directory that does not exist is an error naming it', async () => {
    const missing = path.join(box.root, 'no-such-dir');
    const out = await runScanner('trivy', missing, { env: box.env('findings') });
    expect(out.status).toBe('error');
    expect(out.detail).toBe(`trivy: directory not found: ${missing}`);
    expect(box.calls()).toEqual([]);
  });
});

describe('scanner arguments and versions', () => {
  it('a relative directory is resolved and passed as an absolute path', async () => {
    const rel = path.relative(process.cwd(), box.dir);
    expect(path.isAbsolute(rel)).toBe(false);
    const out = await runScanner('trivy', rel, { env: box.env('findings') });
    expect(out.command.slice(1)).toEqual(scannerArgs('trivy', box.dir));
    expect(out.findings[0]?.file).toBe('main.tf');
  });

  it.each([
    ['Version: 0.72.0\n', '0.72.0'],
    ['v1.28.14\n', '1.28.14'],
    ['3.2.497\n', '3.2.497'],
    ['Terraform v1.11.4\non linux_amd64\n', '1.11.4'],
    ['checkov 3.2.0rc1', '3.2.0rc1'],
    ['dev build', 'dev build'],
    ['', null],
  ])('parseVersion(%j) = %j', (stdout, want) => {
    expect(parseVersion(stdout)).toBe(want);
  });
});
