/**
 * `terraform validate` and `terraform fmt -check` (or OpenTofu's `tofu`) for `infra-ops test`.
 * We never run `init` (it downloads providers and modules): a directory that is not initialised
 * makes validate `skipped` with the command to run. Both checks only read the directory.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../finding.js';
import { findBinary, firstStderrLine, oneLine, runTool, type ToolRun } from './exec.js';
import { INSTALL_HINTS } from './install-hints.js';

export type IacTool = 'terraform' | 'tofu';
export type IacToolChoice = 'auto' | IacTool;

export interface CheckOutcome {
  name: string;
  status: 'passed' | 'failed' | 'skipped' | 'error';
  detail: string | null;
  durationMs: number;
}

export interface TerraformChecks {
  validate: CheckOutcome;
  fmt: CheckOutcome;
  findings: Finding[];
  /** The binary used; null when none was found. */
  binary: { tool: IacTool; bin: string } | null;
}

export interface TerraformCheckOptions {
  /** Which binary: `auto` (default) = terraform if installed, else tofu. */
  tool?: IacToolChoice;
  /** Kill each command after this long (default 120 000 ms). */
  timeoutMs?: number;
  /** Environment for PATH lookup and the commands (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

export const TERRAFORM_TIMEOUT_MS = 120_000;
export const FMT_RULE_ID = 'IO_TF_FMT';
export const VALIDATE_RULE_ID = 'IO_TF_VALIDATE';

/** The binary to use: for `auto`, terraform if it is on PATH, else tofu; null when none is. */
export async function pickIacBinary(
  tool: IacToolChoice,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ tool: IacTool; bin: string } | null> {
  const order: IacTool[] = tool === 'auto' ? ['terraform', 'tofu'] : [tool];
  for (const t of order) {
    const bin = await findBinary(t, env);
    if (bin !== null) return { tool: t, bin };
  }
  return null;
}

function notInstalledDetail(tool: IacToolChoice): string {
  if (tool === 'auto') return `not installed: neither terraform nor tofu on PATH (install: ${INSTALL_HINTS.terraform}; or OpenTofu: ${INSTALL_HINTS.tofu})`;
  return `not installed (install: ${INSTALL_HINTS[tool]})`;
}

function runFailure(tool: IacTool, cmd: string, run: ToolRun, timeoutMs: number): string {
  if (run.timedOut) return `${tool} ${cmd}: timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  if (run.error !== null) return oneLine(`${tool} ${cmd}: ${run.error}`);
  const line = firstStderrLine(run.stderr);
  const code = run.exitCode === null ? 'no exit code' : `exit code ${run.exitCode}`;
  return oneLine(`${tool} ${cmd} failed (${code})${line ? `: ${line}` : ''}`);
}

/** A path terraform printed, relative to `dir` with `/` separators. */
function relToDir(p: string, dir: string): string {
  const abs = path.resolve(dir, p);
  const rel = path.relative(dir, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

// ---------------------------------------------------------------- fmt

/** `fmt -check -list=true` stdout → unformatted files relative to `dir`. */
export function parseFmtList(stdout: string, dir: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => relToDir(l, dir));
}

async function runFmt(tool: IacTool, bin: string, dir: string, env: NodeJS.ProcessEnv | undefined, timeoutMs: number) {
  const run = await runTool(bin, ['fmt', '-check', '-recursive', '-list=true', '-no-color', dir], { cwd: dir, env, timeoutMs });
  const name = `${tool} fmt`;
  const findings: Finding[] = [];
  const files = run.error === null ? parseFmtList(run.stdout, dir) : [];
  let outcome: CheckOutcome;
  if (run.error === null && run.exitCode === 0) {
    outcome = { name, status: 'passed', detail: null, durationMs: run.durationMs };
  } else if (run.error === null && files.length > 0 && (run.exitCode === 3 || firstErrorLine(run.stderr) === null)) {
    // terraform exits 3 when files need formatting; other non-zero exits with a list and no error
    // message are read the same way (tofu and older terraform versions).
    const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? `, … (${files.length - 10} more)` : '');
    outcome = {
      name,
      status: 'failed',
      detail: `${files.length} file${files.length === 1 ? '' : 's'} not formatted: ${shown}; run \`${tool} fmt -recursive\``,
      durationMs: run.durationMs,
    };
    for (const file of files) {
      findings.push({
        ruleId: FMT_RULE_ID,
        aliases: [],
        title: 'File is not in canonical Terraform format',
        severity: 'LOW',
        tools: ['builtin'],
        resource: null,
        file,
        startLine: null,
        endLine: null,
        remediation: `${tool} fmt -recursive`,
        docs: 'https://developer.hashicorp.com/terraform/cli/commands/fmt',
        suppressed: null,
      });
    }
  } else {
    outcome = { name, status: 'error', detail: runFailure(tool, 'fmt', run, timeoutMs), durationMs: run.durationMs };
  }
  return { outcome, findings };
}

