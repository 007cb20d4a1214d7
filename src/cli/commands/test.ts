import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { configPath as configFile, loadConfig } from '../../config/load.js';
import type { EnvironmentConfig, InfraOpsConfig } from '../../config/types.js';
import type { Phase, TestReport } from '../../tester/report/report.js';
import type { WrittenReports, ReportFormat } from '../../tester/write-reports.js';
import type { ScannerChoice } from '../../tester/phase-pre.js';
import { projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

interface TestOptions extends CommonOptions {
  env: string;
  phase: string;
  scanners?: string;
  format?: string;
  plan?: string;
  infracost?: string;
  state?: string;
  timeout?: string;
  save: boolean;
}

export interface TestCommandResult {
  schemaVersion: 1;
  report: TestReport;
  /** Files written (absent with --no-save). */
  files: WrittenReports | null;
  notes: string[];
}

const SCANNERS: readonly ScannerChoice[] = ['builtin', 'checkov', 'tfsec', 'trivy'];
const FORMATS: readonly ReportFormat[] = ['md', 'sarif', 'junit'];

function list<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (bad.length || items.length === 0) {
    throw new CliError(`${flag}: unknown value ${bad.map((b) => JSON.stringify(b)).join(', ') || '(empty)'} (allowed: ${allowed.join(', ')})`, EXIT.usage, 'input.invalid');
  }
  return [...new Set(items)] as T[];
}

function inputFile(file: string | undefined, flag: string): string | undefined {
  if (file === undefined) return undefined;
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new CliError(`${flag}: file not found: ${file}`, EXIT.usage, 'input.not_found');
  return abs;
}

/** The environment's config; without a config file every environment gets the defaults. */
function environment(config: InfraOpsConfig | undefined, env: string): EnvironmentConfig | null {
  if (!config) return null;
  const e = config.environments[env];
  if (!e) {
    throw new CliError(
      `environment "${env}" is not in .infra-ops/config.yaml (known: ${Object.keys(config.environments).join(', ')})`,
      EXIT.usage,
      'config.unknown_env',
    );
  }
  return e;
}

function terraformDir(arg: string | undefined, root: string, config: InfraOpsConfig | undefined): string {
  const dir = arg !== undefined ? resolve(arg) : resolve(root, config?.iac?.dir ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`not a directory: ${arg ?? dir}`, EXIT.usage, 'input.not_found');
  return dir;
}

export async function testCommand(dirArg: string | undefined, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<TestOptions>();
  if (!opts.env) throw new CliError(`--env <name> is required (e.g. --env test)`, EXIT.usage, 'input.missing');
  if (opts.phase !== 'pre' && opts.phase !== 'post') throw new CliError(`--phase must be pre or post, got "${opts.phase}"`, EXIT.usage, 'input.invalid');
  const phase: Phase = opts.phase;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(opts.env)) throw new CliError(`--env: invalid environment name "${opts.env}"`, EXIT.usage, 'input.invalid');
  // The project is found from -C, else from the Terraform directory upwards, else from the current folder.
  const fromTf = !opts.dir && dirArg !== undefined ? projectContext({ ...opts, dir: dirArg }) : null;
  const ctx = fromTf && existsSync(fromTf.stateDir) ? fromTf : projectContext(opts);
  const config = await loadConfig(ctx.root);
  const envConfig = environment(config, opts.env);
  const dir = terraformDir(dirArg, ctx.root, config);
  const scanners = list(opts.scanners, SCANNERS, '--scanners') ?? config?.test?.scanners ?? null;
  const formats = list(opts.format, FORMATS, '--format') ?? config?.test?.formats ?? [];
  const timeoutSec = opts.timeout !== undefined ? Number(opts.timeout) : (config?.test?.timeoutSeconds ?? 300);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new CliError(`--timeout must be a positive number of seconds, got "${opts.timeout}"`, EXIT.usage, 'input.invalid');
  const plan = inputFile(opts.plan, '--plan');
  const infracost = inputFile(opts.infracost, '--infracost');
  const state = inputFile(opts.state, '--state');

  const quiet = Boolean(opts.json) && !process.stderr.isTTY;
  const progress = (m: string): void => {
    if (!quiet || process.env['INFRA_OPS_PROGRESS']) process.stderr.write(`${paint('…', 'dim', process.stderr)} ${m}\n`);
  };
  const t0 = performance.now();
  const generatedAt = new Date();
  const shown = relative(process.cwd(), dir) || '.';
  const common = { dir, env: opts.env, project: config?.project, timeoutMs: timeoutSec * 1000, progress };

  let result: { findings: TestReport['findings'] | import('../../tester/finding.js').Finding[]; checks: import('../../tester/report/report.js').CheckResult[]; cost: import('../../tester/report/report.js').CostInput | null; notes: string[] };
  if (phase === 'pre') {
    const { runPreTests } = await import('../../tester/phase-pre.js');
    result = await runPreTests({
      ...common,
      iacTool: config?.iac?.tool ?? 'auto',
      scanners,
      requiredTags: envConfig?.requiredTags,
      naming: envConfig?.naming,
      tfvars: envConfig?.tfvars,
      budget: envConfig?.budget ?? null,
      planFile: plan,
      infracostFile: infracost,
    }).catch((err: unknown) => {
      // A bad naming pattern (or similar) in the config: name the file and the field.
      if (err instanceof Error && err.name === 'ComplianceConfigError') {
        throw new CliError(`${configFile(ctx.root)}: environments.${opts.env}.${err.message}`, EXIT.usage, 'config.invalid');
      }
      return inputError(err);
    });
  } else {
    const { runPostTests } = await import('../../tester/phase-post.js');
    result = await runPostTests({
      ...common,
      iacTool: config?.iac?.tool ?? 'auto',
      stateFile: state,
      healthChecks: envConfig?.healthChecks ?? [],
      monitoring: envConfig?.monitoring?.enabled ?? true,
    }).catch(inputError);
  }

  const { buildReport } = await import('../../tester/report/report.js');
  const report = buildReport({
    env: opts.env,
    phase,
    generatedAt,
    findings: result.findings,
    checks: result.checks,
    cost: result.cost,
    gate: envConfig?.gate,
    dir: isAbsolute(shown) ? dir : shown,
    durationMs: Math.round(performance.now() - t0),
  });
  let files: WrittenReports | null = null;
  if (opts.save) {
    const { writeReports } = await import('../../tester/write-reports.js');
    const prefix = relative(ctx.root, dir).split(sep).join('/');
    files = await writeReports(report, ctx.stateDir, formats, { toolVersion: pkg.version, pathPrefix: prefix && !prefix.startsWith('..') ? prefix : undefined });
  }
  emit<TestCommandResult>(
    {
      data: { schemaVersion: 1, report, files, notes: result.notes },
      human: (d) => humanReport(d),
      exitCode: report.status === 'FAIL' ? EXIT.failure : EXIT.ok,
    },
    opts,
  );
}

