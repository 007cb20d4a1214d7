import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideRequest } from '../../src/approval/decisions.js';
import { readAuditLog } from '../../src/audit/store.js';
import { CliError } from '../../src/cli/exit-codes.js';
import { executeSession } from '../../src/operate/execute.js';
import { propose } from '../../src/operate/propose.js';
import { readSession, sessionFile } from '../../src/operate/session.js';
import { COMMANDS, deps, fakeCluster, fixture, happyRoutes, NEW_IMAGE, type FakeCluster } from './fake-cluster.js';

async function proposed(c: FakeCluster, env: string, over: { commandsText?: string; now?: () => Date } = {}) {
  return propose(
    {
      intent: 'update my-api to v2 and autoscale it',
      commandsText: over.commandsText ?? COMMANDS,
      manifests: [{ name: 'hpa-my-api.yaml', text: fixture('hpa-my-api.yaml') }],
      environment: env,
      production: env === 'prod',
      namespace: 'shop',
      context: null,
      requestedBy: 'bob',
    },
    { ...deps(c), ...(over.now ? { now: over.now } : {}) },
  );
}

async function refusal(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    return e as CliError;
  }
  throw new Error('not refused');
}

describe('operate execute', () => {
  it('runs exactly the approved commands after the recorded approval, snapshots first, audits a medium session', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'prod');
    // No decision yet: refused, nothing run.
    const before = c.calls().length;
    const pending = await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)));
    expect(pending.code).toBe('operate.not-approved');
    expect(pending.message).toContain(`infra-ops approval decide ${s.approval.requestId}`);
    expect(c.calls().length).toBe(before);

    await decideRequest(c.stateDir, { id: s.approval.requestId!, decision: 'approve', approver: 'alice', justification: 'reviewed the dry-run' });
    const wrongApprover = await refusal(executeSession({ id: s.id, approve: s.digest, approver: 'mallory' }, deps(c)));
    expect(wrongApprover.code).toBe('operate.approval-mismatch');

    const done = await executeSession({ id: s.id, approve: s.digest, approver: 'alice' }, deps(c));
    expect(done.status).toBe('executed');
    expect(done.execution).toMatchObject({ approvalId: s.approval.requestId, approver: 'alice' });
    expect(done.execution!.results.map((r) => [r.exitCode, r.ok, r.stdout.trim()])).toEqual([
      [0, true, 'deployment.apps/my-api image updated'],
      [0, true, 'horizontalpodautoscaler.autoscaling/my-api created'],
    ]);
    // Order: server dry-runs again, snapshots, then the exact commands.
    const run = c.calls().slice(before).map((x) => x.argv.join(' '));
    const folder = join(c.stateDir, 'sessions', s.id);
    expect(run).toEqual([
      `set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=server -o yaml`,
      `apply -f ${folder}/manifests/1-hpa-my-api.yaml -n shop --dry-run=server -o yaml`,
      'get deployment my-api -n shop -o json',
      'get HorizontalPodAutoscaler my-api -n shop -o json',
      `set image deployment/my-api app=${NEW_IMAGE} -n shop`,
      `apply -f ${folder}/manifests/1-hpa-my-api.yaml -n shop`,
    ]);
    expect(done.execution!.snapshots).toEqual([
      { kind: 'deployment', name: 'my-api', namespace: 'shop', existed: true, file: 'snapshots/1-deployment-my-api.json', error: null },
      { kind: 'HorizontalPodAutoscaler', name: 'my-api', namespace: 'shop', existed: false, file: null, error: null },
    ]);
    expect(JSON.parse(readFileSync(join(folder, 'snapshots/1-deployment-my-api.json'), 'utf8'))).toEqual(JSON.parse(fixture('deployment-my-api.json')));

    const audit = await readAuditLog(c.stateDir);
    expect(audit.entries).toHaveLength(1);
    expect(done.execution!.auditRecordId).toBe(audit.entries[0]!.entry.id);
    expect(audit.entries[0]!.entry.approval).toMatchObject({ id: s.approval.requestId, approver: 'alice', tier: 'medium' });
    expect(audit.entries[0]!.entry.record.commands.map((x) => x.argv)).toEqual(s.commands.map((x) => x.argv));

    // Single use.
    const again = await refusal(executeSession({ id: s.id, approve: s.digest, approver: 'alice' }, deps(c)));
    expect(again.code).toBe('operate.already-executed');
    expect(again.exitCode).toBe(3);
  });

  it('continues after a failed command and reports each exit code', async () => {
    const routes = happyRoutes();
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop`] = {
      stderr: 'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "my-api": the object has been modified; please apply your changes to the latest version and try again\n',
      code: 1,
    };
    const c = fakeCluster(routes);
    const s = await proposed(c, 'test');
    const done = await executeSession({ id: s.id, approve: s.digest }, deps(c));
    expect(done.status).toBe('executed_with_errors');
    expect(done.execution!.results.map((r) => [r.exitCode, r.ok])).toEqual([[1, false], [0, true]]);
    expect(done.execution!.results[0]!.stderr).toContain('Error from server (Conflict)');
    expect(done.execution!.auditRecordId).toBeNull();
  });

  it('refuses a session edited after the proposal, and a digest that is not the session\'s', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'test');
    const file = sessionFile(c.stateDir, s.id);
    const original = readFileSync(file, 'utf8');
    const edited = JSON.parse(original);
    edited.commands[0].argv[4] = 'app=registry.example.com/shop/my-api:latest';
    writeFileSync(file, JSON.stringify(edited));
    const tampered = await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)));
    expect(tampered.code).toBe('operate.tampered');
    // Editing the stored digest too does not help: the approved digest no longer matches.
    const { sessionDigest } = await import('../../src/operate/session.js');
    edited.digest = sessionDigest(edited);
    writeFileSync(file, JSON.stringify(edited));
    expect((await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)))).code).toBe('operate.digest-mismatch');
    // A changed manifest copy is caught as well.
    writeFileSync(file, original);
    writeFileSync(join(c.stateDir, 'sessions', s.id, 'manifests', '1-hpa-my-api.yaml'), fixture('hpa-my-api.yaml').replace('maxReplicas: 10', 'maxReplicas: 100'));
    expect((await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)))).code).toBe('operate.tampered');
    expect(c.calls().filter((x) => !x.argv.some((a) => a.startsWith('--dry-run')))).toEqual([]);
    expect((await readSession(c.stateDir, s.id)).status).toBe('proposed');
  });

  it('a tier lowered by hand in the session file still needs the approval', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'prod');
    const file = sessionFile(c.stateDir, s.id);
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(edited, { tier: 'trivial', approval: { required: false, reason: null, requestId: null } });
    writeFileSync(file, JSON.stringify(edited));
    expect((await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)))).code).toBe('operate.no-approval');
  });

  it('refuses an expired session', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'test', { now: () => new Date(Date.now() - 61 * 60_000) });
    const e = await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)));
    expect(e.code).toBe('operate.expired');
    expect(e.message).toContain(s.expiresAt);
  });

  it('refuses when the policies deny, naming rule and fix', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'test');
    const policies = async () => ({
      outcome: 'deny' as const,
      violations: [{ ruleId: 'forbid-latest-tag', outcome: 'deny', mode: 'enforce', message: 'container app uses :latest', fix: 'pin a version' }],
    });
    const e = await refusal(executeSession({ id: s.id, approve: s.digest }, { ...deps(c), hooks: { policies } }));
    expect(e.code).toBe('operate.policy-denied');
    expect(e.message).toContain('forbid-latest-tag: container app uses :latest (fix: pin a version)');
  });

  it('re-runs the server dry-run just before executing and refuses when it fails now', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'test');
    const routes = happyRoutes();
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=server`] = {
      stderr: 'Error from server (NotFound): deployments.apps "my-api" not found\n',
      code: 1,
    };
    c.setRoutes(routes);
    const e = await refusal(executeSession({ id: s.id, approve: s.digest }, deps(c)));
    expect(e.code).toBe('operate.dry-run-failed');
    expect(e.message).toContain('line 2: Error from server (NotFound)');
    // Given back: nothing ran, the session can be executed once the cause is fixed.
    expect((await readSession(c.stateDir, s.id)).status).toBe('proposed');
    c.setRoutes(happyRoutes());
    expect((await executeSession({ id: s.id, approve: s.digest }, deps(c))).status).toBe('executed');
  });

  it('two executes started at once: exactly one runs', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await proposed(c, 'test');
    const results = await Promise.allSettled([executeSession({ id: s.id, approve: s.digest }, deps(c)), executeSession({ id: s.id, approve: s.digest }, deps(c))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as CliError).code)).toEqual(['operate.already-executed']);
    expect(c.calls().filter((x) => x.argv[0] === 'set' && !x.argv.some((a) => a.startsWith('--dry-run')))).toHaveLength(1);
  });
});
