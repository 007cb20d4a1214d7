import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { resolveApprovalSettings } from '../../approval/settings.js';
import { isProduction } from '../../approval/tier.js';
import { loadConfig } from '../../config/load.js';
import type { InfraOpsConfig } from '../../config/types.js';
import { showArgv } from '../../operate/commands.js';
import { makeRunner, type Runner } from '../../operate/dry-run.js';
import { executeSession } from '../../operate/execute.js';
import { propose, readInputFile, type ProposeHooks } from '../../operate/propose.js';
import { rollbackSession, type RollbackResult } from '../../operate/rollback.js';
import { checkSessionId, isExpired, readSession, sessionDigest, type OperateSession } from '../../operate/session.js';
import { validateSession, type ValidationResult } from '../../operate/validate.js';
import { projectContext, parseCount } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

interface TargetOptions extends CommonOptions {
  context?: string;
  timeout?: string;
}

function whoAmI(): string {
  try {
    return process.env.USER || userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

async function setup(opts: TargetOptions, context: string | null): Promise<{ root: string; stateDir: string; config: InfraOpsConfig | undefined; run: Runner }> {
  const { root, stateDir } = projectContext(opts);
  const config = await loadConfig(root);
  return { root, stateDir, config, run: makeRunner({ context }) };
}

/** `kubectl get <resource> -n NS -o json` items, or none when it cannot be read (the policy then judges without them). */
async function existing(run: Runner, resource: string, namespace: string | null): Promise<object[]> {
  const r = await run('kubectl', ['get', resource, ...(namespace ? ['-n', namespace] : []), '-o', 'json'], { timeoutMs: 30_000 });
  if (r.error !== null || r.exitCode !== 0) return [];
  try {
    const items = (JSON.parse(r.stdout) as { items?: unknown }).items;
    return Array.isArray(items) ? items.filter((i): i is object => i !== null && typeof i === 'object') : [];
  } catch {
    return [];
  }
}

/** The team's policies and patterns (shipped defaults + .infra-ops/), and the cluster's capabilities, as propose/execute hooks. */
async function hooks(run: Runner, root: string): Promise<ProposeHooks> {
  const { loadPolicies, evaluatePolicies, PolicyFileError } = await import('../../operate/policies.js');
  const { loadPatterns, findPatterns, PatternFileError } = await import('../../operate/patterns.js');
  const { discoverCapabilities } = await import('../../operate/capabilities.js');
  const named = <T>(p: Promise<T>, what: string, Err: new (...a: never[]) => Error): Promise<T> =>
    p.catch((e: unknown) => {
      if (e instanceof Err) throw new CliError(`invalid ${what}:\n  ${e.message}`, EXIT.usage, `operate.${what}-invalid`);
      throw e;
    });
  const policies = await named(loadPolicies(root), 'policy', PolicyFileError);
  const patterns = await named(loadPatterns(root), 'pattern', PatternFileError);
  return {
    capabilities: async () => ({ ...(await discoverCapabilities((args) => run('kubectl', args, { timeoutMs: 30_000 }))) }),
    policies: async (input) => {
      const [pdbs, autoscalers] = await Promise.all([existing(run, 'poddisruptionbudgets', input.namespace), existing(run, 'horizontalpodautoscalers', input.namespace)]);
      return evaluatePolicies({ ...input, existing: { pdbs, autoscalers } }, policies);
    },
    patterns: async (intent, capabilities) =>
      findPatterns(intent, patterns, capabilities).map((m) => ({ name: m.name, file: m.file, score: m.score, matched: m.matched })),
  };
}

function tierColour(t: string): 'red' | 'yellow' | 'green' {
  return t === 'critical' ? 'red' : t === 'medium' ? 'yellow' : 'green';
}

function sessionLines(s: OperateSession): string[] {
  const lines = [
    `${paint(s.id, 'bold')}  ${s.status}  tier ${paint(s.tier, tierColour(s.tier))}  env ${s.environment}${s.production ? ' (production)' : ''}${s.context ? `  context ${s.context}` : ''}`,
    `  intent: ${s.intent}`,
    `  digest: ${s.digest}`,
    `  expires: ${s.expiresAt}`,
    '  commands:',
  ];
  for (const [i, c] of s.commands.entries()) {
    const d = s.dryRun.find((x) => x.index === i);
    const dry = !d ? '' : d.ok ? (d.mode === 'skipped' ? ' [no dry-run needed]' : ` [dry-run ${d.mode}: ok]`) : paint(` [dry-run ${d.mode}: FAILED — ${d.error}]`, 'red');
    lines.push(`    ${i + 1}. ${showArgv(c.argv)}  (${c.tier})${dry}`);
    if (d?.note && d.mode === 'client') lines.push(`       ${paint(d.note, 'yellow')}`);
  }
  for (const m of s.manifests) lines.push(`  manifest ${m.name}: ${m.objects.map((o) => `${o.kind}/${o.name}`).join(', ')} (sha256 ${m.sha256.slice(0, 12)}…)`);
  if (s.policies.evaluated) {
    lines.push(`  policies: ${s.policies.outcome}`);
    for (const v of s.policies.violations) lines.push(`    ${v.outcome}${v.mode === 'report-only' ? ' (report-only)' : ''} ${v.ruleId}: ${v.message} — fix: ${v.fix}`);
  } else lines.push(`  policies: not checked (${s.policies.note})`);
  if (s.patterns.evaluated) lines.push(`  patterns: ${s.patterns.matches.map((p) => p.name).join(', ') || 'none match'}`);
  if (s.approval.required) lines.push(`  approval: required (${s.approval.reason}) — request ${s.approval.requestId}`);
  if (s.execution) {
    const ok = s.execution.results.filter((r) => r.ok).length;
    lines.push(`  executed ${s.execution.startedAt}: ${ok}/${s.execution.results.length} commands ok${s.execution.approver ? `, approved by ${s.execution.approver}` : ''}${s.execution.auditRecordId ? `, audit ${s.execution.auditRecordId}` : ''}`);
  }
  return lines;
}

function nextSteps(s: OperateSession): string[] {
  const failed = s.dryRun.some((d) => !d.ok);
  if (failed) return ['fix the commands whose dry-run failed and propose again'];
  if (s.policies.outcome === 'deny') return ['the policies deny this change: apply the fixes and propose again'];
  const steps: string[] = [];
  if (s.approval.requestId) steps.push(`infra-ops approval decide ${s.approval.requestId} --decision approve --approver <who approved> --justification "<why>"`);
  steps.push(`infra-ops operate execute ${s.id} --approve ${s.digest}`);
  return steps;
}

interface ProposeOptions extends TargetOptions {
  intent?: string;
  commandsFile?: string;
  manifest?: string[];
  namespace?: string;
  env?: string;
  requestedBy?: string;
}

export async function operateProposeCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ProposeOptions>();
  if (!opts.intent?.trim()) throw new CliError('--intent is required: what the change is for, in the user\'s words', EXIT.usage, 'input.missing');
  if (!opts.commandsFile) throw new CliError('--commands-file is required: one kubectl or helm command per line', EXIT.usage, 'input.missing');
  if (!opts.env?.trim()) throw new CliError('--env is required: the environment the cluster belongs to (decides the risk tier)', EXIT.usage, 'input.missing');
  const context = opts.context ?? null;
  const { root, stateDir, config, run } = await setup(opts, context);
  const commandsText = await readInputFile(opts.commandsFile, 'commands file');
  const manifests = await Promise.all((opts.manifest ?? []).map(async (name) => ({ name, text: await readInputFile(name, 'manifest') })));
  const session = await propose(
    {
      intent: opts.intent,
      commandsText,
      manifests,
      environment: opts.env,
      production: isProduction(opts.env, undefined, config),
      namespace: opts.namespace ?? null,
      context,
      requestedBy: opts.requestedBy?.trim() || whoAmI(),
      ttlMinutes: config?.operate?.sessionTtlMinutes,
    },
    { stateDir, run, settings: resolveApprovalSettings(config), config, hooks: await hooks(run, root) },
  );
  const next = nextSteps(session);
  const blocked = session.dryRun.some((d) => !d.ok) || session.policies.outcome === 'deny';
  emit(
    {
      data: { schemaVersion: 1 as const, session, next },
      human: () => [...sessionLines(session), '  next:', ...next.map((n) => `    ${n}`)].join('\n'),
      exitCode: blocked ? EXIT.failure : EXIT.ok,
    },
    opts,
  );
}

export async function operateShowCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const { stateDir } = projectContext(opts);
  const session = await readSession(stateDir, checkSessionId(id));
  const expired = session.status === 'proposed' && isExpired(session, new Date());
  const digestMatches = sessionDigest(session) === session.digest;
  emit(
    {
      data: { schemaVersion: 1 as const, session, expired, digestMatches },
      human: () =>
        [
          ...sessionLines(session),
          ...(expired ? [paint('  expired: propose again', 'red')] : []),
          ...(digestMatches ? [] : [paint('  the commands no longer match the digest: the session file was edited', 'red')]),
        ].join('\n'),
    },
    opts,
  );
}

