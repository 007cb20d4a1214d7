import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/operate-policy.schema.json' with { type: 'json' };
import { PolicyFileError, evaluatePolicies, loadPolicies, parsePolicies, type Policy, type PolicyInput } from '../../src/operate/policies.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHIPPED = join(ROOT, 'templates', 'policies');
const FIX = join(ROOT, 'test', 'fixtures', 'operate-policies');

/** A policy with one check, enforce/deny unless told otherwise. */
async function rule(check: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Policy[]> {
  const raw = [{ id: 'r', description: 'test rule', check, outcome: 'deny', fix: 'do the fix', ...extra }];
  return parsePolicies([{ path: 'inline.yaml', text: JSON.stringify(raw) }]);
}

function input(over: Partial<PolicyInput>): PolicyInput {
  return { commands: [], manifests: [], env: 'test', namespace: 'shop', production: false, ...over };
}

function deployment(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string>; container?: Record<string, unknown>; namespace?: string } = {}) {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
    spec: {
      ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: opts.image ?? 'registry.example.com/team/my-api:2.4.1',
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
              ...opts.container,
            },
          ],
        },
      },
    },
  };
}

function pdb(name: string, matchLabels: Record<string, string>, namespace?: string) {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { minAvailable: 1, selector: { matchLabels } } };
}

describe('shipped policies', () => {
  it('every shipped file validates against the schema and loads', async () => {
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
    const names = (await readdir(SHIPPED)).filter((n) => n.endsWith('.yaml'));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      const ok = validate(parseYaml(await readFile(join(SHIPPED, n), 'utf8')));
      expect(validate.errors ?? [], n).toEqual([]);
      expect(ok).toBe(true);
    }
    const policies = await loadPolicies(await mkdtemp(join(tmpdir(), 'pol-')), { shippedDir: SHIPPED });
    expect(policies.map((p) => p.check.name).sort()).toEqual(
      ['forbidDeleteKinds', 'forbidLatestTag', 'forbidPrivileged', 'minReplicas', 'requirePdbForReplicas', 'requireProbes', 'requireResources'].sort(),
    );
    expect(policies.every((p) => p.source === 'shipped' && p.fix.length > 20)).toBe(true);
  });

  it('the issue examples: :latest denied, deleting a PVC in prod denied, scaling prod to 1 needs review', async () => {
    const policies = await loadPolicies(await mkdtemp(join(tmpdir(), 'pol-')), { shippedDir: SHIPPED });
    const latest = evaluatePolicies(input({ commands: [['kubectl', 'set', 'image', 'deploy/my-api', 'app=repo/my-api:latest']] }), policies);
    expect(latest.outcome).toBe('deny');
    expect(latest.violations).toEqual([
      expect.objectContaining({ ruleId: 'no-latest-tag', outcome: 'deny', mode: 'enforce', source: { type: 'command', index: 0 } }),
    ]);
    expect(latest.violations[0]!.message).toContain('container "app" image "repo/my-api:latest"');
    expect(latest.violations[0]!.message).toContain('kubectl set image deploy/my-api app=repo/my-api:latest');

    const prod = { env: 'prod', production: true };
    const del = evaluatePolicies(input({ ...prod, commands: [['kubectl', 'delete', 'pvc', 'data', '-n', 'db']] }), policies);
    expect(del.outcome).toBe('deny');
    expect(del.violations.map((v) => v.ruleId)).toEqual(['prod-no-delete-data']);
    expect(del.violations[0]!.message).toMatch(/PersistentVolumeClaim "data" in namespace "db"/);
    expect(del.violations[0]!.fix).toMatch(/keep the volumes/);
    // The same delete outside production is allowed.
    expect(evaluatePolicies(input({ commands: [['kubectl', 'delete', 'pvc', 'data', '-n', 'db']] }), policies).outcome).toBe('allow');

    const scale = evaluatePolicies(input({ ...prod, commands: [['kubectl', 'scale', 'deploy/my-api', '--replicas=1']] }), policies);
    expect(scale.outcome).toBe('review');
    expect(scale.violations.map((v) => v.ruleId)).toEqual(['prod-min-replicas']);
    expect(scale.violations[0]!.message).toContain('Deployment "my-api"');
    expect(scale.violations[0]!.message).toContain('replicas 1 is below the minimum of 2');
  });

  it('a compliant production change with its PDB is allowed', async () => {
    const policies = await loadPolicies(await mkdtemp(join(tmpdir(), 'pol-')), { shippedDir: SHIPPED });
    const r = evaluatePolicies(input({ env: 'prod', production: true, manifests: [deployment('my-api', { replicas: 3 }), pdb('my-api', { app: 'my-api' })] }), policies);
    expect(r).toEqual({ outcome: 'allow', violations: [] });
  });
});

