/**
 * Operate policies: the team's rules over the manifests and kubectl/helm commands of a change.
 *
 * API
 * - {@link loadPolicies}`(projectRoot)` → `Policy[]`: the shipped defaults (`templates/policies/*.yaml`)
 *   plus the team's `.infra-ops/policies/*.yaml` (a team rule with a shipped rule's id replaces it;
 *   `disabled: true` switches it off). Throws {@link PolicyFileError} naming file, line, rule and field.
 * - {@link parsePolicies}`(files)` → `Policy[]`: the same from texts (tests, other sources).
 * - {@link evaluatePolicies}`(input, policies)` → `{ outcome: 'allow'|'review'|'deny', violations }`.
 *   Each violation names the rule, its outcome and mode, the object/container/command, and the fix.
 *   Report-only violations are listed but do not change the outcome. Input: `commands` (argv, tool
 *   first), `manifests`, `env`, `namespace` (null: `default`), `production`, optional `existing`
 *   (cluster PDBs and autoscalers, e.g. `kubectl get pdb,hpa -n NS -o json` items) and `files`
 *   (objects per `-f` file, so `delete -f F` is judged by what F holds). Messages are redacted.
 *
 * Rules (schemas/operate-policy.schema.json): `id`, `description`, `match` (kinds, verbs, environments,
 * namespaces, production), `check` (one built-in predicate from ./policy-rules/), `outcome` (deny|review),
 * `mode` (enforce|report-only), `fix`. Manifests count as verb `apply`; commands are read by
 * ./policy-rules/command-subjects.ts (`kubectl set image deploy/x app=repo:latest`, `kubectl delete pvc data`,
 * `kubectl scale deploy/x --replicas=1`, `kubectl patch … -p`, `helm upgrade --set image.tag=latest`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import schema from '../../schemas/operate-policy.schema.json' with { type: 'json' };
import { redactSecrets } from '../errors/redact.js';
import { pluginRoot, stateDirOf } from '../project/paths.js';
import { cjsNamespace } from '../runtime/cjs-interop.js';
import { validateAgainst } from '../schema/validate.js';
import { commandSubjects } from './policy-rules/command-subjects.js';
import { RULE_CHECKS, type CheckName } from './policy-rules/index.js';
import { canonicalKind } from './policy-rules/kinds.js';
import { isObject, type K8sObject, type PolicyContext, type Subject } from './policy-rules/subject.js';

export type PolicyOutcome = 'deny' | 'review';
export type PolicyMode = 'enforce' | 'report-only';

export interface PolicyMatch {
  kinds?: string[];
  verbs?: string[];
  environments?: string[];
  namespaces?: string[];
  production?: boolean;
}

export interface Policy {
  id: string;
  description: string;
  match: PolicyMatch;
  check: { name: CheckName; params: Record<string, unknown> };
  outcome: PolicyOutcome;
  mode: PolicyMode;
  fix: string;
  /** Where the rule came from: `shipped` (templates/policies) or `team` (.infra-ops/policies), and the file name. */
  source: 'shipped' | 'team';
  file: string;
}

export interface PolicyViolation {
  ruleId: string;
  outcome: PolicyOutcome;
  mode: PolicyMode;
  message: string;
  fix: string;
  /** Which input it is about: the index of the command or manifest. */
  source: { type: 'command' | 'manifest'; index: number };
}

export interface PolicyInput {
  /** Argument vectors (`['kubectl', 'scale', 'deploy/api', '--replicas=1']`). */
  commands: string[][];
  /** Objects to apply (a `List` is expanded). */
  manifests: object[];
  env: string;
  /** Default namespace of commands and manifests that name none (null: kubectl's `default`). */
  namespace: string | null;
  production: boolean;
  /**
   * Objects already in the cluster: PodDisruptionBudgets (requirePdbForReplicas) and autoscalers
   * (HorizontalPodAutoscalers, KEDA ScaledObjects: minReplicas judges those instead of the workload's replicas).
   */
  existing?: { pdbs?: object[]; autoscalers?: object[] };
  /**
   * The objects of each file a command names with `-f` (key: the path as written, or its base name):
   * `kubectl delete -f demo.yaml` is then judged by what demo.yaml holds instead of as unknown.
   */
  files?: Record<string, object[]>;
}

export interface PolicyResult {
  outcome: 'allow' | 'review' | 'deny';
  violations: PolicyViolation[];
}

/** One problem in a policy file, as exact as the input allows. */
export interface PolicyProblem {
  file: string;
  line?: number;
  /** Rule index in its file and its id when known. */
  index?: number;
  ruleId?: string;
  /** JSON pointer inside the rule (`/check/minReplicas/min`), or `/` for the file. */
  field: string;
  message: string;
}

