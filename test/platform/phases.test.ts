import { describe, expect, it } from 'vitest';
import { ClusterReadError, type ClusterReader } from '../../src/platform/cluster.js';
import { checkPhase, DEFAULT_PHASES, dependencyOrder, phaseClosure, PhaseConfigError } from '../../src/platform/phases.js';
import type { PhaseSpec } from '../../src/platform/types.js';
import { reader, RECORDED_AT } from './helpers.js';

const EKS: PhaseSpec[] = [
  { name: 'addons', dependsOn: ['networking'], gates: [{ check: 'helmRelease', namespace: 'karpenter', release: 'karpenter' }, { check: 'noPendingPods', namespace: 'karpenter' }] },
  { name: 'cluster', gates: [{ check: 'nodesReady', min: 2 }] },
  { name: 'storage', dependsOn: ['cluster'], gates: [{ check: 'deploymentReady', namespace: 'kube-system', name: 'ebs-csi-controller' }] },
  { name: 'networking', dependsOn: ['cluster'], gates: [{ check: 'deploymentReady', namespace: 'kube-system', name: 'coredns' }] },
];

describe('phase dependencies', () => {
  it('orders phases by dependency, config order among equals', () => {
    expect(dependencyOrder(EKS).map((p) => p.name)).toEqual(['cluster', 'storage', 'networking', 'addons']);
    expect(phaseClosure(EKS, 'addons').map((p) => p.name)).toEqual(['cluster', 'networking', 'addons']);
    expect(phaseClosure(EKS, 'cluster').map((p) => p.name)).toEqual(['cluster']);
  });

  it('names the field of an unknown dependency, a self-dependency, a duplicate name and a cycle', () => {
    const err = (phases: PhaseSpec[]) => {
      try {
        dependencyOrder(phases);
      } catch (e) {
        expect(e).toBeInstanceOf(PhaseConfigError);
        return [(e as PhaseConfigError).field, (e as Error).message];
      }
      throw new Error('no error');
    };
    const g = [{ check: 'nodesReady' as const }];
    expect(err([{ name: 'a', gates: g }, { name: 'b', dependsOn: ['a', 'netwrk'], gates: g }])).toEqual([
      'platform.phases[1].dependsOn[1]',
      'platform.phases[1].dependsOn[1]: unknown phase "netwrk" (phases: a, b)',
    ]);
    expect(err([{ name: 'a', dependsOn: ['a'], gates: g }])[0]).toBe('platform.phases[0].dependsOn[0]');
    expect(err([{ name: 'a', gates: g }, { name: 'a', gates: g }])).toEqual(['platform.phases[1].name', 'platform.phases[1].name: duplicate phase name "a" (also platform.phases[0])']);
    const cycle = err([{ name: 'x', gates: g }, { name: 'a', dependsOn: ['b'], gates: g }, { name: 'b', dependsOn: ['a'], gates: g }]);
    expect(cycle).toEqual(['platform.phases[1].dependsOn', 'platform.phases[1].dependsOn: dependency cycle between phases a, b']);
  });
});