describe('forbidLatestTag', () => {
  it.each([
    ['repo/my-api:latest', true],
    ['my-api', true],
    ['registry.example.com:5000/team/my-api', true],
    ['registry.example.com:5000/team/my-api:2.4.1', false],
    ['my-api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', false],
    ['my-api:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', false],
  ])('manifest image %s → violation %s', async (image, bad) => {
    const r = evaluatePolicies(input({ manifests: [deployment('api', { image })] }), await rule({ forbidLatestTag: {} }));
    expect(r.outcome).toBe(bad ? 'deny' : 'allow');
    if (bad) expect(r.violations[0]!.message).toContain(`Deployment "api": container "app" image "${image}"`);
  });

  it('init containers, kubectl create/run --image, patches and helm --set are checked', async () => {
    const policies = await rule({ forbidLatestTag: {} });
    const withInit = deployment('api');
    (withInit.spec.template.spec as Record<string, unknown>).initContainers = [{ name: 'migrate', image: 'migrator:latest' }];
    expect(evaluatePolicies(input({ manifests: [withInit] }), policies).violations[0]!.message).toContain('container "migrate"');
    const cmds = [
      ['kubectl', 'create', 'deployment', 'web', '--image=nginx'],
      ['kubectl', 'run', 'debug', '--image', 'busybox:latest', '-n', 'ops'],
      ['kubectl', 'patch', 'deployment', 'api', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"api:latest"}]}}}}'],
      ['kubectl', 'patch', 'deploy', 'api', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"api:latest"}]'],
      ['helm', 'upgrade', '--install', 'api', 'charts/api', '--set', 'replicaCount=3,image.tag=latest'],
      ['kubectl', 'set', 'image', 'deployment', 'api', 'app=api:2.0.0'],
    ];
    const r = evaluatePolicies(input({ commands: cmds }), policies);
    expect(r.violations.map((v) => v.source.index)).toEqual([0, 1, 2, 3, 4]);
    expect(r.violations[1]!.message).toContain('Pod "debug" in namespace "ops"');
    expect(r.violations[4]!.message).toContain('--set image.tag=latest');
  });
});

describe('requireResources', () => {
  it('names each container and each missing request or limit', async () => {
    const policies = await rule({ requireResources: { requests: ['cpu', 'memory'], limits: ['memory'] } }, { outcome: 'review' });
    const ok = deployment('api');
    const bad = deployment('worker', { container: { resources: { requests: { cpu: '100m' } } } });
    const r = evaluatePolicies(input({ manifests: [ok, bad] }), policies);
    expect(r.outcome).toBe('review');
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.message).toBe('Deployment "worker": container "app" has no resources.requests.memory, resources.limits.memory');
    expect(r.violations[0]!.source).toEqual({ type: 'manifest', index: 1 });
  });

  it('kubectl create deployment makes containers without resources; a scale leaves them as they are', async () => {
    const policies = await rule({ requireResources: {} });
    const r = evaluatePolicies(input({ commands: [['kubectl', 'create', 'deployment', 'web', '--image=nginx:1.27'], ['kubectl', 'scale', 'deploy/web', '--replicas=3']] }), policies);
    expect(r.violations.map((v) => v.source.index)).toEqual([0]);
    expect(r.violations[0]!.message).toContain('container "nginx" has no resources.requests.cpu');
  });
});

