/**
 * Nodes present and Ready. A node is Ready when its `Ready` condition is `True` (set by the
 * kubelet: `KubeletReady` / "kubelet is posting ready status"). Otherwise the condition says why:
 * `False` with `KubeletNotReady` and the runtime's message (e.g. "container runtime network not
 * ready: … cni plugin not initialized"), or `Unknown` with `NodeStatusUnknown` / "Kubelet stopped
 * posting node status." written by the node controller.
 */
import { arr, condition, nameOf, obj, str } from './k8s.js';
import type { K8sObject, NodeCondition, NodeHealth, NodesSummary } from './types.js';

/** Conditions that are bad when True. */
const PROBLEM_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

function toCondition(c: K8sObject): NodeCondition {
  return {
    type: str(c.type) ?? '',
    status: str(c.status) ?? '',
    reason: str(c.reason),
    message: str(c.message),
    lastTransitionTime: str(c.lastTransitionTime),
  };
}

export function nodeHealth(node: K8sObject): NodeHealth {
  const ready = condition(node, 'Ready');
  const status = str(ready?.status);
  const readyStatus: NodeHealth['readyStatus'] = status === 'True' || status === 'False' || status === 'Unknown' ? status : 'missing';
  const problems = arr(obj(node.status).conditions)
    .filter((c) => PROBLEM_CONDITIONS.includes(String(c.type)) && c.status === 'True')
    .map(toCondition);
  return {
    name: nameOf(node),
    ready: readyStatus === 'True',
    readyStatus,
    reason: readyStatus === 'True' ? null : (str(ready?.reason) ?? (readyStatus === 'missing' ? 'NoReadyCondition' : null)),
    message: readyStatus === 'True' ? null : (str(ready?.message) ?? (readyStatus === 'missing' ? 'the node has no Ready condition yet (just registered?)' : null)),
    problems,
    unschedulable: obj(node.spec).unschedulable === true,
    kubeletVersion: str(obj(obj(node.status).nodeInfo).kubeletVersion),
  };
}

export function summarizeNodes(nodes: K8sObject[]): NodesSummary {
  const health = nodes.map(nodeHealth);
  const ready = health.filter((n) => n.ready);
  return {
    total: health.length,
    ready: ready.length,
    readyNames: ready.map((n) => n.name),
    notReady: health.filter((n) => !n.ready),
    underPressure: ready.filter((n) => n.problems.length > 0),
  };
}

/** One line for a NotReady node: `ip-10-0-1-5 (False, KubeletNotReady: container runtime network not ready…)`. */
export function describeNotReady(n: NodeHealth): string {
  const why = [n.reason, n.message].filter(Boolean).join(': ');
  const pressure = n.problems.length ? `; ${n.problems.map((p) => p.type).join(', ')}` : '';
  return `${n.name} (${n.readyStatus}${why ? `, ${why}` : ''}${pressure})`;
}
