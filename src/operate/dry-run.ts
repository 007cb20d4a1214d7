/**
 * Running session commands (argument vectors through `runTool`, never a shell) and validating them
 * by dry-run: `kubectl … --dry-run=server [-o yaml]` first; when the API server is unreachable or
 * refuses dry-run (an admission webhook without sideEffects None, dry-run disabled), once more with
 * `--dry-run=client`, labelled as the fallback. Helm commands get `--dry-run` (Helm renders and
 * checks the release, client side). `kubectl rollout status` changes nothing and has no dry-run.
 */
import { isAbsolute, join } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { stderrLine } from '../diagnose/kubectl.js';
import { redactSecrets } from '../errors/redact.js';
import { findBinary, runTool, type ToolRun } from '../tester/tools/exec.js';
import { manifestFor } from './commands.js';
import type { DryRunResult, OperateSession, SessionCommand } from './session.js';

export const COMMAND_TIMEOUT_MS = 120_000;

export interface RunnerOptions {
  context: string | null;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `kubectl`/`helm` with the session's context; the binary is whatever PATH holds. */
export type Runner = (tool: 'kubectl' | 'helm', args: readonly string[], opts?: { timeoutMs?: number }) => Promise<ToolRun>;

export function makeRunner(o: RunnerOptions): Runner {
  const bins = new Map<string, Promise<string | null>>();
  const env = o.env ?? process.env;
  return async (tool, args, opts = {}) => {
    if (!bins.has(tool)) bins.set(tool, findBinary(tool, env));
    const bin = await bins.get(tool)!;
    if (bin === null) {
      throw new CliError(`${tool} is not installed (not found on PATH): install it to operate on the cluster`, EXIT.blocked, `${tool}.missing`);
    }
    const ctx = o.context ? (tool === 'kubectl' ? ['--context', o.context] : ['--kube-context', o.context]) : [];
    return runTool(bin, [...ctx, ...args], { timeoutMs: opts.timeoutMs ?? o.timeoutMs ?? COMMAND_TIMEOUT_MS, env, maxBufferBytes: 64 * 1024 * 1024 });
  };
}

const FILE_FLAGS = new Set(['-f', '--filename', '--values']);

/** The command's arguments (without the tool name) with each `-f NAME` pointing at the stored manifest copy. */
export function resolvedArgs(cmd: SessionCommand, session: Pick<OperateSession, 'manifests'>, folder: string): string[] {
  const args = cmd.argv.slice(1);
  const swap = (value: string): string => {
    const m = manifestFor(value, session.manifests);
    if (!m) throw new CliError(`line ${cmd.line}: -f ${value} is not one of the session's manifests`, EXIT.usage, 'operate.unknown-manifest');
    const p = join(folder, m.file);
    return isAbsolute(p) ? p : join(process.cwd(), p);
  };
  return args.map((a, i) => {
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0 && FILE_FLAGS.has(a.slice(0, eq))) return `${a.slice(0, eq)}=${swap(a.slice(eq + 1))}`;
    if (i > 0 && FILE_FLAGS.has(args[i - 1]!)) return swap(a);
    return a;
  });
}

/** kubectl verbs whose dry-run can print the resulting object. */
const PRINTS = /^(apply|create|patch|scale|set |annotate|label|autoscale|rollout (restart|undo))/;

export function dryRunArgs(cmd: SessionCommand, args: string[], mode: 'server' | 'client'): string[] | null {
  if (cmd.tool === 'helm') return [...args, '--dry-run'];
  if (cmd.verb === 'rollout status') return null;
  return [...args, `--dry-run=${mode}`, ...(PRINTS.test(cmd.verb) ? ['-o', 'yaml'] : [])];
}

const UNREACHABLE = [/Unable to connect to the server/i, /The connection to the server .* was refused/i, /dial tcp/i, /i\/o timeout/i, /TLS handshake timeout/i, /no such host/i];
const NO_SERVER_DRY_RUN = [/does not support dry run/i, /dry ?run .*(not supported|disabled)/i, /DryRun alpha feature is disabled/i, /unknown flag: --dry-run/i];

export function clip(text: string, lines = 40): string {
  const all = redactSecrets(text).split(/\r?\n/);
  const kept = all.slice(0, lines).join('\n');
  return all.length > lines ? `${kept}\n… (${all.length - lines} more lines)` : kept;
}

function why(run: ToolRun): string {
  return run.error ?? stderrLine(run.stderr) ?? `exit code ${run.exitCode}`;
}

function result(index: number, mode: DryRunResult['mode'], run: ToolRun, note: string | null): DryRunResult {
  const ok = run.error === null && run.exitCode === 0;
  return {
    index,
    mode,
    ok,
    note,
    argv: [run.bin.endsWith('helm') ? 'helm' : 'kubectl', ...run.args],
    exitCode: run.exitCode,
    output: clip(run.stdout),
    error: ok ? null : redactSecrets(why(run)),
  };
}

/** Dry-run one command: server side, else the labelled client-side fallback. */
export async function dryRunCommand(index: number, cmd: SessionCommand, args: string[], run: Runner, opts: { allowUnreachableFallback: boolean }): Promise<DryRunResult> {
  const server = dryRunArgs(cmd, args, 'server');
  if (server === null) {
    return { index, mode: 'skipped', ok: true, note: `${cmd.verb} changes nothing: no dry-run needed`, argv: cmd.argv, exitCode: null, output: '', error: null };
  }
  const first = await run(cmd.tool, server);
  if (cmd.tool === 'helm') return result(index, 'client', first, 'helm --dry-run renders the chart and checks the release; the API server does not validate it');
  if (first.error === null && first.exitCode === 0) return result(index, 'server', first, null);
  const text = `${first.stderr}\n${first.error ?? ''}`;
  const unreachable = first.timedOut || UNREACHABLE.some((re) => re.test(text));
  const refused = NO_SERVER_DRY_RUN.some((re) => re.test(text));
  if ((unreachable && opts.allowUnreachableFallback) || refused) {
    const client = await run(cmd.tool, dryRunArgs(cmd, args, 'client')!);
    const reason = unreachable ? `the API server is unreachable (${why(first)})` : `the server refused a dry-run (${why(first)})`;
    return result(index, 'client', client, `fallback: client-side dry-run because ${redactSecrets(reason)}; the server has not validated this command`);
  }
  return result(index, 'server', first, null);
}

export async function dryRunSession(session: OperateSession, folder: string, run: Runner, opts: { allowUnreachableFallback: boolean }): Promise<DryRunResult[]> {
  const out: DryRunResult[] = [];
  for (const [i, cmd] of session.commands.entries()) {
    const r = await dryRunCommand(i, cmd, resolvedArgs(cmd, session, folder), run, opts);
    // The dry-run of a change to a Secret prints the Secret: not kept.
    if (cmd.targets.some((t) => /^secrets?$/i.test(t.kind.split('.')[0]!))) r.output = r.output ? '(output about a Secret not kept)' : '';
    out.push(r);
  }
  return out;
}
