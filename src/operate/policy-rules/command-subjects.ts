/**
 * Reading a kubectl or helm argument vector the way the tool would, far enough for policies: the verb,
 * the namespace, the objects named (`deploy/api`, `pvc data`, `pvc,pv x`) and the fields the command sets
 * (`--replicas`, `set image c=img`, `--image`, `-p` patches, helm `--set`). Unknown flags are taken as
 * booleans unless written `--flag=value`.
 */
import { parse as parseYaml } from 'yaml';
import { canonicalKind } from './kinds.js';
import { isObject, type K8sObject, type Subject } from './subject.js';

/** kubectl flags that take a value (long names; short forms map onto them). */
const KUBECTL_VALUE_FLAGS = new Set([
  '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '--token', '--server', '--filename', '--selector',
  '--output', '--replicas', '--image', '--container', '--field-selector', '--type', '--patch', '--patch-file',
  '--timeout', '--grace-period', '--min', '--max', '--cpu-percent', '--name', '--port', '--target-port',
  '--current-replicas', '--resource-version', '--to-revision', '--revision', '--kustomize', '--field-manager',
  '--subresource', '--requests', '--limits', '--env', '--from', '--overrides', '--restart', '--labels', '--cascade',
  '--dry-run', '--as', '--as-group', '--request-timeout', '--protocol', '--schedule', '--template',
]);
/** Flags whose value is optional in kubectl and only given with `=` (`--dry-run=server`, `--cascade=orphan`). */
const KUBECTL_EQUALS_ONLY = new Set(['--dry-run', '--cascade']);
const KUBECTL_SHORT: Record<string, string> = { n: '--namespace', f: '--filename', l: '--selector', o: '--output', p: '--patch', c: '--container', k: '--kustomize', R: '--recursive', A: '--all-namespaces' };
const KUBECTL_SHORT_BOOLEAN = new Set(['R', 'A', 'i', 't', 'w', 'q']);

const HELM_VALUE_FLAGS = new Set([
  '--namespace', '--kube-context', '--kubeconfig', '--set', '--set-string', '--set-file', '--set-json', '--set-literal',
  '--values', '--version', '--timeout', '--repo', '--description', '--history-max', '--post-renderer', '--username', '--password', '--output',
]);
const HELM_SHORT: Record<string, string> = { n: '--namespace', f: '--values', o: '--output' };

/** Verbs with a sub-command that names the operation (`set image`, `rollout undo`, `create deployment`). */
const KUBECTL_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  set: new Set(['image', 'resources', 'env', 'selector', 'serviceaccount', 'subject']),
  rollout: new Set(['undo', 'status', 'restart', 'pause', 'resume', 'history']),
  create: new Set(['deployment', 'namespace', 'job', 'cronjob', 'service', 'secret', 'configmap', 'poddisruptionbudget', 'pdb', 'ingress', 'serviceaccount', 'role', 'rolebinding', 'clusterrole', 'clusterrolebinding', 'priorityclass', 'quota', 'token']),
  apply: new Set(['edit-last-applied', 'set-last-applied', 'view-last-applied']),
};
/** `kubectl create <kind> NAME`: the kind created. */
const CREATE_KINDS: Record<string, string> = { deployment: 'Deployment', namespace: 'Namespace', job: 'Job', cronjob: 'CronJob', service: 'Service', secret: 'Secret', configmap: 'ConfigMap', poddisruptionbudget: 'PodDisruptionBudget', pdb: 'PodDisruptionBudget', ingress: 'Ingress', serviceaccount: 'ServiceAccount' };

export interface ParsedArgv {
  tool: string;
  /** The verb words (`['set', 'image']`, `['delete']`). */
  verbWords: string[];
  positionals: string[];
  /** Long flag name → values, in order. */
  flags: Map<string, string[]>;
}

function toolName(argv0: string): string {
  return (argv0.split(/[\\/]/).pop() ?? argv0).replace(/\.exe$/i, '');
}

