import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../plugin/helpers.js';
import { COMMANDS, fakeCluster, FIXTURES, happyRoutes, NEW_IMAGE, type FakeCluster } from '../operate/fake-cluster.js';
import { cli, schemaErrors } from './run-cli.js';

function run(c: FakeCluster, args: string[]) {
  return cli(args, { cwd: c.dir, env: c.env as Record<string, string> });
}

function runAsync(c: FakeCluster, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BUNDLE, ...args], { cwd: c.dir, env: { ...process.env, NO_COLOR: '1', ...c.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function proposeArgs(c: FakeCluster, env: string, commands = COMMANDS): string[] {
  c.write('commands.txt', commands);
  c.write('hpa-my-api.yaml', readFileSync(join(FIXTURES, 'hpa-my-api.yaml'), 'utf8'));
  return ['operate', 'propose', '--json', '--intent', 'update my-api to v2 with zero downtime', '--commands-file', 'commands.txt', '--manifest', 'hpa-my-api.yaml', '-n', 'shop', '--env', env, '--requested-by', 'bob'];
}

describe('infra-ops operate execute (CLI)', () => {
  it('two executes started at the same moment: one runs, the other is refused', async () => {
    const c = fakeCluster(happyRoutes());
    const p = run(c, proposeArgs(c, 'test'));
    expect(p.status, p.stderr).toBe(0);
    const { id, digest } = p.json().session;
    const both = await Promise.all([runAsync(c, ['operate', 'execute', id, '--approve', digest, '--json']), runAsync(c, ['operate', 'execute', id, '--approve', digest, '--json'])]);
    expect(both.map((r) => r.status).sort()).toEqual([0, 3]);
    const refused = both.find((r) => r.status === 3)!;
    expect(JSON.parse(refused.stdout).error.code).toBe('operate.already-executed');
    expect(c.calls().filter((x) => x.argv[0] === 'set' && !x.argv.some((a) => a.startsWith('--dry-run')))).toHaveLength(1);
  });

  it('a failed command: the others still run, exit 1, each result shown', () => {
    const routes = happyRoutes();
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop`] = {
      stderr: 'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "my-api": the object has been modified; please apply your changes to the latest version and try again\n',
      code: 1,
    };
    const c = fakeCluster(routes);
    const { id, digest } = run(c, proposeArgs(c, 'test')).json().session;
    const ex = run(c, ['operate', 'execute', id, '--approve', digest]);
    expect(ex.status).toBe(1);
    expect(ex.stdout).toContain(`FAILED (exit 1)  kubectl set image deployment/my-api app=${NEW_IMAGE} -n shop\n      Error from server (Conflict)`);
    expect(ex.stdout).toContain('ok  kubectl apply -f hpa-my-api.yaml -n shop');
    expect(ex.stdout).toContain(`or, after asking, infra-ops operate rollback ${id}`);
  });

  it('a policy violation: propose shows the rule and the fix (exit 1), execute refuses it (exit 3)', () => {
    const latest = 'registry.example.com/shop/my-api:latest';
    const c = fakeCluster({ kubectl: { [`set image deployment/my-api app=${latest} -n shop --dry-run=server`]: { stdoutFile: 'dry-run-set-image.yaml' } } });
    c.write('commands.txt', `kubectl set image deployment/my-api app=${latest} -n shop\n`);
    const p = run(c, ['operate', 'propose', '--intent', 'use the newest my-api', '--commands-file', 'commands.txt', '--env', 'test']);
    expect(p.status).toBe(1);
    expect(p.stdout).toContain('policies: deny');
    expect(p.stdout).toMatch(/deny no-latest-tag: .*:latest.* — fix: Use an immutable tag/);
    expect(p.stdout).toContain('the policies deny this change: apply the fixes and propose again');
    const { id, digest } = run(c, ['operate', 'show', p.stdout.match(/^(op-\S+)/)![1]!, '--json']).json().session;
    const ex = run(c, ['operate', 'execute', id, '--approve', digest, '--json']);
    expect(ex.status).toBe(3);
    expect(ex.json().error.code).toBe('operate.policy-denied');
    expect(c.calls().filter((x) => x.argv[0] === 'set' && !x.argv.some((a) => a.startsWith('--dry-run')))).toEqual([]);
  });
});
