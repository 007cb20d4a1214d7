/**
 * Unschedulable_*: the pod is Pending because the scheduler found no node. The scheduler's
 * `0/N nodes are available: …` message (PodScheduled condition, FailedScheduling events) is parsed,
 * the reason covering the most nodes is the root cause and the others are named as secondary.
 */
import { dominantSchedulingReason, isSchedulerMessage, parseSchedulerMessage, type SchedulingCause } from '../../scheduler.js';
import { arr, obj, str, type PodContext } from '../context.js';
import { applyStep, describeCmd, eventEv, k, latest, statusEv, type Finding, type PodRule } from '../finding.js';

const REMEDY: Record<SchedulingCause, (ctx: PodContext, reason: string) => { commands: string[]; steps: string[] }> = {
  Unschedulable_InsufficientResources: (ctx, reason) => ({
    commands: ['kubectl top nodes', 'kubectl describe nodes', k(ctx, 'get', 'pod', ctx.name, '-o', "jsonpath={.spec.containers[*].resources.requests}")],
    steps: [
      `No node has room for the pod's requests (${reason}). Either lower the requests to what the app really uses, or add capacity: scale the node group / let the cluster autoscaler add a node.`,
      applyStep(ctx),
      'Ask before scaling the cluster: it costs money.',
    ],
  }),
  Unschedulable_TooManyPods: () => ({
    commands: ['kubectl get nodes -o custom-columns=NAME:.metadata.name,MAXPODS:.status.allocatable.pods', 'kubectl describe nodes'],
    steps: ['Every node is at its pod limit (max pods / IP addresses per node). Add nodes, use larger instance types, or raise max pods (e.g. prefix delegation on EKS); ask first: it changes the cluster.'],
  }),
  Unschedulable_Taint: (ctx, reason) => ({
    commands: ['kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints'],
    steps: [
      `The nodes carry taints the pod does not tolerate (${reason}). If the pod belongs on those nodes, add a matching \`tolerations\` entry to the pod template. ${applyStep(ctx)}`,
      'If a node is cordoned or tainted by mistake, removing the taint (`kubectl taint nodes <node> <key>-`) changes the node: ask first.',
    ],
  }),
  Unschedulable_NodeAffinity: (ctx, reason) => ({
    commands: ['kubectl get nodes --show-labels', k(ctx, 'get', 'pod', ctx.name, '-o', "jsonpath={.spec.nodeSelector}{.spec.affinity.nodeAffinity}")],
    steps: [`No node has the labels the pod's nodeSelector / node affinity requires (${reason}). Fix the selector in the pod template (typo, wrong zone or instance type) or label/add nodes that match. ${applyStep(ctx)}`],
  }),
  Unschedulable_PodAntiAffinity: (ctx, reason) => ({
    commands: [k(ctx, 'get', 'pods', '-o', 'wide'), k(ctx, 'get', 'pod', ctx.name, '-o', "jsonpath={.spec.affinity.podAntiAffinity}{.spec.topologySpreadConstraints}")],
    steps: [`Pod (anti-)affinity or topology spread rules leave no node (${reason}): more replicas than nodes/zones with a required anti-affinity. Use preferredDuringScheduling, fewer replicas, or more nodes. ${applyStep(ctx)}`],
  }),
  Unschedulable_PVC: (ctx, reason) => {
    const claims = arr(obj(ctx.pod.spec).volumes)
      .map((v) => str(obj(obj(v).persistentVolumeClaim).claimName))
      .filter((x): x is string => !!x);
    return {
      commands: [k(ctx, 'get', 'pvc'), ...claims.map((c) => k(ctx, 'describe', 'pvc', c)), 'kubectl get storageclass'],
      steps: [
        `The pod's volumes cannot be bound or reached (${reason}). Check the claim${claims.length ? ` ${claims.join(', ')}` : ''}: its StorageClass exists and provisions (CSI driver running, WaitForFirstConsumer), or its existing volume's zone has a node.`,
        'Do not delete or re-create a PVC without asking: it may delete the data.',
      ],
    };
  },
  Unschedulable_NoNodes: () => ({
    commands: ['kubectl get nodes -o wide'],
    steps: ['There are no schedulable nodes: the node group is at 0, or every node is NotReady or cordoned (`kubectl uncordon` after maintenance). Scale the node group up or repair the nodes (ask first: it changes the cluster).'],
  }),
};

