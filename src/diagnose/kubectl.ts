/**
 * Running the real `kubectl` for diagnosis: argument arrays through {@link runTool} (never a
 * shell string), `--context` / `--kubeconfig` / `-n` passed through, a timeout, and failures turned
 * into errors a user can act on:
 * - kubectl missing, cluster unreachable, no context, not logged in, forbidden, timed out → exit 3
 *   (`blocked`) with what to fix;
 * - the object does not exist → exit 2 naming it;
 * - anything else → exit 1 with the command and kubectl's first stderr line.
 */
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { ToolRun } from '../tester/tools/exec.js';

export const KUBECTL_TIMEOUT_MS = 30_000;
export const KUBECTL_INSTALL = 'apt-get install kubectl (or https://kubernetes.io/docs/tasks/tools/)';

/**
 * The line of kubectl's stderr worth quoting, at most 300 characters: kubectl's own verdict
 * (`error: …`, `Error from server …`, `Unable to connect …`, `The connection to the server …`)
 * rather than the client-go log lines printed before it; else the first line.
 */
export function stderrLine(stderr: string): string | null {
  const lines = stderr.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (lines.length === 0) return null;
  const verdict = lines.find((l) => /^(error:|Error from server|Unable to connect|The connection to the server)/.test(l));
  const line = verdict ?? lines[0]!;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Which cluster and namespace to talk to; absent fields fall back to kubectl's own defaults. */
export interface KubectlTarget {
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  /** Per kubectl call (default 30 s). */
  timeoutMs?: number;
  /** Environment of kubectl (default `process.env`); PATH decides which kubectl runs. */
  env?: NodeJS.ProcessEnv;
}

/** One object kubectl was asked about, to name it in errors (`pod "web-1" in namespace "shop"`). */
export interface ObjectRef {
  kind: string;
  name?: string;
  namespace?: string;
}

/** The global flags first, then the command, then `-n NS` when a namespace is given. */
export function kubectlArgs(target: KubectlTarget, args: readonly string[], opts: { namespaced?: boolean } = {}): string[] {
  const out: string[] = [];
  if (target.context) out.push('--context', target.context);
  if (target.kubeconfig) out.push('--kubeconfig', target.kubeconfig);
  out.push(...args);
  if (opts.namespaced !== false && target.namespace) out.push('-n', target.namespace);
  return out;
}

/** How a user would type the command (for messages and evidence); quoting only where needed. */
export function showCommand(args: readonly string[]): string {
  return ['kubectl', ...args].map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function describe(ref: ObjectRef | undefined, target: KubectlTarget): string {
  if (!ref) return 'the object';
  const ns = ref.namespace ?? target.namespace;
  return `${ref.kind}${ref.name ? ` "${ref.name}"` : ''}${ns && ref.kind !== 'node' && ref.kind !== 'namespace' ? ` in namespace "${ns}"` : ''}`;
}

const CONNECT = [
  /Unable to connect to the server/i,
  /The connection to the server .* was refused/i,
  /dial tcp .*(connection refused|i\/o timeout|no such host|network is unreachable|no route to host)/i,
  /couldn't get current server API group list/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
];
const NO_CONTEXT = [/context "[^"]*" does not exist/i, /current-context is not set/i, /no configuration has been provided/i, /error loading config file/i, /invalid configuration/i];
const AUTH = [/You must be logged in to the server/i, /\(Unauthorized\)/, /getting credentials: exec/i, /failed to refresh token/i, /token has expired/i];

/** Turns a failed kubectl run into a {@link CliError}; null when the run succeeded. */
export function kubectlFailure(run: ToolRun, target: KubectlTarget, ref?: ObjectRef): CliError | null {
  const cmd = showCommand(run.args);
  const where = target.context ? `context "${target.context}"` : 'the current context';
  if (run.timedOut) {
    return new CliError(
      `\`${cmd}\` ${run.error ?? 'timed out'}: the cluster (${where}) is not answering — check the API server is reachable (VPN, network, endpoint) or raise --timeout`,
      EXIT.blocked,
      'kubectl.timeout',
    );
  }
  if (run.error !== null) {
    if (/not installed/.test(run.error)) return kubectlMissing();
    return new CliError(`\`${cmd}\` could not run: ${run.error}`, EXIT.blocked, 'kubectl.failed');
  }
  if (run.exitCode === 0) return null;
  const lines = run.stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const all = lines.join('\n');
  const first = stderrLine(run.stderr) ?? `exit code ${run.exitCode}`;
  if (/Error from server \(NotFound\)/.test(all)) {
    const m = /Error from server \(NotFound\): (.*)$/m.exec(all);
    return new CliError(`${describe(ref, target)} not found (${where}): ${m?.[1] ?? first}`, EXIT.usage, 'kubectl.not_found');
  }
  if (NO_CONTEXT.some((re) => re.test(all))) {
    return new CliError(
      `kubectl has no usable cluster configuration: ${first} — pass --context <name> or --kubeconfig <file> (see \`kubectl config get-contexts\`)`,
      EXIT.blocked,
      'kubectl.no_context',
    );
  }
  // Credentials first: `Unable to connect to the server: getting credentials: exec: …` is an auth problem.
  if (AUTH.some((re) => re.test(all))) {
    return new CliError(`kubectl is not logged in to the cluster (${where}): ${first} — refresh your credentials (e.g. \`aws eks update-kubeconfig\`)`, EXIT.blocked, 'kubectl.unauthorized');
  }
  if (CONNECT.some((re) => re.test(all))) {
    return new CliError(
      `cannot reach the cluster (${where}): ${first} — check the API server address, VPN/network access, or pick another --context`,
      EXIT.blocked,
      'kubectl.unreachable',
    );
  }
  if (/\(Forbidden\)/.test(all)) {
    return new CliError(`not allowed: ${first} — ask for read access (get/list) to this resource`, EXIT.blocked, 'kubectl.forbidden');
  }
  return new CliError(`\`${cmd}\` failed: ${first}`, EXIT.failure, 'kubectl.failed');
}

export function kubectlMissing(): CliError {
  return new CliError(`kubectl is not installed (not found on PATH) — install it: ${KUBECTL_INSTALL}; or pass the objects with --pod-file/--events-file/--file`, EXIT.blocked, 'kubectl.missing');
}

/** Runs kubectl commands against one target. */
export class Kubectl {
  private bin: Promise<string | null> | undefined;
  /** At most this many kubectl processes at once (a namespace's logs are read in parallel). */
  static readonly MAX_PARALLEL = 6;
  private running = 0;
  private waiting: (() => void)[] = [];
  constructor(readonly target: KubectlTarget = {}) {}

  private async slot(): Promise<() => void> {
    if (this.running >= Kubectl.MAX_PARALLEL) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }

  private async binary(): Promise<string> {
    // exec.js (and execa) load only when kubectl is really run: diagnosing files never pays for them.
    this.bin ??= import('../tester/tools/exec.js').then((m) => m.findBinary('kubectl', this.target.env ?? process.env));
    const bin = await this.bin;
    if (bin === null) throw kubectlMissing();
    return bin;
  }

  /** Runs `kubectl <globals> args [-n NS]`; never throws for a kubectl failure (see {@link kubectlFailure}). */
  async run(args: readonly string[], opts: { namespaced?: boolean } = {}): Promise<ToolRun> {
    const bin = await this.binary();
    const { runTool } = await import('../tester/tools/exec.js');
    const release = await this.slot();
    try {
      return await runTool(bin, kubectlArgs(this.target, args, opts), {
        timeoutMs: this.target.timeoutMs ?? KUBECTL_TIMEOUT_MS,
        env: this.target.env ?? process.env,
        maxBufferBytes: 256 * 1024 * 1024,
      });
    } finally {
      release();
    }
  }

  /** `kubectl get … -o json`, parsed; throws a {@link CliError} on any failure. */
  async getJson(args: readonly string[], ref?: ObjectRef, opts: { namespaced?: boolean } = {}): Promise<Record<string, unknown>> {
    const run = await this.run([...args, '-o', 'json'], opts);
    const failure = kubectlFailure(run, this.target, ref);
    if (failure) throw failure;
    return parseKubectlJson(run);
  }

  /** Like {@link getJson} but for a list: the `items` array. */
  async list(args: readonly string[], ref?: ObjectRef, opts: { namespaced?: boolean } = {}): Promise<Record<string, unknown>[]> {
    return listItems(await this.getJson(args, ref, opts));
  }
}

export function parseKubectlJson(run: ToolRun): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new CliError(`\`${showCommand(run.args)}\` did not print JSON (${why}): ${stderrLine(run.stderr) ?? (run.stdout.trim().slice(0, 120) || 'empty output')}`, EXIT.failure, 'kubectl.bad_output');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CliError(`\`${showCommand(run.args)}\` printed JSON that is not an object`, EXIT.failure, 'kubectl.bad_output');
  }
  return doc as Record<string, unknown>;
}

/** The objects of a `List` / `PodList` / `EventList` (or the object itself when it is not a list). */
export function listItems(doc: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(doc.items)) return doc.items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object' && !Array.isArray(i));
  return [doc];
}
