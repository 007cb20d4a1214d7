/**
 * Node diagnosis: is it Ready, and if not which condition says why — the network plugin (CNI) not
 * initialised, the container runtime down, PLEG unhealthy, the kubelet no longer posting status
 * (node lifecycle controller: NodeStatusUnknown), memory/disk/PID pressure — plus cordoned nodes
 * and the taints that keep pods away.
 */
import { arr, meta, obj, str, type K8sObject } from './gather.js';
import type { Confidence, Evidence, Remediation, RiskTier } from './types.js';

export const NODE_PROBLEMS = [
  'Healthy',
  'NetworkPluginNotReady',
  'ContainerRuntimeNotReady',
  'PLEGNotHealthy',
  'KubeletStoppedPosting',
  'KubeletNotReady',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
  'Cordoned',
] as const;
export type NodeProblem = (typeof NODE_PROBLEMS)[number];

export interface NodeDiagnosis {
  kind: 'Node';
  name: string;
  /** `Ready` condition status: True, False or Unknown (Unknown also when the condition is missing). */
  ready: 'True' | 'False' | 'Unknown';
  healthy: boolean;
  /** The main problem (why it is NotReady when it is). */
  problem: NodeProblem;
  /** Every problem seen, the main one first. */
  problems: NodeProblem[];
  summary: string;
  evidence: Evidence[];
  unschedulable: boolean;
  taints: { key: string; value: string | null; effect: string }[];
  remediation: Remediation;
  riskTier: RiskTier;
  confidence: Confidence;
}

const PRESSURE: Record<string, NodeProblem> = { MemoryPressure: 'MemoryPressure', DiskPressure: 'DiskPressure', PIDPressure: 'PIDPressure' };

/** Why the kubelet says it is not ready, from the Ready condition's message (wording of kubelet 1.2x–1.3x). */
function readyReason(reason: string, message: string): NodeProblem {
  if (reason === 'NodeStatusUnknown' || /Kubelet stopped posting node status/i.test(message)) return 'KubeletStoppedPosting';
  if (/network not ready|NetworkPluginNotReady|cni (plugin not initialized|config uninitialized)/i.test(message)) return 'NetworkPluginNotReady';
  // "container runtime is down" comes with PLEG complaints: the runtime is the cause, PLEG the symptom.
  if (/container runtime (is down|not ready|status check may not have completed)|RuntimeReady=false/i.test(message)) return 'ContainerRuntimeNotReady';
  if (/PLEG is not healthy/i.test(message)) return 'PLEGNotHealthy';
  return 'KubeletNotReady';
}

export interface NodeInput {
  node: K8sObject;
  /** Events about the node (either shape); optional. */
  events?: K8sObject[];
}

/** Node events worth quoting: warnings (eviction thresholds, image GC, OOM, reboots) and NotReady transitions. */
const NODE_EVENT = /^(NodeNotReady|NodeHasDiskPressure|NodeHasInsufficientMemory|NodeHasInsufficientPID)$/;

function nodeEvidenceEvents(events: K8sObject[]): Evidence[] {
  const picked = events.filter((e) => str(e.type) === 'Warning' || NODE_EVENT.test(str(e.reason) ?? ''));
  const seen = (e: K8sObject) => str(e.lastTimestamp) ?? str(obj(e.series).lastObservedTime) ?? str(e.deprecatedLastTimestamp) ?? str(e.eventTime) ?? str(obj(e.metadata).creationTimestamp) ?? '';
  return picked
    .sort((a, b) => seen(b).localeCompare(seen(a)))
    .slice(0, 5)
    .map((e) => ({ source: 'event' as const, path: `event:${str(e.reason) ?? ''}`, text: (str(e.message) ?? str(e.note) ?? '').slice(0, 500) }));
}

