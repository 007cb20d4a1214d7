import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../plugin/helpers.js';
import { cli, schemaErrors } from './run-cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'terraform');
/** PATH with only node on it: no terraform, checkov, tfsec or trivy, whatever the machine has. */
const BARE_PATH = { PATH: dirname(process.execPath) };

function project(tfFixture: string, config?: string): { root: string; tf: string } {
  const root = mkdtempSync(join(tmpdir(), 'infra-ops-test-cmd-'));
  const tf = join(root, 'infra');
  cpSync(join(FIXTURES, tfFixture), tf, { recursive: true });
  if (config !== undefined) {
    mkdirSync(join(root, '.infra-ops'), { recursive: true });
    writeFileSync(join(root, '.infra-ops', 'config.yaml'), config);
  }
  return { root, tf };
}

const CONFIG = `version: 1
project: shop
environments:
  test:
    requireApproval: false
    budget: { monthly: 1000, warnAtPercent: 80 }
    requiredTags: [Environment, Owner]
    naming:
      pattern: "^{project}-{env}-[a-z0-9-]+$"
    gate: { blockOn: [CRITICAL, HIGH], warnOn: [MEDIUM] }
`;

describe('infra-ops test --phase pre', () => {
  it('without a config: scans with defaults, blocks on HIGH, writes the report and history', () => {
    const p = project('cli-project');
    const r = cli(['test', '--json', '--env', 'test', 'infra'], { cwd: p.root, env: BARE_PATH });
    expect(r.status, r.stderr).toBe(1);
    const d = r.json();
    expect(schemaErrors('test', d)).toEqual([]);
    const report = d.report;
    expect(report.status).toBe('FAIL');
    expect(report.phase).toBe('pre');
    const ssh = report.findings.find((f: { ruleId: string }) => f.ruleId === 'IO_AWS_SG_SSH_WORLD');
    expect(ssh).toMatchObject({ resource: 'aws_security_group.bastion', file: 'main.tf', startLine: 15, outcome: 'block' });
    // count = 0: the RDP rule would fire on aws_security_group.legacy, but nothing of it is deployed
    expect(report.findings.some((f: { resource: string }) => f.resource === 'aws_security_group.legacy')).toBe(false);
    // the inline suppression is honoured and reported
    const ebs = report.findings.find((f: { ruleId: string }) => f.ruleId === 'IO_AWS_EBS_ENCRYPTED');
    expect(ebs).toMatchObject({ outcome: 'suppressed', suppressed: { by: 'infra-ops', reason: 'scratch volume, no customer data (OPS-12)' } });
    // no terraform / scanners on PATH: skipped with how to install, not failed
    const byName = Object.fromEntries(report.checks.map((c: { name: string }) => [c.name, c]));
    for (const name of ['checkov', 'tfsec', 'trivy']) expect(byName[name]).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/not installed.*install/) });
    expect(report.checks.find((c: { name: string }) => /validate/.test(c.name)).status).toBe('skipped');
    // cost: two t3.small from count = 2, priced from the shipped table
    expect(report.cost.resources.filter((x: { address: string }) => x.address.startsWith('aws_instance.web[')).length).toBe(2);
    expect(report.cost.monthlyTotal).toBeGreaterThan(0);
    expect(report.cost.budget).toBeNull();
    // files
    expect(d.files.json).toMatch(/\.infra-ops\/reports\/test\/\d{8}T\d{9}Z-pre\.json$/);
    expect(JSON.parse(readFileSync(d.files.json, 'utf8'))).toEqual(report);
    const history = JSON.parse(readFileSync(d.files.history, 'utf8'));
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({ status: 'FAIL', phase: 'pre' });
  });

  it('human output names the blocking finding, its place and the fix; exit 1', () => {
    const p = project('cli-project');
    const r = cli(['test', '--env', 'test', '--no-save', 'infra'], { cwd: p.root, env: BARE_PATH });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
    expect(r.stdout).toMatch(/IO_AWS_SG_SSH_WORLD\s+aws_security_group\.bastion\s+main\.tf:15/);
    expect(r.stdout).toMatch(/fix: /);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(existsSync(join(p.root, '.infra-ops'))).toBe(false);
  });

  it('with a config: compliance from the environment, gate and budget apply; formats written', () => {
    const p = project('cli-project', CONFIG);
    const r = cli(['test', '--json', '--env', 'test', '--format', 'md,sarif,junit', 'infra'], { cwd: p.root, env: BARE_PATH });
    expect(r.status, r.stderr).toBe(1);
    const d = r.json();
    expect(schemaErrors('test', d)).toEqual([]);
    const tags = d.report.findings.filter((f: { ruleId: string }) => f.ruleId === 'IO_REQUIRED_TAGS');
    // Environment comes from provider default_tags; Owner is missing on the security group only
    expect(tags.map((f: { resource: string }) => f.resource)).toContain('aws_security_group.bastion');
    expect(tags.map((f: { resource: string }) => f.resource)).not.toContain('aws_instance.web');
    expect(d.report.cost.budget).toBe(1000);
    for (const k of ['md', 'sarif', 'junit']) expect(existsSync(d.files[k]), k).toBe(true);
    expect(readFileSync(d.files.md, 'utf8')).toMatch(/infra-ops test: \*\*FAIL\*\*/);
    const sarif = JSON.parse(readFileSync(d.files.sarif, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    // paths relative to the project (repository) root, so code scanning annotates the right file
    expect(sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('infra/main.tf');
    expect(readFileSync(d.files.junit, 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*<failure/);
  });

  it('a malformed .tf is reported with file and line, and the other files are still checked', () => {
    const p = project('cli-broken');
    const r = cli(['test', '--json', '--env', 'test', '--no-save', 'infra'], { cwd: p.root, env: BARE_PATH });
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('test', d)).toEqual([]);
    const syntax = d.report.findings.find((f: { ruleId: string }) => f.ruleId === 'IO_HCL_SYNTAX');
    expect(syntax).toMatchObject({ file: 'broken.tf', severity: 'HIGH' });
    expect(syntax.startLine).toBeGreaterThanOrEqual(1);
    expect(d.report.checks.find((c: { name: string }) => c.name === 'parse')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^broken\.tf:\d+: /) });
    expect(d.report.findings.some((f: { ruleId: string; file: string }) => f.ruleId === 'IO_AWS_SG_SSH_WORLD' && f.file === 'good.tf')).toBe(true);
  });

  it('--scanners builtin only runs the built-in rules; an unknown scanner or env is a usage error (2)', () => {
    const p = project('cli-project', CONFIG);
    const only = cli(['test', '--json', '--env', 'test', '--no-save', '--scanners', 'builtin', 'infra'], { cwd: p.root, env: BARE_PATH });
    const names = only.json().report.checks.map((c: { name: string }) => c.name);
    expect(names).not.toContain('checkov');
    const bad = cli(['test', '--json', '--env', 'test', '--scanners', 'builtin,snyk', 'infra'], { cwd: p.root });
    expect(bad.status).toBe(2);
    expect(bad.json().error.message).toMatch(/--scanners: unknown value "snyk" \(allowed: builtin, checkov, tfsec, trivy\)/);
    const env = cli(['test', '--json', '--env', 'staging', 'infra'], { cwd: p.root });
    expect(env.status).toBe(2);
    expect(env.json().error.message).toMatch(/environment "staging" is not in .*config.yaml \(known: test\)/);
    const dir = cli(['test', '--json', '--env', 'test', 'nope'], { cwd: p.root });
    expect(dir.status).toBe(2);
    expect(readdirSync(join(p.root, '.infra-ops'))).toEqual(['config.yaml']);
  });

  it('runs the installed scanners and merges what they report with the built-in rules', () => {
    // fake trivy/tfsec/checkov on PATH print real recorded outputs (test/fixtures/fake-bin/SOURCES.md)
    const root = mkdtempSync(join(tmpdir(), 'infra-ops-test-scan-'));
    cpSync(join(ROOT, 'test', 'fixtures', 'scanners', 'trivy-action-config'), join(root, 'infra'), { recursive: true });
    const PATH = `${join(ROOT, 'test', 'fixtures', 'fake-bin', 'findings')}:${dirname(process.execPath)}`;
    const r = cli(['test', '--json', '--env', 'test', '--no-save', '--scanners', 'builtin,trivy', 'infra'], { cwd: root, env: { PATH } });
    expect(r.status, r.stderr).toBe(1);
    const report = r.json().report;
    expect(report.checks.find((c: { name: string }) => c.name === 'trivy')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/8 findings .*trivy 0\.72\.0/) });
    type F = { ruleId: string; aliases: string[]; tools: string[]; resource: string; file: string; startLine: number };
    const findings = report.findings as F[];
    // at least one built-in finding is confirmed by trivy and merged into one, with trivy's id as an alias
    const merged = findings.filter((f) => f.tools.includes('builtin') && f.tools.includes('trivy'));
    expect(merged.length).toBeGreaterThan(0);
    for (const m of merged) {
      expect(m).toMatchObject({ resource: 'aws_s3_bucket.bucket', file: 'main.tf', startLine: 8 });
      expect(m.aliases.some((a) => /^(AVD-)?AWS-\d{4}$/.test(a))).toBe(true);
      // the trivy id inside a merged finding is not repeated on its own for the same resource
      const trivyIds = m.aliases.filter((a) => /^AWS-\d{4}$/.test(a));
      expect(findings.filter((f) => f !== m && f.resource === m.resource && trivyIds.includes(f.ruleId))).toEqual([]);
    }
    // the variable default "Disabled" is resolved: versioning is off
    expect(report.findings.some((f: { ruleId: string; tools: string[] }) => f.ruleId === 'IO_AWS_S3_VERSIONING' && f.tools.includes('builtin'))).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).not.toContain('checkov');
  });

  it('a scanner that crashes or prints truncated JSON is an error check (WARN), not a silent pass', () => {
    const p = project('cli-project');
    for (const [scenario, tool] of [['crash', 'tfsec'], ['truncated', 'checkov']] as const) {
      const PATH = `${join(ROOT, 'test', 'fixtures', 'fake-bin', scenario)}:${dirname(process.execPath)}`;
      const r = cli(['test', '--json', '--env', 'test', '--no-save', '--scanners', tool, 'infra'], { cwd: p.root, env: { PATH } });
      const report = r.json().report;
      const c = report.checks.find((x: { name: string }) => x.name === tool);
      expect(c.status, scenario).toBe('error');
      expect(c.detail).toMatch(new RegExp(tool));
      expect(report.status).toBe('WARN');
      expect(report.statusReasons.join()).toMatch(new RegExp(`could not run: ${tool}`));
      expect(r.status).toBe(0);
    }
  });

  it('test history shows the runs, pass rate and trend', () => {
    const p = project('cli-project');
    cli(['test', '--json', '--env', 'test', 'infra'], { cwd: p.root, env: BARE_PATH });
    cli(['test', '--json', '--env', 'test', '--scanners', 'checkov', 'infra'], { cwd: p.root, env: BARE_PATH });
    const h = cli(['test', 'history', '--json', '--env', 'test'], { cwd: p.root });
    expect(h.status, h.stderr).toBe(0);
    const d = h.json();
    expect(schemaErrors('test-history', d)).toEqual([]);
    expect(d.totalRuns).toBe(2);
    expect(d.successRate.overall).toBe(0.5);
    expect(d.trend.findings).toBe('down');
    const human = cli(['test', 'history', '--env', 'test'], { cwd: p.root });
    expect(human.stdout).toMatch(/2 run\(s\), pass rate 50% overall/);
  });
});

