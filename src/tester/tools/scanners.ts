/**
 * Run checkov, tfsec or trivy on a Terraform directory and turn the run into a {@link ScannerOutcome}.
 * The verdict comes from the parsed output, not the exit code alone (checkov exits 1 when checks
 * fail, tfsec too unless `--soft-fail`, trivy 0 unless `--exit-code`):
 * - JSON that parses → `passed` (no unsuppressed findings) or `failed`;
 * - no/unparseable/truncated JSON, a non-zero exit without JSON, a timeout → `error` with a
 *   one-line detail (tool, exit code, the telling stderr line — never more than one line);
 * - binary not on PATH → `skipped` with how to install it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../finding.js';
import { parseCheckovJson } from '../scanners/checkov.js';
import type { ParseOptions, ParseResult } from '../scanners/common.js';
import { parseTfsecJson } from '../scanners/tfsec.js';
import { parseTrivyJson } from '../scanners/trivy.js';
import { findBinary, firstStderrLine, oneLine, runTool, type ToolRun } from './exec.js';
import { notInstalled } from './install-hints.js';

export type ScannerName = 'checkov' | 'tfsec' | 'trivy';
export const SCANNER_NAMES: readonly ScannerName[] = ['checkov', 'tfsec', 'trivy'];

export type ToolStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface ScannerOutcome {
  tool: ScannerName;
  status: ToolStatus;
  detail: string;
  findings: Finding[];
  problems: string[];
  durationMs: number;
  version: string | null;
  /** The command as run: binary path then arguments (empty when the tool was not found). */
  command: string[];
}

export interface RunScannerOptions {
  /** Kill the scanner after this long (default 300 000 ms). */
  timeoutMs?: number;
  /** Environment of the tool, PATH lookup included (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Use this executable instead of looking the tool up on PATH. */
  bin?: string;
}

export const SCANNER_TIMEOUT_MS = 300_000;
const VERSION_TIMEOUT_MS = 15_000;

interface ScannerSpec {
  args(dir: string): string[];
  parse(text: string, opts: ParseOptions): ParseResult;
  /** Exit codes that go with a normal run; any other (with parseable JSON) is noted as a problem. */
  okExitCodes: readonly number[];
}

const SPECS: Readonly<Record<ScannerName, ScannerSpec>> = {
  checkov: {
    args: (dir) => ['-d', dir, '-o', 'json', '--quiet', '--compact', '--framework', 'terraform'],
    parse: parseCheckovJson,
    okExitCodes: [0, 1],
  },
  tfsec: {
    // --soft-fail: exit 0 on findings, so a non-zero exit means tfsec itself failed.
    args: (dir) => [dir, '--format', 'json', '--no-colour', '--soft-fail'],
    parse: parseTfsecJson,
    okExitCodes: [0, 1],
  },
  trivy: {
    args: (dir) => ['config', '--format', 'json', '--quiet', dir],
    parse: parseTrivyJson,
    okExitCodes: [0],
  },
};

/** Arguments `runScanner` passes for `tool` on `dir` (exported for documentation and tests). */
export function scannerArgs(tool: ScannerName, dir: string): string[] {
  return SPECS[tool].args(dir);
}

/** `trivy --version` → `0.50.0`, `tfsec --version` → `v1.28.14` → `1.28.14`; a first line without a version number is kept as is. */
export function parseVersion(stdout: string): string | null {
  const first = stdout.split(/\r?\n/).find((l) => l.trim() !== '');
  if (!first) return null;
  const m = /(?:^|[^\w.])v?(\d+\.\d+[0-9A-Za-z.+-]*)/.exec(first);
  return m?.[1] ?? oneLine(first, 80);
}

async function toolVersion(bin: string, env: NodeJS.ProcessEnv | undefined): Promise<string | null> {
  const run = await runTool(bin, ['--version'], { timeoutMs: VERSION_TIMEOUT_MS, env, maxBufferBytes: 64 * 1024 });
  if (run.error !== null || run.exitCode !== 0) return null;
  return parseVersion(run.stdout);
}

