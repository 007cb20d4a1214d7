/**
 * Running external tools (terraform/tofu, checkov, tfsec, trivy) for `infra-ops test`.
 * - {@link findBinary} looks a command up on PATH ourselves: no shell, no `which`.
 * - {@link runTool} runs it with execa and an argument array (never a shell string), stdin closed,
 *   a timeout that kills the process, and a cap on buffered output. It never throws for a tool
 *   failure: everything the caller needs to judge the run is in the returned {@link ToolRun}.
 */
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface ToolRun {
  bin: string;
  args: string[];
  /** null when the process did not exit normally (killed, not started). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Why the run did not complete normally (not installed, timed out, output too large…); null otherwise. A non-zero exit alone is not an error here. */
  error: string | null;
}

export interface RunToolOptions {
  cwd?: string;
  /** Kill the tool after this many milliseconds (default 300 000). */
  timeoutMs?: number;
  /** The complete environment of the tool (default `process.env`); it is not merged with `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Largest stdout/stderr kept, per stream (default 64 MiB); beyond it the tool is stopped and the run is an error. */
  maxBufferBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** After a timeout, how long to wait for the output pipes to close before we stop reading them. */
const STREAM_GRACE_MS = 1000;

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    await access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of the executable `name` on `env.PATH`, or null. Empty PATH entries (which a shell
 * would read as the current directory) are ignored. A name containing a path separator is checked
 * as given. On Windows the PATHEXT extensions are tried.
 */
export async function findBinary(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (name === '') return null;
  const isWin = process.platform === 'win32';
  const exts = isWin ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  if (name.includes('/') || (isWin && name.includes('\\'))) {
    for (const ext of exts) {
      const p = path.resolve(name + ext);
      if (await isExecutableFile(p)) return p;
    }
    return null;
  }
  const pathVar = env.PATH ?? (isWin ? env.Path : undefined) ?? '';
  for (const entry of pathVar.split(path.delimiter)) {
    if (entry === '' || !path.isAbsolute(entry)) continue;
    for (const ext of exts) {
      const p = path.join(entry, name + ext);
      if (await isExecutableFile(p)) return p;
    }
  }
  return null;
}

function mib(bytes: number): string {
  const m = bytes / (1024 * 1024);
  return Number.isInteger(m) ? `${m} MiB` : `${bytes} bytes`;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return '';
}

/** Run `bin args…` and report what happened; never throws because of the tool. */
export async function runTool(bin: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolRun> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBuffer = opts.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES;
  const argv = [...args];
  const started = Date.now();
  const base = { bin, args: argv };

  if (opts.cwd !== undefined) {
    const ok = await stat(opts.cwd).then((s) => s.isDirectory(), () => false);
    if (!ok) {
      return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: false, durationMs: 0, error: `working directory not found: ${opts.cwd}` };
    }
  }

  let watchdog: NodeJS.Timeout | undefined;
  try {
    const sub = execa(bin, argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      extendEnv: false,
      reject: false,
      shell: false,
      stdin: 'ignore',
      timeout: timeoutMs,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: 2000,
      maxBuffer,
      encoding: 'utf8',
      stripFinalNewline: false,
      windowsHide: true,
    });
    // A grandchild that inherited stdout/stderr (a worker the tool forked) keeps the pipes open
    // after the tool itself was killed, and the run would last as long as it does. Shortly after
    // the timeout we stop reading, so the timeout really bounds the run.
    watchdog = setTimeout(() => {
      sub.stdout?.destroy();
      sub.stderr?.destroy();
    }, timeoutMs + STREAM_GRACE_MS);
    const r = await sub;
    const stdout = text(r.stdout);
    const stderr = text(r.stderr);
    const durationMs = Math.round(r.durationMs ?? Date.now() - started);
    let error: string | null = null;
    const code = (r as { code?: unknown }).code;
    if (r.timedOut) error = `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
    else if (r.isMaxBuffer) error = `output larger than ${mib(maxBuffer)}; stopped`;
    else if (code === 'ENOENT') error = `not installed (${bin} not found)`;
    else if (code === 'EACCES') error = `not executable: ${bin}`;
    else if (r.exitCode === undefined && r.failed) {
      error = r.signal ? `killed by ${r.signal}` : oneLine(r.originalMessage ?? r.shortMessage ?? 'could not run');
    }
    return {
      ...base,
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : null,
      stdout,
      stderr,
      timedOut: r.timedOut,
      durationMs,
      error,
    };
  } catch (e) {
    // execa only throws for invalid options; report it like any other failure to run.
    const msg = e instanceof Error ? e.message : String(e);
    return { ...base, exitCode: null, stdout: '', stderr: '', timedOut: false, durationMs: Date.now() - started, error: oneLine(msg) };
  } finally {
    clearTimeout(watchdog);
  }
}

// ANSI colour/cursor sequences and the box-drawing frame terraform draws around diagnostics.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
const FRAME = /^[\s│╷╵|]+/;

/** One line, at most `max` characters, ANSI codes and diagnostic frames removed. */
export function oneLine(s: string, max = 300): string {
  const line = s.replace(ANSI, '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The line of a tool's stderr most worth showing, as one line of at most `max` characters: the
 * first line that reads like an error (`Error:`, `fatal`, `panic`…), else the first non-empty line.
 * Only one line is ever kept, so a secret printed further down stderr does not reach the report.
 */
export function firstStderrLine(stderr: string, max = 300): string | null {
  const lines = stderr
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.replace(FRAME, '').trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return null;
  const err = lines.find((l) => /^(error|fatal|panic)\b|\b(error|fatal|FATAL|panic)\s*[:=]/i.test(l));
  return oneLine(err ?? lines[0]!, max);
}
