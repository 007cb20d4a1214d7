import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, copyShippedPlugin } from './helpers.js';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe('shipped bundle', () => {
  it('is what the sources build today (run `npm run build` and commit scripts/ when this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'infra-ops-build-'));
    execFileSync('node', [join(ROOT, 'build/bundle.mjs'), '--outdir', out], { cwd: ROOT });
    const fresh = listFiles(out);
    const shipped = listFiles(join(ROOT, 'scripts'));
    expect(shipped).toEqual(fresh);
    for (const f of fresh) expect(readFileSync(join(ROOT, 'scripts', f)).equals(readFileSync(join(out, f))), f).toBe(true);
  });

  it('runs from a copy of the plugin with no node_modules anywhere', () => {
    const copy = copyShippedPlugin();
    const project = mkdtempSync(join(tmpdir(), 'infra-ops-proj-'));
    const run = (args: string[]) => spawnSync('node', [join(copy, 'scripts/infra-ops.mjs'), ...args], { cwd: project, encoding: 'utf8' });
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const debug = run(['debug', '--json', '--no-record', '--error', 'Error: error configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.']);
    expect(debug.stderr).toBe('');
    expect(JSON.parse(debug.stdout).category).toBe('permission');
    const init = run(['init', '--json']);
    expect(init.status).toBe(0);
    expect(JSON.parse(init.stdout).created).toBe(true);
    // the HCL parser (WebAssembly, vendored in scripts/vendor) works without node_modules
    const tf = join(project, 'infra');
    cpSync(join(ROOT, 'test/fixtures/terraform/cli-project'), tf, { recursive: true });
    const test = run(['test', '--json', '--no-save', '--env', 'test', '--scanners', 'builtin', 'infra']);
    expect(test.status, test.stderr).toBe(1);
    const report = JSON.parse(test.stdout).report;
    expect(report.checks.find((c: { name: string }) => c.name === 'parse').status).toBe('passed');
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('IO_AWS_SG_SSH_WORLD');
  });
});
