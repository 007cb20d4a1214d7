import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { configPath, loadConfig } from '../../config/load.js';
import type { EnvironmentConfig, InfraOpsConfig } from '../../config/types.js';
import type { DeployContext } from '../../deploy/workflow.js';
import { formatAge } from '../../deploy/terraform-errors.js';
import type { RunRecord, StageStatus } from '../../deploy/types.js';
import { projectContext } from '../context.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint, type Colour } from '../output.js';

interface DeployOptions extends CommonOptions {
  env?: string;
  skipTests: boolean;
  overrideFindings: boolean;
  justification?: string;
  approve?: string;
  approveFix?: string;
  approver?: string;
  requestedBy?: string;
  timeout?: string;
}

export interface DeployCommandResult {
  schemaVersion: 1;
  run: RunRecord;
  /** The run record on disk, relative to the current folder. */
  runFile: string;
}

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function environment(config: InfraOpsConfig | undefined, env: string, production: boolean): EnvironmentConfig | null {
  if (!config) return null;
  const e = config.environments[env];
  if (e) return e;
  // A production environment without config is a missing dependency (blocked), reported in the run.
  if (production) return null;
  throw new CliError(`environment "${env}" is not in .infra-ops/config.yaml (known: ${Object.keys(config.environments).join(', ')})`, EXIT.usage, 'config.unknown_env');
}