/** Splits an argument vector into verb words, positionals and flags (`--` ends the flags). */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const tool = toolName(argv[0] ?? '');
  const helm = tool === 'helm';
  const valueFlags = helm ? HELM_VALUE_FLAGS : KUBECTL_VALUE_FLAGS;
  const shorts = helm ? HELM_SHORT : KUBECTL_SHORT;
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) add(a.slice(0, eq), a.slice(eq + 1));
      else if (valueFlags.has(a) && !KUBECTL_EQUALS_ONLY.has(a) && i + 1 < argv.length) add(a, argv[++i]!);
      else add(a, 'true');
    } else if (a.startsWith('-') && a.length > 1) {
      const letter = a[1]!;
      const long = shorts[letter];
      const rest = a.slice(2).replace(/^=/, '');
      if (!long || (!helm && KUBECTL_SHORT_BOOLEAN.has(letter))) add(long ?? a, 'true');
      else if (rest) add(long, rest);
      else if (i + 1 < argv.length) add(long, argv[++i]!);
      else add(long, 'true');
    } else positionals.push(a);
  }
  const verbWords: string[] = [];
  const first = positionals.shift();
  if (first !== undefined) {
    verbWords.push(first);
    const subs = helm ? undefined : KUBECTL_SUBCOMMANDS[first];
    if (subs && positionals[0] !== undefined && subs.has(positionals[0])) verbWords.push(positionals.shift()!);
  }
  return { tool, verbWords, positionals, flags };
}

function last(flags: Map<string, string[]>, name: string): string | undefined {
  const v = flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

/** Objects named by positionals: `TYPE/NAME …` or `TYPE[,TYPE] NAME…`; stops at `key=value` words. */
function targetsOf(positionals: readonly string[]): { kind: string; name?: string }[] {
  const words = positionals.filter((w) => !w.includes('='));
  if (words.length === 0) return [];
  if (words[0]!.includes('/')) {
    return words.filter((w) => w.includes('/')).map((w) => {
      const [type, ...name] = w.split('/');
      return { kind: canonicalKind(type ?? ''), name: name.join('/') };
    });
  }
  const kinds = words[0]!.split(',').filter(Boolean).map(canonicalKind);
  const names = words.slice(1);
  if (names.length === 0) return kinds.map((kind) => ({ kind }));
  return kinds.flatMap((kind) => names.map((name) => ({ kind, name })));
}

function number(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number(v);
}

/** Sets `value` at a JSON pointer (`/spec/template/spec/containers/0/image`), creating objects and arrays. */
function setPointer(root: K8sObject, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: Record<string, unknown> | unknown[] = root;
  keys.forEach((key, i) => {
    const isLast = i === keys.length - 1;
    const nextIsIndex = /^\d+$|^-$/.test(keys[i + 1] ?? '');
    const slot = Array.isArray(cur) ? (key === '-' ? cur.length : Number(key)) : key;
    const container = cur as Record<string | number, unknown>;
    if (isLast) container[slot] = value;
    else {
      if (container[slot] === null || typeof container[slot] !== 'object') container[slot] = nextIsIndex ? [] : {};
      cur = container[slot] as Record<string, unknown> | unknown[];
    }
  });
}

/** The fields a `kubectl patch` sets, as a partial object; undefined when the patch cannot be read. */
function patchObject(parsed: ParsedArgv): K8sObject | undefined {
  const text = last(parsed.flags, '--patch');
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(text) as unknown; // JSON is YAML; kubectl accepts both
  } catch {
    return undefined;
  }
  if (last(parsed.flags, '--type') === 'json') {
    if (!Array.isArray(doc)) return undefined;
    const out: K8sObject = {};
    for (const op of doc) {
      if (isObject(op) && (op.op === 'add' || op.op === 'replace') && typeof op.path === 'string') setPointer(out, op.path, op.value);
    }
    return out;
  }
  return isObject(doc) ? doc : undefined;
}

/** `app=repo:tag` pairs of `kubectl set image` (`*=img` sets every container). */
function imagePairs(positionals: readonly string[]): { name: string; image: string }[] {
  return positionals
    .filter((w) => w.includes('=') && !w.slice(0, w.indexOf('=')).includes('/'))
    .map((w) => ({ name: w.slice(0, w.indexOf('=')), image: w.slice(w.indexOf('=') + 1) }));
}

function podSpecWrapper(kind: string, spec: K8sObject): K8sObject {
  if (kind === 'Pod') return { spec };
  if (kind === 'CronJob') return { spec: { jobTemplate: { spec: { template: { spec } } } } };
  return { spec: { template: { spec } } };
}

/** The container name kubectl derives from an image (`repo/my-api:v2` → `my-api`). */
function containerNameFromImage(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const base = noDigest.split('/').pop() ?? noDigest;
  return base.split(':')[0] ?? base;
}

/**
 * The subjects of one command: what it creates, changes or deletes. Commands that read objects from
 * files (`apply -f`, `delete -f`) yield a subject without kind; the objects themselves come with the
 * manifests. Tools other than kubectl and helm yield nothing.
 */