interface ExecuteOptions extends CommonOptions {
  approve?: string;
  approver?: string;
}

export async function operateExecuteCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ExecuteOptions>();
  if (!opts.approve) throw new CliError('--approve <digest> is required: the digest shown by operate propose/show', EXIT.usage, 'input.missing');
  const { root, stateDir } = projectContext(opts);
  const config = await loadConfig(root);
  const stored = await readSession(stateDir, checkSessionId(id));
  const run = makeRunner({ context: stored.context });
  const session = await executeSession(
    { id, approve: opts.approve, ...(opts.approver ? { approver: opts.approver } : {}) },
    { stateDir, run, settings: resolveApprovalSettings(config), config, hooks: { policies: (await hooks(run, root)).policies! } },
  );
  const results = session.execution!.results;
  const failed = results.filter((r) => !r.ok);
  emit(
    {
      data: { schemaVersion: 1 as const, session, ok: failed.length === 0 },
      human: () =>
        [
          ...sessionLines(session),
          '  results:',
          ...results.map((r) => `    ${r.ok ? paint('ok', 'green') : paint(`FAILED (exit ${r.exitCode ?? '-'})`, 'red')}  ${showArgv(r.argv)}${r.ok ? '' : `\n      ${(r.error ?? r.stderr).split('\n')[0]}`}`),
          `  next: infra-ops operate validate ${session.id}${failed.length > 0 ? ` — or, after asking, infra-ops operate rollback ${session.id}` : ''}`,
        ].join('\n'),
      exitCode: failed.length === 0 ? EXIT.ok : EXIT.failure,
    },
    opts,
  );
}

