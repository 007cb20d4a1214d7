/**
 * The scheduler's FailedScheduling message, parsed:
 *   `0/6 nodes are available: 2 Insufficient cpu, 1 node(s) had untolerated taint {k: v},
 *    3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: …`
 * and the older wordings (`node(s) had taint {…}, that the pod didn't tolerate`, `didn't match node
 * selector`, `no nodes available to schedule pods`, reasons without a count such as `pod has unbound
 * immediate PersistentVolumeClaims`). Each reason is classified into an `Unschedulable_*` root cause;
 * the dominant one is the reason covering the most nodes, the others are named as secondary.
 */
import type { RootCause } from './types.js';

export type SchedulingCause = Extract<RootCause, `Unschedulable_${string}`>;

export interface SchedulerReason {
  /** Nodes this reason ruled out; for pod-level reasons without a count, all nodes. */
  count: number;
  /** The reason as the scheduler wrote it, without its count. */
  text: string;
  cause: SchedulingCause | null;
  /** A taint every cluster has on its control plane (expected, so never the interesting reason on a tie). */
  controlPlaneTaint: boolean;
}

export interface ParsedSchedulerMessage {
  available: number | null;
  total: number | null;
  reasons: SchedulerReason[];
  /** The `preemption: …` tail, verbatim, or null. */
  preemption: string | null;
}

