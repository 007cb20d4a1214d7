/** End-to-end deploys (see e2e-helpers): production approvals, a retried apply after a lock, two approvals at once. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../plugin/helpers.js';
import { deploy, PERMISSIVE, project, stages, type Project } from './e2e-helpers.js';

const PROD = `${PERMISSIVE}`.replace(
  'environments:\n',
  'environments:\n  prod:\n    production: true\n    requireApproval: true\n    budget: { monthly: 5000 }\n    gate: { blockOn: [] }\n    tfvars: [test.tfvars]\n    monitoring: { enabled: false }\n',
);

function cliAsync(p: Project, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: p.root, env: { ...process.env, NO_COLOR: '1', ...p.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

describe('infra-ops deploy', () => {
  it('production: a destructive plan is critical, and its approval needs a justification', () => {
    const p = project({ config: PROD });
    const first = deploy(p, ['--env', 'prod']);
    expect(first.status, first.stderr).toBe(0);
    const run = first.doc.run;
    expect(run).toMatchObject({ env: 'prod', production: true, status: 'awaiting_approval' });
    expect(run.approvals[0].tier).toBe('critical');
    expect(run.next.join('\n')).toContain('--justification');
    const bare = deploy(p, ['--env', 'prod', '--approve', run.runId, '--approver', 'sam']);
    expect(bare.status).toBe(2);
    expect(bare.doc.error.message).toMatch(/critical.*--justification/);
    const ok = deploy(p, ['--env', 'prod', '--approve', run.runId, '--approver', 'sam', '--justification', 'db replacement reviewed in CHG-42']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.doc.run.status).toBe('verified');
    expect(ok.doc.run.approvals[0].auditId).toMatch(/^phr-\d+$/);
    // The run of one environment is not approved under another.
    expect(deploy(p, ['--approve', run.runId, '--approver', 'sam']).status).toBe(2);
  });

  it('an approved apply blocked by a state lock is retried under the same approval once the lock is gone', () => {
    const p = project({ config: PERMISSIVE, scenario: 'apply-locked' });
    const run = deploy(p, []).doc.run;
    const blocked = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(blocked.status).toBe(3);
    expect(blocked.doc.run.blocked).toMatchObject({ by: 'state_lock', fixStage: 'apply', lock: { who: 'root@vm' } });
    expect(blocked.doc.run.next.join('\n')).toContain(`--approve ${run.runId}`);
    p.env.FAKE_TF_SCENARIO = 'clean';
    const retried = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(retried.status, retried.stderr).toBe(0);
    expect(retried.doc.run.status).toBe('verified');
    expect(retried.doc.run.applyAttempts).toBe(2);
    expect(stages(retried.doc.run).approval).toBe('passed');
  });

  it('two approvals of one run started at once apply the plan once', async () => {
    const p = project({ config: PERMISSIVE });
    const run = deploy(p, []).doc.run;
    const args = ['deploy', '--env', 'test', '--json', '--approve', run.runId, '--approver', 'sam'];
    const results = await Promise.all([cliAsync(p, args), cliAsync(p, args)]);
    expect(results.map((r) => r.status).sort()).toEqual([0, expect.any(Number)]);
    expect(results.filter((r) => r.status === 0)).toHaveLength(1);
    expect(results.find((r) => r.status !== 0)!.status).toBeGreaterThanOrEqual(2);
    expect(p.argv().filter((c) => c.argv[0] === 'apply')).toHaveLength(1);
  });
});
