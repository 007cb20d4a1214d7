/**
 * The commands file of an operate session: one command per line, split into an argument vector by
 * our own tokenizer (shell-like quoting: '…', "…", backslash), never by a shell. Only `kubectl`
 * and `helm`, only allowlisted verbs; anything composite (pipes, `&&`, `;`, redirects, backticks,
 * `$(`, `${`) or unknown is refused naming the line. Blank lines and `#` comments are skipped.
 *
 * Each command also says which objects it changes (`targets`), so they can be snapshotted before
 * execution; a `-f FILE` must name a manifest given to `operate propose --manifest` (its stored
 * copy is what runs), and label selectors / `--all` are refused (the objects must be named).
 */
import { basename } from 'node:path';
import { redactArgv } from '../audit/redact-record.js';
import { CliError, EXIT } from '../cli/exit-codes.js';

export type Tool = 'kubectl' | 'helm';

export interface Target {
  /** Kubernetes kind as typed or from the manifest (`deployment`, `Deployment`), or `HelmRelease`. */
  kind: string;
  name: string;
  namespace: string | null;
}

export interface ParsedCommand {
  /** 1-based line in the commands file. */
  line: number;
  argv: string[];
  tool: Tool;
  /** `apply`, `set image`, `rollout restart`, `upgrade`… */
  verb: string;
  /** Manifest names (as written after `-f`) this command reads. */
  files: string[];
  /** `-n`/`--namespace` of the command, else the default given to the parser. */
  namespace: string | null;
  /** Objects named on the command line (objects of `-f` manifests are added by the session). */
  targets: Target[];
}

const KUBECTL_VERBS = new Set(['apply', 'create', 'patch', 'scale', 'set', 'rollout', 'annotate', 'label', 'delete', 'autoscale', 'cordon', 'uncordon', 'drain']);
const KUBECTL_SUB: Record<string, Set<string>> = {
  rollout: new Set(['status', 'restart', 'undo']),
  set: new Set(['image', 'resources', 'env']),
};
const HELM_VERBS = new Set(['upgrade', 'install', 'rollback', 'uninstall']);

/** kubectl flags whose value is the next argument (when not written `--flag=value`). */
const KUBECTL_VALUE_FLAGS = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-f', '--filename', '-o', '--output', '-p', '--patch',
  '--patch-file', '--type', '--replicas', '--current-replicas', '--resource-version', '--image', '-c', '--containers', '--container',
  '--min', '--max', '--cpu-percent', '--timeout', '--grace-period', '--field-manager', '--to-revision', '--revision', '--limits',
  '--requests', '--from', '-e', '--env', '--prefix', '--cascade', '--request-timeout', '--pod-selector', '--name', '--port',
  '--target-port', '--protocol', '--overrides', '--save-config', '--validate', '--subresource',
]);
const HELM_VALUE_FLAGS = new Set([
  '-n', '--namespace', '--kube-context', '--kubeconfig', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json',
  '--version', '--timeout', '--repo', '--description', '--history-max', '--post-renderer', '--username', '--password',
  '--ca-file', '--cert-file', '--key-file', '--wait-for-jobs', '--max-history',
]);
/** Flags we add ourselves or that would change what runs outside the digest. */
const FORBIDDEN_FLAGS = ['--dry-run', '--kubeconfig', '--server', '--token', '--as', '--as-group', '--raw', '--post-renderer'];

export class CommandsFileError extends CliError {
  constructor(message: string, readonly line: number) {
    super(message, EXIT.usage, 'operate.command-refused', { line });
  }
}

