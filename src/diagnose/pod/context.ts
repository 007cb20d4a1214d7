/**
 * Everything the pod rules read, extracted once and defensively from `kubectl get pod -o json`
 * (any field may be missing or of the wrong type), the pod's normalised events and its logs.
 */
import { eventContainer, eventSubject, eventTime, normalizeEvents, unwrapEvents } from '../events.js';
import type { PodEvent, PodInput } from '../types.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface Termination {
  reason: string | null;
  exitCode: number | null;
  message: string | null;
  finishedAt: number | null;
  /** `status.containerStatuses[0].lastState.terminated` */
  path: string;
}

export interface ContainerView {
  name: string;
  type: 'init' | 'app';
  /** Index in the status array (`status.containerStatuses[i]`), -1 when the kubelet wrote no status yet. */
  statusIndex: number;
  statusPath: string;
  /** Index in the spec array, -1 when absent. */
  specIndex: number;
  specPath: string;
  spec: Obj;
  status: Obj;
  /** An init container declared with `restartPolicy: Always` (a native sidecar). */
  sidecar: boolean;
  image: string | null;
  ready: boolean;
  started: boolean | null;
  restartCount: number;
  waiting: { reason: string | null; message: string | null } | null;
  running: { startedAt: number | null } | null;
  terminated: Termination | null;
  lastTerminated: Termination | null;
}

export interface Owner {
  kind: string;
  name: string;
  /** `deployment/web`, `statefulset/db`, … — what `kubectl set`/`rollout` take; null for a bare pod. */
  ref: string | null;
}

export interface PodContext {
  pod: Obj;
  name: string;
  namespace: string;
  phase: string;
  /** `status.reason` / `status.message` (Evicted, NodeLost, …). */
  reason: string | null;
  message: string | null;
  nodeName: string | null;
  restartPolicy: string;
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastTransitionTime: number | null; index: number }[];
  containers: ContainerView[];
  initContainers: ContainerView[];
  events: PodEvent[];
  logs: Record<string, { current?: string; previous?: string }>;
  /** Reference time in ms. */
  now: number;
  owner: Owner | null;
  volumes: Obj[];
  /** `metadata.deletionTimestamp` is set: the pod is being shut down on purpose. */
  terminating: boolean;
}

const ms = (v: unknown): number | null => {
  const s = str(v);
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
};

function termination(v: unknown, path: string): Termination | null {
  if (!isObj(v)) return null;
  return {
    reason: str(v.reason),
    exitCode: num(v.exitCode),
    message: str(v.message),
    finishedAt: ms(v.finishedAt),
    path,
  };
}

function containerViews(specs: unknown[], statuses: unknown[], type: 'init' | 'app'): ContainerView[] {
  const specKey = type === 'init' ? 'spec.initContainers' : 'spec.containers';
  const statusKey = type === 'init' ? 'status.initContainerStatuses' : 'status.containerStatuses';
  const names: string[] = [];
  const specByName = new Map<string, { s: Obj; i: number }>();
  specs.forEach((s, i) => {
    const n = str(obj(s).name);
    if (n && !specByName.has(n)) {
      specByName.set(n, { s: obj(s), i });
      names.push(n);
    }
  });
  const statusByName = new Map<string, { s: Obj; i: number }>();
  statuses.forEach((s, i) => {
    const n = str(obj(s).name);
    if (n && !statusByName.has(n)) {
      statusByName.set(n, { s: obj(s), i });
      if (!specByName.has(n)) names.push(n);
    }
  });
  return names.map((name) => {
    const sp = specByName.get(name);
    const st = statusByName.get(name);
    const status = st?.s ?? {};
    const spec = sp?.s ?? {};
    const statusPath = st ? `${statusKey}[${st.i}]` : `${statusKey}[name=${name}]`;
    const state = obj(status.state);
    const last = obj(status.lastState);
    const waiting = isObj(state.waiting) ? { reason: str(state.waiting.reason), message: str(state.waiting.message) } : null;
    const running = isObj(state.running) ? { startedAt: ms(state.running.startedAt) } : null;
    return {
      name,
      type,
      statusIndex: st?.i ?? -1,
      statusPath,
      specIndex: sp?.i ?? -1,
      specPath: sp ? `${specKey}[${sp.i}]` : `${specKey}[name=${name}]`,
      spec,
      status,
      sidecar: type === 'init' && spec.restartPolicy === 'Always',
      image: str(spec.image) ?? str(status.image),
      ready: status.ready === true,
      started: typeof status.started === 'boolean' ? status.started : null,
      restartCount: Math.max(0, num(status.restartCount) ?? 0),
      waiting,
      running,
      terminated: termination(state.terminated, `${statusPath}.state.terminated`),
      lastTerminated: termination(last.terminated, `${statusPath}.lastState.terminated`),
    };
  });
}

