/** End-to-end deploys of examples/aws-webapp through the bundle with the Terraform test double (see e2e-helpers). */
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { deploy, PERMISSIVE, project, stages } from './e2e-helpers.js';

describe('infra-ops deploy', () => {
  it('a failed apply: the debugger matches it, the fix runs only after approval, the stale plan is re-planned and re-approved, and the outcome is recorded', () => {
    const p = project({ config: PERMISSIVE, scenario: 'apply-fails-once' });
    const run = deploy(p, []).doc.run;
    const failed = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(failed.status).toBe(1);
    const f = failed.doc.run;
    expect(f.status).toBe('failed');
    expect(stages(f).apply).toBe('failed');
    expect(f.debug.best).toMatchObject({ automated: true, command: ['aws', 'iam', 'create-service-linked-role', '--aws-service-name', 'ecs.amazonaws.com'] });
    expect(f.fix).toMatchObject({ status: 'proposed', outcome: null });
    expect(f.next.join('\n')).toContain(`--approve-fix ${run.runId}`);
    // Not run yet: no aws call.
    expect(p.argv().some((c) => c.tool === 'aws')).toBe(false);

    const fixed = deploy(p, ['--approve-fix', run.runId, '--approver', 'sam']);
    expect(fixed.status, fixed.stderr).toBe(0);
    const x = fixed.doc.run;
    expect(p.argv().filter((c) => c.tool === 'aws').map((c) => c.argv)).toEqual([['iam', 'create-service-linked-role', '--aws-service-name', 'ecs.amazonaws.com']]);
    expect(x.fix.status).toBe('ran');
    // Terraform refused the saved plan (stale after the partial apply): a new plan needs a new approval.
    expect(x.status).toBe('awaiting_approval');
    expect(x.plan.generation).toBe(2);
    expect(x.plan.sha256).not.toBe(run.plan.sha256);
    expect(x.approvals.filter((a: { kind: string }) => a.kind === 'apply')).toHaveLength(2);

    const last = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(last.status, last.stderr).toBe(0);
    expect(last.doc.run.status).toBe('verified');
    expect(last.doc.run.fix.outcome).toBe('success');
    // Each apply attempt under a medium approval has its audit record: the failed one and the good one; the chain is intact.
    const audit = cli(['audit', 'list', '--json'], { cwd: p.root, env: p.env }).json();
    expect(audit.total).toBe(2);
    expect(last.doc.run.approvals.filter((a: { kind: string }) => a.kind === 'apply').map((a: { auditId: string }) => a.auditId)).toEqual(['phr-1', 'phr-2']);
    expect(cli(['audit', 'verify'], { cwd: p.root, env: p.env }).status).toBe(0);
    // The issue log learned: the solution has one successful attempt.
    const shown = cli(['issues', 'show', f.debug.issueId, '--json'], { cwd: p.root, env: p.env });
    expect(shown.status, shown.stderr).toBe(0);
    const solutions = JSON.stringify(shown.json());
    expect(solutions).toMatch(/"successes":\s*1/);
  });
  it('a fix that fails is recorded as a failed attempt and the run stays failed, with the manual steps', () => {
    const p = project({ config: PERMISSIVE, scenario: 'apply-fails-once' });
    const run = deploy(p, []).doc.run;
    const failed = deploy(p, ['--approve', run.runId, '--approver', 'sam']).doc.run;
    p.env.FAKE_AWS_FAIL = '1';
    const r = deploy(p, ['--approve-fix', run.runId, '--approver', 'sam']);
    expect(r.status).toBe(1);
    expect(r.doc.run).toMatchObject({ status: 'failed', fix: { status: 'failed', exitCode: 254, outcome: 'failure' } });
    expect(r.doc.run.next.join('\n')).toMatch(/apply the fix by hand/);
    expect(p.argv().filter((c) => c.argv[0] === 'apply')).toHaveLength(1);
    const issue = JSON.stringify(cli(['issues', 'show', failed.debug.issueId, '--json'], { cwd: p.root, env: p.env }).json());
    expect(issue).toMatch(/"failures":\s*1/);
    // A failed fix is not approved twice.
    expect(deploy(p, ['--approve-fix', run.runId, '--approver', 'sam']).status).toBe(2);
  });

  it('missing credentials and a missing terraform are blocked (exit 3), naming the stage to fix', () => {
    const creds = deploy(project({ config: PERMISSIVE, scenario: 'no-credentials' }), []);
    expect(creds.status).toBe(3);
    expect(creds.doc.run.blocked).toMatchObject({ by: 'credentials', fixStage: 'preview' });
    const p = project({ config: PERMISSIVE });
    const none = cli(['deploy', '--env', 'test', '--json'], { cwd: p.root, env: { ...p.env, PATH: dirname(process.execPath) } });
    expect(none.status).toBe(3);
    expect(none.json().run.blocked).toMatchObject({ by: 'terraform', fixStage: 'validate' });
    expect(none.json().run.blocked.hint).toMatch(/developer\.hashicorp\.com\/terraform\/install/);
  });
});