const COMPOSITE: [RegExp, string][] = [
  [/\$\(/, 'command substitution `$(`'],
  [/\$\{/, 'parameter expansion `${`'],
  [/`/, 'backticks'],
];

/**
 * Split one line into arguments: whitespace separates, '…' is literal, "…" allows \" and \\,
 * a backslash outside quotes escapes the next character. Unquoted `|`, `&`, `;`, `<`, `>` make
 * the line composite (refused): this is a command list, not a shell.
 */
export function tokenize(text: string, line = 1): string[] {
  for (const [re, what] of COMPOSITE) {
    if (re.test(text)) throw new CommandsFileError(`line ${line}: ${what} is not allowed: one plain command per line (no shell)`, line);
  }
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new CommandsFileError(`line ${line}: unterminated single quote`, line);
      cur += text.slice(i + 1, end);
      i = end;
      inToken = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        cur += text[j];
      }
      if (j >= text.length) throw new CommandsFileError(`line ${line}: unterminated double quote`, line);
      i = j;
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new CommandsFileError(`line ${line}: a trailing backslash (line continuation) is not supported: one command per line`, line);
      cur += text[++i];
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else if ('|&;<>'.includes(c)) {
      const op = c === '|' && text[i + 1] === '|' ? '||' : c === '&' && text[i + 1] === '&' ? '&&' : c;
      throw new CommandsFileError(`line ${line}: \`${op}\` makes a composite command; write one plain kubectl or helm command per line (no pipes, lists or redirects)`, line);
    } else {
      cur += c;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq === -1 ? arg : arg.slice(0, eq);
}

/** Positional arguments and flag values of an argv (after the tool name). */
function split(args: string[], valueFlags: Set<string>): { positionals: string[]; flags: Map<string, string[]> } {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    flags.set(k, [...(flags.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const name = flagName(a);
      if (a.includes('=')) add(name, a.slice(name.length + 1));
      else if (valueFlags.has(name) && i + 1 < args.length) add(name, args[++i]!);
      else add(name, 'true');
    } else positionals.push(a);
  }
  return { positionals, flags };
}

const CLUSTER_KINDS = new Set(['node', 'nodes', 'no', 'namespace', 'namespaces', 'ns', 'persistentvolume', 'persistentvolumes', 'pv', 'storageclass', 'storageclasses', 'sc', 'clusterrole', 'clusterroles', 'clusterrolebinding', 'clusterrolebindings', 'customresourcedefinition', 'customresourcedefinitions', 'crd', 'crds', 'priorityclass', 'priorityclasses']);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_KINDS.has(kind.toLowerCase().split('.')[0]!);
}

function kubectlTargets(verb: string, positionals: string[], namespace: string | null, line: number): Target[] {
  const ns = (kind: string): string | null => (isClusterScoped(kind) ? null : namespace);
  if (verb === 'cordon' || verb === 'uncordon' || verb === 'drain') return positionals.map((name) => ({ kind: 'Node', name, namespace: null }));
  if (verb.startsWith('create ')) {
    // create deployment NAME …, create secret generic NAME …, create configmap NAME …
    const sub = verb.slice(7);
    const rest = sub === 'secret' ? positionals.slice(1) : positionals;
    const name = rest.find((p) => !p.includes('='));
    return name ? [{ kind: sub, name, namespace: ns(sub) }] : [];
  }
  const out: Target[] = [];
  const first = positionals[0];
  if (first === undefined) return out;
  if (first.includes('/')) {
    for (const p of positionals) {
      if (!p.includes('/') || p.includes('=')) break;
      const [kind, name] = p.split('/', 2) as [string, string];
      if (!kind || !name) throw new CommandsFileError(`line ${line}: "${p}" is not TYPE/NAME`, line);
      out.push({ kind, name, namespace: ns(kind) });
    }
    return out;
  }
  for (const p of positionals.slice(1)) {
    if (p.includes('=') || p.endsWith('-')) break;
    out.push({ kind: first, name: p, namespace: ns(first) });
  }
  return out;
}

/** One line → a checked command; throws {@link CommandsFileError} naming the line. */
export function parseCommandLine(text: string, line: number, defaultNamespace: string | null): ParsedCommand {
  const argv = tokenize(text, line);
  const tool = argv[0];
  if (tool !== 'kubectl' && tool !== 'helm') {
    throw new CommandsFileError(`line ${line}: only kubectl and helm commands are run, not "${tool}"`, line);
  }
  for (const a of argv.slice(1)) {
    const f = flagName(a);
    if (FORBIDDEN_FLAGS.includes(f)) throw new CommandsFileError(`line ${line}: ${f} is not allowed in a session command (infra-ops adds dry-runs and the cluster target itself)`, line);
    if (tool === 'kubectl' && (f === '-l' || f === '--selector' || f === '--all' || f === '-A' || f === '--all-namespaces' || /^-l./.test(f))) {
      throw new CommandsFileError(`line ${line}: ${f} selects objects by query; name each object (TYPE/NAME) so it can be snapshotted before it changes`, line);
    }
  }
  // Sessions keep the exact argv on disk: a secret value in a command would be stored in clear.
  const redacted = redactArgv(argv);
  const leak = argv.findIndex((a, i) => a !== redacted[i]);
  if (leak !== -1) {
    throw new CommandsFileError(
      `line ${line}: argument ${leak} carries a secret value (${redacted[leak]}); secrets never go into a session file — create the Secret from your secret store and reference it by name`,
      line,
    );
  }
  const { positionals, flags } = split(argv.slice(1), tool === 'kubectl' ? KUBECTL_VALUE_FLAGS : HELM_VALUE_FLAGS);
  const nsFlag = flags.get('-n') ?? flags.get('--namespace');
  const namespace = nsFlag?.[nsFlag.length - 1] ?? defaultNamespace;
  const hasNamespace = nsFlag !== undefined;
  const head = positionals[0];
  if (head === undefined) throw new CommandsFileError(`line ${line}: no ${tool} verb`, line);
  const files = [...(flags.get('-f') ?? []), ...(flags.get('--filename') ?? []), ...(flags.get('--values') ?? [])];
  if (files.some((f) => f === '-')) throw new CommandsFileError(`line ${line}: -f - (stdin) is not allowed: give the manifest with --manifest`, line);

  if (tool === 'helm') {
    if (!HELM_VERBS.has(head)) throw new CommandsFileError(`line ${line}: helm ${head} is not allowed (allowed: ${[...HELM_VERBS].join(', ')})`, line);
    const release = positionals[1];
    if (!release) throw new CommandsFileError(`line ${line}: helm ${head} needs a release name`, line);
    const chart = positionals[2];
    if ((head === 'upgrade' || head === 'install') && chart && /^(\.|\/|~)/.test(chart)) {
      throw new CommandsFileError(`line ${line}: a local chart path (${chart}) is not covered by the session digest; use a repository or OCI chart with --version`, line);
    }
    if (!hasNamespace && namespace) argv.push('-n', namespace);
    return { line, argv, tool, verb: head, files, namespace, targets: [{ kind: 'HelmRelease', name: release, namespace }] };
  }

  if (!KUBECTL_VERBS.has(head)) {
    throw new CommandsFileError(`line ${line}: kubectl ${head} is not allowed (allowed: ${[...KUBECTL_VERBS].join(', ')})`, line);
  }
  let verb = head;
  let rest = positionals.slice(1);
  const subs = KUBECTL_SUB[head];
  if (subs) {
    const sub = rest[0];
    if (!sub || !subs.has(sub)) throw new CommandsFileError(`line ${line}: kubectl ${head} ${sub ?? ''} is not allowed (allowed: ${[...subs].map((s) => `${head} ${s}`).join(', ')})`.replace('  ', ' '), line);
    verb = `${head} ${sub}`;
    rest = rest.slice(1);
  } else if (head === 'create' && rest[0] !== undefined && files.length === 0) {
    verb = `create ${rest[0]}`;
    rest = rest.slice(1);
  }
  const targets = kubectlTargets(verb, rest, namespace, line);
  if (targets.length === 0 && files.length === 0) {
    throw new CommandsFileError(`line ${line}: kubectl ${verb} names no object (TYPE/NAME, TYPE NAME or -f MANIFEST)`, line);
  }
  // The session's namespace is written into the command, so what runs is what was approved.
  const namespaced = files.length > 0 || targets.some((t) => t.namespace !== null);
  if (!hasNamespace && namespace && namespaced) argv.push('-n', namespace);
  return { line, argv, tool, verb, files, namespace: namespaced ? namespace : null, targets };
}

/** The commands of a file; the first bad line is reported with its number. */
export function parseCommandsFile(text: string, defaultNamespace: string | null): ParsedCommand[] {
  const out: ParsedCommand[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    out.push(parseCommandLine(t, i + 1, defaultNamespace));
  });
  if (out.length === 0) throw new CliError('the commands file holds no command (one kubectl or helm command per line)', EXIT.usage, 'operate.no-commands');
  return out;
}

/** Which stored manifest a `-f` value names: the path as written, else its base name. */
export function manifestFor<T extends { name: string }>(value: string, manifests: readonly T[]): T | undefined {
  return manifests.find((m) => m.name === value) ?? manifests.find((m) => basename(m.name) === basename(value));
}

/** `kubectl set image deployment/x …` as one line (quoting only where needed), for people. */
export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
