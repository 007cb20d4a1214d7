/**
 * Pods stuck Pending in a namespace, each with the scheduler's word on it: the `PodScheduled=False`
 * condition (`Unschedulable`, "0/2 nodes are available: 2 node(s) had untolerated taint
 * {node.kubernetes.io/not-ready: }. preemption: …") and the pod's events. Events come in two shapes
 * (core/v1 `involvedObject`/`message`/`count`/`lastTimestamp`, events.k8s.io/v1
 * `regarding`/`note`/`series`); both are read (src/diagnose/events.ts). Events expire (about an
 * hour): a pod may have none.
 */
import { eventSubject, normalizeEvent } from '../diagnose/events.js';
import { arr, condition, nameOf, namespaceOf, obj, str } from './k8s.js';
import type { K8sObject, PendingPod, PodEventSummary } from './types.js';

interface EventFor extends PodEventSummary {
  kind: string | null;
  namespace: string | null;
  name: string | null;
  uid: string | null;
}

/** Both event shapes, normalised by the diagnosis module; kept with the object they are about. */
function eventsFor(events: K8sObject[]): EventFor[] {
  const out: EventFor[] = [];
  for (const raw of events) {
    const e = normalizeEvent(raw);
    if (!e) continue;
    const subject = eventSubject(raw);
    out.push({
      ...subject,
      namespace: subject.namespace ?? str(obj(raw.metadata).namespace),
      type: e.type,
      reason: e.reason,
      message: e.message.trim(),
      count: e.count,
      lastSeen: e.lastSeen,
      source: e.source,
    });
  }
  return out;
}

/** Milliseconds of an ISO time (fractions of a second included); events without one sort last. */
function time(t: string | null): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : Number.NEGATIVE_INFINITY;
}

/** Pending pods of `namespace` (null: every namespace), oldest first, each with its events newest first. */
export function pendingPods(pods: K8sObject[], events: K8sObject[], namespace: string | null): PendingPod[] {
  const normalised = eventsFor(events).filter((e) => e.kind === null || e.kind === 'Pod');
  const pending = pods.filter((p) => str(obj(p.status).phase) === 'Pending' && (namespace === null || namespaceOf(p) === namespace));
  const out = pending.map((p): PendingPod => {
    const meta = obj(p.metadata);
    const uid = str(meta.uid);
    const name = nameOf(p);
    const ns = namespaceOf(p);
    const scheduled = condition(p, 'PodScheduled');
    const mine = normalised
      .filter((e) => e.name === name && (e.namespace ?? ns) === ns && (e.uid === null || uid === null || e.uid === uid))
      .sort((a, b) => time(b.lastSeen) - time(a.lastSeen))
      .map(({ kind: _k, namespace: _n, name: _nm, uid: _u, ...rest }) => rest);
    return {
      namespace: ns,
      name,
      created: str(meta.creationTimestamp),
      scheduled: scheduled && scheduled.status === 'False' ? { reason: str(scheduled.reason), message: str(scheduled.message) } : null,
      waiting: [...arr(obj(p.status).initContainerStatuses), ...arr(obj(p.status).containerStatuses)]
        .filter((c) => obj(c.state).waiting !== undefined)
        .map((c) => ({ container: str(c.name) ?? '', reason: str(obj(obj(c.state).waiting).reason), message: str(obj(obj(c.state).waiting).message) })),
      events: mine,
    };
  });
  return out.sort((a, b) => (a.created ?? '').localeCompare(b.created ?? '') || a.name.localeCompare(b.name));
}

/**
 * The most telling line for a pending pod: the newest Warning event, else the scheduler condition,
 * else a waiting container's reason (a scheduled pod is still Pending while its images pull).
 */
export function pendingReason(p: PendingPod): { reason: string | null; message: string | null } {
  const warning = p.events.find((e) => e.type === 'Warning');
  if (warning) return { reason: warning.reason, message: warning.message };
  if (p.scheduled) return p.scheduled;
  const waiting = p.waiting.find((w) => w.reason);
  if (waiting) return { reason: waiting.reason, message: waiting.message ? `${waiting.container}: ${waiting.message}` : `container ${waiting.container} waiting` };
  const any = p.events[0];
  return any ? { reason: any.reason, message: any.message } : { reason: null, message: null };
}