describe('platform check --phase', () => {
  const now = RECORDED_AT;

  it('completed on a healthy cluster, with the evidence of every gate', async () => {
    const r = await checkPhase({ phases: EKS, target: 'addons', reader: reader('healthy'), now });
    expect(r).toMatchObject({ phase: 'addons', status: 'completed', blockers: [], fixFirst: null, next: { action: 'proceed', phase: null }, errors: [] });
    expect(r.phases.map((p) => [p.name, p.status])).toEqual([['cluster', 'passed'], ['networking', 'passed'], ['addons', 'passed']]);
    expect(r.evidence).toEqual({
      nodes: { total: 2, ready: 2, notReady: [] },
      deployments: { 'kube-system/coredns': { found: true, replicas: 2, readyReplicas: 2, availableReplicas: 2, ready: true, conditions: [] } },
      releases: { 'karpenter/karpenter': { exists: true, status: 'deployed', revision: 2, lastDeployedRevision: 2, needsRepair: false, description: 'Upgrade complete' } },
      pendingPods: { karpenter: [] },
    });
  });

  it('no nodes: blocked, fix the cluster phase first (seed 000 test 1)', async () => {
    const r = await checkPhase({ phases: EKS, target: 'addons', reader: reader('no-nodes'), now });
    expect(r.status).toBe('blocked');
    expect(r.fixFirst).toBe('cluster');
    expect(r.next).toEqual({ action: 'fix', phase: 'cluster' });
    expect(r.blockers.map((b) => [b.phase, b.code])).toEqual([
      ['cluster', 'NO_NODES_AVAILABLE'],
      ['networking', 'COREDNS_NOT_READY'],
      ['addons', 'RELEASE_PENDING'],
    ]);
    expect(r.blockers[2]!.message).toMatch(/pending-install \(revision 1\) and stuck: Initial install underway/);
    expect(r.blockers[2]!.fix).toContain('helm uninstall karpenter -n karpenter   # pending-install for 54 min: the operation was interrupted and Helm refuses new ones ("another operation (install/upgrade/rollback) is in progress"); nothing deployed before it, so uninstall and install again');
    expect(r.evidence.nodes).toEqual({ total: 0, ready: 0, notReady: [] });
  });

  it('NotReady nodes (CNI): NO_READY_NODES with the kubelet message; CoreDNS, the failed release and the pending pods follow', async () => {
    const r = await checkPhase({ phases: EKS, target: 'addons', reader: reader('cni-not-ready'), now });
    expect(r.status).toBe('blocked');
    expect(r.fixFirst).toBe('cluster');
    expect(r.blockers.map((b) => b.code)).toEqual(['NO_READY_NODES', 'COREDNS_NOT_READY', 'RELEASE_FAILED', 'PODS_PENDING']);
    expect(r.blockers[0]!.message).toMatch(/^Cluster has 2 node\(s\) but none are Ready: ip-192-168-62-170\.us-east-2\.compute\.internal \(False, KubeletNotReady: container runtime network not ready/);
    expect(r.blockers[2]).toMatchObject({ phase: 'addons', gate: 'helmRelease karpenter/karpenter', message: 'Helm release karpenter/karpenter is failed (revision 1): Release "karpenter" failed: context deadline exceeded' });
    expect(r.evidence.releases?.['karpenter/karpenter']).toMatchObject({ status: 'failed', needsRepair: true, lastDeployedRevision: null });
    expect(r.evidence.pendingPods?.karpenter?.map((p) => [p.name, p.reason])).toEqual([
      ['karpenter-6f9c8b7d4-q9m4z', 'FailedScheduling'],
      ['karpenter-6f9c8b7d4-x7k2p', 'FailedScheduling'],
    ]);
  });

  it('a later phase failing alone is fixed first; checking an earlier phase ignores later ones', async () => {
    const r = await checkPhase({ phases: EKS, target: 'addons', reader: reader('degraded'), now });
    // 2 of 3 nodes Ready satisfies min 2; CoreDNS fine; karpenter deployed but one replica Pending.
    expect(r.status).toBe('blocked');
    expect(r.fixFirst).toBe('addons');
    expect(r.blockers.map((b) => b.code)).toEqual(['PODS_PENDING']);
    const cluster = await checkPhase({ phases: EKS, target: 'cluster', reader: reader('degraded'), now });
    expect(cluster.status).toBe('completed');
    const stricter = await checkPhase({ phases: [{ name: 'cluster', gates: [{ check: 'nodesReady', min: 3 }] }], target: 'cluster', reader: reader('degraded'), now });
    expect(stricter.blockers.map((b) => [b.code, b.message])).toEqual([
      ['NOT_ENOUGH_READY_NODES', '2 of 3 node(s) Ready, 3 needed; not Ready: ip-192-168-85-219.us-east-2.compute.internal (Unknown, NodeStatusUnknown: Kubelet stopped posting node status.)'],
    ]);
  });

  it('the default phases (no config) are generic: cluster, then networking (CoreDNS)', async () => {
    expect(DEFAULT_PHASES.map((p) => [p.name, p.dependsOn ?? []])).toEqual([['cluster', []], ['networking', ['cluster']]]);
    const r = await checkPhase({ phases: DEFAULT_PHASES, target: 'networking', reader: reader('cni-not-ready'), now });
    expect(r.blockers.map((b) => b.code)).toEqual(['NO_READY_NODES', 'COREDNS_NOT_READY']);
    expect(r.blockers[1]!.fix).toContain('kubectl -n kube-system rollout status deployment/coredns --timeout=120s');
  });

  it('a deployment that does not exist, a release that is not installed', async () => {
    const phases: PhaseSpec[] = [{ name: 'apps', gates: [{ check: 'deploymentReady', namespace: 'shop', name: 'api' }, { check: 'helmRelease', namespace: 'shop', release: 'api' }] }];
    const r = await checkPhase({ phases, target: 'apps', reader: reader('healthy'), now });
    expect(r.blockers.map((b) => [b.code, b.message])).toEqual([
      ['DEPLOYMENT_NOT_FOUND', 'Deployment shop/api not found'],
      ['RELEASE_NOT_FOUND', 'Helm release shop/api is not installed (no helm.sh/release.v1 secret in shop)'],
    ]);
  });

  it('error when the cluster cannot be read: no guess, the reason, and what was read still shown', async () => {
    const base = reader('cni-not-ready');
    const failing: ClusterReader = {
      ...base,
      kind: 'kubectl',
      list: async (resource, ns) => {
        if (resource === 'helm-secrets') throw new ClusterReadError('kubectl get secrets --namespace karpenter … failed: Error from server (Forbidden): secrets is forbidden', 'kubectl.failed');
        return base.list(resource, ns);
      },
    };
    const r = await checkPhase({ phases: EKS, target: 'addons', reader: failing, now });
    expect(r.status).toBe('error');
    expect(r.errors).toEqual(['kubectl get secrets --namespace karpenter … failed: Error from server (Forbidden): secrets is forbidden']);
    expect(r.next).toEqual({ action: 'retry', phase: 'addons' });
    const gate = r.phases[2]!.gates[0]!;
    expect(gate).toMatchObject({ check: 'helmRelease', status: 'error', blockers: [] });
    expect(r.fixFirst).toBe('cluster'); // what could be judged is still reported
    expect(r.evidence.nodes?.total).toBe(2);
  });
});