/** Diagnoses a node from its object (`kubectl get node -o json`) and, optionally, its events. */
export function diagnoseNode(node: K8sObject, events: K8sObject[] = []): NodeDiagnosis {
  const { name } = meta(node);
  const spec = obj(node.spec);
  const conditions = arr(obj(node.status).conditions);
  const evidence: Evidence[] = [];
  const problems: NodeProblem[] = [];
  const cond = (type: string) => conditions.find((c) => str(c.type) === type);
  const at = (c: K8sObject) => `status.conditions[type=${str(c.type)}]`;
  const text = (c: K8sObject) => [str(c.status), str(c.reason), str(c.message)].filter(Boolean).join(' · ');

  const readyCond = cond('Ready');
  const readyStatus = str(readyCond?.status);
  const ready: NodeDiagnosis['ready'] = readyStatus === 'True' || readyStatus === 'False' ? readyStatus : 'Unknown';
  if (!readyCond) evidence.push({ source: 'status', path: 'status.conditions', text: 'no Ready condition' });
  else if (ready !== 'True') {
    evidence.push({ source: 'status', path: at(readyCond), text: text(readyCond) });
    problems.push(readyReason(str(readyCond.reason) ?? '', str(readyCond.message) ?? ''));
  }
  for (const [type, problem] of Object.entries(PRESSURE)) {
    const c = cond(type);
    if (c && str(c.status) === 'True') {
      evidence.push({ source: 'status', path: at(c), text: text(c) });
      // Pressure explains NotReady only when the kubelet still reports; put it first when the node is Ready.
      problems.push(problem);
    }
  }
  const net = cond('NetworkUnavailable');
  if (net && str(net.status) === 'True') {
    evidence.push({ source: 'status', path: at(net), text: text(net) });
    problems.push('NetworkUnavailable');
  }
  const unschedulable = spec.unschedulable === true;
  if (unschedulable) {
    evidence.push({ source: 'spec', path: 'spec.unschedulable', text: 'true' });
    problems.push('Cordoned');
  }
  const taints = arr(spec.taints).map((t) => ({ key: str(t.key) ?? '', value: str(t.value) ?? null, effect: str(t.effect) ?? '' }));
  for (const t of taints) {
    if (/^node\.kubernetes\.io\//.test(t.key) || t.key === 'node.cloudprovider.kubernetes.io/uninitialized' || t.effect === 'NoExecute') {
      evidence.push({ source: 'spec', path: `spec.taints[key=${t.key},effect=${t.effect}]`, text: `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}` });
    }
  }
  if (readyStatus === undefined && problems.length === 0) problems.push('KubeletNotReady');
  if (problems.length > 0) evidence.push(...nodeEvidenceEvents(events));

  const problem: NodeProblem = problems[0] ?? 'Healthy';
  const healthy = problem === 'Healthy';
  const r = remedy(problem, name);
  const readyText = readyCond ? `${str(readyCond.reason) ?? ''}${str(readyCond.message) ? `: ${str(readyCond.message)}` : ''}` : 'no Ready condition';
  const summary = healthy
    ? `node ${name} is Ready and schedulable`
    : ready !== 'True'
      ? `node ${name} is NotReady (${problem}): ${readyText}`
      : `node ${name} is Ready but ${problem === 'Cordoned' ? 'cordoned (unschedulable)' : `under ${problem}`}`;
  return {
    kind: 'Node',
    name,
    ready,
    healthy,
    problem,
    problems: healthy ? [] : [...new Set(problems)],
    summary,
    evidence,
    unschedulable,
    taints,
    remediation: r.remediation,
    riskTier: r.riskTier,
    confidence: problem === 'KubeletNotReady' ? 'medium' : 'high',
  };
}

function remedy(problem: NodeProblem, node: string): { remediation: Remediation; riskTier: RiskTier } {
  const describe = `kubectl describe node ${node}`;
  const podsOnNode = `kubectl get pods -A -o wide --field-selector spec.nodeName=${node}`;
  switch (problem) {
    case 'NetworkPluginNotReady':
      return {
        remediation: {
          commands: [`kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=${node}`, 'kubectl -n kube-system get daemonsets', describe],
          steps: [
            'The CNI plugin on this node is not initialised: find its DaemonSet pod on the node (aws-node / vpc-cni on EKS, calico-node, cilium, flannel) and diagnose it (`infra-ops diagnose pod <name> -n kube-system`).',
            'On a new cluster, install the CNI add-on (e.g. the EKS vpc-cni add-on) if it is missing; check /etc/cni/net.d on the node holds a config.',
          ],
        },
        riskTier: 'low',
      };
    case 'ContainerRuntimeNotReady':
    case 'PLEGNotHealthy':
      return {
        remediation: {
          commands: [describe, podsOnNode],
          steps: [
            'On the node: `systemctl status containerd` (or crio) and `journalctl -u kubelet -u containerd --since -30m`; restart the runtime if it hangs.',
            problem === 'PLEGNotHealthy' ? 'PLEG stalls come from an overloaded runtime (too many containers, slow disk): drain the node if it persists.' : 'If the runtime does not recover, drain and replace the node.',
          ],
        },
        riskTier: 'medium',
      };
    case 'KubeletStoppedPosting':
      return {
        remediation: {
          commands: [describe, podsOnNode],
          steps: [
            'The control plane has heard nothing from the kubelet: check the machine is running (cloud console / `aws ec2 describe-instance-status`), reachable, and that kubelet runs (`systemctl status kubelet`, `journalctl -u kubelet`).',
            'If the instance is gone or stuck, replace it (node group / Karpenter does this by itself for managed nodes); pods on it are evicted after the NoExecute toleration expires.',
          ],
        },
        riskTier: 'medium',
      };
    case 'MemoryPressure':
    case 'DiskPressure':
    case 'PIDPressure':
      return {
        remediation: {
          commands: [describe, podsOnNode, `kubectl top node ${node}`],
          steps: [
            problem === 'DiskPressure'
              ? 'Free disk on the node: unused images (`crictl rmi --prune`), large container logs and emptyDir volumes; or give nodes bigger disks.'
              : problem === 'MemoryPressure'
                ? 'Find the pods using the most memory (`kubectl top pods -A --sort-by=memory`) and set memory requests/limits; the kubelet evicts pods until pressure ends.'
                : 'A pod forks too many processes: find it (`ps` on the node) and set a pids limit; raise kernel.pid_max only if the load is legitimate.',
          ],
        },
        riskTier: 'low',
      };
    case 'NetworkUnavailable':
      return {
        remediation: { commands: [describe, `kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=${node}`], steps: ['The route/CNI controller has not configured this node\'s network: check the CNI pods and the cloud route controller.'] },
        riskTier: 'low',
      };
    case 'Cordoned':
      return {
        remediation: { commands: [describe, `kubectl uncordon ${node}`], steps: ['The node was cordoned (drain, upgrade or by hand): uncordon it only once the maintenance is over (ask first).'] },
        riskTier: 'low',
      };
    case 'KubeletNotReady':
      return {
        remediation: { commands: [describe, podsOnNode], steps: ['Read the Ready condition message and the kubelet journal on the node (`journalctl -u kubelet`).'] },
        riskTier: 'medium',
      };
    default:
      return { remediation: { commands: [], steps: [] }, riskTier: 'trivial' };
  }
}
