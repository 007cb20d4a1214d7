import { describe, expect, it } from 'vitest';
import { deploymentHealth } from '../../src/platform/deployments.js';
import { nodeHealth, summarizeNodes } from '../../src/platform/nodes.js';
import { pendingPods, pendingReason } from '../../src/platform/pods.js';
import { items } from './helpers.js';

describe('nodes present and Ready', () => {
  it('counts Ready nodes and says why the others are not (kubelet CNI error, node controller Unknown)', () => {
    expect(summarizeNodes(items('healthy', 'nodes.json'))).toMatchObject({ total: 2, ready: 2, notReady: [], underPressure: [] });
    expect(summarizeNodes(items('no-nodes', 'nodes.json'))).toMatchObject({ total: 0, ready: 0 });

    const cni = summarizeNodes(items('cni-not-ready', 'nodes.json'));
    expect(cni).toMatchObject({ total: 2, ready: 0 });
    expect(cni.notReady[0]).toMatchObject({
      name: 'ip-192-168-62-170.us-east-2.compute.internal',
      readyStatus: 'False',
      reason: 'KubeletNotReady',
      message: expect.stringContaining('NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
      kubeletVersion: 'v1.30.4-eks-a737599',
    });

    const degraded = summarizeNodes(items('degraded', 'nodes.json'));
    expect(degraded).toMatchObject({ total: 3, ready: 2 });
    expect(degraded.notReady.map((n) => [n.name, n.readyStatus, n.reason, n.message])).toEqual([
      ['ip-192-168-85-219.us-east-2.compute.internal', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
    ]);
    // Unknown pressure conditions are not "True": only the disk-pressure node is under pressure.
    expect(degraded.underPressure.map((n) => [n.name, n.problems.map((p) => `${p.type}=${p.status} ${p.reason}`)])).toEqual([
      ['ip-192-168-71-40.us-east-2.compute.internal', ['DiskPressure=True KubeletHasDiskPressure']],
    ]);
  });

  it('a node that just registered (no Ready condition yet) is not Ready', () => {
    const n = nodeHealth({ kind: 'Node', metadata: { name: 'fresh' }, status: { conditions: [] } });
    expect(n).toMatchObject({ ready: false, readyStatus: 'missing', reason: 'NoReadyCondition' });
  });
});

describe('deployment readiness', () => {
  it('reads readyReplicas against spec.replicas and keeps the failing conditions', () => {
    const ok = deploymentHealth(items('healthy', 'deployments.json'), 'kube-system', 'coredns');
    expect(ok).toMatchObject({ found: true, replicas: 2, readyReplicas: 2, ready: true, conditions: [] });
    const bad = deploymentHealth(items('cni-not-ready', 'deployments.json'), 'kube-system', 'coredns');
    expect(bad).toMatchObject({ found: true, replicas: 2, readyReplicas: 0, availableReplicas: 0, ready: false });
    expect(bad.conditions).toEqual([
      'Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.',
      'Progressing=False ProgressDeadlineExceeded: ReplicaSet "coredns-787cb67946" has timed out progressing.',
    ]);
    expect(deploymentHealth(items('healthy', 'deployments.json'), 'kube-system', 'kube-dns')).toMatchObject({ found: false, ready: false });
    // Same name in another namespace does not count.
    expect(deploymentHealth(items('healthy', 'deployments.json'), 'default', 'coredns').found).toBe(false);
  });

  it('a deployment scaled to 0 is not ready; a missing spec.replicas means 1, as the API defaults it', () => {
    const zero = { metadata: { name: 'x', namespace: 'n' }, spec: { replicas: 0 }, status: {} };
    expect(deploymentHealth([zero], 'n', 'x').ready).toBe(false);
    const defaulted = { metadata: { name: 'x', namespace: 'n' }, spec: {}, status: { readyReplicas: 1, updatedReplicas: 1 } };
    expect(deploymentHealth([defaulted], 'n', 'x')).toMatchObject({ replicas: 1, ready: true });
  });
});

describe('pending pods with their events', () => {
  it('lists Pending pods of a namespace with the scheduler condition and events (events.k8s.io-recorded shape)', () => {
    const pods = pendingPods(items('cni-not-ready', 'pods.json'), items('cni-not-ready', 'events.json'), 'karpenter');
    expect(pods.map((p) => p.name)).toEqual(['karpenter-6f9c8b7d4-q9m4z', 'karpenter-6f9c8b7d4-x7k2p']);
    const p = pods[0]!;
    expect(p.scheduled).toEqual({ reason: 'Unschedulable', message: expect.stringMatching(/^0\/2 nodes are available: 2 node\(s\) had untolerated taint \{node.kubernetes.io\/not-ready: \}/) });
    expect(p.events).toEqual([
      {
        type: 'Warning',
        reason: 'FailedScheduling',
        message: expect.stringContaining('Preemption is not helpful for scheduling.'),
        count: 7,
        lastSeen: '2026-11-20T10:12:09.712338Z',
        source: 'default-scheduler',
      },
    ]);
    expect(pendingReason(p)).toEqual({ reason: 'FailedScheduling', message: p.events[0]!.message });
    // null namespace: every namespace (the coredns pod too).
    expect(pendingPods(items('cni-not-ready', 'pods.json'), items('cni-not-ready', 'events.json'), null)).toHaveLength(3);
    // Running pods are not Pending.
    expect(pendingPods(items('healthy', 'pods.json'), items('healthy', 'events.json'), null)).toEqual([]);
  });

  it('reads both event shapes, newest first, and ignores events of an earlier pod with the same name', () => {
    const pod = { kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-now', creationTimestamp: '2026-11-20T10:00:00Z' }, status: { phase: 'Pending' } };
    const core = { kind: 'Event', type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient memory.', count: 4, firstTimestamp: '2026-11-20T10:00:01Z', lastTimestamp: '2026-11-20T10:05:00Z', involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-now' }, source: { component: 'default-scheduler' } };
    const modern = { apiVersion: 'events.k8s.io/v1', kind: 'Event', type: 'Warning', reason: 'FailedScheduling', note: 'pod has unbound immediate PersistentVolumeClaims.', regarding: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-now' }, eventTime: '2026-11-20T10:06:00.000001Z', series: { count: 2, lastObservedTime: '2026-11-20T10:09:00.500000Z' }, reportingController: 'default-scheduler', metadata: { namespace: 'shop' } };
    const stale = { ...core, message: 'old pod', lastTimestamp: '2026-11-20T09:00:00Z', involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-before' } };
    const other = { ...core, involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'x' } };
    // Same second, with and without a fraction: the later one (10:09:00.5) is newer.
    const sameSecond = { ...core, message: 'whole second', lastTimestamp: '2026-11-20T10:09:00Z', count: 1 };
    const [p] = pendingPods([pod], [core, stale, other, sameSecond, modern], 'shop');
    expect(p!.scheduled).toBeNull();
    expect(p!.events.map((e) => [e.message, e.count, e.source])).toEqual([
      ['pod has unbound immediate PersistentVolumeClaims.', 2, 'default-scheduler'],
      ['whole second', 1, 'default-scheduler'],
      ['0/3 nodes are available: 3 Insufficient memory.', 4, 'default-scheduler'],
    ]);
  });

  it('a scheduled pod still Pending because its image does not pull names the waiting container', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'karpenter-7d9f6c5b8-m4n2x', namespace: 'karpenter', uid: 'u1', creationTimestamp: '2026-11-20T10:01:00Z' },
      spec: { nodeName: 'ip-192-168-62-170.us-east-2.compute.internal' },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-20T10:01:00Z' }],
        containerStatuses: [{
          name: 'controller', ready: false, restartCount: 0, started: false, image: 'public.ecr.aws/karpenter/controller:1.0.99', imageID: '',
          lastState: {},
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "public.ecr.aws/karpenter/controller:1.0.99"' } },
        }],
      },
    };
    const [p] = pendingPods([pod], [], 'karpenter');
    expect(p!.scheduled).toBeNull();
    expect(p!.waiting).toEqual([{ container: 'controller', reason: 'ImagePullBackOff', message: 'Back-off pulling image "public.ecr.aws/karpenter/controller:1.0.99"' }]);
    expect(pendingReason(p!)).toEqual({ reason: 'ImagePullBackOff', message: 'controller: Back-off pulling image "public.ecr.aws/karpenter/controller:1.0.99"' });
  });

  it('a Pending pod whose events expired still has its scheduler condition', () => {
    const pods = pendingPods(items('no-nodes', 'pods.json'), [], 'kube-system');
    expect(pods).toHaveLength(2);
    expect(pendingReason(pods[0]!)).toEqual({ reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
  });
});