describe('minReplicas', () => {
  it('manifests: unset replicas count as 1; an autoscaler in the change is judged instead', async () => {
    const policies = await rule({ minReplicas: { min: 2 } });
    expect(evaluatePolicies(input({ manifests: [deployment('a', { replicas: 2 })] }), policies).outcome).toBe('allow');
    const unset = evaluatePolicies(input({ manifests: [deployment('a')] }), policies);
    expect(unset.violations[0]!.message).toBe('Deployment "a": replicas (unset, so 1) is below the minimum of 2');
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' }, minReplicas: 1, maxReplicas: 5 } };
    const r = evaluatePolicies(input({ manifests: [deployment('a'), hpa] }), policies);
    expect(r.violations.map((v) => v.message)).toEqual(['HorizontalPodAutoscaler "a": minReplicas 1 is below the minimum of 2']);
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'a' }, spec: { scaleTargetRef: { name: 'a' }, maxReplicaCount: 10 } };
    expect(evaluatePolicies(input({ manifests: [deployment('a'), so] }), policies).violations.map((v) => v.message)).toEqual([
      'ScaledObject "a": minReplicaCount (unset, so 0) is below the minimum of 2',
    ]);
  });

  it('commands: scale, autoscale and patch', async () => {
    const policies = await rule({ minReplicas: { min: 2 } });
    const r = evaluatePolicies(
      input({
        commands: [
          ['kubectl', 'scale', 'statefulset', 'postgres', '--replicas', '3'],
          ['kubectl', 'scale', 'deploy/a', 'deploy/b', '--replicas=0'],
          ['kubectl', 'autoscale', 'deployment', 'api', '--max=5', '--cpu-percent=70'],
          ['kubectl', 'patch', 'deploy', 'api', '--type=merge', '-p', '{"spec":{"replicas":1}}'],
          ['kubectl', 'rollout', 'undo', 'deploy/api'],
        ],
      }),
      policies,
    );
    expect(r.violations.map((v) => [v.source.index, v.message.split(' (`')[0]])).toEqual([
      [1, 'Deployment "a"'],
      [1, 'Deployment "b"'],
      [2, 'HorizontalPodAutoscaler "api"'],
      [3, 'Deployment "api"'],
    ]);
  });
});

describe('forbidDeleteKinds', () => {
  const policies = () => rule({ forbidDeleteKinds: { kinds: ['PersistentVolumeClaim', 'pv', 'Namespace'] } });

  it('aliases, type/name, lists, selectors and -f are caught; other deletes pass', async () => {
    const r = evaluatePolicies(
      input({
        commands: [
          ['kubectl', 'delete', 'persistentvolumeclaims', 'data-0'],
          ['kubectl', 'delete', 'ns/demo'],
          ['kubectl', 'delete', 'pvc,pv', '-l', 'app=demo'],
          ['kubectl', 'delete', '-f', 'demo.yaml'],
          ['kubectl', 'delete', 'deploy', 'demo'],
          ['kubectl', 'delete', 'all', '-l', 'app=demo'],
          ['kubectl', 'get', 'pvc', 'data-0'],
        ],
      }),
      await policies(),
    );
    expect(r.violations.map((v) => v.source.index)).toEqual([0, 1, 2, 2, 3]);
    expect(r.violations[2]!.message).toContain('(every one matching app=demo)');
    expect(r.violations[3]!.message).toContain('PersistentVolume');
    expect(r.violations[4]!.message).toContain('deletes whatever demo.yaml holds');
  });

  it('delete -f with the file\'s objects known: judged by what the file holds', async () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } };
    const files = { 'demo/app.yaml': [deployment('demo'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'demo' } }], 'data.yaml': [pvc] };
    const p = await policies();
    expect(evaluatePolicies(input({ files, commands: [['kubectl', 'delete', '-f', 'demo/app.yaml']] }), p).outcome).toBe('allow');
    const r = evaluatePolicies(input({ files, commands: [['kubectl', 'delete', '-f', './manifests/data.yaml', '-n', 'db']] }), p);
    expect(r.violations.map((v) => v.message.split(' (`')[0])).toEqual(['PersistentVolumeClaim "data" in namespace "db"']);
    // An unknown file is still flagged.
    expect(evaluatePolicies(input({ files, commands: [['kubectl', 'delete', '-f', 'other.yaml']] }), p).outcome).toBe('deny');
  });

  it('applying a PVC manifest is not a delete', async () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} };
    expect(evaluatePolicies(input({ manifests: [pvc] }), await policies()).outcome).toBe('allow');
  });
});

