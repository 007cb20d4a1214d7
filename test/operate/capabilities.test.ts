import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Kubectl } from '../../src/diagnose/kubectl.js';
import { discoverCapabilities, parseApiResources, type KubectlRunResult } from '../../src/operate/capabilities.js';
import { makeSandbox } from '../tester/tools/helpers.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'k8s', 'capabilities');

/** A runner replaying one scenario's recordings; logs every argv. */
function replay(scenario: string) {
  const calls: string[][] = [];
  const file = (name: string) => join(DIR, scenario, name);
  const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : '');
  const run = async (args: string[]): Promise<KubectlRunResult> => {
    calls.push(args);
    const key = args.join(' ');
    if (key === 'api-resources -o wide') {
      return { exitCode: Number(read('api-resources-wide.exit').trim()), stdout: read('api-resources-wide.stdout.txt'), stderr: read('api-resources-wide.stderr.txt') };
    }
    if (key === 'api-versions') return { exitCode: 0, stdout: read('api-versions.stdout.txt'), stderr: '' };
    if (key === 'get crd -o json') {
      return existsSync(file('crds.json')) ? { exitCode: 0, stdout: read('crds.json'), stderr: '' } : { exitCode: 1, stdout: '', stderr: read('crds.stderr.txt') };
    }
    return { exitCode: 1, stdout: '', stderr: `error: unknown command "${key}"` };
  };
  return { run, calls };
}

describe('parseApiResources', () => {
  it('reads every row by column position, with short names, group and scope', () => {
    const rows = parseApiResources(readFileSync(join(DIR, 'full', 'api-resources-wide.stdout.txt'), 'utf8'));
    expect(rows.length).toBe(93);
    expect(rows.find((r) => r.kind === 'ScaledObject')).toEqual({ name: 'scaledobjects', shortNames: ['so'], apiVersion: 'keda.sh/v1alpha1', group: 'keda.sh', namespaced: true, kind: 'ScaledObject' });
    expect(rows.find((r) => r.name === 'bindings')).toMatchObject({ shortNames: [], apiVersion: 'v1', group: '', kind: 'Binding' });
    expect(rows.find((r) => r.kind === 'ClusterTriggerAuthentication')).toMatchObject({ shortNames: ['cta', 'clustertriggerauth'], namespaced: false });
  });

  it('reads the older APIGROUP layout too', () => {
    const text = [
      'NAME                     SHORTNAMES   APIGROUP      NAMESPACED   KIND                      VERBS',
      'pods                     po                         true         Pod                       [create delete get list]',
      'horizontalpodautoscalers hpa          autoscaling   true         HorizontalPodAutoscaler   [create delete get list]',
    ].join('\n');
    expect(parseApiResources(text).map((r) => [r.name, r.group, r.kind])).toEqual([
      ['pods', '', 'Pod'],
      ['horizontalpodautoscalers', 'autoscaling', 'HorizontalPodAutoscaler'],
    ]);
  });
});