describe('infra-ops test --phase post', () => {
  /** Async run: the test process serves HTTP while the CLI runs, so spawnSync would deadlock. */
  function cliAsync(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolveRun) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'infra-ops.mjs'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...BARE_PATH } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (status) => resolveRun({ status, stdout, stderr }));
    });
  }

  it('compares the declared resources with a recorded state, checks posture and monitoring, runs health checks', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status": "ok"}');
      } else {
        res.writeHead(503);
        res.end('down');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const root = mkdtempSync(join(tmpdir(), 'infra-ops-test-post-'));
      cpSync(join(ROOT, 'test', 'fixtures', 'state', 'webapp'), join(root, 'infra'), { recursive: true });
      mkdirSync(join(root, '.infra-ops'));
      writeFileSync(
        join(root, '.infra-ops', 'config.yaml'),
        `version: 1
environments:
  test:
    requireApproval: false
    budget: { monthly: 500 }
    healthChecks:
      - { name: api, url: "http://127.0.0.1:${port}/health", expectStatus: 200, bodyMatch: '"status":\\s*"ok"', retries: 0 }
      - { name: admin, url: "http://127.0.0.1:${port}/admin", expectStatus: 200, retries: 1, backoffSeconds: 0.05, timeoutSeconds: 2 }
`,
      );
      const r = await cliAsync(['test', '--json', '--env', 'test', '--phase', 'post', '--state', 'infra/terraform.tfstate', 'infra'], root);
      expect(r.status, r.stderr).toBe(1);
      const d = JSON.parse(r.stdout);
      expect(schemaErrors('test', d)).toEqual([]);
      const report = d.report;
      expect(report.phase).toBe('post');
      const ids = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
      expect(ids.has('IO_POST_DRIFT')).toBe(true);
      expect(ids.has('IO_POST_MISSING')).toBe(true);
      const check = (name: string) => report.checks.find((c: { name: string }) => c.name === name);
      expect(check('state: existence and drift').detail).toMatch(/\d+ declared, \d+ found, [1-9]\d* missing, [1-9]\d* drifted/);
      expect(check('health: api')).toMatchObject({ status: 'passed' });
      expect(check('health: admin')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/503 after 2 attempts/) });
      expect(hits.filter((h) => h === '/admin')).toHaveLength(2);
      expect(report.statusReasons.join('\n')).toMatch(/failed check\(s\): health: admin/);
      expect(d.files.json).toMatch(/-post\.json$/);
    } finally {
      server.close();
    }
  });

  it('without a state or terraform: the state checks are skipped with what to do', async () => {
    const p = project('cli-project');
    const r = await cliAsync(['test', '--json', '--env', 'test', '--phase', 'post', '--no-save', 'infra'], p.root);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout).report;
    expect(report.checks.find((c: { name: string }) => c.name === 'state: existence and drift')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/--state FILE.*install/),
    });
  });

  it('a truncated state file is a usage error naming the file (exit 2)', async () => {
    const p = project('cli-project');
    writeFileSync(join(p.root, 'state.json'), '{"version": 4, "terraform_version": "1.9.0", "resources": [{"mode": "managed", "type": "aws_s3');
    const r = await cliAsync(['test', '--json', '--env', 'test', '--phase', 'post', '--no-save', '--state', 'state.json', 'infra'], p.root);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/state\.json/);
  });
});