describe('requirePdbForReplicas', () => {
  const policies = () => rule({ requirePdbForReplicas: {} }, { outcome: 'review' });

  it('a PDB in the change or in the cluster, selecting the pods, in the same namespace, satisfies it', async () => {
    const p = await policies();
    const dep = deployment('api', { replicas: 3, labels: { app: 'api', tier: 'web' } });
    expect(evaluatePolicies(input({ manifests: [dep] }), p).violations[0]!.message).toBe('Deployment "api": runs 3 replicas and no PodDisruptionBudget in namespace "shop" selects its pods');
    expect(evaluatePolicies(input({ manifests: [dep, pdb('api', { app: 'api' })] }), p).outcome).toBe('allow');
    expect(evaluatePolicies(input({ manifests: [dep], existing: { pdbs: [pdb('api', { tier: 'web' }, 'shop')] } }), p).outcome).toBe('allow');
    // Wrong labels or another namespace do not count.
    expect(evaluatePolicies(input({ manifests: [dep, pdb('api', { app: 'other' })] }), p).outcome).toBe('review');
    expect(evaluatePolicies(input({ manifests: [dep], existing: { pdbs: [pdb('api', { app: 'api' }, 'other-ns')] } }), p).outcome).toBe('review');
    const expr = { ...pdb('api', {}), spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] } } };
    expect(evaluatePolicies(input({ manifests: [dep, expr] }), p).outcome).toBe('allow');
    // One replica needs none.
    expect(evaluatePolicies(input({ manifests: [deployment('api', { replicas: 1 })] }), p).outcome).toBe('allow');
  });

  it('kubectl scale: a cluster PDB naming the workload counts', async () => {
    const p = await policies();
    const cmd = [['kubectl', 'scale', 'deploy/checkout', '--replicas=4', '-n', 'shop']];
    expect(evaluatePolicies(input({ commands: cmd }), p).outcome).toBe('review');
    expect(evaluatePolicies(input({ commands: cmd, existing: { pdbs: [pdb('checkout', { 'app.kubernetes.io/name': 'checkout' }, 'shop')] } }), p).outcome).toBe('allow');
  });
});

describe('autoscalers', () => {
  const hpa = (min: number, namespace?: string) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', ...(namespace ? { namespace } : {}) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: min, maxReplicas: 10 },
  });

  it('minReplicas: an HPA already in the cluster (same namespace) manages an unset replicas', async () => {
    const p = await rule({ minReplicas: { min: 2 } });
    const dep = deployment('api');
    expect(evaluatePolicies(input({ manifests: [dep], existing: { autoscalers: [hpa(3, 'shop')] } }), p).outcome).toBe('allow');
    expect(evaluatePolicies(input({ manifests: [dep], existing: { autoscalers: [hpa(3, 'other')] } }), p).outcome).toBe('deny');
  });

  it('requirePdbForReplicas: an autoscaler keeping 2+ replicas needs a PDB for its target', async () => {
    const p = await rule({ requirePdbForReplicas: {} }, { outcome: 'review' });
    const r = evaluatePolicies(input({ manifests: [deployment('api'), hpa(2)] }), p);
    expect(r.violations.map((v) => v.message)).toEqual(['HorizontalPodAutoscaler "api": keeps Deployment "api" at 2+ replicas and no PodDisruptionBudget in namespace "shop" selects its pods']);
    expect(evaluatePolicies(input({ manifests: [deployment('api'), hpa(2), pdb('api', { app: 'api' })] }), p).outcome).toBe('allow');
    expect(evaluatePolicies(input({ manifests: [deployment('api'), hpa(1)] }), p).outcome).toBe('allow');
    expect(evaluatePolicies(input({ commands: [['kubectl', 'autoscale', 'deploy', 'api', '--min=3', '--max=6']] }), p).outcome).toBe('review');
  });
});

describe('messages', () => {
  it('a secret in a quoted command is redacted', async () => {
    const r = evaluatePolicies(input({ commands: [['helm', 'upgrade', 'api', 'charts/api', '--set', 'db.password=hunter2,image.tag=latest']] }), await rule({ forbidLatestTag: {} }));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.message).toContain('image.tag=latest');
    expect(r.violations[0]!.message).not.toContain('hunter2');
  });

  it('no namespace given: kubectl\'s default; a command naming another is said so', async () => {
    const p = await rule({ forbidDeleteKinds: { kinds: ['pvc'] } });
    const r = evaluatePolicies(input({ namespace: null, commands: [['kubectl', 'delete', 'pvc', 'a'], ['kubectl', 'delete', 'pvc', 'b', '--namespace=db']] }), p);
    expect(r.violations.map((v) => v.message.split(' (`')[0])).toEqual(['PersistentVolumeClaim "a"', 'PersistentVolumeClaim "b" in namespace "db"']);
  });

  it('delete --all says so', async () => {
    const r = evaluatePolicies(input({ commands: [['kubectl', 'delete', 'pvc', '--all', '-n', 'db']] }), await rule({ forbidDeleteKinds: { kinds: ['pvc'] } }));
    expect(r.violations[0]!.message).toMatch(/^PersistentVolumeClaim in namespace "db" \(`kubectl delete pvc --all -n db`\): deletes a PersistentVolumeClaim \(every one in the namespace: --all\)/);
  });
});

