import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlSandbox, RECORDED_AT, scenarioDir } from '../platform/helpers.js';
import { cli, schemaErrors } from './run-cli.js';

const project = (config?: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-ops-platform-cli-'));
  if (config !== undefined) {
    mkdirSync(join(dir, '.infra-ops'));
    writeFileSync(join(dir, '.infra-ops', 'config.yaml'), config);
  }
  return dir;
};
const NOW = ['--now', RECORDED_AT.toISOString()];
const box = kubectlSandbox();
afterAll(() => box.cleanup());

const EKS_CONFIG = `version: 1
environments:
  test:
    requireApproval: false
    budget: { monthly: 100 }
platform:
  phases:
    - name: addons
      dependsOn: [networking]
      gates: [{ check: helmRelease, namespace: karpenter, release: karpenter }, { check: noPendingPods, namespace: karpenter }]
    - name: cluster
      gates: [{ check: nodesReady, min: 2 }]
    - name: networking
      dependsOn: [cluster]
      gates: [{ check: deploymentReady, namespace: kube-system, name: coredns }]
`;

describe('infra-ops platform check', () => {
  it('completed (exit 0) on a healthy cluster, from recorded files', () => {
    const r = cli(['platform', 'check', '--phase', 'addons', '--json', '--from-dir', scenarioDir('healthy'), ...NOW], { cwd: project(EKS_CONFIG) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = r.json();
    expect(schemaErrors('platform-check', d)).toEqual([]);
    expect(d).toMatchObject({ phase: 'addons', status: 'completed', fixFirst: null, blockers: [], source: { kind: 'files', dir: scenarioDir('healthy') } });
    expect(d.phases.map((p: { name: string }) => p.name)).toEqual(['cluster', 'networking', 'addons']);
  });

  it('blocked (exit 3) with blocker codes, fixFirst and evidence, as seed 000 shows', () => {
    const r = cli(['platform', 'check', '--phase', 'addons', '--json', '--from-dir', scenarioDir('no-nodes'), ...NOW], { cwd: project(EKS_CONFIG) });
    expect(r.status).toBe(3);
    const d = r.json();
    expect(schemaErrors('platform-check', d)).toEqual([]);
    expect(d.status).toBe('blocked');
    expect(d.fixFirst).toBe('cluster');
    expect(d.next).toEqual({ action: 'fix', phase: 'cluster' });
    expect(d.blockers.map((b: { code: string }) => b.code)).toEqual(['NO_NODES_AVAILABLE', 'COREDNS_NOT_READY', 'RELEASE_PENDING']);
    expect(d.evidence.nodes).toEqual({ total: 0, ready: 0, notReady: [] });
    expect(d.evidence.releases['karpenter/karpenter']).toMatchObject({ status: 'pending-install', needsRepair: true });
    expect(d.evidence.pendingPods).toEqual({ karpenter: [] });
  });

  it('human output names the phase to fix first and the commands', () => {
    const r = cli(['platform', 'check', '--phase', 'networking', '--from-dir', scenarioDir('cni-not-ready')], { cwd: project() });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('BLOCKED');
    expect(r.stdout).toContain('Blockers — fix first: cluster');
    expect(r.stdout).toMatch(/NO_READY_NODES \[cluster\] Cluster has 2 node\(s\) but none are Ready: .*cni plugin not initialized/);
    expect(r.stdout).toContain('→ kubectl -n kube-system rollout status deployment/coredns --timeout=120s');
  });

  it('live: runs the fake kubectl on PATH with the context passed through; exit 1 (error) when the API server is unreachable', () => {
    const ok = cli(['platform', 'check', '--phase', 'networking', '--json', '--context', 'prod-eu'], { cwd: project(), env: box.env('healthy') });
    expect(ok.status).toBe(0);
    expect(ok.json()).toMatchObject({ status: 'completed', source: { kind: 'kubectl', context: 'prod-eu', dir: null } });
    // Gates read in parallel: the order of the calls is not fixed, their argument arrays are.
    expect(box.calls().sort((a, b) => a.join(' ').localeCompare(b.join(' ')))).toEqual([
      ['--context', 'prod-eu', 'get', 'deployments', '--namespace', 'kube-system', '-o', 'json'],
      ['--context', 'prod-eu', 'get', 'nodes', '-o', 'json'],
    ]);
    const down = cli(['platform', 'check', '--phase', 'networking', '--json'], { cwd: project(), env: box.env('healthy', { FAKE_KUBECTL_FAIL: 'unreachable' }) });
    expect(down.status).toBe(1);
    const d = down.json();
    expect(schemaErrors('platform-check', d)).toEqual([]);
    expect(d).toMatchObject({ status: 'error', next: { action: 'retry', phase: 'cluster' } });
    // Both lists fail the same way: said once.
    expect(d.errors).toEqual([
      'cannot reach the cluster (the current context): The connection to the server localhost:8080 was refused - did you specify the right host or port? — check the API server address, VPN/network access, or pick another --context',
    ]);
    box.calls();
  });

  it('no kubectl installed: error (exit 1) that says how to install it', () => {
    const r = cli(['platform', 'check', '--phase', 'cluster'], { cwd: project(), env: box.envWithoutKubectl() });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('kubectl is not installed (not found on PATH) — install: apt-get install kubectl (or https://kubernetes.io/docs/tasks/tools/); or pass recorded lists with --from-dir');
    expect(r.stdout).toContain('ERROR');
  });

  it('usage errors (exit 2): missing or unknown phase, a dependency on an unknown phase named by field', () => {
    const missing = cli(['platform', 'check', '--json', '--from-dir', scenarioDir('healthy')], { cwd: project() });
    expect(missing.status).toBe(2);
    expect(schemaErrors('error', missing.json())).toEqual([]);
    const unknown = cli(['platform', 'check', '--phase', 'addons', '--from-dir', scenarioDir('healthy')], { cwd: project() });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown phase "addons" \(built-in default; .*\); phases: cluster, networking/);
    const bad = cli(['platform', 'check', '--phase', 'cluster', '--from-dir', scenarioDir('healthy')], {
      cwd: project(EKS_CONFIG.replace('dependsOn: [cluster]', 'dependsOn: [clustre]')),
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/config\.yaml: platform\.phases\[2\]\.dependsOn\[0\]: unknown phase "clustre" \(phases: addons, cluster, networking\)/);
    const schemaBad = cli(['platform', 'check', '--phase', 'cluster', '--json', '--from-dir', scenarioDir('healthy')], {
      cwd: project(EKS_CONFIG.replace('{ check: nodesReady, min: 2 }', '{ check: nodesReady, min: two }')),
    });
    expect(schemaBad.status).toBe(2);
    expect(schemaBad.json().error.code).toBe('config.invalid');
    expect(schemaBad.stderr).toMatch(/config\.yaml:12: \/platform\/phases\/1\/gates\/0\/min must be integer/);
    const notDir = cli(['platform', 'check', '--phase', 'cluster', '--from-dir', join(scenarioDir('healthy'), 'nodes.json')], { cwd: project() });
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toMatch(/--from-dir: not a directory/);
    for (const [args, message] of [
      [['--timeout', '0'], /--timeout must be a positive number of seconds, got "0"/],
      [['--now', 'yesterday', '--from-dir', scenarioDir('healthy')], /--now must be an ISO time/],
      [['--from-dir', scenarioDir('healthy'), '--context', 'prod'], /--from-dir reads recorded files: it cannot be combined with --context/],
    ] as const) {
      const r = cli(['platform', 'check', '--phase', 'cluster', ...args], { cwd: project(), env: box.envWithoutKubectl() });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('infra-ops platform status', () => {
  it('everything at a glance (exit 1 when something needs attention), valid against its schema', () => {
    const r = cli(['platform', 'status', '--json', '--from-dir', scenarioDir('degraded'), ...NOW], { cwd: project() });
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('platform-status', d)).toEqual([]);
    expect(d.healthy).toBe(false);
    expect(d.nodes).toMatchObject({ total: 3, ready: 2 });
    expect(d.dns).toMatchObject({ namespace: 'kube-system', name: 'coredns', ready: true });
    expect(d.releases.map((x: { name: string; status: string; needsRepair: boolean }) => [x.name, x.status, x.needsRepair])).toEqual([
      ['karpenter', 'deployed', false],
      ['aws-load-balancer-controller', 'failed', true],
      ['metrics-server', 'pending-upgrade', true],
    ]);
    expect(d.pendingPods.map((p: { name: string }) => p.name)).toEqual(['karpenter-6f9c8b7d4-h2v8c']);
    expect(d.attention).toHaveLength(5);
  });

  it('healthy cluster: exit 0; --namespace narrows releases and pending pods', () => {
    const r = cli(['platform', 'status', '--json', '--from-dir', scenarioDir('healthy'), '-n', 'karpenter'], { cwd: project() });
    expect(r.status).toBe(0);
    const d = r.json();
    expect(schemaErrors('platform-status', d)).toEqual([]);
    expect(d).toMatchObject({ healthy: true, attention: [], pendingNamespaces: ['karpenter'], pendingPods: [] });
    expect(d.releases.map((x: { name: string }) => x.name)).toEqual(['karpenter']);
  });

  it('a section that cannot be read is an error without hiding the others (RBAC forbids secrets)', () => {
    const r = cli(['platform', 'status', '--json', '--dns', 'kube-system/coredns'], { cwd: project(), env: box.env('cni-not-ready', { FAKE_KUBECTL_FAIL: 'forbidden-secrets' }) });
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('platform-status', d)).toEqual([]);
    expect(d.releases).toBeNull();
    expect(d.errors).toEqual([{ section: 'releases', message: expect.stringContaining('Error from server (Forbidden): secrets is forbidden') }]);
    expect(d.nodes).toMatchObject({ total: 2, ready: 0 });
    expect(d.pendingPods).toHaveLength(3);
    expect(box.calls().map((a) => a.slice(0, 3).join(' ')).sort()).toEqual([
      'get deployments --namespace',
      'get events --all-namespaces',
      'get nodes -o',
      'get pods --all-namespaces',
      'get secrets --all-namespaces',
    ]);
  });

  it('config: pendingGraceMinutes decides when a pending release is stuck; dnsDeployment names the DNS deployment', () => {
    const config = `version: 1
environments:
  test:
    requireApproval: false
    budget: { monthly: 100 }
platform:
  pendingGraceMinutes: 30
  dnsDeployment: kube-system/kube-dns
`;
    const r = cli(['platform', 'status', '--json', '--from-dir', scenarioDir('degraded'), ...NOW], { cwd: project(config) });
    const d = r.json();
    expect(schemaErrors('platform-status', d)).toEqual([]);
    const ms = d.releases.find((x: { name: string }) => x.name === 'metrics-server');
    expect(ms).toMatchObject({ status: 'pending-upgrade', needsRepair: false, repair: null });
    expect(d.dns).toMatchObject({ namespace: 'kube-system', name: 'kube-dns', found: false, ready: false });
    expect(d.attention).toContain('kube-system/kube-dns not found');
  });

  it('human output lists the repair for a failed release', () => {
    const r = cli(['platform', 'status', '--from-dir', scenarioDir('cni-not-ready')], { cwd: project() });
    expect(r.stdout).toContain('NEEDS ATTENTION');
    expect(r.stdout).toContain('karpenter/karpenter  rev 1  failed  karpenter-1.0.6  "Release "karpenter" failed: context deadline exceeded"');
    expect(r.stdout).toMatch(/repair: helm uninstall karpenter -n karpenter {2}\(the first install \(revision 1\) failed/);
  });
});