function text(value: string | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

export async function deployCommand(dirArg: string | undefined, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<DeployOptions>();
  if (!opts.env) throw new CliError('--env <name> is required (e.g. --env test)', EXIT.usage, 'input.missing');
  if (!ENV_NAME.test(opts.env)) throw new CliError(`--env: invalid environment name "${opts.env}"`, EXIT.usage, 'input.invalid');
  if (opts.approve && opts.approveFix) throw new CliError('--approve and --approve-fix are separate steps: pass one', EXIT.usage, 'input.invalid');
  const resuming = opts.approve ?? opts.approveFix;
  const approver = text(opts.approver);
  if (resuming && !approver) throw new CliError(`${opts.approve ? '--approve' : '--approve-fix'} needs --approver <name>: who approved it in the conversation`, EXIT.usage, 'input.missing');
  if (!resuming && approver) throw new CliError('--approver goes with --approve <runId> or --approve-fix <runId>', EXIT.usage, 'input.invalid');
  if (resuming && (opts.skipTests || opts.overrideFindings)) throw new CliError('--skip-tests and --override-findings belong to the first invocation, not to an approval', EXIT.usage, 'input.invalid');
  const justification = text(opts.justification);
  if (opts.overrideFindings && !justification) {
    throw new CliError('--override-findings needs --justification "<why deploying with blocking findings is acceptable>"', EXIT.usage, 'input.missing');
  }
  const timeoutSec = opts.timeout !== undefined ? Number(opts.timeout) : undefined;
  if (timeoutSec !== undefined && (!Number.isFinite(timeoutSec) || timeoutSec <= 0)) {
    throw new CliError(`--timeout must be a positive number of seconds, got "${opts.timeout}"`, EXIT.usage, 'input.invalid');
  }

  const fromTf = !opts.dir && dirArg !== undefined ? projectContext({ ...opts, dir: dirArg }) : null;
  const ctx0 = fromTf && existsSync(fromTf.stateDir) ? fromTf : projectContext(opts);
  const config = await loadConfig(ctx0.root);
  const { isProduction } = await import('../../approval/tier.js');
  const production = isProduction(opts.env, undefined, config);
  if (production && opts.skipTests && !justification) {
    throw new CliError(`${opts.env} is production: --skip-tests needs --justification "<why>" (it is recorded)`, EXIT.usage, 'input.missing');
  }
  const envConfig = environment(config, opts.env, production);
  const dir = dirArg !== undefined ? resolve(dirArg) : resolve(ctx0.root, config?.iac?.dir ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`not a directory: ${dirArg ?? dir}`, EXIT.usage, 'input.not_found');

  const quiet = Boolean(opts.json) && !process.stderr.isTTY;
  const ctx: DeployContext = {
    root: ctx0.root,
    stateDir: ctx0.stateDir,
    config,
    envConfig,
    env: opts.env,
    production,
    dir,
    toolEnv: process.env,
    timeoutMs: (timeoutSec ?? config?.test?.timeoutSeconds ?? 600) * 1000,
    progress: (m) => {
      if (!quiet || process.env['INFRA_OPS_PROGRESS']) process.stderr.write(`${paint('…', 'dim', process.stderr)} ${m}\n`);
    },
  };
  const wf = await import('../../deploy/workflow.js');
  let run: RunRecord;
  try {
    if (opts.approve) run = await wf.approveDeploy(ctx, opts.approve, { approver: approver!, justification: justification ?? undefined });
    else if (opts.approveFix) run = await wf.approveFix(ctx, opts.approveFix, { approver: approver!, justification: justification ?? undefined });
    else {
      run = await wf.startDeploy(ctx, {
        skipTests: opts.skipTests,
        overrideFindings: opts.overrideFindings,
        justification,
        requestedBy: text(opts.requestedBy) ?? process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown',
      });
    }
  } catch (err) {
    // A bad naming pattern (or similar) in the config: name the file and the field (the run records the error too).
    if (err instanceof Error && err.name === 'ComplianceConfigError') {
      throw new CliError(`${configPath(ctx0.root)}: environments.${opts.env}.${err.message}`, EXIT.usage, 'config.invalid');
    }
    throw err;
  }
  const { runFile } = await import('../../deploy/run-store.js');
  const file = relative(process.cwd(), runFile(ctx.stateDir, run.runId)) || runFile(ctx.stateDir, run.runId);
  emit<DeployCommandResult>({ data: { schemaVersion: 1, run, runFile: file }, human: humanRun, exitCode: exitCodeOf(run) }, opts);
}

export function exitCodeOf(run: RunRecord): ExitCode {
  switch (run.status) {
    case 'verified':
    case 'awaiting_approval':
      return EXIT.ok;
    case 'blocked':
      return EXIT.blocked;
    default:
      return EXIT.failure;
  }
}

const STAGE_COLOUR: Record<StageStatus, Colour> = {
  pending: 'gray',
  running: 'yellow',
  passed: 'green',
  warned: 'yellow',
  skipped: 'gray',
  awaiting: 'cyan',
  blocked: 'magenta',
  failed: 'red',
  error: 'red',
};
const RUN_COLOUR: Record<RunRecord['status'], Colour> = {
  running: 'yellow',
  awaiting_approval: 'cyan',
  verified: 'green',
  blocked: 'magenta',
  failed: 'red',
  error: 'red',
};

export function humanRun(d: DeployCommandResult): string {
  const r = d.run;
  const out: string[] = [];
  out.push(`infra-ops deploy · ${r.env}${r.production ? ' (production)' : ''} · ${r.dir} · ${r.runId}  ${paint(r.status.toUpperCase().replace('_', ' '), RUN_COLOUR[r.status])}`);
  out.push('', 'Stages');
  for (const s of r.stages) out.push(`  ${s.name.padEnd(10)}  ${paint(s.status.padEnd(8), STAGE_COLOUR[s.status])}  ${s.detail ?? ''}`);
  if (r.findings) {
    const f = r.findings;
    out.push('', `Findings: ${f.critical} critical, ${f.high} high, ${f.medium} medium, ${f.low} low${f.blocking ? ` (${f.blocking} blocking)` : ''}`);
    for (const t of f.top) out.push(`  ${paint(t.severity.padEnd(8), t.outcome === 'block' ? 'red' : 'yellow')} ${t.outcome === 'block' ? 'blocks' : 'warns '}  ${t.ruleId}  ${t.resource ?? ''}  ${t.title}`);
    const report = r.stages.find((s) => s.name === 'pre-tests')?.report;
    if (report) out.push(`  report: ${report}`);
  }
  if (r.plan) {
    const s = r.plan.summary;
    out.push('', `Plan: ${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy  (sha256 ${r.plan.sha256.slice(0, 12)})`);
    for (const c of s.destructive) out.push(`  ${paint(c.actions.includes('create') ? 'replace' : 'destroy', 'red')}  ${c.address}`);
    if (r.plan.cost) {
      const c = r.plan.cost;
      out.push(`Cost delta: ${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(2)} ${c.currency}/month (created ${c.added.toFixed(2)}, destroyed ${c.removed.toFixed(2)}; ${c.note})`);
    }
  }
  const approval = r.approvals.at(-1);
  if (approval) out.push('', `Approval: ${approval.requestId} · ${approval.kind} · ${approval.tier}${approval.approver ? ` · approved by ${approval.approver}` : ' · pending'}${approval.auditId ? ` · audit ${approval.auditId}` : ''}`);
  if (r.blocked) {
    out.push('', paint(`Blocked (${r.blocked.by}, fix stage ${r.blocked.fixStage}): ${r.blocked.message}`, 'magenta'));
    const l = r.blocked.lock;
    if (l) out.push(`  lock ${l.id ?? '?'} · held by ${l.who ?? '?'} · ${l.operation ?? '?'} · since ${l.created ?? '?'}${l.ageSeconds !== null ? ` (${formatAge(l.ageSeconds)} ago)` : ''} · ${l.path ?? ''}`);
  }
  if (r.debug) {
    out.push('', `Debugger: ${r.debug.category}${r.debug.errorCode ? ` · ${r.debug.errorCode}` : ''} · issue ${r.debug.issueId}`);
    out.push(...r.debug.error.split('\n').slice(0, 3).map((l) => `  ${paint(l, 'dim')}`));
    const b = r.debug.best;
    if (b) {
      out.push(`  best match [${b.confidence}]: ${b.description}`);
      out.push(b.automated && b.command ? `  automated fix: ${b.command.join(' ')} (runs only after --approve-fix)` : '  manual fix:');
      if (!b.automated) b.steps.forEach((s, i) => out.push(`    ${i + 1}. ${s}`));
    } else out.push('  no known solution');
  }
  if (r.fix && r.fix.status !== 'proposed') out.push(`Fix: ${r.fix.command.join(' ')} → ${r.fix.status}${r.fix.outcome ? `; outcome recorded: ${r.fix.outcome}` : ''}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  if (r.next.length) {
    out.push('', 'Next');
    for (const n of r.next) out.push(`  ${n}`);
  }
  out.push('', `Run record: ${d.runFile}`);
  return out.join('\n');
}