export class PolicyFileError extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(`invalid policy file:\n  ${problems.map(formatPolicyProblem).join('\n  ')}`);
    this.name = 'PolicyFileError';
  }
}

/** `file:line: rule "id" (#2) /check/minReplicas/min must be integer`. */
export function formatPolicyProblem(p: PolicyProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const rule = p.index === undefined ? '' : p.ruleId ? ` rule "${p.ruleId}" (#${p.index})` : ` rule #${p.index}`;
  return `${where}:${rule} ${p.field} ${p.message}`;
}

interface RawRule {
  id: string;
  description: string;
  match?: PolicyMatch;
  check: Record<string, Record<string, unknown>>;
  outcome: PolicyOutcome;
  mode?: PolicyMode;
  disabled?: boolean;
  fix: string;
}

/**
 * Parses policy files in order; a later file's rule with an earlier id replaces it only across
 * sources (`team` over `shipped`); a duplicate id within one source is an error.
 */
export async function parsePolicies(files: { path: string; text: string; source?: 'shipped' | 'team' }[]): Promise<Policy[]> {
  const { parseDocument, LineCounter: LC } = cjsNamespace(await import('yaml'));
  const problems: PolicyProblem[] = [];
  const byId = new Map<string, { policy: Policy | null; source: 'shipped' | 'team'; file: string }>();
  for (const { path, text, source = 'team' } of files) {
    const lineCounter = new LC();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ file: path, line: lineCounter.linePos(e.pos[0]).line, field: '/', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
      continue;
    }
    const value = (doc.toJS() as unknown) ?? [];
    const fileProblems = (await validateAgainst(schema, value)).map((p) => {
      const allowed = p.allowed ?? (/^\/\d+\/check\/[^/]+$/.test(p.path) && p.message === 'is not a known field' ? Object.keys(RULE_CHECKS) : undefined);
      return locate(path, doc, lineCounter, value, p.path, p.message + (allowed ? ` (allowed: ${allowed.map((a) => JSON.stringify(a)).join(', ')})` : ''));
    });
    if (fileProblems.length === 0) {
      (value as RawRule[]).forEach((raw, index) => {
        const prior = byId.get(raw.id);
        if (prior && prior.source === source) {
          fileProblems.push(locate(path, doc, lineCounter, value, `/${index}/id`, `duplicates the id of a rule in ${prior.file}`));
          return;
        }
        const [name, params] = Object.entries(raw.check)[0]!;
        const policy: Policy | null = raw.disabled
          ? null
          : {
              id: raw.id,
              description: raw.description,
              match: raw.match ?? {},
              check: { name: name as CheckName, params: params ?? {} },
              outcome: raw.outcome,
              mode: raw.mode ?? 'enforce',
              fix: raw.fix,
              source,
              file: basename(path),
            };
        byId.set(raw.id, { policy, source, file: path });
      });
    }
    problems.push(...fileProblems);
  }
  if (problems.length > 0) throw new PolicyFileError(problems);
  return [...byId.values()].map((v) => v.policy).filter((p): p is Policy => p !== null);
}

async function yamlFiles(dir: string, source: 'shipped' | 'team'): Promise<{ path: string; text: string; source: 'shipped' | 'team' }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return Promise.all(names.map(async (n) => ({ path: join(dir, n), text: await readFile(join(dir, n), 'utf8'), source })));
}

/** The shipped policies folder. */
export function shippedPoliciesDir(): string {
  return join(pluginRoot(), 'templates', 'policies');
}

/** Shipped defaults plus the team's `.infra-ops/policies/*.yaml` (absent folder: defaults only). */
export async function loadPolicies(projectRoot: string, opts: { shippedDir?: string } = {}): Promise<Policy[]> {
  const shipped = await yamlFiles(opts.shippedDir ?? shippedPoliciesDir(), 'shipped');
  const team = await yamlFiles(join(stateDirOf(projectRoot), 'policies'), 'team');
  return parsePolicies([...shipped, ...team]);
}

/** `prod-*` style patterns; case-sensitive like Kubernetes names. */
function nameMatches(patterns: readonly string[] | undefined, value: string): boolean {
  if (!patterns) return true;
  return patterns.some((p) => (p.includes('*') ? new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value) : p === value));
}

function applies(policy: Policy, s: Subject, input: PolicyInput): boolean {
  const m = policy.match;
  if (m.production !== undefined && m.production !== input.production) return false;
  if (!nameMatches(m.environments, input.env)) return false;
  if (!nameMatches(m.namespaces, s.namespace)) return false;
  if (m.verbs && !m.verbs.some((v) => s.verbs.includes(v.trim().toLowerCase()))) return false;
  // A command reading its objects from a file has no known kind: it stays in scope.
  if (m.kinds && s.kind !== undefined && !m.kinds.map(canonicalKind).includes(s.kind)) return false;
  return true;
}