describe('forbidPrivileged and requireProbes', () => {
  it('privileged containers and kubectl run --privileged', async () => {
    const p = await rule({ forbidPrivileged: {} });
    const priv = deployment('agent', { container: { securityContext: { privileged: true } } });
    expect(evaluatePolicies(input({ manifests: [priv, deployment('api')] }), p).violations.map((v) => v.message)).toEqual([
      'Deployment "agent": container "app" runs privileged (securityContext.privileged: true)',
    ]);
    expect(evaluatePolicies(input({ commands: [['kubectl', 'run', 'x', '--image=busybox:1.36', '--privileged']] }), p).outcome).toBe('deny');
    expect(evaluatePolicies(input({ commands: [['kubectl', 'run', 'x', '--image=busybox:1.36']] }), p).outcome).toBe('allow');
  });

  it('probes: each listed probe per app container; Jobs are not long-running', async () => {
    const p = await rule({ requireProbes: { probes: ['readiness', 'liveness'] } }, { outcome: 'review' });
    const r = evaluatePolicies(input({ manifests: [deployment('api')] }), p);
    expect(r.violations.map((v) => v.message)).toEqual(['Deployment "api": container "app" has no livenessProbe']);
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'm:1' }] } } } };
    expect(evaluatePolicies(input({ manifests: [job] }), p).outcome).toBe('allow');
  });
});

describe('outcomes, modes and matching', () => {
  it('report-only violations are listed but allow; review < deny', async () => {
    const reportOnly = await rule({ forbidLatestTag: {} }, { mode: 'report-only' });
    const r = evaluatePolicies(input({ manifests: [deployment('api', { image: 'api:latest' })] }), reportOnly);
    expect(r.outcome).toBe('allow');
    expect(r.violations).toEqual([expect.objectContaining({ ruleId: 'r', mode: 'report-only', outcome: 'deny' })]);

    const both = await parsePolicies([
      {
        path: 'two.yaml',
        text: JSON.stringify([
          { id: 'rev', description: 'x', check: { minReplicas: { min: 2 } }, outcome: 'review', fix: 'f' },
          { id: 'den', description: 'x', check: { forbidLatestTag: {} }, outcome: 'deny', fix: 'f' },
        ]),
      },
    ]);
    expect(evaluatePolicies(input({ manifests: [deployment('a', { replicas: 1 })] }), both).outcome).toBe('review');
    expect(evaluatePolicies(input({ manifests: [deployment('a', { replicas: 1, image: 'a:latest' })] }), both).outcome).toBe('deny');
  });

  it('match: kinds (aliases), verbs, environments, namespaces (wildcards), production', async () => {
    const p = async (match: Record<string, unknown>) => rule({ minReplicas: { min: 2 } }, { match });
    const scale = input({ env: 'staging-eu', commands: [['kubectl', 'scale', 'deploy/a', '--replicas=1', '-n', 'payments-eu']] });
    expect(evaluatePolicies(scale, await p({ kinds: ['deploy'] })).outcome).toBe('deny');
    expect(evaluatePolicies(scale, await p({ kinds: ['StatefulSet'] })).outcome).toBe('allow');
    expect(evaluatePolicies(scale, await p({ verbs: ['scale'] })).outcome).toBe('deny');
    expect(evaluatePolicies(scale, await p({ verbs: ['apply'] })).outcome).toBe('allow');
    expect(evaluatePolicies(scale, await p({ environments: ['staging-*'] })).outcome).toBe('deny');
    expect(evaluatePolicies(scale, await p({ environments: ['prod'] })).outcome).toBe('allow');
    expect(evaluatePolicies(scale, await p({ namespaces: ['payments-*'] })).outcome).toBe('deny');
    expect(evaluatePolicies(scale, await p({ namespaces: ['shop'] })).outcome).toBe('allow');
    expect(evaluatePolicies(scale, await p({ production: true })).outcome).toBe('allow');
    expect(evaluatePolicies(scale, await p({ production: false })).outcome).toBe('deny');
  });

  it('a List manifest is checked item by item', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [deployment('a', { replicas: 2 }), deployment('b', { replicas: 1 })] };
    const r = evaluatePolicies(input({ manifests: [list] }), await rule({ minReplicas: { min: 2 } }));
    expect(r.violations.map((v) => [v.source, v.message.split(':')[0]])).toEqual([[{ type: 'manifest', index: 0 }, 'Deployment "b"']]);
  });
});