/** A plan, infracost or state file that cannot be read is bad input (exit 2); the message names the file. */
function inputError(err: unknown): never {
  if (err instanceof Error && ['StateInputError', 'CostInputError', 'HealthSpecError'].includes(err.name)) {
    throw new CliError(err.message, EXIT.usage, 'input.invalid');
  }
  throw err;
}

const STATUS_COLOUR = { PASS: 'green', WARN: 'yellow', FAIL: 'red' } as const;
const SEV_COLOUR = { CRITICAL: 'red', HIGH: 'red', MEDIUM: 'yellow', LOW: 'gray' } as const;
const CHECK_COLOUR = { passed: 'green', failed: 'red', skipped: 'gray', error: 'yellow' } as const;
const TOP = 10;

function secs(ms: number | null | undefined): string {
  return ms == null ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function humanReport(d: TestCommandResult): string {
  const r = d.report;
  const out: string[] = [];
  out.push(`infra-ops test · ${r.env} · ${r.phase} · ${r.dir ?? ''}  ${paint(r.status, STATUS_COLOUR[r.status])}`);
  for (const reason of r.statusReasons) out.push(`  ${reason}`);
  out.push('', 'Checks');
  const width = Math.max(...r.checks.map((c) => c.name.length), 5);
  for (const c of r.checks) {
    out.push(`  ${c.name.padEnd(width)}  ${paint(c.status.padEnd(7), CHECK_COLOUR[c.status])}  ${secs(c.durationMs).padStart(7)}  ${c.detail ?? ''}`);
  }
  const active = r.findings.filter((f) => f.outcome !== 'suppressed');
  const s = r.counts.bySeverity;
  out.push('', `Findings: ${s.CRITICAL} critical, ${s.HIGH} high, ${s.MEDIUM} medium, ${s.LOW} low${r.counts.suppressed ? ` (${r.counts.suppressed} suppressed)` : ''}`);
  for (const f of active.slice(0, TOP)) {
    const where = f.file ? `${f.file}${f.startLine ? `:${f.startLine}` : ''}` : '';
    out.push(`  ${paint(f.severity.padEnd(8), SEV_COLOUR[f.severity])} ${f.ruleId}  ${f.resource ?? ''}  ${where}`);
    out.push(`           ${f.title}${f.tools.length > 1 || f.tools[0] !== 'builtin' ? ` [${f.tools.join(', ')}]` : ''}`);
    if (f.remediation) out.push(`           fix: ${f.remediation}`);
  }
  if (active.length > TOP) out.push(`  … ${active.length - TOP} more in the report`);
  if (r.cost) {
    const c = r.cost;
    const budget = c.budget != null ? ` of ${c.budget} ${c.currency} budget (${c.budgetUsedPercent}%)${c.budgetStatus === 'fail' ? ' — over budget' : c.budgetStatus === 'warn' ? ` — over ${c.warnAtPercent}%` : ''}` : '';
    out.push('', `Cost: ${c.monthlyTotal.toFixed(2)} ${c.currency}/month${budget}  [${c.source}]`);
    for (const t of c.topDrivers) out.push(`  ${t.monthly.toFixed(2).padStart(10)}  ${t.address}`);
    if (c.unpriced.length) out.push(`  ${c.unpriced.length} resource(s) not priced (see the report)`);
  }
  for (const n of d.notes) out.push(`note: ${n}`);
  if (d.files) out.push('', `Report: ${relative(process.cwd(), d.files.json)}`);
  return out.join('\n');
}