/** A stderr line that is an actual error (terraform prints `Error: …`), or null. */
function firstErrorLine(stderr: string): string | null {
  const line = firstStderrLine(stderr);
  return line !== null && /^error\b/i.test(line) ? line : null;
}

// ---------------------------------------------------------------- validate

export interface ValidateDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string | null;
  file: string | null;
  startLine: number | null;
  endLine: number | null;
  /** The block the diagnostic is in, from `snippet.context` (e.g. `resource "aws_s3_bucket" "logs"`). */
  context: string | null;
}

export interface ValidateResult {
  valid: boolean;
  diagnostics: ValidateDiagnostic[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const posInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * Parse `validate -json` output (format_version 1.x): `{ valid, diagnostics: [{ severity, summary,
 * detail, range: { filename, start: { line }, end: { line } }, snippet: { context } }] }`.
 * Throws an Error naming the field when the text is not that shape.
 */
export function parseValidateJson(text: string): ValidateResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`validate output is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObj(data) || typeof data.valid !== 'boolean') throw new Error('validate output has no boolean "valid"');
  const raw = data.diagnostics ?? [];
  if (!Array.isArray(raw)) throw new Error('validate output: "diagnostics" is not a list');
  const diagnostics = raw.map((d, i): ValidateDiagnostic => {
    if (!isObj(d)) throw new Error(`validate output: diagnostics[${i}] is not an object`);
    const range = isObj(d.range) ? d.range : {};
    const start = isObj(range.start) ? range.start : {};
    const end = isObj(range.end) ? range.end : {};
    const snippet = isObj(d.snippet) ? d.snippet : {};
    return {
      severity: d.severity === 'warning' ? 'warning' : 'error',
      summary: nonEmpty(d.summary) ?? '(no summary)',
      detail: nonEmpty(d.detail),
      file: nonEmpty(range.filename),
      startLine: posInt(start.line),
      endLine: posInt(end.line),
      context: nonEmpty(snippet.context),
    };
  });
  return { valid: data.valid, diagnostics };
}

// Diagnostics terraform/tofu give when `init` has not been run (or must be re-run).
const NOT_INITIALISED_SUMMARY =
  /^(missing required provider|missing required providers|module not installed|module source has changed|module version requirements have changed|required plugins are not installed|inconsistent dependency lock file|provider requirements cannot be satisfied by locked dependencies|failed to load plugin schemas|backend initialization required)/i;

export function isNotInitialised(d: ValidateDiagnostic): boolean {
  return NOT_INITIALISED_SUMMARY.test(d.summary) || /\b(terraform|tofu) init\b/.test(d.detail ?? '');
}

/** `resource "aws_s3_bucket" "logs"` → `aws_s3_bucket.logs`; module/data blocks likewise; else null. */
export function addressFromContext(context: string | null): string | null {
  if (!context) return null;
  let m = /^resource "([^"]+)" "([^"]+)"/.exec(context);
  if (m) return `${m[1]}.${m[2]}`;
  m = /^data "([^"]+)" "([^"]+)"/.exec(context);
  if (m) return `data.${m[1]}.${m[2]}`;
  m = /^module "([^"]+)"/.exec(context);
  if (m) return `module.${m[1]}`;
  return null;
}

function where(d: ValidateDiagnostic): string {
  return d.file ? ` (${d.file}${d.startLine ? `:${d.startLine}` : ''})` : '';
}

/** Judge a parsed validate result: the check outcome (without duration) and one finding per error. */
export function judgeValidate(
  result: ValidateResult,
  tool: IacTool,
  dir: string,
): { status: CheckOutcome['status']; detail: string | null; findings: Finding[] } {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  const initErrors = errors.filter(isNotInitialised);
  const realErrors = errors.filter((d) => !isNotInitialised(d));
  const initHint = `not initialised: run \`${tool} init -backend=false\``;
  const warnText = warnings.length > 0 ? `; ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings[0]!.summary}${where(warnings[0]!)}` : '';

  if (realErrors.length > 0) {
    const findings = realErrors.map((d): Finding => {
      const file = d.file === null ? null : relToDir(d.file, dir);
      return {
        ruleId: VALIDATE_RULE_ID,
        aliases: [],
        title: `${tool} validate: ${d.summary}`,
        severity: 'HIGH',
        tools: ['builtin'],
        // Only root-module files have addresses we can derive from the block header.
        resource: file !== null && !file.includes('/') ? addressFromContext(d.context) : null,
        file,
        startLine: d.startLine,
        endLine: d.endLine ?? d.startLine,
        remediation: d.detail,
        docs: 'https://developer.hashicorp.com/terraform/cli/commands/validate',
        suppressed: null,
      };
    });
    const first = realErrors[0]!;
    const detail = oneLine(
      `${realErrors.length} error${realErrors.length === 1 ? '' : 's'}: ${first.summary}${where(first)}` +
        (realErrors.length > 1 ? ', …' : '') +
        (initErrors.length > 0 ? `; also ${initHint}` : '') +
        warnText,
      500,
    );
    return { status: 'failed', detail, findings };
  }
  if (initErrors.length > 0) return { status: 'skipped', detail: initHint, findings: [] };
  if (!result.valid) {
    return { status: 'failed', detail: `${tool} validate reported the configuration invalid without an error diagnostic`, findings: [] };
  }
  return { status: 'passed', detail: warnText === '' ? null : oneLine(warnText.slice(2), 500), findings: [] };
}

async function runValidate(tool: IacTool, bin: string, dir: string, env: NodeJS.ProcessEnv | undefined, timeoutMs: number) {
  const run = await runTool(bin, ['validate', '-json', '-no-color'], { cwd: dir, env, timeoutMs });
  const name = `${tool} validate`;
  if (run.error !== null || run.stdout.trim() === '') {
    return { outcome: { name, status: 'error' as const, detail: runFailure(tool, 'validate', run, timeoutMs), durationMs: run.durationMs }, findings: [] };
  }
  let parsed: ValidateResult;
  try {
    parsed = parseValidateJson(run.stdout);
  } catch (e) {
    // Terraform may fail before validating and print plain text instead of JSON.
    const why = e instanceof Error ? e.message : String(e);
    const line = firstStderrLine(run.stderr);
    const code = run.exitCode === null ? 'no exit code' : `exit code ${run.exitCode}`;
    return {
      outcome: { name, status: 'error' as const, detail: oneLine(`${tool} validate (${code}): ${why}${line ? `; ${line}` : ''}`), durationMs: run.durationMs },
      findings: [],
    };
  }
  const judged = judgeValidate(parsed, tool, dir);
  return { outcome: { name, status: judged.status, detail: judged.detail, durationMs: run.durationMs }, findings: judged.findings };
}

// ---------------------------------------------------------------- both

/** Run `validate` and `fmt -check` on `dir` (in parallel); never throws for a tool failure. */
export async function runTerraformChecks(dir: string, opts: TerraformCheckOptions = {}): Promise<TerraformChecks> {
  const choice = opts.tool ?? 'auto';
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? TERRAFORM_TIMEOUT_MS;
  const picked = await pickIacBinary(choice, env);
  const label = picked?.tool ?? (choice === 'auto' ? 'terraform' : choice);
  if (picked === null) {
    const detail = notInstalledDetail(choice);
    return {
      validate: { name: `${label} validate`, status: 'skipped', detail, durationMs: 0 },
      fmt: { name: `${label} fmt`, status: 'skipped', detail, durationMs: 0 },
      findings: [],
      binary: null,
    };
  }
  const absDir = path.resolve(dir);
  const isDir = await stat(absDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    const detail = `directory not found: ${absDir}`;
    return {
      validate: { name: `${label} validate`, status: 'error', detail, durationMs: 0 },
      fmt: { name: `${label} fmt`, status: 'error', detail, durationMs: 0 },
      findings: [],
      binary: picked,
    };
  }
  // No prompts, no "what next" hints, no version check-in with HashiCorp.
  const toolEnv: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const [validate, fmt] = await Promise.all([
    runValidate(picked.tool, picked.bin, absDir, toolEnv, timeoutMs),
    runFmt(picked.tool, picked.bin, absDir, toolEnv, timeoutMs),
  ]);
  return { validate: validate.outcome, fmt: fmt.outcome, findings: [...validate.findings, ...fmt.findings], binary: picked };
}
