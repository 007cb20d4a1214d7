/**
 * Gathering what a diagnosis reads, from the cluster (kubectl) or from files a user pasted.
 * - Cluster: the object (`get … -o json`), its events, and the last logs (current, and `--previous`
 *   after a restart) of the containers that are failing, capped and fetched in parallel. Events and
 *   logs are best effort: when they cannot be read the diagnosis goes on and a note says why.
 * - Files (`--file`, `--pod-file`, `--events-file`, `--logs-file`): JSON or YAML, one object, several
 *   YAML documents, or a `List`; nothing is read from the cluster then.
 */
import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { Kubectl } from './kubectl.js';
import type { DeploymentInput } from './deployment.js';
import type { NodeInput } from './node.js';
import type { ServiceInput } from './service.js';
import type { PodInput } from './types.js';

export type K8sObject = Record<string, unknown>;
export type ContainerLogs = Record<string, { current?: string; previous?: string }>;

/** Last lines and bytes of logs kept per container and stream. */
export const LOG_TAIL_LINES = 200;
export const LOG_LIMIT_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// small readers over untyped Kubernetes objects

export function obj(v: unknown): K8sObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as K8sObject) : {};
}
export function arr(v: unknown): K8sObject[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
export function meta(o: K8sObject): { name: string; namespace: string; uid?: string; labels: Record<string, string>; annotations: Record<string, string> } {
  const m = obj(o.metadata);
  return {
    name: str(m.name) ?? '',
    namespace: str(m.namespace) ?? '',
    uid: str(m.uid),
    labels: Object.fromEntries(Object.entries(obj(m.labels)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    annotations: Object.fromEntries(Object.entries(obj(m.annotations)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
  };
}
export function ownerRefs(o: K8sObject): { kind: string; name: string; uid?: string }[] {
  return arr(obj(o.metadata).ownerReferences).map((r) => ({ kind: str(r.kind) ?? '', name: str(r.name) ?? '', uid: str(r.uid) }));
}

// ---------------------------------------------------------------------------------------------
// failing containers and their logs

export interface ContainerRef {
  name: string;
  init: boolean;
  restartCount: number;
  /** Waiting and never started (no `lastState`): there are no logs to read. */
  neverStarted?: boolean;
}

/**
 * Containers worth reading logs of: waiting (other than before their first start), terminated with
 * a non-zero code, running but not ready, or restarted after a non-zero exit. Init containers first.
 * A Succeeded pod has none.
 */
export function failingContainers(pod: K8sObject): ContainerRef[] {
  const status = obj(pod.status);
  if (str(status.phase) === 'Succeeded') return [];
  const out: ContainerRef[] = [];
  const visit = (list: unknown, init: boolean) => {
    for (const cs of arr(list)) {
      const name = str(cs.name);
      if (!name) continue;
      const state = obj(cs.state);
      const restartCount = num(cs.restartCount) ?? 0;
      const waiting = state.waiting !== undefined ? obj(state.waiting) : undefined;
      const terminated = state.terminated !== undefined ? obj(state.terminated) : undefined;
      const lastTerminated = obj(obj(cs.lastState).terminated);
      let failing = false;
      if (waiting) failing = restartCount > 0 || !['PodInitializing', 'ContainerCreating'].includes(str(waiting.reason) ?? '');
      else if (terminated) failing = (num(terminated.exitCode) ?? 0) !== 0;
      else if (state.running !== undefined) failing = (!init && cs.ready === false) || (restartCount > 0 && (num(lastTerminated.exitCode) ?? 0) !== 0);
      const neverStarted = waiting !== undefined && obj(cs.lastState).terminated === undefined && cs.started !== true;
      if (failing) out.push(neverStarted ? { name, init, restartCount, neverStarted } : { name, init, restartCount });
    }
  };
  visit(status.initContainerStatuses, true);
  visit(status.containerStatuses, false);
  return out;
}

/** Logs of the failing containers of one pod: current, and `--previous` when it restarted; in parallel, best effort. */
export async function fetchLogs(k: Kubectl, pod: K8sObject, notes: string[]): Promise<ContainerLogs> {
  const { name, namespace } = meta(pod);
  const logs: ContainerLogs = {};
  const jobs: Promise<void>[] = [];
  for (const c of failingContainers(pod)) {
    // A container waiting before its first start (image pull, config error) has no logs at all.
    if (c.restartCount === 0 && c.neverStarted) continue;
    const streams: ('current' | 'previous')[] = c.restartCount > 0 ? ['current', 'previous'] : ['current'];
    for (const stream of streams) {
      const args = ['logs', name, '-c', c.name, `--tail=${LOG_TAIL_LINES}`, `--limit-bytes=${LOG_LIMIT_BYTES}`];
      if (stream === 'previous') args.push('--previous');
      jobs.push(
        k.run(args.concat(namespace ? ['-n', namespace] : []), { namespaced: !namespace }).then(
          (run) => {
            if (run.error === null && run.exitCode === 0) {
              (logs[c.name] ??= {})[stream] = run.stdout;
            } else if (run.error !== null || !/\(BadRequest\)|waiting to start|not found/.test(run.stderr)) {
              // "waiting to start" / "previous terminated container … not found" are expected answers, not worth a note.
              notes.push(`logs of ${name}/${c.name}${stream === 'previous' ? ' (previous)' : ''} not read: ${run.error ?? (run.stderr.trim().split('\n')[0] || `exit ${run.exitCode}`)}`);
            }
          },
          (e: unknown) => {
            notes.push(`logs of ${name}/${c.name} not read: ${e instanceof Error ? e.message : String(e)}`);
          },
        ),
      );
    }
  }
  await Promise.all(jobs);
  return logs;
}

// ---------------------------------------------------------------------------------------------
// events

/** True when the event (either shape) is about `kind/name` in `namespace` (and that uid, when both know it). */
export function eventConcerns(ev: K8sObject, kind: string, name: string, namespace: string, uid?: string): boolean {
  const ref = ev.involvedObject !== undefined ? obj(ev.involvedObject) : obj(ev.regarding);
  if (str(ref.name) !== name) return false;
  if (str(ref.kind) && str(ref.kind) !== kind) return false;
  const ns = str(ref.namespace) ?? str(obj(ev.metadata).namespace);
  if (namespace && ns && ns !== namespace) return false;
  const evUid = str(ref.uid);
  if (uid && evUid && evUid !== uid) return false;
  return true;
}

/** The events of one object, from any list of events. */
export function eventsFor(events: K8sObject[], kind: string, o: K8sObject): K8sObject[] {
  const m = meta(o);
  return events.filter((e) => eventConcerns(e, kind, m.name, m.namespace, m.uid));
}

/** `get events` for one object via a field selector; on any failure, no events and a note. */
export async function fetchEvents(k: Kubectl, kind: string, name: string, namespace: string, notes: string[]): Promise<K8sObject[]> {
  const selector = `involvedObject.name=${name},involvedObject.namespace=${namespace}`;
  try {
    const items = await k.list(['get', 'events', '--field-selector', selector].concat(namespace ? ['-n', namespace] : []), { kind: 'events' }, { namespaced: !namespace });
    return items.filter((e) => eventConcerns(e, kind, name, namespace));
  } catch (e) {
    // A server that refuses the field selector still lists the namespace's events: filter them here.
    if (e instanceof CliError && e.code === 'kubectl.failed' && namespace) {
      try {
        const all = await k.list(['get', 'events', '-n', namespace], { kind: 'events', namespace }, { namespaced: false });
        return all.filter((ev) => eventConcerns(ev, kind, name, namespace));
      } catch {
        // fall through to the note below
      }
    }
    notes.push(`events of ${kind.toLowerCase()} ${name} not read (diagnosing without them): ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

/** All events of a namespace, once; on failure none and a note. */
export async function fetchNamespaceEvents(k: Kubectl, namespace: string, notes: string[]): Promise<K8sObject[]> {
  try {
    return await k.list(['get', 'events', '-n', namespace], { kind: 'events', namespace }, { namespaced: false });
  } catch (e) {
    notes.push(`events of namespace ${namespace} not read (diagnosing without them): ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// files

export interface LogsFileArg {
  /** null: "the failing container". */
  container: string | null;
  previous: boolean;
  path: string;
}

/** `app=logs.txt`, `app:previous=logs.txt`, or just `logs.txt` (the failing container). */
export function parseLogsFileArg(arg: string): LogsFileArg {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(:previous|:current)?=(.+)$/.exec(arg);
  if (m) return { container: m[1]!, previous: m[3] === ':previous', path: m[4]! };
  if (arg === '') throw new CliError('--logs-file: empty value (use CONTAINER=FILE, CONTAINER:previous=FILE or FILE)', EXIT.usage, 'input.invalid');
  return { container: null, previous: false, path: arg };
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${flag}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : 'cannot read'}: ${path}`, EXIT.usage, 'input.not_found');
  }
}

/** Objects of a JSON or YAML file (one object, several documents, or a List); throws a usage error naming the file and line. */
export async function readObjectsFile(path: string, flag: string): Promise<K8sObject[]> {
  const text = await readText(path, flag);
  if (text.trim() === '') throw new CliError(`${flag}: ${path} is empty`, EXIT.usage, 'input.empty');
  let docs: unknown[];
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      docs = [JSON.parse(text)];
    } catch (e) {
      throw new CliError(`${flag}: ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, EXIT.usage, 'input.invalid');
    }
  } else {
    docs = [];
    const { parseAllDocuments } = await import('yaml'); // only for YAML: JSON files never load it
    for (const d of parseAllDocuments(text)) {
      const err = d.errors[0];
      if (err) {
        const line = err.linePos?.[0]?.line;
        throw new CliError(`${flag}: ${path}${line ? `:${line}` : ''} is not valid YAML: ${err.message.split('\n')[0]}`, EXIT.usage, 'input.invalid');
      }
      const v: unknown = d.toJS();
      if (v !== null && v !== undefined) docs.push(v);
    }
  }
  const out: K8sObject[] = [];
  const add = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(add);
    else if (v !== null && typeof v === 'object') {
      const o = v as K8sObject;
      if (Array.isArray(o.items) && (o.kind === undefined || /List$/.test(String(o.kind)))) o.items.forEach(add);
      else out.push(o);
    } else throw new CliError(`${flag}: ${path} holds ${JSON.stringify(v)?.slice(0, 40)}, not a Kubernetes object`, EXIT.usage, 'input.invalid');
  };
  docs.forEach(add);
  return out;
}

/** Kind of an object from a file: its `kind`, else guessed from its shape. */
export function kindOf(o: K8sObject, fallback?: string): string {
  const k = str(o.kind);
  if (k) return k;
  if (o.involvedObject !== undefined || o.regarding !== undefined) return 'Event';
  if (fallback) return fallback;
  const spec = obj(o.spec);
  if (Array.isArray(spec.containers)) return 'Pod';
  return 'Unknown';
}

export interface FileOptions {
  files?: string[];
  podFiles?: string[];
  eventsFiles?: string[];
  logsFiles?: string[];
}

export function usesFiles(o: FileOptions): boolean {
  return Boolean(o.files?.length || o.podFiles?.length || o.eventsFiles?.length || o.logsFiles?.length);
}

/** Every object the files hold, by kind (`Pod`, `Event`, `Deployment`…), plus the log files. */
export interface FilePool {
  byKind: Map<string, K8sObject[]>;
  logs: { arg: LogsFileArg; text: string }[];
}

export async function readFilePool(o: FileOptions): Promise<FilePool> {
  const byKind = new Map<string, K8sObject[]>();
  const put = (list: K8sObject[], fallback?: string) => {
    for (const x of list) {
      const kind = kindOf(x, fallback);
      byKind.set(kind, [...(byKind.get(kind) ?? []), x]);
    }
  };
  for (const f of o.files ?? []) put(await readObjectsFile(f, '--file'));
  for (const f of o.podFiles ?? []) put(await readObjectsFile(f, '--pod-file'), 'Pod');
  for (const f of o.eventsFiles ?? []) put(await readObjectsFile(f, '--events-file'), 'Event');
  const logs: FilePool['logs'] = [];
  for (const a of o.logsFiles ?? []) {
    const arg = parseLogsFileArg(a);
    logs.push({ arg, text: await readText(arg.path, '--logs-file') });
  }
  return { byKind, logs };
}

export function poolKind(pool: FilePool, kind: string): K8sObject[] {
  return pool.byKind.get(kind) ?? [];
}

/**
 * Logs from `--logs-file` for one pod. A file without a container name goes to the first failing
 * container: as its previous logs when it has restarted (the crash is there), else current.
 */
export function logsFromFiles(pool: FilePool, pod: K8sObject): ContainerLogs | undefined {
  if (pool.logs.length === 0) return undefined;
  const failing = failingContainers(pod);
  const logs: ContainerLogs = {};
  for (const { arg, text } of pool.logs) {
    let container = arg.container;
    let previous = arg.previous;
    if (container === null) {
      const first = failing[0] ?? containerNames(pod)[0];
      if (!first) continue;
      container = first.name;
      previous = first.restartCount > 0 && !isRunning(pod, first.name);
    }
    (logs[container] ??= {})[previous ? 'previous' : 'current'] = text;
  }
  return logs;
}

function containerNames(pod: K8sObject): ContainerRef[] {
  const spec = obj(pod.spec);
  return [...arr(spec.initContainers).map((c) => ({ name: str(c.name) ?? '', init: true, restartCount: 0 })), ...arr(spec.containers).map((c) => ({ name: str(c.name) ?? '', init: false, restartCount: 0 }))].filter((c) => c.name);
}

function isRunning(pod: K8sObject, container: string): boolean {
  const st = obj(pod.status);
  return [...arr(st.containerStatuses), ...arr(st.initContainerStatuses)].some((cs) => str(cs.name) === container && obj(cs.state).running !== undefined);
}

// ---------------------------------------------------------------------------------------------
// one pod

export interface Gathered<T> {
  input: T;
  source: 'cluster' | 'files';
  /** What could not be read, in plain words. */
  notes: string[];
}

/** Picks `name` (or the only pod) among the pods of the files. */
export function pickPod(pods: K8sObject[], name: string | undefined, namespace: string | undefined): K8sObject {
  if (pods.length === 0) throw new CliError('no Pod object in the files: give the pod with --pod-file (or --file); --events-file and --logs-file only add to it', EXIT.usage, 'input.invalid');
  if (name === undefined) {
    if (pods.length === 1) return pods[0]!;
    throw new CliError(`the files hold ${pods.length} pods (${pods.slice(0, 5).map((p) => meta(p).name).join(', ')}${pods.length > 5 ? ', …' : ''}): name the one to diagnose`, EXIT.usage, 'input.ambiguous');
  }
  const found = pods.find((p) => meta(p).name === name && (!namespace || !meta(p).namespace || meta(p).namespace === namespace));
  if (!found) throw new CliError(`pod "${name}" is not in the files (they hold: ${pods.slice(0, 5).map((p) => meta(p).name).join(', ')}${pods.length > 5 ? ', …' : ''})`, EXIT.usage, 'input.not_found');
  return found;
}

export interface GatherOptions extends FileOptions {
  now?: Date;
}

/** Everything {@link PodInput} needs for one pod, from files when any is given, else from the cluster. */
export async function gatherPod(k: Kubectl, name: string | undefined, o: GatherOptions): Promise<Gathered<PodInput>> {
  const notes: string[] = [];
  if (usesFiles(o)) {
    const pool = await readFilePool(o);
    const pod = pickPod(poolKind(pool, 'Pod'), name, k.target.namespace);
    const events = eventsFor(poolKind(pool, 'Event'), 'Pod', pod);
    const logs = logsFromFiles(pool, pod);
    if (!o.eventsFiles?.length && events.length === 0) notes.push('no events given (--events-file): diagnosing from the pod status alone');
    return { input: { pod, events, ...(logs ? { logs } : {}), ...(o.now ? { now: o.now } : {}) }, source: 'files', notes };
  }
  if (!name) throw new CliError('name the pod to diagnose (or give --pod-file)', EXIT.usage, 'input.missing');
  const pod = await k.getJson(['get', 'pod', name], { kind: 'pod', name });
  const ns = meta(pod).namespace || k.target.namespace || 'default';
  const [events, logs] = await Promise.all([fetchEvents(k, 'Pod', name, ns, notes), fetchLogs(k, pod, notes)]);
  return { input: { pod, events, logs, ...(o.now ? { now: o.now } : {}) }, source: 'cluster', notes };
}

/** Pod inputs for many pods sharing one list of events; logs fetched for at most `logLimit` failing pods. */
export async function podInputs(k: Kubectl | null, pods: K8sObject[], events: K8sObject[], o: { pool?: FilePool; now?: Date; logLimit?: number }, notes: string[]): Promise<PodInput[]> {
  const limit = o.logLimit ?? 10;
  let fetched = 0;
  // Log files name a container, not a pod: with several failing pods they would be ambiguous.
  const failingPods = pods.filter((p) => failingContainers(p).length > 0);
  const logsPod = o.pool?.logs.length ? (failingPods.length === 1 ? failingPods[0] : pods.length === 1 ? pods[0] : undefined) : undefined;
  if (o.pool?.logs.length && !logsPod) notes.push(`--logs-file ignored: ${failingPods.length} pods are failing and a log file does not say which pod it comes from`);
  return Promise.all(
    pods.map(async (pod) => {
      let logs: ContainerLogs | undefined;
      if (o.pool) logs = pod === logsPod ? logsFromFiles(o.pool, pod) : undefined;
      else if (k && failingContainers(pod).length > 0 && fetched++ < limit) logs = await fetchLogs(k, pod, notes);
      return { pod, events: eventsFor(events, 'Pod', pod), ...(logs ? { logs } : {}), ...(o.now ? { now: o.now } : {}) };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// ownership

export const REVISION = 'deployment.kubernetes.io/revision';

/** ReplicaSets owned by the deployment, newest revision first. */
export function ownedReplicaSets(deployment: K8sObject, replicaSets: K8sObject[]): K8sObject[] {
  const d = meta(deployment);
  const owned = replicaSets.filter((rs) => {
    const refs = ownerRefs(rs).filter((r) => r.kind === 'Deployment');
    return refs.some((r) => (d.uid && r.uid ? r.uid === d.uid : r.name === d.name)) && (!d.namespace || !meta(rs).namespace || meta(rs).namespace === d.namespace);
  });
  const rev = (rs: K8sObject) => Number(meta(rs).annotations[REVISION] ?? NaN);
  return owned.sort((a, b) => (Number.isNaN(rev(b)) ? -1 : Number.isNaN(rev(a)) ? 1 : rev(b) - rev(a)));
}

export function podOwnedBy(pod: K8sObject, rs: K8sObject): boolean {
  const m = meta(rs);
  return ownerRefs(pod).some((r) => r.kind === 'ReplicaSet' && (m.uid && r.uid ? r.uid === m.uid : r.name === m.name));
}


// ---------------------------------------------------------------------------------------------
// workloads: what deployment / node / service / namespace diagnosis reads

function pickNamed(list: K8sObject[], kind: string, name: string | undefined, flag = '--file'): K8sObject {
  if (list.length === 0) throw new CliError(`${flag}: no ${kind} object in the files`, EXIT.usage, 'input.invalid');
  const found = name === undefined ? (list.length === 1 ? list[0] : undefined) : list.find((o) => meta(o).name === name);
  if (!found) throw new CliError(`${kind.toLowerCase()} "${name ?? '?'}" is not in the files (they hold: ${list.map((o) => meta(o).name).slice(0, 5).join(', ')})`, EXIT.usage, 'input.not_found');
  return found;
}

function labelSelector(o: K8sObject): string[] {
  const ml = obj(obj(obj(o.spec).selector).matchLabels);
  const parts = Object.entries(ml).filter(([, v]) => typeof v === 'string').map(([k2, v]) => `${k2}=${String(v)}`);
  return parts.length && !arr(obj(obj(o.spec).selector).matchExpressions).length ? ['-l', parts.join(',')] : [];
}

/** Like Promise.all, but waits for every call to finish before throwing the first failure (no kubectl left running). */
async function all<T extends readonly unknown[]>(ps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(ps);
  const bad = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bad) throw bad.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export async function gatherDeployment(k: Kubectl, name: string | undefined, o: GatherOptions): Promise<Gathered<DeploymentInput>> {
  const notes: string[] = [];
  if (usesFiles(o)) {
    const pool = await readFilePool(o);
    const deployment = pickNamed(poolKind(pool, 'Deployment'), 'Deployment', name);
    const replicaSets = poolKind(pool, 'ReplicaSet');
    const events = poolKind(pool, 'Event');
    const newRs = ownedReplicaSets(deployment, replicaSets)[0];
    const ml = Object.entries(obj(obj(obj(deployment.spec).selector).matchLabels));
    const selected = (p: K8sObject) => ml.length > 0 && ml.every(([key, v]) => meta(p).labels[key] === v);
    const pods = poolKind(pool, 'Pod').filter((p) => (newRs ? podOwnedBy(p, newRs) : selected(p)));
    if (!newRs) notes.push('no ReplicaSet of this deployment in the files: every pod matching its selector is taken as part of the rollout');
    const inputs = await podInputs(null, pods, events, { pool, now: o.now }, notes);
    return { input: { deployment, replicaSets, pods: inputs, events }, source: 'files', notes };
  }
  if (!name) throw new CliError('name the deployment to diagnose (or give --file)', EXIT.usage, 'input.missing');
  const deployment = await k.getJson(['get', 'deployment', name], { kind: 'deployment', name });
  const ns = meta(deployment).namespace || k.target.namespace || 'default';
  const sel = labelSelector(deployment);
  const [replicaSets, pods, events] = await all<[K8sObject[], K8sObject[], K8sObject[]]>([
    k.list(['get', 'replicasets', ...sel, '-n', ns], { kind: 'replicasets', namespace: ns }, { namespaced: false }),
    k.list(['get', 'pods', ...sel, '-n', ns], { kind: 'pods', namespace: ns }, { namespaced: false }),
    fetchNamespaceEvents(k, ns, notes),
  ]);
  const newRs = ownedReplicaSets(deployment, replicaSets)[0];
  const ours = pods.filter((p) => (newRs ? podOwnedBy(p, newRs) : true));
  const inputs = await podInputs(k, ours, events, { now: o.now, logLimit: 5 }, notes);
  return { input: { deployment, replicaSets, pods: inputs, events }, source: 'cluster', notes };
}

export async function gatherNode(k: Kubectl, name: string | undefined, o: GatherOptions): Promise<Gathered<NodeInput>> {
  const notes: string[] = [];
  if (usesFiles(o)) {
    const pool = await readFilePool(o);
    const node = pickNamed(poolKind(pool, 'Node'), 'Node', name);
    return { input: { node, events: eventsFor(poolKind(pool, 'Event'), 'Node', node) }, source: 'files', notes };
  }
  if (!name) throw new CliError('name the node to diagnose (or give --file)', EXIT.usage, 'input.missing');
  const [node, events] = await all<[K8sObject, K8sObject[]]>([
    k.getJson(['get', 'node', name], { kind: 'node', name }, { namespaced: false }),
    // Node events live in whichever namespace the reporter chose (usually default): ask all of them.
    k.list(['get', 'events', '-A', '--field-selector', `involvedObject.kind=Node,involvedObject.name=${name}`], { kind: 'events' }, { namespaced: false }).catch((e: unknown) => {
      notes.push(`events of node ${name} not read (diagnosing without them): ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }),
  ]);
  return { input: { node, events: events.filter((e) => eventConcerns(e, 'Node', name, '')) }, source: 'cluster', notes };
}

export async function gatherService(k: Kubectl, name: string | undefined, o: GatherOptions): Promise<Gathered<ServiceInput>> {
  const notes: string[] = [];
  if (usesFiles(o)) {
    const pool = await readFilePool(o);
    const service = pickNamed(poolKind(pool, 'Service'), 'Service', name);
    const slices = poolKind(pool, 'EndpointSlice');
    const endpoints = poolKind(pool, 'Endpoints').find((e) => meta(e).name === meta(service).name) ?? null;
    const pods = await podInputs(null, poolKind(pool, 'Pod'), poolKind(pool, 'Event'), { pool, now: o.now }, notes);
    return { input: { service, pods, endpointSlices: slices, endpoints }, source: 'files', notes };
  }
  if (!name) throw new CliError('name the service to diagnose (or give --file)', EXIT.usage, 'input.missing');
  const service = await k.getJson(['get', 'service', name], { kind: 'service', name });
  const ns = meta(service).namespace || k.target.namespace || 'default';
  const [pods, slices, events] = await all<[K8sObject[], K8sObject[] | null, K8sObject[]]>([
    k.list(['get', 'pods', '-n', ns], { kind: 'pods', namespace: ns }, { namespaced: false }),
    k.list(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${name}`, '-n', ns], { kind: 'endpointslices', namespace: ns }, { namespaced: false }).catch((e: unknown) => {
      notes.push(`EndpointSlices not read (${e instanceof Error ? e.message : String(e)}); reading Endpoints instead`);
      return null;
    }),
    fetchNamespaceEvents(k, ns, notes),
  ]);
  let endpoints: K8sObject | null = null;
  if (slices === null) endpoints = await k.getJson(['get', 'endpoints', name, '-n', ns], { kind: 'endpoints', name, namespace: ns }, { namespaced: false }).catch(() => null);
  const selector = obj(obj(service.spec).selector);
  const selected = (p: K8sObject) => Object.keys(selector).length > 0 && Object.entries(selector).every(([key, v]) => meta(p).labels[key] === v);
  const withLogs = await podInputs(k, pods.filter(selected), events, { now: o.now, logLimit: 5 }, notes);
  const others = await podInputs(null, pods.filter((p) => !selected(p)), events, { now: o.now }, notes);
  return { input: { service, pods: [...withLogs, ...others], endpointSlices: slices ?? [], endpoints }, source: 'cluster', notes };
}

export async function gatherNamespace(k: Kubectl, namespace: string, o: GatherOptions): Promise<Gathered<PodInput[]>> {
  const notes: string[] = [];
  if (usesFiles(o)) {
    const pool = await readFilePool(o);
    const pods = poolKind(pool, 'Pod').filter((p) => !meta(p).namespace || meta(p).namespace === namespace);
    return { input: await podInputs(null, pods, poolKind(pool, 'Event'), { pool, now: o.now }, notes), source: 'files', notes };
  }
  const [, pods, events] = await all<[K8sObject, K8sObject[], K8sObject[]]>([
    k.getJson(['get', 'namespace', namespace], { kind: 'namespace', name: namespace }, { namespaced: false }),
    k.list(['get', 'pods', '-n', namespace], { kind: 'pods', namespace }, { namespaced: false }),
    fetchNamespaceEvents(k, namespace, notes),
  ]);
  return { input: await podInputs(k, pods, events, { now: o.now, logLimit: 10 }, notes), source: 'cluster', notes };
}