export async function operateValidateCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<TargetOptions>();
  const { stateDir } = projectContext(opts);
  const stored = await readSession(stateDir, checkSessionId(id));
  const timeout = parseCount(opts.timeout, '--timeout', 300);
  const { result } = await validateSession(id, timeout, { stateDir, run: makeRunner({ context: stored.context }) });
  emit(
    {
      data: { schemaVersion: 1 as const, sessionId: id, result },
      human: (d: { result: ValidationResult }) =>
        [
          `${id}: ${d.result.status === 'settled' ? paint('settled', 'green') : paint(d.result.status, 'red')}`,
          ...d.result.objects.map((o) => `  ${o.state.padEnd(11)} ${o.kind}/${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}: ${o.detail} (${o.checks} checks)`),
          ...(d.result.status === 'settled' ? [] : [`  next: diagnose (infra-ops diagnose deployment …), or after asking: infra-ops operate rollback ${id}`]),
        ].join('\n'),
      exitCode: result.status === 'settled' ? EXIT.ok : EXIT.failure,
    },
    opts,
  );
}

export async function operateRollbackCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const { stateDir } = projectContext(opts);
  const stored = await readSession(stateDir, checkSessionId(id));
  const { result } = await rollbackSession(id, { stateDir, run: makeRunner({ context: stored.context }) });
  emit(
    {
      data: { schemaVersion: 1 as const, sessionId: id, result },
      human: (d: { result: RollbackResult }) =>
        [
          `${id}: ${d.result.status === 'rolled_back' ? paint('rolled back', 'green') : paint('rollback failed', 'red')}`,
          ...d.result.steps.map((st) => `  ${st.ok ? 'ok    ' : 'FAILED'} ${st.action} ${st.kind}/${st.name}${st.namespace ? ` -n ${st.namespace}` : ''}: ${showArgv(st.argv)}${st.ok ? '' : ` — ${st.output}`}`),
        ].join('\n'),
      exitCode: result.status === 'rolled_back' ? EXIT.ok : EXIT.failure,
    },
    opts,
  );
}
