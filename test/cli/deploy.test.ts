/** End-to-end deploys of examples/aws-webapp through the bundle with the Terraform test double (see e2e-helpers). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { deploy, PERMISSIVE, project, stages } from '../deploy/e2e-helpers.js';

describe('infra-ops deploy', () => {
  it('clean pass: stops awaiting approval with the plan summary, then applies exactly that plan, post-tests and verifies', () => {
    const p = project({ config: PERMISSIVE });
    const first = deploy(p, []);
    expect(first.status, first.stderr).toBe(0);
    const run = first.doc.run;
    expect(run.status).toBe('awaiting_approval');
    expect(stages(run)).toEqual({ validate: 'passed', 'pre-tests': 'warned', preview: 'passed', approval: 'awaiting', apply: 'pending', 'post-tests': 'pending', verify: 'pending' });
    expect(run.plan.summary).toMatchObject({ add: 2, change: 2, replace: 1, destroy: 1 });
    expect(run.plan.summary.destructive.map((d: { address: string }) => d.address)).toEqual(['aws_db_instance.main', 'aws_s3_bucket.old_uploads']);
    expect(run.plan.cost).toMatchObject({ currency: 'USD', removed: expect.any(Number) });
    // Destroying or replacing resources needs a second person (medium), bound to the plan's hash.
    expect(run.approvals).toHaveLength(1);
    expect(run.approvals[0]).toMatchObject({ kind: 'apply', tier: 'medium', requestedBy: 'dana', approver: null, boundTo: run.plan.sha256 });
    expect(run.next.join('\n')).toContain(`--approve ${run.runId}`);
    const preview = run.stages.find((s: { name: string }) => s.name === 'preview');
    expect(preview.commands[0].argv).toEqual(['terraform', 'plan', '-input=false', '-no-color', `-out=${join(p.root, '.infra-ops/runs', run.runId, 'plan.tfplan')}`, '-var-file=test.tfvars']);
    expect(existsSync(join(p.root, run.stages.find((s: { name: string }) => s.name === 'pre-tests').report))).toBe(true);
    // The saved plan can hold secrets: owner-only.
    expect(statSync(join(p.root, '.infra-ops/runs', run.runId, 'plan.tfplan')).mode & 0o077).toBe(0);
    // Nothing was applied yet.
    expect(p.argv().some((c) => c.argv[0] === 'apply')).toBe(false);

    const human = cli(['deploy', '--env', 'test', '--approve', run.runId], { cwd: p.root, env: p.env });
    expect(human.status).toBe(2); // --approver is required
    expect(human.stderr).toMatch(/--approver/);

    // A medium change is not approved by the person who asked for it.
    const self = deploy(p, ['--approve', run.runId, '--approver', 'dana']);
    expect(self.status).toBe(3);
    expect(self.doc.error.code).toBe('approval.self-approval');
    expect(p.argv().some((c) => c.argv[0] === 'apply')).toBe(false);

    const second = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(second.status, second.stderr).toBe(0);
    const done = second.doc.run;
    expect(done.status).toBe('verified');
    expect(stages(done)).toMatchObject({ approval: 'passed', apply: 'passed', 'post-tests': expect.stringMatching(/passed|warned/), verify: 'passed' });
    const applies = p.argv().filter((c) => c.argv[0] === 'apply');
    expect(applies).toHaveLength(1);
    expect(applies[0]!.argv).toEqual(['apply', '-input=false', '-no-color', join(p.root, '.infra-ops/runs', run.runId, 'plan.tfplan')]);
    expect(done.approvals[0]).toMatchObject({ approver: 'sam', auditId: 'phr-1' });
    // The audit trail holds the record of this medium change.
    const audit = cli(['audit', 'show', 'phr-1', '--json'], { cwd: p.root, env: p.env }).json();
    expect(JSON.stringify(audit)).toContain(run.plan.sha256);
    // The approval is single-use: the run is no longer awaiting approval.
    const again = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(again.status).toBe(2);
  });
  it('prints the stages, the plan summary with destructive lines, and what to do next', () => {
    const p = project({ config: PERMISSIVE });
    const r = cli(['deploy', '--env', 'test'], { cwd: p.root, env: p.env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/AWAITING APPROVAL/);
    expect(r.stdout).toMatch(/Plan: 2 to add, 2 to change, 1 to replace, 1 to destroy/);
    expect(r.stdout).toMatch(/replace\s+aws_db_instance\.main/);
    expect(r.stdout).toMatch(/destroy\s+aws_s3_bucket\.old_uploads/);
    expect(r.stdout).toMatch(/Findings: \d+ critical/);
    expect(r.stdout).toMatch(/Cost delta: [+-]\d+\.\d\d USD\/month/);
    expect(r.stdout).toMatch(/Next\n.*--approve dep-/);
  });
  it('--skip-tests is recorded; production cannot skip tests without a justification', () => {
    const p = project({ config: PERMISSIVE });
    const r = deploy(p, ['--skip-tests']);
    expect(r.status).toBe(0);
    expect(stages(r.doc.run)['pre-tests']).toBe('skipped');
    expect(r.doc.run.options.skipTests).toBe(true);
    const prod = cli(['deploy', '--env', 'prod', '--skip-tests', '--json'], { cwd: p.root, env: p.env });
    expect(prod.status).toBe(2);
    expect(prod.stderr).toMatch(/production.*--justification/);
  });
  it('a production environment missing from the config is blocked at validate', () => {
    const p = project({ config: PERMISSIVE });
    const r = cli(['deploy', '--env', 'prod', '--json'], { cwd: p.root, env: p.env });
    expect(r.status).toBe(3);
    expect(r.json().run.blocked).toMatchObject({ by: 'config', fixStage: 'validate' });
  });
  it('a bad naming pattern in the config is a usage error naming the field; the run records the error', () => {
    const p = project({ config: PERMISSIVE.replace('    tfvars: [test.tfvars]\n', '    tfvars: [test.tfvars]\n    naming: { pattern: "^(unclosed" }\n') });
    const r = cli(['deploy', '--env', 'test', '--json'], { cwd: p.root, env: p.env });
    expect(r.status).toBe(2);
    expect(r.json().error.code).toBe('config.invalid');
    expect(r.stderr).toMatch(/environments\.test\.naming/);
    const runs = readdirSync(join(p.root, '.infra-ops/runs')).filter((f) => f.startsWith('dep-'));
    const rec = JSON.parse(readFileSync(join(p.root, '.infra-ops/runs', runs[0]!, 'run.json'), 'utf8'));
    expect(rec.status).toBe('error');
    expect(stages(rec)['pre-tests']).toBe('error');
  });

  it('rejects run ids that could leave the runs folder', () => {
    const p = project({ config: PERMISSIVE });
    const r = cli(['deploy', '--env', 'test', '--approve', '../../etc', '--approver', 'sam', '--json'], { cwd: p.root, env: p.env });
    expect(r.status).toBe(2);
    expect(r.json().error.code).toBe('deploy.bad-run-id');
  });
});
