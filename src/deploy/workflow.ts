/**
 * The staged deploy: validate → pre-deployment tests → preview (saved plan) → approval → apply of
 * exactly that plan → post-deployment tests → verify. The first invocation stops at approval
 * (`awaiting_approval`); `approveDeploy` resumes from another invocation, bound to the plan's hash.
 * A failed apply is handed to the debugger; an automated fix runs only after `approveFix`.
 * Every stage is written to the run record as it ends, so a crash leaves the evidence so far.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { EnvironmentConfig, InfraOpsConfig } from '../config/types.js';
import type { Finding } from '../tester/finding.js';
import type { CheckResult, CostInput, TestReport } from '../tester/report/report.js';
import { redactSecrets } from '../errors/redact.js';
import { findBinary, runTool, type ToolRun } from '../tester/tools/exec.js';
import { INSTALL_HINTS } from '../tester/tools/install-hints.js';
import { pickIacBinary, type IacTool } from '../tester/tools/terraform.js';
import { approveRequest, auditDeployAction, deployTier, FIX_KIND, needsAudit, PLAN_KIND, requestDeployApproval } from './approval.js';
import { costDelta, isDestructive, planLine, summarizePlan } from './plan-summary.js';
import { newRunId, PLAN_FILE, protectPlan, readRun, runDir, sha256File, sha256Text, writeRun } from './run-store.js';
import { errorText, formatAge, isCredentialsError, isStalePlan, keyLines, parseStateLock } from './terraform-errors.js';
import { STAGES, type BlockedInfo, type CommandEvidence, type RunRecord, type StageName, type StageRecord, type StageStatus } from './types.js';

export interface DeployContext {
  /** Project root and its `.infra-ops` folder. */
  root: string;
  stateDir: string;
  config: InfraOpsConfig | undefined;
  /** null: no config file, or the environment is not in it. */
  envConfig: EnvironmentConfig | null;
  env: string;
  production: boolean;
  /** Terraform root module (absolute). */
  dir: string;
  /** Environment of terraform and the fix commands (PATH lookup). */
  toolEnv: NodeJS.ProcessEnv;
  timeoutMs: number;
  now?: () => Date;
  progress?: (message: string) => void;
}

export interface StartOptions {
  skipTests: boolean;
  overrideFindings: boolean;
  justification: string | null;
  requestedBy: string;
}

export interface ApproveOptions {
  approver: string;
  justification?: string;
}

const CREDENTIALS_HINT =
  'configure credentials for the provider (e.g. AWS: `aws sso login` / AWS_PROFILE, `aws sts get-caller-identity` to check), then run the deploy again';

function clock(ctx: DeployContext): Date {
  return ctx.now?.() ?? new Date();
}

function emptyStage(name: StageName): StageRecord {
  return { name, status: 'pending', startedAt: null, endedAt: null, detail: null, commands: [], report: null, blocked: null };
}

function stage(run: RunRecord, name: StageName): StageRecord {
  return run.stages.find((s) => s.name === name)!;
}

function begin(ctx: DeployContext, run: RunRecord, name: StageName): StageRecord {
  const st = stage(run, name);
  st.status = 'running';
  st.startedAt = clock(ctx).toISOString();
  st.endedAt = null;
  st.detail = null;
  st.blocked = null;
  ctx.progress?.(`${name}…`);
  return st;
}

function end(ctx: DeployContext, st: StageRecord, status: StageStatus, detail: string | null): void {
  st.status = status;
  st.endedAt = clock(ctx).toISOString();
  st.detail = detail === null ? null : redactSecrets(detail);
}

async function save(ctx: DeployContext, run: RunRecord): Promise<void> {
  run.updatedAt = clock(ctx).toISOString();
  await writeRun(ctx.stateDir, run);
}

function evidence(run: ToolRun, argv0: string, lines?: string[]): CommandEvidence {
  return {
    argv: [argv0, ...run.args.map(redactSecrets)],
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    lines: lines ?? keyLines(`${run.stdout}\n${run.stderr}`),
  };
}

