import { describe, expect, it } from 'vitest';
import { classifySchedulerReason, dominantSchedulingReason, parseSchedulerMessage } from '../../src/diagnose/scheduler.js';

const verdict = (m: string) => dominantSchedulingReason(parseSchedulerMessage(m));

describe('parseSchedulerMessage', () => {
  it('splits the current wording into counted reasons and keeps the preemption tail', () => {
    const p = parseSchedulerMessage(
      "0/6 nodes are available: 2 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 3 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
    );
    expect(p.available).toBe(0);
    expect(p.total).toBe(6);
    expect(p.reasons.map((r) => [r.count, r.text, r.cause])).toEqual([
      [3, "node(s) didn't match Pod's node affinity/selector", 'Unschedulable_NodeAffinity'],
      [2, 'Insufficient cpu', 'Unschedulable_InsufficientResources'],
      [1, 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 'Unschedulable_Taint'],
    ]);
    expect(p.preemption).toMatch(/^0\/6 nodes are available: 3 Preemption is not helpful/);
  });

  it("keeps the old taint wording whole (its own comma: \"…}, that the pod didn't tolerate\")", () => {
    const p = parseSchedulerMessage("0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient memory.");
    expect(p.reasons.map((r) => r.text)).toEqual(['Insufficient memory', "node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate"]);
  });

  it.each([
    ['Insufficient memory', 'Unschedulable_InsufficientResources'],
    ['Insufficient nvidia.com/gpu', 'Unschedulable_InsufficientResources'],
    ['Too many pods', 'Unschedulable_TooManyPods'],
    ['Insufficient pods', 'Unschedulable_TooManyPods'],
    ['node(s) had untolerated taint(s)', 'Unschedulable_Taint'],
    ["node(s) had taint {dedicated: batch}, that the pod didn't tolerate", 'Unschedulable_Taint'],
    ['node(s) were unschedulable', 'Unschedulable_NoNodes'],
    ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }', 'Unschedulable_NoNodes'],
    ['node(s) had untolerated taint {dedicated: infra}', 'Unschedulable_Taint'],
    ["node(s) didn't match node selector", 'Unschedulable_NodeAffinity'],
    ["node(s) didn't match Pod's node affinity", 'Unschedulable_NodeAffinity'],
    ["node(s) didn't match pod anti-affinity rules", 'Unschedulable_PodAntiAffinity'],
    ["node(s) didn't satisfy existing pods anti-affinity rules", 'Unschedulable_PodAntiAffinity'],
    ["node(s) didn't match pod topology spread constraints", 'Unschedulable_PodAntiAffinity'],
    ['pod has unbound immediate PersistentVolumeClaims', 'Unschedulable_PVC'],
    ['node(s) had volume node affinity conflict', 'Unschedulable_PVC'],
    ['persistentvolumeclaim "data" not found', 'Unschedulable_PVC'],
    ["node(s) didn't find available persistent volumes to bind", 'Unschedulable_PVC'],
  ])('classifies %s', (text, cause) => {
    expect(classifySchedulerReason(text)).toBe(cause);
  });

  it('reasons without a count (pod-level) cover every node', () => {
    const p = parseSchedulerMessage('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(p.reasons).toEqual([{ count: 3, text: 'pod has unbound immediate PersistentVolumeClaims', cause: 'Unschedulable_PVC', controlPlaneTaint: false }]);
  });

  it('no nodes at all, in both wordings', () => {
    expect(verdict('no nodes available to schedule pods')?.cause).toBe('Unschedulable_NoNodes');
    expect(verdict('0/0 nodes are available: . preemption: 0/0 nodes are available: .')?.cause).toBe('Unschedulable_NoNodes');
    expect(verdict('0/0 nodes are available')?.cause).toBe('Unschedulable_NoNodes');
  });
});

describe('dominantSchedulingReason', () => {
  it('picks the reason covering most nodes and names the others', () => {
    const v = verdict('0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory, 3 Insufficient cpu.');
    expect(v?.cause).toBe('Unschedulable_InsufficientResources');
    expect(v?.reason.text).toBe('Insufficient cpu');
    expect(v?.others.map((o) => o.text)).toEqual(['Insufficient memory', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
  });

  it('never blames the control plane taint when anything else ruled out a node, even with more nodes', () => {
    expect(verdict('0/4 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 Insufficient cpu.')?.cause).toBe('Unschedulable_InsufficientResources');
    expect(verdict("0/2 nodes are available: 1 node(s) didn't match node selector, 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.")?.cause).toBe('Unschedulable_NodeAffinity');
    expect(verdict('0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.')?.cause).toBe('Unschedulable_Taint');
  });

  it('treats the nodes its own node selector/affinity excludes as a filter: what blocks the selected nodes is the cause', () => {
    expect(verdict("0/12 nodes are available: 3 Insufficient memory, 9 node(s) didn't match node selector.")?.cause).toBe('Unschedulable_InsufficientResources');
    const v = verdict("0/20 nodes are available: 1 node(s) didn't match pod affinity/anti-affinity, 19 node(s) didn't match node selector.");
    expect(v?.cause).toBe('Unschedulable_PodAntiAffinity');
    expect(v?.others.map((o) => o.text)).toEqual(["node(s) didn't match node selector"]);
    expect(v?.selectorExcluded).toBe(19);
    // The selector rules out every node (older scheduler counts overlap): the selector is the cause.
    expect(verdict("0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.")).toMatchObject({ cause: 'Unschedulable_NodeAffinity', selectorExcluded: 0 });
    // Only the control plane is left besides the excluded nodes: still the selector.
    expect(verdict("0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector.")?.cause).toBe('Unschedulable_NodeAffinity');
  });

  it("older 'Insufficient pods' is the node's pod capacity, not cpu/memory", () => {
    expect(verdict('0/5 nodes are available: 2 node(s) were unschedulable, 3 Insufficient pods.')?.cause).toBe('Unschedulable_TooManyPods');
  });

  it('returns null when it recognises nothing', () => {
    expect(verdict('0/3 nodes are available: 3 something new the scheduler says.')).toBeNull();
    expect(verdict('')).toBeNull();
  });
});
