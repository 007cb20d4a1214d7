import { describe, expect, it } from 'vitest';
import { executeSession } from '../../src/operate/execute.js';
import { propose } from '../../src/operate/propose.js';
import { readSession } from '../../src/operate/session.js';
import { validateSession } from '../../src/operate/validate.js';
import { COMMANDS, deps, fakeCluster, fixture, happyRoutes, type FakeCluster, type Routes } from './fake-cluster.js';

async function executed(c: FakeCluster, commandsText = COMMANDS) {
  const s = await propose(
    {
      intent: 'update my-api to v2',
      commandsText,
      manifests: [{ name: 'hpa-my-api.yaml', text: fixture('hpa-my-api.yaml') }],
      environment: 'test',
      production: false,
      namespace: 'shop',
      context: null,
      requestedBy: 'bob',
    },
    deps(c),
  );
  return executeSession({ id: s.id, approve: s.digest }, deps(c));
}

/** Records the back-off delays instead of waiting them out. */
function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('operate validate', () => {
  it('polls the rollout with back-off until it is rolled out, and checks the created object', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await executed(c);
    const r = recorder();
    const { result } = await validateSession(s.id, 300, { stateDir: c.stateDir, run: deps(c).run, sleep: r.sleep });
    expect(result.status).toBe('settled');
    expect(result.objects).toEqual([
      { kind: 'deployment', name: 'my-api', namespace: 'shop', expect: 'present', state: 'settled', detail: 'deployment "my-api" successfully rolled out', checks: 2 },
      { kind: 'HorizontalPodAutoscaler', name: 'my-api', namespace: 'shop', expect: 'present', state: 'settled', detail: 'exists', checks: 1 },
    ]);
    expect(r.delays).toEqual([1000]);
    expect((await readSession(c.stateDir, s.id)).validation).toMatchObject({ status: 'settled' });
  });

  it('doubles the delay up to the cap and stops at the deadline (timed out)', async () => {
    const routes: Routes = happyRoutes();
    routes.kubectl!['rollout status deployment/my-api -n shop --watch=false'] = {
      stdout: 'Waiting for deployment "my-api" rollout to finish: 1 out of 3 new replicas have been updated...\n',
    };
    const c = fakeCluster(routes);
    const s = await executed(c);
    const r = recorder();
    const { result } = await validateSession(s.id, 0, { stateDir: c.stateDir, run: deps(c).run, sleep: r.sleep });
    expect(result.status).toBe('timed_out');
    expect(result.objects[0]).toMatchObject({ state: 'timed_out', detail: 'Waiting for deployment "my-api" rollout to finish: 1 out of 3 new replicas have been updated...' });
    expect(r.delays).toEqual([]);
  });

  it('a rollout past its progress deadline is failed, not waited for', async () => {
    const routes: Routes = happyRoutes();
    routes.kubectl!['rollout status deployment/my-api -n shop --watch=false'] = { stderr: 'error: deployment "my-api" exceeded its progress deadline\n', code: 1 };
    const c = fakeCluster(routes);
    const s = await executed(c);
    const { result } = await validateSession(s.id, 300, { stateDir: c.stateDir, run: deps(c).run, sleep: recorder().sleep });
    expect(result.status).toBe('failed');
    expect(result.objects[0]).toMatchObject({ state: 'failed', detail: 'error: deployment "my-api" exceeded its progress deadline', checks: 1 });
  });

  it('a deleted object is settled once it is gone', async () => {
    const routes: Routes = {
      kubectl: {
        'delete configmap old-flags -n shop --dry-run=server': { stdout: 'configmap "old-flags" deleted (server dry run)\n' },
        'get configmap old-flags -n shop': [
          { stdout: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"old-flags","namespace":"shop"},"data":{"a":"1"}}' },
          { stdout: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"old-flags","namespace":"shop","deletionTimestamp":"2026-11-23T14:40:00Z"}}' },
          { stderr: 'Error from server (NotFound): configmaps "old-flags" not found\n', code: 1 },
        ],
        'delete configmap old-flags -n shop': { stdout: 'configmap "old-flags" deleted\n' },
      },
    };
    const c = fakeCluster(routes);
    const s = await executed(c, 'kubectl delete configmap old-flags -n shop\n');
    const r = recorder();
    const { result } = await validateSession(s.id, 300, { stateDir: c.stateDir, run: deps(c).run, sleep: r.sleep });
    expect(result.objects).toEqual([{ kind: 'configmap', name: 'old-flags', namespace: 'shop', expect: 'absent', state: 'settled', detail: 'deleted', checks: 2 }]);
  });
});
