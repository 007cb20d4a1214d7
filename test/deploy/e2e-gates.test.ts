/** End-to-end deploys of examples/aws-webapp through the bundle with the Terraform test double (see e2e-helpers). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { deploy, PERMISSIVE, project, stages } from './e2e-helpers.js';

describe('infra-ops deploy', () => {
  it('a critical finding blocks before preview; --override-findings needs a justification and is recorded', () => {
    const p = project({ config: PERMISSIVE.replace('blockOn: []', 'blockOn: [CRITICAL]') });
    const rds = join(p.root, 'rds.tf');
    writeFileSync(rds, readFileSync(rds, 'utf8').replace(/publicly_accessible\s*=\s*false/, 'publicly_accessible = true'));
    const r = deploy(p, []);
    expect(r.status).toBe(1);
    expect(r.doc.run.status).toBe('failed');
    expect(stages(r.doc.run)).toMatchObject({ 'pre-tests': 'failed', preview: 'pending', approval: 'pending' });
    expect(r.doc.run.findings).toMatchObject({ critical: 1, blocking: 1 });
    expect(r.doc.run.findings.top[0]).toMatchObject({ severity: 'CRITICAL', outcome: 'block', ruleId: 'IO_AWS_RDS_PUBLIC', resource: 'aws_db_instance.main' });
    const report = JSON.parse(readFileSync(join(p.root, r.doc.run.stages[1].report), 'utf8'));
    expect(report.findings.filter((f: { outcome: string }) => f.outcome === 'block').map((f: { ruleId: string; resource: string }) => `${f.ruleId} ${f.resource}`)).toEqual(['IO_AWS_RDS_PUBLIC aws_db_instance.main']);
    expect(r.doc.run.next.join('\n')).toMatch(/--override-findings --justification/);
    expect(p.argv().some((c) => c.argv[0] === 'plan')).toBe(false);

    expect(deploy(p, ['--override-findings']).status).toBe(2);
    const o = deploy(p, ['--override-findings', '--justification', 'temporary: closed again by the next change']);
    expect(o.status, o.stderr).toBe(0);
    expect(o.doc.run.status).toBe('awaiting_approval');
    expect(o.doc.run.options).toMatchObject({ overrideFindings: true, justification: 'temporary: closed again by the next change' });
    expect(stages(o.doc.run)['pre-tests']).toBe('warned');
  });

  it("the example's own gate (CRITICAL and HIGH) stops it before preview too", () => {
    const p = project();
    const r = deploy(p, []);
    expect(r.status).toBe(1);
    expect(stages(r.doc.run)).toMatchObject({ 'pre-tests': 'failed', preview: 'pending' });
    expect(r.doc.run.findings.high).toBeGreaterThan(0);
  });

  it('refuses a plan that changed after preview (exit 3, plan_changed) and applies nothing', () => {
    const p = project({ config: PERMISSIVE });
    const run = deploy(p, []).doc.run;
    // Someone (or another plan) wrote over the saved plan after it was shown.
    writeFileSync(join(p.root, '.infra-ops/runs', run.runId, 'plan.tfplan'), 'FAKEPLAN aws-webapp #99\n');
    const r = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(r.status).toBe(3);
    expect(r.doc.run.status).toBe('blocked');
    expect(r.doc.run.blocked).toMatchObject({ by: 'plan_changed', fixStage: 'preview' });
    expect(r.doc.run.approvals[0].approver).toBeNull();
    expect(p.argv().some((c) => c.argv[0] === 'apply')).toBe(false);
  });
  it('a state lock held by someone else blocks the preview with its owner and age', () => {
    const p = project({ config: PERMISSIVE, scenario: 'plan-locked' });
    const r = deploy(p, []);
    expect(r.status).toBe(3);
    const b = r.doc.run.blocked;
    expect(b).toMatchObject({ by: 'state_lock', fixStage: 'preview' });
    expect(b.lock).toMatchObject({ id: '63ce8db5-04ca-2b56-45b8-c859236964f4', who: 'root@vm', operation: 'OperationTypeApply', created: '2026-11-23 14:16:44.11374449 +0000 UTC' });
    expect(b.lock.ageSeconds).toBeGreaterThan(0);
    expect(b.hint).toContain('force-unlock 63ce8db5-04ca-2b56-45b8-c859236964f4');
    const human = cli(['deploy', '--env', 'test'], { cwd: p.root, env: p.env });
    expect(human.stdout).toMatch(/held by root@vm · OperationTypeApply/);
  });
});
