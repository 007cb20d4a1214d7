import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, fakeCluster, FIXTURES, happyRoutes, NEW_IMAGE, type FakeCluster } from '../operate/fake-cluster.js';
import { cli, schemaErrors } from './run-cli.js';

function run(c: FakeCluster, args: string[]) {
  return cli(args, { cwd: c.dir, env: c.env as Record<string, string> });
}

function proposeArgs(c: FakeCluster, env: string, commands = COMMANDS): string[] {
  c.write('commands.txt', commands);
  c.write('hpa-my-api.yaml', readFileSync(join(FIXTURES, 'hpa-my-api.yaml'), 'utf8'));
  return ['operate', 'propose', '--json', '--intent', 'update my-api to v2 with zero downtime', '--commands-file', 'commands.txt', '--manifest', 'hpa-my-api.yaml', '-n', 'shop', '--env', env, '--requested-by', 'bob'];
}

describe('infra-ops operate (CLI)', () => {
  it('propose → show → approval → execute → validate → rollback, every --json output per its schema (refusals before approval: test/operate/execute.test.ts)', () => {
    const c = fakeCluster(happyRoutes());
    expect(run(c, ['init']).status).toBe(0);
    const configFile = join(c.stateDir, 'config.yaml');
    writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}\noperate:\n  sessionTtlMinutes: 20\n`);
    const p = run(c, proposeArgs(c, 'prod'));
    expect(p.status, p.stderr).toBe(0);
    const proposed = p.json();
    expect(Date.parse(proposed.session.expiresAt) - Date.parse(proposed.session.createdAt)).toBe(20 * 60_000);
    expect(schemaErrors('operate-propose', proposed)).toEqual([]);
    const { id, digest, approval } = proposed.session;
    expect(proposed.session.tier).toBe('medium');
    expect(proposed.next).toEqual([
      `infra-ops approval decide ${approval.requestId} --decision approve --approver <who approved> --justification "<why>"`,
      `infra-ops operate execute ${id} --approve ${digest}`,
    ]);

    const show = run(c, ['operate', 'show', id]);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain(`digest: ${digest}`);
    expect(show.stdout).toContain(`1. kubectl set image deployment/my-api app=${NEW_IMAGE} -n shop  (medium) [dry-run server: ok]`);
    expect(show.stdout).toContain(`approval: required (medium tier (rule change-prod)) — request ${approval.requestId}`);
    const showJson = run(c, ['operate', 'show', id, '--json']).json();
    expect(schemaErrors('operate-show', showJson)).toEqual([]);
    expect(showJson).toMatchObject({ expired: false, digestMatches: true });

    const decide = run(c, ['approval', 'decide', approval.requestId, '--decision', 'approve', '--approver', 'alice', '--justification', 'dry-run reviewed']);
    expect(decide.status, decide.stderr).toBe(0);
    const ex = run(c, ['operate', 'execute', id, '--approve', digest, '--approver', 'alice', '--json']);
    expect(ex.status, ex.stderr).toBe(0);
    const executed = ex.json();
    expect(schemaErrors('operate-execute', executed)).toEqual([]);
    expect(executed.ok).toBe(true);
    expect(executed.session.execution.results.map((r: { exitCode: number }) => r.exitCode)).toEqual([0, 0]);
    expect(executed.session.execution.auditRecordId).toBe('phr-1');

    const v = run(c, ['operate', 'validate', id, '--json']);
    expect(v.status, v.stderr).toBe(0);
    expect(schemaErrors('operate-validate', v.json())).toEqual([]);
    expect(v.json().result.status).toBe('settled');

    const rb = run(c, ['operate', 'rollback', id]);
    expect(rb.status, rb.stderr).toBe(0);
    expect(rb.stdout).toContain('rolled back');
    expect(rb.stdout).toMatch(/ok {5}restore deployment\/my-api -n shop: kubectl apply -f .*rollback\/2-deployment-my-api\.json/);
  });

  it('refuses composite commands and ids that would escape the sessions folder (exit 2)', () => {
    const c = fakeCluster(happyRoutes());
    const composite = run(c, proposeArgs(c, 'test', `kubectl scale deployment/my-api --replicas=3 -n shop\nkubectl rollout restart deployment/my-api -n shop && kubectl delete ns shop\n`));
    expect(composite.status).toBe(2);
    expect(composite.json().error).toMatchObject({ code: 'operate.command-refused', details: { line: 2 } });
    expect(composite.stderr).toContain('line 2: `&&` makes a composite command');
    expect(c.calls()).toEqual([]);

    for (const sub of ['show', 'validate', 'rollback']) {
      const r = run(c, ['operate', sub, '../../etc/passwd', '--json']);
      expect(r.status).toBe(2);
      expect(r.json().error.code).toBe('operate.bad-id');
    }
    const ex = run(c, ['operate', 'execute', '../x', '--approve', 'a'.repeat(64), '--json']);
    expect(ex.json().error.code).toBe('operate.bad-id');
  });
});