function match(ctx: PodContext): Finding | null {
  if (ctx.phase !== 'Pending' || ctx.nodeName) return null;
  const cond = ctx.conditions.find((c) => c.type === 'PodScheduled');
  if (cond?.status === 'True') return null;
  const ev = latest(ctx.events, (e) => e.reason === 'FailedScheduling' || (e.reason === 'NotTriggerScaleUp' ? false : isSchedulerMessage(e.message)));
  const message = cond?.message && isSchedulerMessage(cond.message) ? cond.message : (ev?.message ?? cond?.message ?? null);
  const evidence = [];
  if (cond) {
    if (cond.reason) evidence.push(statusEv(`status.conditions[${cond.index}].reason`, cond.reason));
    if (cond.message) evidence.push(statusEv(`status.conditions[${cond.index}].message`, cond.message));
  }
  if (ev) evidence.push(eventEv(ev));
  const verdict = message ? dominantSchedulingReason(parseSchedulerMessage(message)) : null;
  const scaleUp = latest(ctx.events, (e) => e.reason === 'NotTriggerScaleUp' || e.reason === 'TriggeredScaleUp');
  if (scaleUp) evidence.push(eventEv(scaleUp));
  if (!verdict) {
    // Pending, not scheduled, and the scheduler's words are gone: a guess.
    const r = REMEDY.Unschedulable_InsufficientResources(ctx, 'reason not recorded');
    return {
      rootCause: 'Unschedulable_InsufficientResources',
      container: null,
      summary: `Pod is Pending and not scheduled${message ? `: ${message}` : ''}; the scheduler's reason is not available (events expire after an hour) — guessing insufficient resources.`,
      evidence: evidence.length ? evidence : [statusEv('status.phase', 'Pending')],
      commands: [describeCmd(ctx), ...r.commands],
      steps: r.steps,
      confidence: 'low',
    };
  }
  const { cause, reason, others, selectorExcluded } = verdict;
  const total = parseSchedulerMessage(message!).total;
  const r = REMEDY[cause](ctx, reason.text);
  const othersText = others.filter((o) => o.cause).map((o) => `${o.count} ${o.text}`);
  return {
    rootCause: cause,
    container: null,
    summary: `Pod is Pending: ${cause === 'Unschedulable_NoNodes' && reason.count === 0 ? 'the cluster has no nodes available' : cause === 'Unschedulable_NoNodes' ? `no usable node: ${reason.count}${total ? `/${total}` : ''} ${reason.text}` : `${reason.count}${total ? `/${total}` : ''} nodes rejected it: ${reason.text}${selectorExcluded ? ` (the nodes its own node selector/affinity allows; it excludes the ${selectorExcluded} others on purpose)` : ''}`}${othersText.length ? `; also ${othersText.join(', ')}` : ''}.`,
    evidence,
    commands: [describeCmd(ctx), ...r.commands],
    steps: r.steps,
    // The PodScheduled condition is a status field; an event alone is one step removed.
    confidence: cond?.message === message ? 'high' : 'medium',
    secondary: others.filter((o) => o.cause && o.cause !== cause).map((o) => ({ rootCause: o.cause!, reason: `${o.count} ${o.text}` })),
  };
}

export const unschedulableRule: PodRule = {
  scope: 'pod',
  labels: [
    'Unschedulable_InsufficientResources',
    'Unschedulable_Taint',
    'Unschedulable_NodeAffinity',
    'Unschedulable_PodAntiAffinity',
    'Unschedulable_PVC',
    'Unschedulable_TooManyPods',
    'Unschedulable_NoNodes',
  ],
  priority: 20,
  match,
};