/** Manifests as subjects; a `List`'s items are taken one by one. */
function manifestSubjects(manifests: readonly object[], namespace: string): { subjects: Subject[]; objects: K8sObject[] } {
  const subjects: Subject[] = [];
  const objects: K8sObject[] = [];
  manifests.forEach((m, index) => {
    const items = isObject(m) && Array.isArray(m.items) && typeof m.kind === 'string' && m.kind.endsWith('List') ? m.items : [m];
    for (const item of items) {
      if (!isObject(item)) continue;
      objects.push(item);
      const meta = isObject(item.metadata) ? item.metadata : {};
      subjects.push({
        source: 'manifest',
        index,
        verbs: ['apply'],
        kind: typeof item.kind === 'string' ? item.kind : undefined,
        name: typeof meta.name === 'string' ? meta.name : undefined,
        namespace: typeof meta.namespace === 'string' ? meta.namespace : namespace,
        object: item,
        partial: false,
      });
    }
  });
  return { subjects, objects };
}

/** A `delete -f FILE` subject becomes one subject per object of FILE when the file's objects are known. */
function expandFile(s: Subject, files: PolicyInput['files']): Subject[] {
  if (s.fromFile === undefined || !s.verbs.includes('delete') || !files) return [s];
  const objects = files[s.fromFile] ?? files[basename(s.fromFile)];
  if (!objects) return [s];
  return objects.filter(isObject).map((o) => {
    const meta = isObject(o.metadata) ? o.metadata : {};
    const { fromFile: _file, ...rest } = s;
    return {
      ...rest,
      kind: typeof o.kind === 'string' ? o.kind : undefined,
      name: typeof meta.name === 'string' ? meta.name : undefined,
      namespace: typeof meta.namespace === 'string' ? meta.namespace : s.namespace,
      object: o,
      partial: false,
    };
  });
}

/** Checks a change against the policies; report-only violations are listed but never decide. */
export function evaluatePolicies(input: PolicyInput, policies: readonly Policy[]): PolicyResult {
  const namespace = input.namespace ?? 'default';
  const { subjects: fromManifests, objects } = manifestSubjects(input.manifests, namespace);
  const subjects = [...fromManifests, ...input.commands.flatMap((argv, i) => commandSubjects(argv, i, namespace)).flatMap((s) => expandFile(s, input.files))];
  const ctx: PolicyContext = {
    env: input.env,
    namespace,
    production: input.production,
    manifests: objects,
    existing: { pdbs: (input.existing?.pdbs ?? []).filter(isObject), autoscalers: (input.existing?.autoscalers ?? []).filter(isObject) },
  };
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    const rule = RULE_CHECKS[policy.check.name];
    if (!rule) continue; // the schema admits only known names
    for (const s of subjects) {
      if (!applies(policy, s, input)) continue;
      for (const message of rule.check(s, policy.check.params, ctx)) {
        // Messages quote commands, which may carry values (`--set db.password=…`): never a secret in a session file.
        violations.push({ ruleId: policy.id, outcome: policy.outcome, mode: policy.mode, message: redactSecrets(message), fix: policy.fix, source: { type: s.source, index: s.index } });
      }
    }
  }
  const enforced = violations.filter((v) => v.mode === 'enforce');
  const outcome = enforced.some((v) => v.outcome === 'deny') ? 'deny' : enforced.some((v) => v.outcome === 'review') ? 'review' : 'allow';
  return { outcome, violations };
}

/** Turns a file-level JSON pointer (`/3/check/minReplicas`) into file, line, rule and rule-relative field. */
function locate(file: string, doc: Document, lineCounter: LineCounter, value: unknown, pointer: string, message: string): PolicyProblem {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const base: PolicyProblem = { file, field: '/', message };
  for (let n = keys.length; n >= 0; n--) {
    // Walk up until a node exists: a missing field is reported at its parent.
    const path = keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = (n === 0 ? doc.contents : doc.getIn(path, true)) as { range?: [number, number, number] } | null | undefined;
    if (node && typeof node === 'object' && node.range) {
      base.line = lineCounter.linePos(node.range[0]).line;
      break;
    }
  }
  const first = keys[0];
  if (first === undefined || !/^\d+$/.test(first) || !Array.isArray(value)) return base;
  const index = Number(first);
  const raw: unknown = value[index];
  const id = isObject(raw) ? raw.id : undefined;
  const field = keys.length > 1 ? `/${keys.slice(1).join('/')}` : '/';
  return typeof id === 'string' ? { ...base, index, ruleId: id, field } : { ...base, index, field };
}