function exitText(run: ToolRun): string {
  return run.exitCode === null ? 'no exit code' : `exit code ${run.exitCode}`;
}

/** `checkov: exit code 2: <telling stderr line>` */
function failureDetail(tool: ScannerName, run: ToolRun, what: string): string {
  const line = firstStderrLine(run.stderr);
  return oneLine(`${tool}: ${what} (${exitText(run)})${line ? `: ${line}` : ''}`, 300);
}

/**
 * The JSON part of a scanner's stdout: some versions print a banner or log line before it. Returns
 * the text from the first line that opens a JSON value, or the whole text when none does.
 */
function jsonPart(stdout: string): { text: string; skippedLines: number } {
  const t = stdout.replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(t)) return { text: t, skippedLines: 0 };
  const lines = t.split('\n');
  const i = lines.findIndex((l) => /^\s*[[{]/.test(l));
  if (i < 0) return { text: t, skippedLines: 0 };
  return { text: lines.slice(i).join('\n'), skippedLines: i };
}

/** Run one scanner on `dir` (never throws for a tool failure). */
export async function runScanner(tool: ScannerName, dir: string, opts: RunScannerOptions = {}): Promise<ScannerOutcome> {
  const spec = SPECS[tool];
  const started = Date.now();
  const base = { tool, findings: [] as Finding[], problems: [] as string[], version: null as string | null };
  const bin = opts.bin ?? (await findBinary(tool, opts.env ?? process.env));
  if (bin === null) {
    return { ...base, status: 'skipped', detail: notInstalled(tool), durationMs: 0, command: [] };
  }
  const absDir = path.resolve(dir);
  const args = spec.args(absDir);
  const command = [bin, ...args];
  const isDir = await stat(absDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    return { ...base, status: 'error', detail: `${tool}: directory not found: ${absDir}`, durationMs: 0, command };
  }

  const timeoutMs = opts.timeoutMs ?? SCANNER_TIMEOUT_MS;
  const [run, version] = await Promise.all([
    runTool(bin, args, { cwd: absDir, timeoutMs, env: opts.env }),
    toolVersion(bin, opts.env),
  ]);
  const durationMs = run.durationMs || Date.now() - started;
  const out = { ...base, version, durationMs, command };

  if (run.timedOut) {
    return { ...out, status: 'error', detail: `${tool}: timed out after ${Math.round(timeoutMs / 100) / 10} s` };
  }
  if (run.error !== null) {
    return { ...out, status: 'error', detail: oneLine(`${tool}: ${run.error}`) };
  }
  if (run.stdout.trim() === '') {
    const what = run.exitCode === 0 ? 'printed no output' : 'failed with no JSON output';
    return { ...out, status: 'error', detail: failureDetail(tool, run, what) };
  }

  const { text, skippedLines } = jsonPart(run.stdout);
  let parsed: ParseResult;
  try {
    parsed = spec.parse(text, { file: `${tool} output`, baseDir: absDir });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The parser's message starts with "<tool>: cannot parse <file>: " — keep only the reason.
    const reason = msg.replace(/^\S+: cannot parse [^:]+: /, '');
    return { ...out, status: 'error', detail: failureDetail(tool, run, `unreadable JSON output: ${reason}`) };
  }

  const problems = [...parsed.problems];
  if (skippedLines > 0) problems.push(`${tool}: ignored ${skippedLines} non-JSON line(s) before the JSON output`);
  if (run.exitCode !== null && !spec.okExitCodes.includes(run.exitCode)) {
    problems.push(failureDetail(tool, run, 'unexpected exit status, output parsed anyway'));
  }
  const findings = parsed.findings;
  const suppressed = findings.filter((f) => f.suppressed !== null).length;
  const open = findings.length - suppressed;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const detail =
    open === 0
      ? suppressed === 0
        ? 'no findings'
        : `no findings (${suppressed} suppressed)`
      : `${plural(open, 'finding')}${suppressed > 0 ? ` (+${suppressed} suppressed)` : ''}`;
  return { ...out, status: open > 0 ? 'failed' : 'passed', detail, findings, problems };
}