function tfEnv(ctx: DeployContext): NodeJS.ProcessEnv {
  // No prompts, no "what next" hints, no version check-in.
  return { ...ctx.toolEnv, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
}

function planPath(ctx: DeployContext, run: RunRecord): string {
  return join(runDir(ctx.stateDir, run.runId), PLAN_FILE);
}

function cmdLine(run: RunRecord, ...flags: string[]): string {
  return ['infra-ops deploy', `--env ${run.env}`, ...flags].join(' ');
}

async function block(ctx: DeployContext, run: RunRecord, st: StageRecord, info: BlockedInfo): Promise<RunRecord> {
  end(ctx, st, 'blocked', info.message);
  st.blocked = info;
  run.status = 'blocked';
  run.blocked = info;
  run.next = [
    ...(info.hint ? [info.hint] : []),
    info.by === 'plan_changed'
      ? `start a new run: ${cmdLine(run)}`
      : info.fixStage === 'apply' && (info.by === 'state_lock' || info.by === 'credentials')
        ? `then retry the approved apply: ${cmdLine(run, `--approve ${run.runId}`, '--approver <name>')}`
        : `then run the deploy again: ${cmdLine(run)}`,
  ];
  await save(ctx, run);
  return run;
}

async function fail(ctx: DeployContext, run: RunRecord, st: StageRecord, status: 'failed' | 'error', detail: string, next: string[]): Promise<RunRecord> {
  end(ctx, st, status === 'error' ? 'error' : 'failed', detail);
  run.status = status;
  run.error = redactSecrets(detail);
  run.next = next;
  await save(ctx, run);
  return run;
}

async function picked(ctx: DeployContext): Promise<{ tool: IacTool; bin: string } | null> {
  return pickIacBinary(ctx.config?.iac?.tool ?? 'auto', ctx.toolEnv);
}

function notInstalledHint(choice: 'auto' | IacTool): string {
  return choice === 'auto'
    ? `install Terraform (${INSTALL_HINTS.terraform}) or OpenTofu (${INSTALL_HINTS.tofu})`
    : `install ${choice} (${INSTALL_HINTS[choice]})`;
}

/** A failed terraform run whose cause is a missing dependency, as BlockedInfo; else null. */
function blockedBy(r: ToolRun, fixStage: StageName, tool: string, now: Date): BlockedInfo | null {
  const text = `${r.stderr}\n${r.stdout}`;
  const lock = parseStateLock(text, now);
  if (lock) {
    const age = lock.ageSeconds === null ? 'unknown age' : `held for ${formatAge(lock.ageSeconds)}`;
    return {
      by: 'state_lock',
      fixStage,
      message: `the state is locked by ${lock.who ?? 'someone else'} (${lock.operation ?? 'unknown operation'}, ${age}, lock id ${lock.id ?? '?'})`,
      hint: `wait for ${lock.who ?? 'the holder'} to finish; if that run is dead, \`${tool} force-unlock ${lock.id ?? '<lock id>'}\` (only when you are sure)`,
      lock,
    };
  }
  if (isCredentialsError(text)) {
    return { by: 'credentials', fixStage, message: `${tool} found no valid provider credentials: ${keyLines(text, 2).join(' ') || 'credentials error'}`, hint: CREDENTIALS_HINT, lock: null };
  }
  return null;
}

function varFiles(ctx: DeployContext): string[] {
  return (ctx.envConfig?.tfvars ?? []).filter((f) => existsSync(join(ctx.dir, f)));
}

function relToRoot(ctx: DeployContext, file: string): string {
  const rel = relative(ctx.root, file);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

// ---------------------------------------------------------------- the first invocation

export async function startDeploy(ctx: DeployContext, opts: StartOptions): Promise<RunRecord> {
  const now = clock(ctx);
  const run: RunRecord = {
    schemaVersion: 1,
    runId: newRunId(now),
    env: ctx.env,
    production: ctx.production,
    dir: relToRoot(ctx, ctx.dir),
    tool: null,
    status: 'running',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    requestedBy: opts.requestedBy,
    options: {
      skipTests: opts.skipTests,
      overrideFindings: opts.overrideFindings,
      justification: opts.justification === null ? null : redactSecrets(opts.justification),
      varFiles: varFiles(ctx),
    },
    stages: STAGES.map(emptyStage),
    findings: null,
    plan: null,
    approvals: [],
    applyAttempts: 0,
    debug: null,
    fix: null,
    blocked: null,
    error: null,
    next: [],
    notes: [],
  };
  if (ctx.envConfig?.requireApproval === false) run.notes.push('environment config says requireApproval: false; a deploy still applies only an approved plan');
  await save(ctx, run);
  return guarded(ctx, run, () => runStages(ctx, run, opts));
}

/**
 * A stage that throws (a bad naming pattern in the config, a full disk…) still leaves the record:
 * the running stage becomes `error`, the run `error`, and the exception goes on to the CLI.
 */
async function guarded(ctx: DeployContext, run: RunRecord, fn: () => Promise<RunRecord>): Promise<RunRecord> {
  try {
    return await fn();
  } catch (e) {
    const st = run.stages.find((x) => x.status === 'running');
    const message = e instanceof Error ? e.message : String(e);
    if (st) end(ctx, st, 'error', message);
    if (st || run.status === 'running') {
      run.status = 'error';
      run.error = redactSecrets(message);
      await save(ctx, run).catch(() => undefined);
    }
    throw e;
  }
}

async function runStages(ctx: DeployContext, run: RunRecord, opts: StartOptions): Promise<RunRecord> {
  // validate
  let st = begin(ctx, run, 'validate');
  if (ctx.production && ctx.envConfig === null) {
    return block(ctx, run, st, {
      by: 'config',
      fixStage: 'validate',
      message: `${ctx.env} is a production environment but .infra-ops/config.yaml does not configure it`,
      hint: `add environments.${ctx.env} (production: true, budget, gate…) to .infra-ops/config.yaml (\`infra-ops init\` writes a template)`,
      lock: null,
    });
  }
  const choice = ctx.config?.iac?.tool ?? 'auto';
  const tf = await picked(ctx);
  if (!tf) {
    return block(ctx, run, st, {
      by: 'terraform',
      fixStage: 'validate',
      message: choice === 'auto' ? 'neither terraform nor tofu is on PATH' : `${choice} is not on PATH`,
      hint: notInstalledHint(choice),
      lock: null,
    });
  }
  const version = await runTool(tf.bin, ['version', '-json'], { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: 30_000 });
  let tfVersion: string | null = null;
  try {
    const v = JSON.parse(version.stdout) as { terraform_version?: unknown };
    tfVersion = typeof v.terraform_version === 'string' ? v.terraform_version : null;
  } catch {
    tfVersion = null;
  }
  st.commands.push(evidence(version, tf.tool, tfVersion ? [`${tf.tool} ${tfVersion}`] : []));
  run.tool = { name: tf.tool, bin: tf.bin, version: tfVersion };
  const { parseValidateJson, judgeValidate } = await import('../tester/tools/terraform.js');
  const validate = await runTool(tf.bin, ['validate', '-json', '-no-color'], { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: ctx.timeoutMs });
  let judged: ReturnType<typeof judgeValidate>;
  try {
    judged = judgeValidate(parseValidateJson(validate.stdout), tf.tool, ctx.dir);
  } catch (e) {
    st.commands.push(evidence(validate, tf.tool));
    const why = validate.error ?? (e instanceof Error ? e.message : String(e));
    return fail(ctx, run, st, 'error', `${tf.tool} validate: ${why}`, [`run \`${tf.tool} validate\` in ${run.dir} and fix what it reports`]);
  }
  st.commands.push(evidence(validate, tf.tool, judged.detail ? [judged.detail] : ['configuration is valid']));
  if (judged.status === 'skipped') {
    return block(ctx, run, st, { by: 'init', fixStage: 'validate', message: judged.detail ?? 'not initialised', hint: `run \`${tf.tool} init\` in ${run.dir}`, lock: null });
  }
  if (judged.status === 'failed') {
    return fail(ctx, run, st, 'error', judged.detail ?? `${tf.tool} validate failed`, [`fix the configuration (${tf.tool} validate), then run the deploy again: ${cmdLine(run)}`]);
  }
  end(ctx, st, 'passed', `${tf.tool}${tfVersion ? ` ${tfVersion}` : ''}: configuration is valid${judged.detail ? ` (${judged.detail})` : ''}`);
  await save(ctx, run);

  // pre-deployment tests
  st = begin(ctx, run, 'pre-tests');
  if (opts.skipTests) {
    end(ctx, st, 'skipped', `skipped with --skip-tests${opts.justification ? `: ${opts.justification}` : ''}`);
    run.notes.push(`pre-deployment tests skipped by ${opts.requestedBy}${opts.justification ? ` (${opts.justification})` : ''}`);
  } else {
    const outcome = await preTests(ctx, run, st);
    if (outcome) return outcome;
  }
  await save(ctx, run);

  // preview
  const previewed = await preview(ctx, run, tf);
  if (previewed) return previewed;

  return askApproval(ctx, run);
}

/** Builds the test report of a stage, writes it (and the environment's history) and links it from the stage. */
async function saveTestReport(
  ctx: DeployContext,
  run: RunRecord,
  st: StageRecord,
  phase: 'pre' | 'post',
  generatedAt: Date,
  t0: number,
  result: { findings: Finding[]; checks: CheckResult[]; cost: CostInput | null },
): Promise<TestReport> {
  const { buildReport } = await import('../tester/report/report.js');
  const { writeReports } = await import('../tester/write-reports.js');
  const report = buildReport({
    env: ctx.env,
    phase,
    generatedAt,
    findings: result.findings,
    checks: result.checks,
    cost: result.cost,
    gate: ctx.envConfig?.gate,
    dir: run.dir,
    durationMs: Math.round(performance.now() - t0),
  });
  const files = await writeReports(report, ctx.stateDir, ctx.config?.test?.formats ?? []);
  st.report = relToRoot(ctx, files.json);
  return report;
}

async function preTests(ctx: DeployContext, run: RunRecord, st: StageRecord): Promise<RunRecord | null> {
  const { runPreTests } = await import('../tester/phase-pre.js');
  const t0 = performance.now();
  const generatedAt = clock(ctx);
  const result = await runPreTests({
    dir: ctx.dir,
    env: ctx.env,
    project: ctx.config?.project,
    iacTool: ctx.config?.iac?.tool ?? 'auto',
    scanners: ctx.config?.test?.scanners ?? null,
    requiredTags: ctx.envConfig?.requiredTags,
    naming: ctx.envConfig?.naming,
    tfvars: ctx.envConfig?.tfvars,
    budget: ctx.envConfig?.budget ?? null,
    timeoutMs: ctx.timeoutMs,
    toolEnv: ctx.toolEnv,
    progress: ctx.progress,
  });
  const report = await saveTestReport(ctx, run, st, 'pre', generatedAt, t0, result);
  const s = report.counts.bySeverity;
  const top = [...report.findings.filter((f) => f.outcome === 'block'), ...report.findings.filter((f) => f.outcome === 'warn')]
    .slice(0, 5)
    .map((f) => ({ severity: f.severity, outcome: f.outcome as 'block' | 'warn', ruleId: f.ruleId, resource: f.resource, title: redactSecrets(f.title) }));
  run.findings = { critical: s.CRITICAL, high: s.HIGH, medium: s.MEDIUM, low: s.LOW, blocking: report.gate.blocking, top };
  const counts = `${s.CRITICAL} critical, ${s.HIGH} high, ${s.MEDIUM} medium, ${s.LOW} low`;
  if (report.status === 'FAIL') {
    const why = report.statusReasons.join('; ');
    if (run.options.overrideFindings) {
      end(ctx, st, 'warned', `${report.status} (${why}) overridden by ${run.requestedBy}: ${run.options.justification ?? ''}`);
      run.notes.push(`pre-deployment findings overridden: ${run.options.justification ?? ''}`);
      return null;
    }
    return fail(ctx, run, st, 'failed', `pre-deployment tests FAIL: ${why} (${counts})`, [
      `fix the blocking findings (report: ${st.report}) and run the deploy again: ${cmdLine(run)}`,
      `or, to deploy anyway, record why: ${cmdLine(run, '--override-findings', '--justification "<why>"')}`,
    ]);
  }
  end(ctx, st, report.status === 'WARN' ? 'warned' : 'passed', `${report.status}: ${counts}${report.statusReasons.length ? ` (${report.statusReasons.join('; ')})` : ''}`);
  return null;
}

/** `plan -out` into the run folder, then `show -json` of it: summary, destructive changes, cost delta, hash. */
async function preview(ctx: DeployContext, run: RunRecord, tf: { tool: IacTool; bin: string }): Promise<RunRecord | null> {
  const st = begin(ctx, run, 'preview');
  const file = planPath(ctx, run);
  const args = ['plan', '-input=false', '-no-color', `-out=${file}`, ...run.options.varFiles.map((f) => `-var-file=${f}`)];
  const plan = await runTool(tf.bin, args, { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: ctx.timeoutMs });
  st.commands.push(evidence(plan, tf.tool));
  if (plan.error !== null || plan.exitCode !== 0) {
    const blocked = plan.error === null ? blockedBy(plan, 'preview', tf.tool, clock(ctx)) : null;
    if (blocked) return block(ctx, run, st, blocked);
    if (plan.error === null) await debugFailure(ctx, run, plan, 'plan');
    return fail(ctx, run, st, 'error', `${tf.tool} plan failed: ${plan.error ?? keyLines(plan.stderr, 1)[0] ?? `exit ${plan.exitCode}`}`, [
      ...(run.debug?.best ? [`known issue: ${run.debug.best.description}`] : []),
      `fix it and run the deploy again: ${cmdLine(run)}`,
    ]);
  }
  const show = await runTool(tf.bin, ['show', '-json', '-no-color', file], { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: ctx.timeoutMs });
  st.commands.push(evidence(show, tf.tool, [`${show.stdout.length} bytes of plan JSON`]));
  if (show.error !== null || show.exitCode !== 0) {
    return fail(ctx, run, st, 'error', `${tf.tool} show -json failed: ${show.error ?? keyLines(show.stderr, 3).join(' ')}`, [`run the deploy again: ${cmdLine(run)}`]);
  }
  const { parsePlanJson } = await import('../tester/cost/plan.js');
  let parsed: ReturnType<typeof parsePlanJson>;
  try {
    parsed = parsePlanJson(show.stdout, PLAN_FILE);
  } catch (e) {
    return fail(ctx, run, st, 'error', `plan JSON unreadable: ${e instanceof Error ? e.message : String(e)}`, [`run the deploy again: ${cmdLine(run)}`]);
  }
  await protectPlan(file);
  const sha256 = await sha256File(file);
  if (sha256 === null) return fail(ctx, run, st, 'error', `${tf.tool} plan wrote no plan file at ${file}`, [`run the deploy again: ${cmdLine(run)}`]);
  const summary = summarizePlan(parsed.resources);
  run.plan = {
    file: PLAN_FILE,
    sha256,
    createdAt: clock(ctx).toISOString(),
    summary,
    cost: await costDelta(parsed.resources),
    generation: (run.plan?.generation ?? 0) + 1,
  };
  const destructive = summary.destructive.length ? `; destructive: ${summary.destructive.map((d) => d.address).join(', ')}` : '';
  end(ctx, st, 'passed', `${planLine(summary)}${destructive}`);
  await save(ctx, run);
  return null;
}

/** Record the approval request bound to the plan hash and stop: the user decides in the conversation. */
async function askApproval(ctx: DeployContext, run: RunRecord): Promise<RunRecord> {
  const st = begin(ctx, run, 'approval');
  const plan = run.plan!;
  const tier = deployTier({ env: run.env, production: run.production, kind: PLAN_KIND, name: run.dir, destructive: isDestructive(plan.summary) }, ctx.config);
  const request = await requestDeployApproval(
    ctx.stateDir,
    tier,
    run.requestedBy,
    `infra-ops deploy ${run.runId}: apply plan sha256 ${plan.sha256.slice(0, 12)} (${planLine(plan.summary)})`,
  );
  run.approvals.push({
    kind: 'apply',
    requestId: request.id,
    tier: request.tier,
    ruleId: request.ruleId,
    requestedBy: run.requestedBy,
    approver: null,
    decidedAt: null,
    boundTo: plan.sha256,
    auditId: null,
  });
  end(ctx, st, 'awaiting', `approval ${request.id} (${request.tier}${request.deadline ? `, review by ${request.deadline}` : ''}) for plan sha256 ${plan.sha256.slice(0, 12)}`);
  run.status = 'awaiting_approval';
  run.next = [
    `show the plan summary to the user and ask for approval; then: ${cmdLine(run, `--approve ${run.runId}`, '--approver <name>')}` +
      (request.tier === 'critical' ? ' --justification "<why>"' : ''),
    ...(tierNeedsSecondPerson(request.tier) ? [`a ${request.tier} change needs an approver other than ${run.requestedBy}`] : []),
  ];
  await save(ctx, run);
  return run;
}

function tierNeedsSecondPerson(tier: string): boolean {
  return tier === 'medium' || tier === 'critical';
}

// ---------------------------------------------------------------- resuming

async function resumable(ctx: DeployContext, runId: string): Promise<RunRecord> {
  const run = await readRun(ctx.stateDir, runId);
  if (run.env !== ctx.env) {
    throw new CliError(`run ${runId} deploys environment ${run.env}, not ${ctx.env}: pass --env ${run.env}`, EXIT.usage, 'deploy.env-mismatch');
  }
  return run;
}

/**
 * One resuming invocation per run at a time: a second `--approve` / `--approve-fix` started while
 * one runs is refused (exit 3) instead of applying twice. The lock is held for the whole apply, so
 * it is judged stale only when its process is gone (same host) or after a day.
 */
async function withRunLock<T>(ctx: DeployContext, runId: string, fn: () => Promise<T>): Promise<T> {
  await readRun(ctx.stateDir, runId); // an unknown run is a usage error, before any lock file is made
  const { withFileLock } = await import('../audit/lock.js');
  return withFileLock(join(runDir(ctx.stateDir, runId), 'run.lock'), fn, { staleMs: 86_400_000, timeoutMs: 1500 });
}

/** An approved apply that was blocked by a lock or missing credentials can be retried with the same approval. */
function retryable(run: RunRecord): boolean {
  return run.status === 'blocked' && run.blocked?.fixStage === 'apply' && (run.blocked.by === 'state_lock' || run.blocked.by === 'credentials');
}

export async function approveDeploy(ctx: DeployContext, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  return withRunLock(ctx, runId, () => approveDeployLocked(ctx, runId, opts));
}

async function approveDeployLocked(ctx: DeployContext, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  const run = await resumable(ctx, runId);
  return guarded(ctx, run, () => approveDeployStages(ctx, run, runId, opts));
}

async function approveDeployStages(ctx: DeployContext, run: RunRecord, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  const st = stage(run, 'approval');
  const retry = retryable(run);
  if (!retry && (run.status !== 'awaiting_approval' || st.status !== 'awaiting' || !run.plan)) {
    throw new CliError(`run ${runId} is ${run.status}, not awaiting approval: start a new run with ${cmdLine(run)}`, EXIT.usage, 'deploy.not-awaiting');
  }
  const tf = await picked(ctx);
  if (!tf) {
    const choice = ctx.config?.iac?.tool ?? 'auto';
    return block(ctx, run, stage(run, 'apply'), { by: 'terraform', fixStage: 'validate', message: 'neither terraform nor tofu is on PATH', hint: notInstalledHint(choice), lock: null });
  }
  // The approval is bound to the plan shown at preview: any other bytes need a new run.
  const plan = run.plan!;
  const current = await sha256File(planPath(ctx, run));
  if (current !== plan.sha256) {
    return block(ctx, run, st, {
      by: 'plan_changed',
      fixStage: 'preview',
      message: `the saved plan ${current === null ? 'is gone' : `changed since preview (sha256 ${current.slice(0, 12)}, approved view was ${plan.sha256.slice(0, 12)})`}: nothing was applied`,
      hint: 'a changed plan needs a new run, a new review and a new approval',
      lock: null,
    });
  }
  const record = run.approvals.filter((a) => a.kind === 'apply').at(-1)!;
  if (retry) {
    run.notes.push(`apply retried by ${opts.approver} under approval ${record.requestId} (was blocked: ${run.blocked!.message})`);
  } else {
    const decided = await approveRequest(ctx.stateDir, { id: record.requestId }, opts.approver, opts.justification);
    record.approver = decided.decision?.approver ?? opts.approver;
    record.decidedAt = decided.decision?.decidedAt ?? clock(ctx).toISOString();
    end(ctx, st, 'passed', `approved by ${record.approver} (${record.tier}, ${record.requestId}) for plan sha256 ${plan.sha256.slice(0, 12)}`);
  }
  run.status = 'running';
  run.blocked = null;
  await save(ctx, run);
  return applyAndVerify(ctx, run, tf);
}

/** Apply the saved plan, then post-tests and verify; a failure goes to the debugger. */
async function applyAndVerify(ctx: DeployContext, run: RunRecord, tf: { tool: IacTool; bin: string }): Promise<RunRecord> {
  let st = begin(ctx, run, 'apply');
  run.applyAttempts++;
  const apply = await runTool(tf.bin, ['apply', '-input=false', '-no-color', planPath(ctx, run)], { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: ctx.timeoutMs });
  st.commands.push(evidence(apply, tf.tool));
  const approval = run.approvals.filter((a) => a.kind === 'apply').at(-1)!;
  if (apply.error !== null || apply.exitCode !== 0) {
    const blocked = apply.error === null ? blockedBy(apply, 'apply', tf.tool, clock(ctx)) : null;
    if (blocked) return block(ctx, run, st, blocked);
    if (apply.error === null && isStalePlan(`${apply.stderr}\n${apply.stdout}`)) {
      // Terraform refuses a plan made before the state changed: plan again and ask again.
      end(ctx, st, 'failed', `${tf.tool} refused the saved plan: it is stale (the state changed after it was made); a new plan needs approval`);
      run.notes.push(`attempt ${run.applyAttempts}: saved plan was stale; re-planned`);
      stage(run, 'approval').status = 'pending';
      const replanned = await preview(ctx, run, tf);
      if (replanned) return replanned;
      return askApproval(ctx, run);
    }
    if (apply.error === null) await debugFailure(ctx, run, apply, 'apply');
    if (run.fix && run.fix.status === 'ran' && run.fix.outcome === null) await recordOutcome(ctx, run, 'failure');
    await auditApply(ctx, run, approval, apply, 'fail');
    const next: string[] = [];
    const best = run.debug?.best ?? null;
    if (best && run.fix?.status === 'proposed') {
      next.push(`proposed fix (${best.confidence}): ${best.description}`);
      next.push(`it runs \`${run.fix.command.join(' ')}\` and retries the apply; ask the user, then: ${cmdLine(run, `--approve-fix ${run.runId}`, '--approver <name>')}`);
    } else if (best) {
      next.push(`known issue (${best.confidence}): ${best.description}`, ...best.steps.map((s, i) => `  ${i + 1}. ${s}`));
      next.push(`after fixing it, record the outcome: infra-ops resolve ${run.debug!.issueId} --solution ${best.solutionRef} --outcome success|failure; then ${cmdLine(run)}`);
    } else if (run.debug) {
      next.push(`no known solution (issue ${run.debug.issueId} recorded); when fixed: infra-ops resolve ${run.debug.issueId} --solution new --outcome success --description "<fix>"`);
    }
    return fail(ctx, run, st, 'failed', `${tf.tool} apply failed: ${apply.error ?? (keyLines(apply.stderr, 1)[0] ?? `exit ${apply.exitCode}`)}`, next);
  }
  end(ctx, st, 'passed', keyLines(apply.stdout).find((l) => l.startsWith('Apply complete!')) ?? 'applied');
  if (run.fix && run.fix.status === 'ran' && run.fix.outcome === null) await recordOutcome(ctx, run, 'success');
  await save(ctx, run);

  // post-deployment tests
  st = begin(ctx, run, 'post-tests');
  const post = await postTests(ctx, run, st);
  await save(ctx, run);

  // verify: nothing left to change, and the post-tests did not fail
  st = begin(ctx, run, 'verify');
  const args = ['plan', '-input=false', '-no-color', '-detailed-exitcode', ...run.options.varFiles.map((f) => `-var-file=${f}`)];
  const check = await runTool(tf.bin, args, { cwd: ctx.dir, env: tfEnv(ctx), timeoutMs: ctx.timeoutMs });
  st.commands.push(evidence(check, tf.tool));
  const drift = check.error === null && check.exitCode === 2;
  const clean = check.error === null && check.exitCode === 0;
  await auditApply(ctx, run, approval, apply, clean && post !== 'failed' ? 'pass' : 'fail', { post, clean });
  if (post === 'failed') {
    end(ctx, st, 'failed', `post-deployment tests failed (report: ${stage(run, 'post-tests').report ?? '-'})${clean ? '; no changes left to apply' : ''}`);
    run.status = 'failed';
    run.next = [`the apply ran; look at the post-deployment report ${stage(run, 'post-tests').report ?? ''} and fix what failed`];
  } else if (clean) {
    end(ctx, st, 'passed', 'no changes left: the infrastructure matches the configuration');
    run.status = 'verified';
    run.next = [];
  } else {
    const blocked = check.error === null ? blockedBy(check, 'verify', tf.tool, clock(ctx)) : null;
    if (blocked) return block(ctx, run, st, blocked);
    end(ctx, st, 'failed', drift ? 'changes remain after apply (plan -detailed-exitcode exit 2)' : `${tf.tool} plan failed: ${check.error ?? keyLines(check.stderr, 2).join(' ')}`);
    run.status = drift ? 'failed' : 'error';
    run.next = [`run \`${tf.tool} plan\` in ${run.dir} to see what is left, then deploy again: ${cmdLine(run)}`];
  }
  await save(ctx, run);
  return run;
}

async function postTests(ctx: DeployContext, run: RunRecord, st: StageRecord): Promise<'passed' | 'warned' | 'failed'> {
  const { runPostTests } = await import('../tester/phase-post.js');
  const t0 = performance.now();
  const generatedAt = clock(ctx);
  const result = await runPostTests({
    dir: ctx.dir,
    env: ctx.env,
    iacTool: ctx.config?.iac?.tool ?? 'auto',
    healthChecks: ctx.envConfig?.healthChecks ?? [],
    monitoring: ctx.envConfig?.monitoring?.enabled ?? true,
    timeoutMs: ctx.timeoutMs,
    toolEnv: tfEnv(ctx),
    progress: ctx.progress,
  });
  const report = await saveTestReport(ctx, run, st, 'post', generatedAt, t0, result);
  const status = report.status === 'FAIL' ? 'failed' : report.status === 'WARN' ? 'warned' : 'passed';
  end(ctx, st, status, `${report.status}${report.statusReasons.length ? `: ${report.statusReasons.join('; ')}` : ''}`);
  return status;
}

// ---------------------------------------------------------------- debugger, fix, outcome

async function issueLog(ctx: DeployContext) {
  const { openIssueLog } = await import('../issuelog/repository.js');
  return openIssueLog(ctx.stateDir, { knowledgeBase: ctx.config?.debug?.useKnowledgeBase ?? true });
}

/** Run the debugger on the error (occurrence recorded); propose its best automated fix for approval. */
async function debugFailure(ctx: DeployContext, run: RunRecord, failed: ToolRun, operation: 'plan' | 'apply'): Promise<void> {
  const text = errorText(failed.stderr || failed.stdout);
  if (text === '') return;
  const { debugError } = await import('../debugger/debug-error.js');
  const result = await debugError(
    { text, env: run.env, operation, record: true, limit: 3, minConfidence: ctx.config?.debug?.minConfidence ?? 'low', now: clock(ctx) },
    await issueLog(ctx),
  );
  const best = result.matches[0] ?? null;
  run.debug = {
    issueId: result.issueId,
    category: result.category,
    errorCode: result.errorCode,
    error: text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 6).join('\n'),
    best: best
      ? {
          solutionRef: best.solutionRef,
          description: best.description,
          steps: best.steps,
          confidence: best.confidence,
          automated: Boolean(best.automation.automated && best.automation.command?.length),
          command: best.automation.command ?? null,
        }
      : null,
  };
  const command = best?.automation.automated ? best.automation.command : undefined;
  if (operation !== 'apply' || !best || !command?.length) return;
  // The same fix is not proposed twice in one run.
  if (run.fix && run.fix.solutionRef === best.solutionRef && run.fix.issueId === result.issueId) return;
  const tier = deployTier({ env: run.env, production: run.production, kind: FIX_KIND, name: command.slice(0, 3).join(' '), destructive: false }, ctx.config);
  const digest = sha256Text(JSON.stringify(command));
  const request = await requestDeployApproval(ctx.stateDir, tier, run.requestedBy, `infra-ops deploy ${run.runId}: automated fix \`${command.join(' ')}\` for issue ${result.issueId}`);
  run.approvals.push({ kind: 'fix', requestId: request.id, tier: request.tier, ruleId: request.ruleId, requestedBy: run.requestedBy, approver: null, decidedAt: null, boundTo: digest, auditId: null });
  run.fix = { status: 'proposed', command: [...command], issueId: result.issueId, solutionRef: best.solutionRef, exitCode: null, ranAt: null, outcome: null };
}

async function recordOutcome(ctx: DeployContext, run: RunRecord, outcome: 'success' | 'failure'): Promise<void> {
  const fix = run.fix!;
  const { recordResolution } = await import('../debugger/resolve.js');
  const seconds = fix.ranAt ? Math.max(0, Math.round((clock(ctx).getTime() - Date.parse(fix.ranAt)) / 1000)) : undefined;
  await recordResolution({ issueId: fix.issueId, solution: fix.solutionRef, outcome, env: run.env, seconds, now: clock(ctx) }, await issueLog(ctx));
  fix.outcome = outcome;
  run.notes.push(`fix outcome recorded in the issue log: ${outcome} (issue ${fix.issueId}, solution ${fix.solutionRef})`);
}

export async function approveFix(ctx: DeployContext, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  return withRunLock(ctx, runId, () => approveFixLocked(ctx, runId, opts));
}

async function approveFixLocked(ctx: DeployContext, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  const run = await resumable(ctx, runId);
  return guarded(ctx, run, () => approveFixStages(ctx, run, runId, opts));
}

async function approveFixStages(ctx: DeployContext, run: RunRecord, runId: string, opts: ApproveOptions): Promise<RunRecord> {
  const fix = run.fix;
  if (run.status !== 'failed' || !fix || fix.status !== 'proposed') {
    throw new CliError(`run ${runId} has no proposed fix waiting for approval (status ${run.status})`, EXIT.usage, 'deploy.no-fix');
  }
  const record = run.approvals.filter((a) => a.kind === 'fix').at(-1)!;
  if (record.boundTo !== sha256Text(JSON.stringify(fix.command))) {
    throw new CliError(`run ${runId}: the proposed fix command changed since it was proposed; start a new run`, EXIT.blocked, 'deploy.fix-changed');
  }
  const tf = await picked(ctx);
  if (!tf) {
    const choice = ctx.config?.iac?.tool ?? 'auto';
    return block(ctx, run, stage(run, 'apply'), { by: 'terraform', fixStage: 'validate', message: 'neither terraform nor tofu is on PATH', hint: notInstalledHint(choice), lock: null });
  }
  const decided = await approveRequest(ctx.stateDir, { id: record.requestId }, opts.approver, opts.justification);
  record.approver = decided.decision?.approver ?? opts.approver;
  record.decidedAt = decided.decision?.decidedAt ?? clock(ctx).toISOString();

  // The fix runs as an argument vector; terraform/tofu in a fix means the binary this deploy uses.
  const [name, ...args] = fix.command;
  const bin = name === 'terraform' || name === 'tofu' ? tf.bin : await findBinary(name!, ctx.toolEnv);
  const st = stage(run, 'apply');
  fix.ranAt = clock(ctx).toISOString();
  if (bin === null) {
    fix.status = 'failed';
    await recordOutcome(ctx, run, 'failure');
    return fail(ctx, run, st, 'failed', `the fix needs \`${name}\`, which is not on PATH`, [`install ${name} or apply the fix by hand: ${run.debug?.best?.steps.join('; ') ?? ''}`]);
  }
  ctx.progress?.(`fix: ${fix.command.join(' ')}`);
  const ran = await runTool(bin, args, { cwd: ctx.dir, env: ctx.toolEnv, timeoutMs: ctx.timeoutMs });
  const ev: CommandEvidence = { argv: fix.command.map(redactSecrets), exitCode: ran.exitCode, durationMs: ran.durationMs, lines: outputTail(ran) };
  st.commands.push(ev);
  fix.exitCode = ran.exitCode;
  if (needsAudit(record.tier)) {
    record.auditId = await auditDeployAction(ctx.stateDir, {
      approvalId: record.requestId,
      summary: `automated fix for a failed apply of run ${run.runId} in ${run.env}: ${fix.command.join(' ')}`.slice(0, 500),
      operator: record.approver,
      beforeState: { observations: [{ what: 'failed apply', value: run.debug?.error ?? '' }] },
      analysis: { summary: run.debug?.best?.description ?? 'debugger match', confidence: run.debug?.best?.confidence, source: `infra-ops deploy run ${run.runId} (issue ${fix.issueId})` },
      safetyChecks: [{ check: 'fix command digest unchanged since proposal', result: 'pass' }],
      commands: [{ argv: ev.argv, ranAt: fix.ranAt, ...(ran.exitCode !== null ? { exitCode: ran.exitCode } : {}), output: ev.lines.join('\n').slice(0, 20000) }],
      afterStateChecks: [{ check: 'fix command exit code 0', result: ran.exitCode === 0 ? 'pass' : 'fail' }],
      rollbackPlan: { steps: ['Undo the fix by hand if it must be reverted (see the issue log solution for what it changed)'] },
    });
  }
  if (ran.error !== null || ran.exitCode !== 0) {
    fix.status = 'failed';
    await recordOutcome(ctx, run, 'failure');
    return fail(ctx, run, st, 'failed', `the fix failed: ${ran.error ?? `exit ${ran.exitCode}`}`, [
      `apply the fix by hand: ${run.debug?.best?.steps.join('; ') ?? ''}`,
      `then run the deploy again: ${cmdLine(run)}`,
    ]);
  }
  fix.status = 'ran';
  run.status = 'running';
  run.error = null;
  await save(ctx, run);
  // Retry the approved plan; a stale one is re-planned and needs a new approval.
  return applyAndVerify(ctx, run, tf);
}

function outputTail(r: ToolRun): string[] {
  return `${r.stdout}\n${r.stderr}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-6)
    .map(redactSecrets);
}

async function auditApply(
  ctx: DeployContext,
  run: RunRecord,
  approval: RunRecord['approvals'][number],
  apply: ToolRun,
  result: 'pass' | 'fail',
  after?: { post: 'passed' | 'warned' | 'failed'; clean: boolean },
): Promise<void> {
  // One record per apply attempt under a medium or critical approval; auditId is the latest.
  if (!needsAudit(approval.tier) || !run.plan) return;
  const s = run.plan.summary;
  const pre = stage(run, 'pre-tests');
  approval.auditId = await auditDeployAction(ctx.stateDir, {
    approvalId: approval.requestId,
    summary: `${run.tool?.name ?? 'terraform'} apply of run ${run.runId} in ${run.env}: ${planLine(s)}`,
    operator: approval.approver ?? run.requestedBy,
    beforeState: {
      observations: [
        { what: 'plan', value: planLine(s) },
        { what: 'plan sha256', value: run.plan.sha256 },
        { what: 'destructive changes', value: s.destructive.map((d) => `${d.address} (${d.actions.join(',')})`).join('; ') || 'none' },
      ],
    },
    analysis: { summary: `pre-deployment tests: ${pre.detail ?? pre.status}`, source: `infra-ops deploy run ${run.runId}` },
    safetyChecks: [
      { check: 'pre-deployment tests', result: pre.status === 'passed' || pre.status === 'warned' ? 'pass' : pre.status === 'skipped' ? 'skipped' : 'fail', detail: (pre.detail ?? '').slice(0, 2000) },
      { check: 'saved plan unchanged since preview (sha256)', result: 'pass' },
    ],
    commands: [
      {
        argv: [run.tool?.name ?? 'terraform', ...apply.args],
        purpose: 'apply exactly the approved plan',
        ...(apply.exitCode !== null ? { exitCode: apply.exitCode } : {}),
        output: keyLines(`${apply.stdout}\n${apply.stderr}`).join('\n').slice(0, 20000),
      },
    ],
    afterStateChecks: after
      ? [
          { check: 'post-deployment tests', result: after.post === 'failed' ? 'fail' : 'pass' },
          { check: 'no changes left (plan -detailed-exitcode)', result: after.clean ? 'pass' : 'fail' },
        ]
      : [{ check: 'apply succeeded', result }],
    rollbackPlan: {
      steps: [
        'Revert the configuration change in version control and run infra-ops deploy again (a new plan and approval)',
        ...(s.destructive.length ? ['Replaced or destroyed resources are not restored by Terraform: restore their data from backups or snapshots'] : []),
      ],
    },
  });
}
