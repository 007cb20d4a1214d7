/**
 * Reading the cluster for the platform gates: a few `kubectl get … -o json` lists, from the real
 * kubectl (src/diagnose/kubectl.ts: argument arrays, a timeout, never a shell) or from files recorded
 * earlier (`--from-dir DIR`: nodes.json, deployments.json, pods.json, events.json,
 * helm-secrets.json), so an offline user and the tests see exactly what the cluster said.
 *
 * Each list is read at most once per run (memoised per namespace). A read that fails throws
 * {@link ClusterReadError}; the gates turn it into an `error` result, never a guess.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../cli/exit-codes.js';
import { Kubectl, KUBECTL_INSTALL } from '../diagnose/kubectl.js';
import type { K8sObject } from './types.js';

export const HELM_SECRET_TYPE = 'helm.sh/release.v1';

export class ClusterReadError extends Error {
  override name = 'ClusterReadError';
  constructor(
    message: string,
    /** kubectl's (`kubectl.missing`, `kubectl.unreachable`, `kubectl.forbidden`, `kubectl.timeout`…), or `output.invalid`, `file.missing`. */
    readonly code: string,
  ) {
    super(message);
  }
}

export type Resource = 'nodes' | 'deployments' | 'pods' | 'events' | 'helm-secrets';

/** The files `--from-dir` reads, one per resource. */
export const RECORDED_FILES: Record<Resource, string> = {
  nodes: 'nodes.json',
  deployments: 'deployments.json',
  pods: 'pods.json',
  events: 'events.json',
  'helm-secrets': 'helm-secrets.json',
};

export interface ClusterReader {
  readonly kind: 'kubectl' | 'files';
  readonly context: string | null;
  readonly dir: string | null;
  /** Items of the list; `namespace` null means every namespace (ignored for nodes). */
  list(resource: Resource, namespace: string | null): Promise<K8sObject[]>;
}

export interface KubectlOptions {
  context?: string;
  kubeconfig?: string;
  /** Per kubectl call, in milliseconds (default 30 000). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** The `kubectl` argument array for one list (global flags first). Exported for tests and docs. */
export function kubectlArgs(resource: Resource, namespace: string | null, opts: Pick<KubectlOptions, 'context' | 'kubeconfig'> = {}): string[] {
  const global: string[] = [];
  if (opts.context) global.push('--context', opts.context);
  if (opts.kubeconfig) global.push('--kubeconfig', opts.kubeconfig);
  const scope = resource === 'nodes' ? [] : namespace === null ? ['--all-namespaces'] : ['--namespace', namespace];
  switch (resource) {
    case 'nodes':
      return [...global, 'get', 'nodes', '-o', 'json'];
    case 'helm-secrets':
      return [...global, 'get', 'secrets', ...scope, '--field-selector', `type=${HELM_SECRET_TYPE}`, '-o', 'json'];
    default:
      return [...global, 'get', resource, ...scope, '-o', 'json'];
  }
}

/** `items` of a `kind: List` (or any `*List`), a bare array, or a single object. */
export function itemsOf(doc: unknown, what: string): K8sObject[] {
  if (Array.isArray(doc)) return doc.filter(isObject);
  if (isObject(doc)) {
    if (Array.isArray(doc.items)) return doc.items.filter(isObject);
    if (typeof doc.kind === 'string' && !doc.kind.endsWith('List')) return [doc];
  }
  throw new ClusterReadError(`${what}: expected a Kubernetes List (\`kubectl get … -o json\`), got ${doc === null ? 'null' : typeof doc}`, 'output.invalid');
}

function isObject(v: unknown): v is K8sObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function namespaceOf(o: K8sObject): string | null {
  const m = o.metadata;
  return isObject(m) && typeof m.namespace === 'string' ? m.namespace : null;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ClusterReadError(`${what}: not valid JSON (${(err as Error).message})`, 'output.invalid');
  }
}

function memoised(read: (resource: Resource, namespace: string | null) => Promise<K8sObject[]>): ClusterReader['list'] {
  const cache = new Map<string, Promise<K8sObject[]>>();
  return (resource, namespace) => {
    const key = `${resource}\u0000${resource === 'nodes' ? '' : (namespace ?? '*')}`;
    let p = cache.get(key);
    if (!p) {
      p = read(resource, namespace);
      cache.set(key, p);
    }
    return p;
  };
}

/**
 * Reads the live cluster with the real kubectl, through the diagnosis module's runner
 * (src/diagnose/kubectl.ts: argument arrays via runTool, a timeout, failures classified as
 * missing / unreachable / no context / not logged in / forbidden / timed out). Its errors become
 * {@link ClusterReadError}s with the same code, so a gate reports `error` instead of guessing.
 */
export function kubectlReader(opts: KubectlOptions = {}): ClusterReader {
  const k = new Kubectl({ context: opts.context, kubeconfig: opts.kubeconfig, timeoutMs: opts.timeoutMs ?? 30_000, env: opts.env });
  return {
    kind: 'kubectl',
    context: opts.context ?? null,
    dir: null,
    list: memoised(async (resource, namespace) => {
      // The runner adds --context/--kubeconfig in front and `-o json` at the end.
      const args = kubectlArgs(resource, namespace).slice(0, -2);
      try {
        return await k.list(args, { kind: resource === 'helm-secrets' ? 'secrets' : resource, namespace: namespace ?? undefined }, { namespaced: false });
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        if (err.code === 'kubectl.missing') {
          throw new ClusterReadError(`kubectl is not installed (not found on PATH) — install: ${KUBECTL_INSTALL}; or pass recorded lists with --from-dir`, err.code);
        }
        throw new ClusterReadError(err.message, err.code);
      }
    }),
  };
}

/** Reads lists recorded with `kubectl get … -o json > FILE` from `dir`. */
export function filesReader(dir: string): ClusterReader {
  const docs = new Map<Resource, Promise<K8sObject[]>>();
  const load = (resource: Resource): Promise<K8sObject[]> => {
    let p = docs.get(resource);
    if (!p) {
      const file = path.join(dir, RECORDED_FILES[resource]);
      p = readFile(file, 'utf8').then(
        (text) => itemsOf(parseJson(text, file), file),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') {
            const record = `kubectl ${kubectlArgs(resource, null).join(' ')} > ${RECORDED_FILES[resource]}`;
            throw new ClusterReadError(`${file} not found (record it with: ${record})`, 'file.missing');
          }
          throw new ClusterReadError(`cannot read ${file}: ${err.message}`, 'file.unreadable');
        },
      );
      docs.set(resource, p);
    }
    return p;
  };
  return {
    kind: 'files',
    context: null,
    dir,
    list: memoised(async (resource, namespace) => {
      let items = await load(resource);
      if (resource === 'helm-secrets') items = items.filter((o) => o.type === HELM_SECRET_TYPE);
      if (resource !== 'nodes' && namespace !== null) items = items.filter((o) => namespaceOf(o) === namespace);
      return items;
    }),
  };
}