describe('discoverCapabilities', () => {
  it('a cluster with everything: KEDA preferred', async () => {
    const { run, calls } = replay('full');
    const caps = await discoverCapabilities(run);
    expect(calls).toEqual([['api-resources', '-o', 'wide'], ['api-versions'], ['get', 'crd', '-o', 'json']]);
    expect(caps).toMatchObject({ keda: true, vpa: true, prometheusOperator: true, velero: true, certManager: true, metricsServer: true, hpaV2: true, apiResources: 93, notes: [] });
    expect(caps.preferredAutoscaler.kind).toBe('keda');
    expect(caps.preferredAutoscaler.reason).toMatch(/ScaledObject/);
  });

  it('without KEDA but with metrics-server: HPA (autoscaling/v2)', async () => {
    const caps = await discoverCapabilities(replay('plain').run);
    expect(caps).toMatchObject({ keda: false, vpa: false, prometheusOperator: false, velero: false, certManager: false, metricsServer: true, hpaV2: true, notes: [] });
    expect(caps.preferredAutoscaler).toEqual({ kind: 'hpa', reason: expect.stringContaining('HorizontalPodAutoscaler (autoscaling/v2)') });
  });

  it('metrics-server registered but down: kubectl exits 1, the other groups still count, the note says why', async () => {
    const caps = await discoverCapabilities(replay('metrics-down').run);
    expect(caps).toMatchObject({ metricsServer: false, certManager: true, keda: false, hpaV2: true });
    expect(caps.apiResources).toBeGreaterThan(50);
    expect(caps.notes).toEqual([expect.stringContaining('API metrics.k8s.io/v1beta1 is registered but not answering')]);
    expect(caps.preferredAutoscaler.kind).toBe('none');
    expect(caps.preferredAutoscaler.reason).toMatch(/install metrics-server/);
  });

  it('KEDA without metrics-server: KEDA, with the cpu/memory caveat', async () => {
    const caps = await discoverCapabilities(replay('no-metrics-keda').run);
    expect(caps).toMatchObject({ keda: true, metricsServer: false });
    expect(caps.notes).toEqual([expect.stringContaining('metrics-server not found')]);
    expect(caps.preferredAutoscaler.kind).toBe('keda');
    expect(caps.preferredAutoscaler.reason).toMatch(/cpu\/memory triggers need metrics-server/);
  });

  it('CRDs not listable: api-resources still shows the custom resources', async () => {
    const caps = await discoverCapabilities(replay('crd-forbidden').run);
    expect(caps).toMatchObject({ keda: true, vpa: true, velero: false, metricsServer: true });
    expect(caps.notes).toEqual([expect.stringMatching(/^CRDs could not be listed \(Error from server \(Forbidden\)/)]);
  });

  it('a CRD that is not Established does not count', async () => {
    const { run } = replay('plain');
    const crd = JSON.parse(readFileSync(join(DIR, 'full', 'crds.json'), 'utf8')) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[] };
    const velero = crd.items.filter((i) => i.metadata.name === 'backups.velero.io');
    for (const c of velero[0]!.status.conditions) if (c.type === 'Established') c.status = 'False';
    const caps = await discoverCapabilities(async (args) => (args[0] === 'get' ? { exitCode: 0, stdout: JSON.stringify({ kind: 'List', items: velero }), stderr: '' } : run(args)));
    expect(caps.velero).toBe(false);
    expect(caps.notes).toEqual([expect.stringContaining('CRD backups.velero.io exists but is not Established')]);
  });

  it('kubectl unreachable or missing: nothing detected, the notes say so, nothing thrown', async () => {
    const unreachable = await discoverCapabilities(async () => ({ exitCode: 1, stdout: '', stderr: 'E1123 memcache.go:265] couldn\'t get current server API group list\nThe connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?\n' }));
    expect(unreachable).toMatchObject({ keda: false, metricsServer: false, hpaV2: false, apiResources: 0 });
    expect(unreachable.notes[0]).toMatch(/^kubectl api-resources failed: The connection to the server 10\.0\.0\.1:6443 was refused/);
    const missing = await discoverCapabilities(async () => {
      throw new Error('kubectl is not installed');
    });
    expect(missing.notes[0]).toBe('kubectl api-resources failed: kubectl is not installed');
    expect(missing.preferredAutoscaler.kind).toBe('none');
  });
});

describe('discoverCapabilities through Kubectl (fake kubectl on PATH)', () => {
  const box = makeSandbox();
  afterAll(() => box.cleanup());

  it('runs kubectl with argument arrays and the target flags, and reads partial output of a failed api-resources', async () => {
    const routes = join(box.root, 'routes-capabilities.json');
    const down = 'capabilities/metrics-down';
    writeFileSync(
      routes,
      JSON.stringify({
        // The fake strips `-o VALUE`: `api-resources -o wide` → `api-resources`.
        'api-resources': { stdout: `${down}/api-resources-wide.stdout.txt`, stderr: readFileSync(join(DIR, 'metrics-down', 'api-resources-wide.stderr.txt'), 'utf8'), code: 1 },
        'api-versions': { stdout: `${down}/api-versions.stdout.txt` },
        'get crd': { stdout: `${down}/crds.json` },
      }),
    );
    const k = new Kubectl({ context: 'prod-eks', namespace: 'shop', env: { ...box.env('kubectl-cluster'), FAKE_KUBECTL_ROUTES: routes } });
    const caps = await discoverCapabilities((args) => k.run(args, { namespaced: false }));
    expect(box.calls().map((c) => c.argv)).toEqual([
      ['--context', 'prod-eks', 'api-resources', '-o', 'wide'],
      ['--context', 'prod-eks', 'api-versions'],
      ['--context', 'prod-eks', 'get', 'crd', '-o', 'json'],
    ]);
    expect(caps).toMatchObject({ certManager: true, metricsServer: false, keda: false, hpaV2: true });
    expect(caps.notes).toEqual([expect.stringContaining('metrics.k8s.io/v1beta1 is registered but not answering')]);
  });

  it('kubectl missing: the Kubectl error becomes a note', async () => {
    const k = new Kubectl({ env: { PATH: box.nodeDir } });
    const caps = await discoverCapabilities((args) => k.run(args, { namespaced: false }));
    expect(caps.apiResources).toBe(0);
    expect(caps.notes[0]).toMatch(/^kubectl api-resources failed: kubectl is not installed/);
  });
});