export function commandSubjects(argv: readonly string[], index: number, defaultNamespace: string): Subject[] {
  const parsed = parseArgv(argv);
  const { tool, verbWords, positionals, flags } = parsed;
  if (tool !== 'kubectl' && tool !== 'helm') return [];
  const namespace = last(flags, '--namespace') ?? defaultNamespace;
  const verb = (tool === 'helm' ? ['helm', ...verbWords] : verbWords).join(' ');
  const verbs = [...new Set([verb, tool === 'helm' ? `helm ${verbWords[0] ?? ''}`.trim() : (verbWords[0] ?? '')])].filter(Boolean);
  const base = { source: 'command' as const, index, verbs, namespace, argv: [...argv] };
  const selector = last(flags, '--selector') ?? (flags.has('--all') ? '--all' : undefined);
  const withSel = selector ? { selector } : {};

  if (tool === 'helm') {
    const helmValues: { key: string; value: string }[] = [];
    for (const flag of ['--set', '--set-string', '--set-literal']) {
      for (const v of flags.get(flag) ?? []) {
        for (const pair of v.split(/,(?=[^,=]+=)/)) {
          const eq = pair.indexOf('=');
          if (eq > 0) helmValues.push({ key: pair.slice(0, eq), value: pair.slice(eq + 1) });
        }
      }
    }
    const release = verbWords[0] === 'upgrade' || verbWords[0] === 'install' || verbWords[0] === 'uninstall' || verbWords[0] === 'rollback' ? positionals[0] : undefined;
    return [{ ...base, kind: 'HelmRelease', name: release, partial: true, helmValues }];
  }

  const files = flags.get('--filename') ?? flags.get('--kustomize') ?? [];
  if (files.length > 0) return files.map((f) => ({ ...base, kind: undefined, name: undefined, partial: true, fromFile: f }));

  const head = verbWords[0];
  if (head === 'create' && verbWords[1] && CREATE_KINDS[verbWords[1]]) {
    const kind = CREATE_KINDS[verbWords[1]]!;
    const name = positionals[0];
    if (kind === 'Deployment' || kind === 'Job' || kind === 'CronJob') {
      const images = flags.get('--image') ?? [];
      const containers = images.map((image) => ({ name: containerNameFromImage(image), image }));
      const object: K8sObject = { kind, metadata: { name }, ...podSpecWrapper(kind, { containers }) };
      if (kind === 'Deployment') (object.spec as K8sObject).replicas = number(last(flags, '--replicas')) ?? 1;
      return [{ ...base, kind, name, object, partial: false }];
    }
    return [{ ...base, kind, name, partial: false, object: { kind, metadata: { name } } }];
  }
  if (head === 'run') {
    const name = positionals[0];
    const image = last(flags, '--image');
    const container: K8sObject = { name, ...(image ? { image } : {}) };
    if (last(flags, '--privileged') === 'true') container.securityContext = { privileged: true };
    return [{ ...base, kind: 'Pod', name, partial: false, object: { kind: 'Pod', metadata: { name }, spec: { containers: [container] } } }];
  }

  const targets = targetsOf(positionals);
  const subjects = (make: (t: { kind: string; name?: string }) => Partial<Subject>): Subject[] =>
    targets.map((t) => ({ ...base, ...withSel, kind: t.kind, name: t.name, partial: true, ...make(t) }));

  if (head === 'scale') {
    const replicas = number(last(flags, '--replicas'));
    return subjects((t) => ({ object: replicas === undefined ? undefined : { kind: t.kind, spec: { replicas } } }));
  }
  if (head === 'autoscale') {
    const min = number(last(flags, '--min')) ?? 1; // kubectl's default: the server's minimum, 1
    const max = number(last(flags, '--max'));
    const target = targets[0];
    const name = last(flags, '--name') ?? target?.name;
    const spec: K8sObject = { minReplicas: min, ...(max !== undefined ? { maxReplicas: max } : {}), ...(target ? { scaleTargetRef: { kind: target.kind, name: target.name } } : {}) };
    return [{ ...base, kind: 'HorizontalPodAutoscaler', name, partial: false, object: { kind: 'HorizontalPodAutoscaler', metadata: { name }, spec } }];
  }
  if (head === 'set' && verbWords[1] === 'image') {
    const containers = imagePairs(positionals);
    return subjects((t) => ({ object: { kind: t.kind, ...podSpecWrapper(t.kind, { containers }) } }));
  }
  if (head === 'patch') {
    const patch = patchObject(parsed);
    return subjects((t) => ({ object: patch ? { kind: t.kind, ...patch } : undefined }));
  }
  return subjects(() => ({}));
}
