import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { listRequests } from '../../src/approval/decisions.js';
import { propose } from '../../src/operate/propose.js';
import { readSession, sessionDigest } from '../../src/operate/session.js';
import { COMMANDS, deps, fakeCluster, fixture, happyRoutes, NEW_IMAGE, ROOT, UNREACHABLE } from './fake-cluster.js';

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSession = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'operate-session.schema.json'), 'utf8')));

function input(env: string, over: Partial<Parameters<typeof propose>[0]> = {}) {
  return {
    intent: 'update my-api to v2 with zero downtime and autoscale it on CPU',
    commandsText: COMMANDS,
    manifests: [{ name: 'hpa-my-api.yaml', text: fixture('hpa-my-api.yaml') }],
    environment: env,
    production: env === 'prod',
    namespace: 'shop',
    context: 'kind-test',
    requestedBy: 'bob',
    ...over,
  };
}

describe('operate propose', () => {
  it('stores the exact commands with their server dry-runs, objects, tier and digest', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await propose(input('test'), deps(c, 'kind-test'));
    expect(s.id).toMatch(/^op-\d{8}-\d{6}-[0-9a-f]{8}$/);
    expect(s.commands.map((x) => x.argv)).toEqual([
      ['kubectl', 'set', 'image', 'deployment/my-api', `app=${NEW_IMAGE}`, '-n', 'shop'],
      ['kubectl', 'apply', '-f', 'hpa-my-api.yaml', '-n', 'shop'],
    ]);
    expect(s.commands[1]!.targets).toEqual([{ kind: 'HorizontalPodAutoscaler', name: 'my-api', namespace: 'shop' }]);
    expect(s.dryRun.map((d) => [d.mode, d.ok])).toEqual([['server', true], ['server', true]]);
    expect(s.dryRun[0]!.output).toContain(NEW_IMAGE);
    // The dry-runs ran the exact commands plus the flags, against the session's context, with the stored manifest copy.
    const calls = c.calls();
    expect(calls[0]!.argv).toEqual(['--context', 'kind-test', 'set', 'image', 'deployment/my-api', `app=${NEW_IMAGE}`, '-n', 'shop', '--dry-run=server', '-o', 'yaml']);
    expect(calls[1]!.argv[4]).toBe(join(c.stateDir, 'sessions', s.id, 'manifests', '1-hpa-my-api.yaml'));
    expect(s.tier).toBe('low');
    expect(s.approval).toEqual({ required: false, reason: null, requestId: null });
    expect(s.digest).toBe(sessionDigest(s));
    expect(s.policies.evaluated).toBe(false);
    expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBe(60 * 60_000);
    const stored = await readSession(c.stateDir, s.id);
    expect(stored).toEqual(s);
    expect(validateSession(stored), JSON.stringify(validateSession.errors)).toBe(true);
  });

  it('a production change is medium and gets an approval request bound to the session and digest', async () => {
    const c = fakeCluster(happyRoutes());
    const s = await propose(input('prod', { ttlMinutes: 15 }), deps(c));
    expect(s.tier).toBe('medium');
    expect(s.commands.map((x) => x.tierRule)).toEqual(['change-prod', 'change-prod']);
    expect(s.approval.required).toBe(true);
    const { requests } = await listRequests(c.stateDir);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ id: s.approval.requestId, status: 'pending', tier: 'medium', requestedBy: 'bob' });
    expect(requests[0]!.reason).toContain(`operate session ${s.id} sha256:${s.digest}`);
    expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBe(15 * 60_000);
  });

  it('the digest changes with any argument or manifest byte', async () => {
    const c = fakeCluster(happyRoutes());
    const a = await propose(input('test'), deps(c));
    const b = await propose(input('test', { manifests: [{ name: 'hpa-my-api.yaml', text: fixture('hpa-my-api.yaml').replace('70', '71') }] }), deps(c));
    expect(a.digest).not.toBe(b.digest);
    expect(sessionDigest({ ...a, commands: [{ ...a.commands[0]!, argv: [...a.commands[0]!.argv, '--record'] }, a.commands[1]!] })).not.toBe(a.digest);
  });

  it('falls back to a labelled client-side dry-run when the server refuses dry-run', async () => {
    const routes = happyRoutes();
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=server`] = {
      stderr: 'Error from server (BadRequest): admission webhook "validate.kyverno.svc-fail" does not support dry run\n',
      code: 1,
    };
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=client`] = { stdoutFile: 'dry-run-set-image.yaml' };
    const c = fakeCluster(routes);
    const s = await propose(input('test'), deps(c));
    expect(s.dryRun[0]).toMatchObject({ mode: 'client', ok: true });
    expect(s.dryRun[0]!.note).toMatch(/^fallback: client-side dry-run because the server refused a dry-run \(Error from server \(BadRequest\): admission webhook/);
    expect(s.dryRun[1]).toMatchObject({ mode: 'server', ok: true, note: null });
  });

  it('falls back to client-side when the cluster is unreachable, and records a dry-run the server rejects', async () => {
    const routes = happyRoutes();
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=server`] = UNREACHABLE;
    routes.kubectl![`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=client`] = { stdoutFile: 'dry-run-set-image.yaml' };
    routes.kubectl!['apply -f 1-hpa-my-api.yaml -n shop --dry-run=server'] = {
      stderr: 'The HorizontalPodAutoscaler "my-api" is invalid: spec.maxReplicas: Invalid value: 0: must be greater than or equal to 1\n',
      code: 1,
    };
    const c = fakeCluster(routes);
    const s = await propose(input('test'), deps(c));
    expect(s.dryRun[0]!.note).toMatch(/because the API server is unreachable \(The connection to the server 127\.0\.0\.1:6443 was refused/);
    expect(s.dryRun[1]).toMatchObject({ mode: 'server', ok: false });
    expect(s.dryRun[1]!.error).toContain('spec.maxReplicas: Invalid value');
  });

  it('refuses a -f that is not one of the given manifests, naming the line', async () => {
    const c = fakeCluster(happyRoutes());
    await expect(propose(input('test', { manifests: [] }), deps(c))).rejects.toThrow(/^line 3: -f hpa-my-api\.yaml is not a manifest given with --manifest/);
  });

  it('feeds the policy, pattern and capability seams and keeps what they say', async () => {
    const c = fakeCluster(happyRoutes());
    const seen: unknown[] = [];
    const s = await propose(input('test'), {
      ...deps(c),
      hooks: {
        capabilities: async () => ({ keda: false, hpaV2: true }),
        policies: async (i) => {
          seen.push(i);
          return { outcome: 'review', violations: [{ ruleId: 'require-pdb', outcome: 'review', mode: 'enforce', message: 'Deployment my-api has 3 replicas and no PodDisruptionBudget', fix: 'add a PodDisruptionBudget' }] };
        },
        patterns: async (intent, caps) => [{ name: 'autoscale-hpa', file: 'templates/patterns/autoscale-hpa.md', score: 3, matched: [intent.includes('autoscale') ? 'autoscale' : '', String(caps?.hpaV2)] }],
      },
    });
    expect(seen[0]).toMatchObject({ env: 'test', namespace: 'shop', production: false, commands: s.commands.map((x) => x.argv) });
    expect((seen[0] as { manifests: { kind: string }[] }).manifests.map((m) => m.kind)).toEqual(['HorizontalPodAutoscaler']);
    expect(Object.keys((seen[0] as { files: object }).files)).toEqual(['hpa-my-api.yaml']);
    expect(s.policies).toMatchObject({ evaluated: true, outcome: 'review' });
    expect(s.patterns.matches[0]).toMatchObject({ name: 'autoscale-hpa', matched: ['autoscale', 'true'] });
    expect(s.capabilities).toEqual({ keda: false, hpaV2: true });
    // A review sends even a low-tier session to a person.
    expect(s.approval).toMatchObject({ required: true, reason: 'a policy asks for review' });
  });

  it('refuses a Secret manifest with data: it would be stored in the session folder', async () => {
    const c = fakeCluster(happyRoutes());
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\n  namespace: shop\ntype: kubernetes.io/tls\ndata:\n  tls.crt: LS0tLS1CRUdJTg==\n';
    await expect(propose(input('test', { commandsText: 'kubectl apply -f tls.yaml -n shop\n', manifests: [{ name: 'tls.yaml', text: secret }] }), deps(c))).rejects.toMatchObject({
      code: 'operate.secret-in-manifest',
      message: expect.stringMatching(/^tls\.yaml: document 1 is a Secret with data/),
    });
    // A values file (or any manifest) holding a password is refused without echoing it.
    const values = 'auth:\n  password: hunter2-hunter2\n';
    const e = await propose(input('test', { commandsText: 'helm upgrade db bitnami/postgresql --version 15.5.0 -f values.yaml -n shop\n', manifests: [{ name: 'values.yaml', text: values }] }), deps(c)).catch((x: Error) => x);
    expect(e).toMatchObject({ code: 'operate.secret-in-manifest', message: expect.stringMatching(/^values\.yaml holds a secret value/) });
    expect((e as Error).message).not.toContain('hunter2');
  });

  it('gives the policies what a delete -f removes as its file, not as objects to apply', async () => {
    const routes = happyRoutes();
    routes.kubectl!['delete -f 1-hpa-my-api.yaml -n shop --dry-run=server'] = { stdout: 'horizontalpodautoscaler.autoscaling "my-api" deleted (server dry run)\n' };
    const c = fakeCluster(routes);
    let seen: import('../../src/operate/propose.js').PolicyInput | undefined;
    await propose(input('test', { commandsText: 'kubectl delete -f hpa-my-api.yaml -n shop\n' }), {
      ...deps(c),
      hooks: { policies: async (i) => ((seen = i), { outcome: 'allow', violations: [] }) },
    });
    expect(seen!.manifests).toEqual([]);
    expect(seen!.files['hpa-my-api.yaml']!.map((o) => o.kind)).toEqual(['HorizontalPodAutoscaler']);
  });
});