describe('policy files', () => {
  async function problemsOf(name: string) {
    const path = join(FIX, 'bad', name);
    try {
      await parsePolicies([{ path, text: await readFile(path, 'utf8') }]);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyFileError);
      return { problems: (e as PolicyFileError).problems, message: (e as Error).message };
    }
    throw new Error(`${name} was accepted`);
  }

  it('an unknown check is named with its line and the allowed checks', async () => {
    const { problems, message } = await problemsOf('unknown-check.yaml');
    expect(problems).toEqual([expect.objectContaining({ line: 11, index: 1, ruleId: 'typo-rule', field: '/check/minReplica' })]);
    expect(message).toContain('unknown-check.yaml:11: rule "typo-rule" (#1) /check/minReplica is not a known field (allowed: "forbidLatestTag"');
  });

  it('wrong types and values are each named with their line', async () => {
    const { problems } = await problemsOf('wrong-types.yaml');
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(byField['/match/production']).toMatchObject({ line: 4, message: 'must be boolean' });
    expect(byField['/check/minReplicas/min']).toMatchObject({ line: 7, message: 'must be integer' });
    expect(byField['/outcome']).toMatchObject({ line: 8, message: 'must be one of the allowed values (allowed: "deny", "review")' });
  });

  it('a missing field and a YAML syntax error are located', async () => {
    expect((await problemsOf('missing-fix.yaml')).problems).toEqual([expect.objectContaining({ line: 1, ruleId: 'no-fix', field: '/fix', message: 'is required' })]);
    const syntax = await problemsOf('syntax.yaml');
    expect(syntax.problems[0]).toMatchObject({ field: '/' });
    expect(syntax.problems[0]!.message).toMatch(/^YAML syntax error/);
    expect(syntax.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('a check without parameters may be left empty', async () => {
    const [p] = await parsePolicies([{ path: 'empty.yaml', text: '- id: pin\n  description: pin images\n  check:\n    forbidLatestTag:\n  outcome: deny\n  fix: pin\n' }]);
    expect(p).toMatchObject({ id: 'pin', mode: 'enforce', match: {}, check: { name: 'forbidLatestTag', params: {} } });
  });

  it('duplicate ids within one source are refused', async () => {
    const text = JSON.stringify([{ id: 'x', description: 'd', check: { forbidPrivileged: {} }, outcome: 'deny', fix: 'f' }]);
    await expect(parsePolicies([{ path: 'a.yaml', text }, { path: 'b.yaml', text }])).rejects.toThrow(/b\.yaml:1: rule "x" \(#0\) \/id duplicates the id of a rule in a\.yaml/);
  });

  it("a team's .infra-ops/policies overrides, disables and adds rules by id", async () => {
    const root = await mkdtemp(join(tmpdir(), 'pol-'));
    await mkdir(join(root, '.infra-ops', 'policies'), { recursive: true });
    await writeFile(join(root, '.infra-ops', 'policies', 'team.yaml'), await readFile(join(FIX, 'team-override.yaml'), 'utf8'));
    const policies = await loadPolicies(root, { shippedDir: SHIPPED });
    const byId = new Map(policies.map((p) => [p.id, p]));
    expect(byId.get('no-latest-tag')).toMatchObject({ mode: 'report-only', source: 'team', file: 'team.yaml' });
    expect(byId.has('no-privileged-containers')).toBe(false);
    expect(byId.get('payments-three-replicas')).toMatchObject({ source: 'team', check: { name: 'minReplicas', params: { min: 3 } } });
    const r = evaluatePolicies(input({ namespace: 'payments', manifests: [deployment('api', { replicas: 2, image: 'api:latest', container: { securityContext: { privileged: true } } })] }), policies);
    expect(r.outcome).toBe('deny');
    expect(r.violations.map((v) => `${v.ruleId}:${v.mode}`).sort()).toEqual(['no-latest-tag:report-only', 'payments-three-replicas:enforce']);
  });

  it('a broken team file stops loading with its path', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pol-'));
    await mkdir(join(root, '.infra-ops', 'policies'), { recursive: true });
    await writeFile(join(root, '.infra-ops', 'policies', 'broken.yaml'), await readFile(join(FIX, 'bad', 'wrong-types.yaml'), 'utf8'));
    await expect(loadPolicies(root, { shippedDir: SHIPPED })).rejects.toThrow(/broken\.yaml:7: rule "prod-min" \(#0\) \/check\/minReplicas\/min must be integer/);
  });
});
