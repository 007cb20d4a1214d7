import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterReadError, filesReader, kubectlArgs, kubectlReader } from '../../src/platform/cluster.js';
import { kubectlSandbox, scenarioDir } from './helpers.js';

const box = kubectlSandbox();
afterAll(() => box.cleanup());

async function readError(p: Promise<unknown>): Promise<ClusterReadError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ClusterReadError);
    return e as ClusterReadError;
  }
  throw new Error('expected a ClusterReadError');
}

describe('kubectl reader (fake kubectl on PATH)', () => {
  it('runs exactly these argument arrays, once per list, with --kubeconfig/--context passed through', async () => {
    const r = kubectlReader({ env: box.env('healthy'), context: 'arn:aws:eks:us-east-2:111122223333:cluster/ingext', kubeconfig: '/tmp/kube config $(x)' });
    const nodes = await r.list('nodes', null);
    await r.list('nodes', null);
    const secrets = await r.list('helm-secrets', 'karpenter');
    const deployments = await r.list('deployments', 'kube-system');
    const pods = await r.list('pods', null);
    expect(nodes).toHaveLength(2);
    expect(secrets.map((s) => (s.metadata as { name: string }).name)).toEqual(['sh.helm.release.v1.karpenter.v1', 'sh.helm.release.v1.karpenter.v2']);
    expect(deployments.map((d) => (d.metadata as { name: string }).name)).toEqual(['coredns', 'ebs-csi-controller']);
    expect(pods).toHaveLength(2);
    const g = ['--context', 'arn:aws:eks:us-east-2:111122223333:cluster/ingext', '--kubeconfig', '/tmp/kube config $(x)'];
    expect(box.calls()).toEqual([
      [...g, 'get', 'nodes', '-o', 'json'],
      [...g, 'get', 'secrets', '--namespace', 'karpenter', '--field-selector', 'type=helm.sh/release.v1', '-o', 'json'],
      [...g, 'get', 'deployments', '--namespace', 'kube-system', '-o', 'json'],
      [...g, 'get', 'pods', '--all-namespaces', '-o', 'json'],
    ]);
  });

  it('no kubectl on PATH: an error that says how to install it', async () => {
    const e = await readError(kubectlReader({ env: box.envWithoutKubectl() }).list('nodes', null));
    expect(e.code).toBe('kubectl.missing');
    expect(e.message).toBe('kubectl is not installed (not found on PATH) — install: apt-get install kubectl (or https://kubernetes.io/docs/tasks/tools/); or pass recorded lists with --from-dir');
  });

  it('an unreachable API server: kubectl\'s own verdict, not its klog noise', async () => {
    const e = await readError(kubectlReader({ env: box.env('healthy', { FAKE_KUBECTL_FAIL: 'unreachable' }) }).list('nodes', null));
    expect(e.code).toBe('kubectl.unreachable');
    expect(e.message).toBe('cannot reach the cluster (the current context): The connection to the server localhost:8080 was refused - did you specify the right host or port? — check the API server address, VPN/network access, or pick another --context');
  });

  it('RBAC forbids secrets: that list fails with the server message, the others still work', async () => {
    const r = kubectlReader({ env: box.env('healthy', { FAKE_KUBECTL_FAIL: 'forbidden-secrets' }) });
    const e = await readError(r.list('helm-secrets', 'karpenter'));
    expect(e.code).toBe('kubectl.forbidden');
    expect(e.message).toMatch(/^not allowed: Error from server \(Forbidden\): secrets is forbidden: User ".*" cannot list resource "secrets" in API group "" in the namespace "karpenter" — ask for read access/);
    expect(await r.list('nodes', null)).toHaveLength(2);
    box.calls();
  });

  it('a kubectl that never answers is stopped at the timeout', async () => {
    const e = await readError(kubectlReader({ env: box.env('healthy', { FAKE_KUBECTL_FAIL: 'hang' }), timeoutMs: 300 }).list('nodes', null));
    expect(e.code).toBe('kubectl.timeout');
    expect(e.message).toMatch(/^`kubectl get nodes -o json` timed out after 0\.3 s: the cluster \(the current context\) is not answering/);
    box.calls();
  });

  it('builds the argument array of each list', () => {
    expect(kubectlArgs('events', 'shop')).toEqual(['get', 'events', '--namespace', 'shop', '-o', 'json']);
    expect(kubectlArgs('nodes', 'ignored', { context: 'c' })).toEqual(['--context', 'c', 'get', 'nodes', '-o', 'json']);
  });
});

describe('files reader (--from-dir)', () => {
  it('filters recorded lists by namespace and keeps only Helm release secrets', async () => {
    const r = filesReader(scenarioDir('degraded'));
    expect(await r.list('helm-secrets', 'karpenter')).toHaveLength(1);
    expect(await r.list('helm-secrets', null)).toHaveLength(6);
    expect(await r.list('pods', 'kube-system')).toEqual([]);
  });

  it('a missing or broken file is an error naming the file and how to record it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'infra-ops-rec-'));
    try {
      writeFileSync(path.join(dir, 'nodes.json'), '{"items": [');
      writeFileSync(path.join(dir, 'pods.json'), '"just a string"');
      const r = filesReader(dir);
      const missing = await readError(r.list('helm-secrets', 'x'));
      expect(missing.message).toBe(`${path.join(dir, 'helm-secrets.json')} not found (record it with: kubectl get secrets --all-namespaces --field-selector type=helm.sh/release.v1 -o json > helm-secrets.json)`);
      expect((await readError(r.list('nodes', null))).message).toMatch(/nodes\.json: not valid JSON/);
      expect((await readError(r.list('pods', null))).message).toMatch(/pods\.json: expected a Kubernetes List/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
