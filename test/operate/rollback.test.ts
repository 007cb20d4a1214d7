import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeSession } from '../../src/operate/execute.js';
import { propose } from '../../src/operate/propose.js';
import { rollbackSession, stripServerFields } from '../../src/operate/rollback.js';
import { readSession } from '../../src/operate/session.js';
import { COMMANDS, deps, fakeCluster, fixture, happyRoutes, type Routes } from './fake-cluster.js';

describe('operate rollback', () => {
  it('restores the snapshot without server-managed fields and deletes what the session created', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await propose(
      { intent: 'update my-api to v2', commandsText: COMMANDS, manifests: [{ name: 'hpa-my-api.yaml', text: fixture('hpa-my-api.yaml') }], environment: 'test', production: false, namespace: 'shop', context: null, requestedBy: 'bob' },
      deps(c),
    );
    await executeSession({ id: s.id, approve: s.digest }, deps(c));
    const before = c.calls().length;
    const { result } = await rollbackSession(s.id, { stateDir: c.stateDir, run: deps(c).run });
    expect(result.status).toBe('rolled_back');
    const folder = join(c.stateDir, 'sessions', s.id);
    expect(result.steps.map((x) => [x.action, x.kind, x.ok])).toEqual([
      ['delete-created', 'HorizontalPodAutoscaler', true],
      ['restore', 'deployment', true],
    ]);
    expect(c.calls().slice(before).map((x) => x.argv)).toEqual([
      ['delete', 'HorizontalPodAutoscaler', 'my-api', '-n', 'shop', '--ignore-not-found'],
      ['apply', '-f', join(folder, 'rollback', '2-deployment-my-api.json')],
    ]);
    const restored = JSON.parse(readFileSync(join(folder, 'rollback', '2-deployment-my-api.json'), 'utf8'));
    const snapshot = JSON.parse(fixture('deployment-my-api.json'));
    expect(restored.spec).toEqual(snapshot.spec);
    expect(restored.spec.template.spec.containers[0].image).toBe('registry.example.com/shop/my-api:1.4.0');
    expect(restored.status).toBeUndefined();
    expect(Object.keys(restored.metadata).sort()).toEqual(['labels', 'name', 'namespace']);
    expect((await readSession(c.stateDir, s.id)).status).toBe('rolled_back');
    await expect(rollbackSession(s.id, { stateDir: c.stateDir, run: deps(c).run })).rejects.toMatchObject({ code: 'operate.already-rolled-back' });
  });

  it('re-creates a deleted object from its snapshot and reports a step that fails', async () => {
    const routes: Routes = {
      kubectl: {
        'delete deployment old-worker cron-reporter -n shop --dry-run=server': { stdout: 'deployment.apps "old-worker" deleted (server dry run)\n' },
        'get deployment old-worker -n shop': { stdoutFile: 'deployment-my-api.json' },
        'get deployment cron-reporter -n shop': { stdoutFile: 'deployment-my-api.json' },
        'delete deployment old-worker cron-reporter -n shop': { stdout: 'deployment.apps "old-worker" deleted\n' },
        'apply -f 1-deployment-cron-reporter.json': { stderr: 'error: unable to recognize "1-deployment-cron-reporter.json": no matches for kind "Deployment" in version "apps/v1"\n', code: 1 },
        'apply -f 2-deployment-old-worker.json': { stdout: 'deployment.apps/my-api created\n' },
      },
    };
    const c = fakeCluster(routes);
    const s = await propose(
      { intent: 'delete the old workers', commandsText: 'kubectl delete deployment old-worker cron-reporter -n shop\n', manifests: [], environment: 'test', production: false, namespace: null, context: null, requestedBy: 'bob' },
      deps(c),
    );
    await executeSession({ id: s.id, approve: s.digest }, deps(c));
    const { result } = await rollbackSession(s.id, { stateDir: c.stateDir, run: deps(c).run });
    expect(result.status).toBe('rollback_failed');
    expect(result.steps.map((x) => [x.name, x.action, x.ok])).toEqual([
      ['cron-reporter', 'restore', false],
      ['old-worker', 'restore', true],
    ]);
    expect(result.steps[0]!.output).toContain('no matches for kind');
  });

  it('strips exactly the server-managed fields', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        namespace: 'shop',
        uid: 'u',
        resourceVersion: '1',
        generation: 2,
        creationTimestamp: 't',
        managedFields: [{}],
        labels: { a: 'b' },
        annotations: { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      data: { k: 'v' },
      status: {},
    };
    expect(stripServerFields(obj)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop', labels: { a: 'b' }, annotations: { keep: 'me' } }, data: { k: 'v' } });
  });

  it('never keeps a Secret\'s data: not in the dry-run, not in the snapshot; its rollback says so', async () => {
    const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-creds', namespace: 'shop' }, type: 'Opaque', data: { password: 'aHVudGVyMi1odW50ZXIy' } });
    const c = fakeCluster({
      kubectl: {
        'label secret db-creds rotated=yes -n shop --dry-run=server': { stdout: `${secret}\n` },
        'get secret db-creds -n shop': { stdout: secret },
        'label secret db-creds rotated=yes -n shop': { stdout: 'secret/db-creds labeled\n' },
      },
    });
    const s = await propose(
      { intent: 'mark the rotated secret', commandsText: 'kubectl label secret db-creds rotated=yes -n shop\n', manifests: [], environment: 'test', production: false, namespace: null, context: null, requestedBy: 'bob' },
      deps(c),
    );
    const done = await executeSession({ id: s.id, approve: s.digest }, deps(c));
    expect(done.execution!.snapshots).toEqual([{ kind: 'secret', name: 'db-creds', namespace: 'shop', existed: true, file: null, error: null }]);
    const { execFileSync } = await import('node:child_process');
    // Nothing under the state folder holds the value.
    expect(() => execFileSync('grep', ['-r', 'aHVudGVyMi1odW50ZXIy', c.stateDir])).toThrow();
    const { result } = await rollbackSession(s.id, { stateDir: c.stateDir, run: deps(c).run });
    expect(result.status).toBe('rollback_failed');
    expect(result.steps[0]!.output).toMatch(/its data is not stored by infra-ops/);
  });

  it('a Helm upgrade: values file as given, the revision before is snapshotted, rollback returns to it', async () => {
    const status = JSON.stringify({ name: 'web', info: { status: 'deployed', description: 'Upgrade complete' }, config: { auth: { existingSecret: 'web-auth' } }, manifest: '---\n# Source: nginx/templates/svc.yaml\n', version: 4, namespace: 'web' });
    const c = fakeCluster({
      helm: {
        'upgrade web bitnami/nginx --version 15.1.0 -f 1-values.yaml -n web --dry-run': { stdout: 'Release "web" has been upgraded. Happy Helming!\nNAME: web\nSTATUS: pending-upgrade\nREVISION: 5\n' },
        'status web -n web': { stdout: status },
        'upgrade web bitnami/nginx --version 15.1.0 -f 1-values.yaml -n web': { stdout: 'Release "web" has been upgraded. Happy Helming!\nNAME: web\nSTATUS: deployed\nREVISION: 5\n' },
        'rollback web 4 -n web': { stdout: 'Rollback was a success! Happy Helming!\n' },
      },
    });
    const s = await propose(
      {
        intent: 'update the web chart',
        commandsText: 'helm upgrade web bitnami/nginx --version 15.1.0 -f values.yaml -n web\n',
        manifests: [{ name: 'values.yaml', text: 'replicaCount: 3\nimage:\n  tag: 1.27.3\n' }],
        environment: 'test',
        production: false,
        namespace: null,
        context: null,
        requestedBy: 'bob',
      },
      deps(c),
    );
    expect(s.manifests[0]!.objects).toEqual([]);
    expect(s.dryRun[0]).toMatchObject({ mode: 'client', ok: true, note: expect.stringMatching(/^helm --dry-run/) });
    const done = await executeSession({ id: s.id, approve: s.digest }, deps(c));
    expect(done.status).toBe('executed');
    expect(done.execution!.snapshots).toEqual([{ kind: 'HelmRelease', name: 'web', namespace: 'web', existed: true, file: 'snapshots/1-HelmRelease-web.json', helmRevision: 4, error: null }]);
    // The release's values and manifest are not kept.
    expect(JSON.parse(readFileSync(join(c.stateDir, 'sessions', s.id, 'snapshots/1-HelmRelease-web.json'), 'utf8'))).toEqual({ name: 'web', namespace: 'web', version: 4 });
    const { result } = await rollbackSession(s.id, { stateDir: c.stateDir, run: deps(c).run });
    expect(result.steps).toMatchObject([{ action: 'helm-rollback', argv: ['helm', 'rollback', 'web', '4', '-n', 'web'], ok: true }]);
  });
});