/** `web-7f9c6d8b5` with `pod-template-hash: 7f9c6d8b5` → deployment `web`. */
function ownerOf(meta: Obj): Owner | null {
  const refs = arr(meta.ownerReferences).map(obj);
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (!ref) return null;
  const kind = str(ref.kind) ?? 'Unknown';
  const name = str(ref.name) ?? '';
  if (!name) return null;
  const labels = obj(meta.labels);
  const hash = str(labels['pod-template-hash']);
  switch (kind) {
    case 'ReplicaSet': {
      if (hash && name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: name.slice(0, -hash.length - 1), ref: `deployment/${name.slice(0, -hash.length - 1)}` };
      return { kind, name, ref: `replicaset/${name}` };
    }
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
      return { kind, name, ref: `${kind.toLowerCase()}/${name}` };
    default:
      return { kind, name, ref: null };
  }
}

/** Events that concern this pod (a namespace-wide list may hold others). */
function eventsOfPod(raw: unknown, name: string, uid: string | null): PodEvent[] {
  const mine = unwrapEvents(raw).filter((e) => {
    const s = eventSubject(e);
    if (uid && s.uid) return s.uid === uid;
    if (s.kind && s.kind !== 'Pod') return false;
    return !s.name || !name || s.name === name;
  });
  return normalizeEvents(mine);
}

export function buildContext(input: PodInput): PodContext {
  // `kubectl get pods -l … -o json` with a single match is a List of one pod.
  const rawPod = obj(input?.pod);
  const listed = rawPod.kind === 'List' && Array.isArray(rawPod.items) && rawPod.items.length === 1 ? obj(rawPod.items[0]) : null;
  const pod = listed ?? rawPod;
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const name = str(meta.name) ?? 'unknown';
  const events = eventsOfPod(input?.events, name, str(meta.uid));
  let now = input?.now instanceof Date && !Number.isNaN(input.now.getTime()) ? input.now.getTime() : Date.now();
  // Live events expire an hour after their last occurrence: when the freshest event is far older
  // than "now", the input is a recording, and "now" is when it was taken.
  if (!(input?.now instanceof Date)) {
    const newest = events.reduce<number | null>((m, e) => {
      const t = eventTime(e);
      return t !== null && (m === null || t > m) ? t : m;
    }, null);
    if (newest !== null && now - newest > 2 * 3600_000) now = newest + 60_000;
  }
  const logs: PodContext['logs'] = {};
  if (isObj(input?.logs)) {
    for (const [k, v] of Object.entries(input.logs)) {
      if (isObj(v)) logs[k] = { current: str(v.current) ?? undefined, previous: str(v.previous) ?? undefined };
    }
  }
  return {
    pod,
    name,
    namespace: str(meta.namespace) ?? 'default',
    phase: str(status.phase) ?? 'Unknown',
    reason: str(status.reason),
    message: str(status.message),
    nodeName: str(spec.nodeName),
    restartPolicy: str(spec.restartPolicy) ?? 'Always',
    conditions: arr(status.conditions).map((c, index) => {
      const o = obj(c);
      return {
        type: str(o.type) ?? '',
        status: str(o.status) ?? '',
        reason: str(o.reason),
        message: str(o.message),
        lastTransitionTime: ms(o.lastTransitionTime),
        index,
      };
    }),
    containers: containerViews(arr(spec.containers), arr(status.containerStatuses), 'app'),
    initContainers: containerViews(arr(spec.initContainers), arr(status.initContainerStatuses), 'init'),
    events,
    logs,
    now,
    owner: ownerOf(meta),
    volumes: arr(spec.volumes).filter(isObj),
    terminating: str(meta.deletionTimestamp) !== null,
  };
}

/** Events about one container (by field path or by the container's name in the message). */
export function containerEvents(ctx: PodContext, c: ContainerView): PodEvent[] {
  const named = new RegExp(`\\bcontainer:? ${escapeRe(c.name)}(?![\\w-])`, 'i');
  // Without a field path, an event about the pod's only container is about that container.
  const only = ctx.containers.length === 1 && ctx.initContainers.length === 0 && ctx.containers[0] === c;
  return ctx.events.filter((e) => {
    const ec = eventContainer(e);
    if (ec) return ec.name === c.name && ec.init === (c.type === 'init');
    if (named.test(e.message)) return true;
    return only && e.source !== 'default-scheduler' && !/\bcontainer:? [a-z0-9]/i.test(e.message);
  });
}

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The termination that explains a container's trouble: the current one, else the previous. */
export function lastTermination(c: ContainerView): Termination | null {
  return c.terminated ?? c.lastTerminated;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** The last log lines of a container, previous run first (it is the one that died), non-empty. */
export function logLines(ctx: PodContext, c: ContainerView): { lines: string[]; previous: boolean } {
  const l = ctx.logs[c.name];
  const text = l?.previous ?? l?.current;
  if (!text) return { lines: [], previous: false };
  return { lines: text.split(/\r?\n/).filter((s) => s.trim().length > 0), previous: l?.previous !== undefined };
}
