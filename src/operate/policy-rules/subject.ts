/**
 * What a policy rule looks at: one {@link Subject} per manifest and one or more per command (the
 * object a command would create or change, as far as its arguments say), plus helpers over pod specs.
 */

export type K8sObject = Record<string, unknown>;

/** Where the change comes from, for messages: `Deployment "api"` or `` `kubectl scale deploy/api --replicas=1` ``. */
export interface Subject {
  /** `manifest` (an object to apply) or `command` (derived from a command's arguments). */
  source: 'manifest' | 'command';
  /** Index in the manifests or commands list. */
  index: number;
  /** What the change does: `apply` for manifests; the kubectl verb for commands (`delete`, `scale`, `set image`, `helm upgrade`). */
  verbs: string[];
  /** Kind of the object (`Deployment`); `undefined` when the command reads objects from a file (`-f`). */
  kind: string | undefined;
  name: string | undefined;
  namespace: string;
  /**
   * The object as applied (manifest, `kubectl create deployment`, `kubectl run`), or only the fields the
   * command sets (`partial`: `scale` → `spec.replicas`, `set image` → container images, `patch` → the patch).
   */
  object?: K8sObject;
  partial: boolean;
  /** The command's argument vector (commands only). */
  argv?: string[];
  /** For commands: the file the objects come from (`kubectl delete -f x.yaml`). */
  fromFile?: string;
  /** For commands: the selector standing in for names (`-l app=demo`, `--all`). */
  selector?: string;
  /** Helm `--set` values (`image.tag=latest`), helm commands only. */
  helmValues?: { key: string; value: string }[];
}

/** Everything the rules may consult besides the subject itself. */
export interface PolicyContext {
  env: string;
  namespace: string;
  production: boolean;
  /** Every manifest of the change (a PDB may come with the Deployment). */
  manifests: K8sObject[];
  /** Objects already in the cluster. */
  existing: { pdbs: K8sObject[]; autoscalers: K8sObject[] };
}

/** A rule's finding: one message naming the object, container or command. */
export type RuleFinding = string;

/** One built-in predicate: its name in policy files and its check. */
export interface RuleCheck {
  name: string;
  /** Returns one message per problem; params were validated by the policy schema. */
  check(subject: Subject, params: Record<string, unknown>, ctx: PolicyContext): RuleFinding[];
}

export function isObject(v: unknown): v is K8sObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function field(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObject(cur) ? cur[key] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The pod spec of a pod or of a workload's template (CronJob: the job template's). */
export function podSpecOf(kind: string | undefined, obj: K8sObject | undefined): K8sObject | undefined {
  if (!obj) return undefined;
  const spec =
    kind === 'Pod' ? field(obj, 'spec') : kind === 'CronJob' ? field(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : field(obj, 'spec', 'template', 'spec');
  return isObject(spec) ? spec : undefined;
}

/** The pod template's labels (a Pod's own labels). */
export function podLabelsOf(kind: string | undefined, obj: K8sObject | undefined): Record<string, string> {
  const labels = kind === 'Pod' ? field(obj, 'metadata', 'labels') : kind === 'CronJob' ? field(obj, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels') : field(obj, 'spec', 'template', 'metadata', 'labels');
  const out: Record<string, string> = {};
  if (isObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export interface ContainerRef {
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  name: string;
  container: K8sObject;
}

/** Containers of a pod spec, of the given lists (default: app and init containers). */
export function containersOf(spec: K8sObject | undefined, lists: readonly string[] = ['initContainers', 'containers']): ContainerRef[] {
  const out: ContainerRef[] = [];
  if (!spec) return out;
  for (const list of lists) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c: unknown, i) => {
      if (isObject(c)) out.push({ list, name: typeof c.name === 'string' ? c.name : `#${i}`, container: c });
    });
  }
  return out;
}

/** `Deployment "api"` (with the namespace when it differs from the context's). */
export function describeSubject(s: Subject, ctx: PolicyContext): string {
  const obj = `${s.kind ?? 'object'}${s.name ? ` "${s.name}"` : ''}${s.namespace !== ctx.namespace ? ` in namespace "${s.namespace}"` : ''}`;
  return s.source === 'command' && s.argv ? `${obj} (\`${showArgv(s.argv)}\`)` : obj;
}

/** A command as a user would type it; words quoted only where a shell would need it. */
export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `spec.replicas` when set; a Deployment/StatefulSet without it runs 1 (absent from a partial change: undefined). */
export function replicasOf(s: Subject): number | undefined {
  const r = field(s.object, 'spec', 'replicas');
  if (typeof r === 'number') return r;
  return s.partial ? undefined : 1;
}

/** Whether a label selector (`matchLabels` + `matchExpressions`) selects these labels; an empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const ml = selector.matchLabels;
  if (isObject(ml)) for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const exprs = selector.matchExpressions;
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isObject(e) || typeof e.key !== 'string') return false;
      const values = Array.isArray(e.values) ? e.values.filter((x): x is string => typeof x === 'string') : [];
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      const val = labels[e.key];
      switch (e.operator) {
        case 'In':
          if (!has || !values.includes(val!)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(val!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}