/** Ordered: the first pattern that matches a reason names its cause. */
const PATTERNS: [RegExp, SchedulingCause][] = [
  [/unbound (immediate )?persistentvolumeclaims|persistentvolumeclaim "[^"]*" not found|volume node affinity conflict|didn't find available persistent volumes|max volume count|volumebinding|binding volumes|persistentvolumeclaim "[^"]*" is being deleted|unbound persistentvolumeclaim/i, 'Unschedulable_PVC'],
  // `Too many pods` (current) and `Insufficient pods` (kube-scheduler ≤1.2x NodeResourcesFit): the node's pod capacity.
  [/too many pods|insufficient pods/i, 'Unschedulable_TooManyPods'],
  [/insufficient |didn't have free ports|free ports/i, 'Unschedulable_InsufficientResources'],
  [/anti-affinity|pod affinity|topology spread constraints|affinity\/anti-affinity/i, 'Unschedulable_PodAntiAffinity'],
  [/node affinity|node selector|nodeaffinity|didn't match pod's node|node\(s\) didn't match node/i, 'Unschedulable_NodeAffinity'],
  // Cordoned (`were unschedulable`), NotReady or unreachable nodes: no usable node, not a taint someone set.
  [/no nodes available|were not ready|were unschedulable|0\/0 nodes|taint \{node\.kubernetes\.io\/(unschedulable|not-ready|unreachable|network-unavailable)\b/i, 'Unschedulable_NoNodes'],
  [/taint|had (disk|memory|pid) pressure|unschedulable/i, 'Unschedulable_Taint'],
];

export function classifySchedulerReason(text: string): SchedulingCause | null {
  for (const [re, cause] of PATTERNS) if (re.test(text)) return cause;
  return null;
}

const CONTROL_PLANE_TAINT = /\{node-role\.kubernetes\.io\/(control-plane|master)\b/;

/** Parses a FailedScheduling message; reasons are returned most nodes first. */
export function parseSchedulerMessage(message: string): ParsedSchedulerMessage {
  const msg = message.trim();
  let head = msg;
  let preemption: string | null = null;
  const p = /\.?\s*preemption:\s*/i.exec(msg);
  if (p) {
    head = msg.slice(0, p.index);
    preemption = msg.slice(p.index + p[0].length).trim() || null;
  }
  const out: ParsedSchedulerMessage = { available: null, total: null, reasons: [], preemption };

  if (/no nodes available to schedule pods/i.test(head)) {
    out.available = 0;
    out.total = 0;
    out.reasons.push({ count: 0, text: 'no nodes available to schedule pods', cause: 'Unschedulable_NoNodes', controlPlaneTaint: false });
    return out;
  }
  const m = /(\d+)\/(\d+) nodes are available:?\s*/i.exec(head);
  let body = head;
  if (m) {
    out.available = Number(m[1]);
    out.total = Number(m[2]);
    body = head.slice(m.index + m[0].length);
  }
  body = body.replace(/\.\s*$/, '').trim();
  if (out.total === 0 && !body) {
    out.reasons.push({ count: 0, text: '0/0 nodes are available', cause: 'Unschedulable_NoNodes', controlPlaneTaint: false });
    return out;
  }
  if (!body) return out;
  // Reasons are separated by ", " before a count; a reason's own text may hold commas
  // (`had taint {…}, that the pod didn't tolerate`), so split only where a count follows.
  const parts = m ? body.split(/,\s+(?=\d+\s)|\.\s+(?=\d+\s)/) : [body];
  for (const part of parts) {
    const pm = /^(\d+)\s+(.*)$/s.exec(part.trim());
    const count = pm ? Number(pm[1]) : (out.total ?? 0);
    const text = (pm ? pm[2]! : part).trim().replace(/\.$/, '');
    if (!text) continue;
    out.reasons.push({ count, text, cause: classifySchedulerReason(text), controlPlaneTaint: CONTROL_PLANE_TAINT.test(text) });
  }
  if (out.total === 0 && out.reasons.length === 0) {
    out.reasons.push({ count: 0, text: '0/0 nodes are available', cause: 'Unschedulable_NoNodes', controlPlaneTaint: false });
  }
  out.reasons.sort((a, b) => b.count - a.count);
  return out;
}

export interface SchedulingVerdict {
  cause: SchedulingCause;
  reason: SchedulerReason;
  /** The other reasons, most nodes first, each with its own cause. */
  others: SchedulerReason[];
  /** Nodes the pod's own node selector/affinity excluded, set aside as a filter (0 when it was not). */
  selectorExcluded: number;
}

/** Rank on ties: pod-level blockers first, control-plane taints (expected) last. */
const TIE_RANK: Record<SchedulingCause, number> = {
  Unschedulable_NoNodes: 0,
  Unschedulable_PVC: 1,
  Unschedulable_InsufficientResources: 2,
  Unschedulable_TooManyPods: 3,
  Unschedulable_NodeAffinity: 4,
  Unschedulable_PodAntiAffinity: 5,
  Unschedulable_Taint: 6,
};

/**
 * Nodes ruled out by the pod's own node selector/affinity were excluded on purpose. When the
 * selector leaves some nodes (its count is below the total) and those fail for another reason
 * (other than the control plane's taint, which keeps every workload off it), that reason is what
 * blocks the pod: `3 Insufficient memory, 9 node(s) didn't match node selector` of 12 means the 3
 * chosen nodes are full. When the selector rules out every node, it is the cause.
 */
function selectorFiltered(parsed: ParsedSchedulerMessage, known: SchedulerReason[]): SchedulerReason[] {
  const selector = known.filter((r) => r.cause === 'Unschedulable_NodeAffinity');
  const rest = known.filter((r) => r.cause !== 'Unschedulable_NodeAffinity' && !r.controlPlaneTaint);
  if (!selector.length || !rest.length || !parsed.total) return known;
  const excluded = selector.reduce((n, r) => n + r.count, 0);
  return excluded < parsed.total ? rest : known;
}

/** The dominant reason: most nodes ruled out; on a tie, not the control-plane taint, then by {@link TIE_RANK}. */
export function dominantSchedulingReason(parsed: ParsedSchedulerMessage): SchedulingVerdict | null {
  const all = parsed.reasons.filter((r) => r.cause !== null);
  if (all.length === 0) return null;
  const known = selectorFiltered(parsed, all);
  const ranked = [...known].sort(
    (a, b) =>
      b.count - a.count ||
      Number(a.controlPlaneTaint) - Number(b.controlPlaneTaint) ||
      TIE_RANK[a.cause!] - TIE_RANK[b.cause!],
  );
  // A control-plane taint only wins when nothing else ruled out a node.
  let best = ranked[0]!;
  if (best.controlPlaneTaint) {
    const alt = ranked.find((r) => !r.controlPlaneTaint);
    if (alt) best = alt;
  }
  const selectorExcluded = known === all ? 0 : all.filter((r) => r.cause === 'Unschedulable_NodeAffinity').reduce((n, r) => n + r.count, 0);
  return { cause: best.cause!, reason: best, others: parsed.reasons.filter((r) => r !== best), selectorExcluded };
}

/** True when the text is a scheduler "cannot place this pod" message. */
export function isSchedulerMessage(text: string): boolean {
  return /nodes are available|no nodes available to schedule pods/i.test(text);
}
