/**
 * `operate execute <id> --approve <digest>`: run exactly the stored commands, once.
 *
 * Under an exclusive lock on the session (`withFileLock`), the session is claimed by writing
 * status `executing` atomically, after these checks, each refusing with exit 3 (blocked) or 2:
 * not yet executed; not expired; stored manifests unchanged and the recomputed digest equal to
 * both the proposal's and the one given with --approve; tiers recomputed from the commands (a
 * hand-lowered tier in the file counts for nothing); policies re-evaluated (deny refuses); for a
 * medium/critical session or a policy review, an approval request whose reason names this session
 * and digest, approved by someone (not auto) after the session was proposed; the server-side
 * dry-run passing again on the exact commands; every changed object snapshotted. Then each
 * command runs as an argument vector, continuing after a failure; each result is recorded
 * (redacted), and a medium/critical session gets an audit record.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listRequests, type ApprovalRequest } from '../approval/decisions.js';
import type { ResolvedSettings } from '../approval/settings.js';
import { classifyAction } from '../approval/tier.js';
import type { LockOptions } from '../audit/lock.js';
import { withFileLock } from '../audit/lock.js';
import { recordAction } from '../audit/record.js';
import type { AuditRecordInput } from '../audit/types.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { InfraOpsConfig } from '../config/types.js';
import { redactSecrets } from '../errors/redact.js';
import { redactArgv } from '../audit/redact-record.js';
import { clip, dryRunSession, resolvedArgs, type Runner } from './dry-run.js';
import { policyInput, tierVerb, type ProposeHooks } from './propose.js';
import { takeSnapshots } from './snapshot.js';
import {
  isExpired,
  maxTier,
  readSession,
  sessionDigest,
  sessionFile,
  sessionFolder,
  writeSession,
  type CommandResult,
  type OperateSession,
  type Tier,
} from './session.js';

export interface ExecuteDeps {
  stateDir: string;
  run: Runner;
  settings: ResolvedSettings;
  config: InfraOpsConfig | undefined;
  hooks?: Pick<ProposeHooks, 'policies'>;
  now?: () => Date;
  lock?: LockOptions;
}

export interface ExecuteInput {
  id: string;
  approve: string;
  approver?: string;
}

function refuse(message: string, code: string, details?: unknown): never {
  throw new CliError(message, EXIT.blocked, code, details);
}

/** The tier of each command as the table says today (the stored one is only informative). */
function recomputeTier(s: OperateSession, deps: Pick<ExecuteDeps, 'settings' | 'config'>): Tier {
  const tiers = s.commands.flatMap((c) =>
    (c.targets.length > 0 ? c.targets : [{ kind: 'unknown', name: '', namespace: null }]).map(
      (t) =>
        classifyAction(
          { verb: tierVerb(c), kind: t.kind, environment: s.environment, production: s.production, ...(t.namespace ? { namespace: t.namespace } : {}), ...(t.name ? { name: t.name } : {}) },
          deps.settings,
          deps.config,
        ).tier,
    ),
  );
  return maxTier(tiers);
}

async function checkManifests(s: OperateSession, folder: string): Promise<void> {
  for (const m of s.manifests) {
    const text = await readFile(join(folder, m.file), 'utf8').catch(() => null);
    if (text === null) refuse(`session ${s.id}: stored manifest ${m.name} is missing; propose again`, 'operate.tampered');
    if (createHash('sha256').update(text, 'utf8').digest('hex') !== m.sha256) {
      refuse(`session ${s.id}: stored manifest ${m.name} changed since it was proposed; propose again`, 'operate.tampered');
    }
  }
}

/** The decision execute rests on: a request naming this session and digest, approved by a person after the proposal. */
export function verifyApproval(s: OperateSession, requests: readonly ApprovalRequest[], approver: string | undefined): ApprovalRequest {
  const id = s.approval.requestId;
  if (!id) refuse(`session ${s.id} is ${s.tier} and needs an approval request, but none is recorded; propose again`, 'operate.no-approval');
  const r = requests.find((x) => x.id === id);
  if (!r) refuse(`approval request ${id} of session ${s.id} is not in the approvals log`, 'operate.no-approval');
  const bound = `operate session ${s.id} sha256:${s.digest}`;
  if (!r.reason?.startsWith(bound)) refuse(`approval request ${id} is not for session ${s.id} with digest ${s.digest}`, 'operate.approval-mismatch');
  if (!r.decision || r.status === 'pending') {
    refuse(`approval ${id} is still pending: ask the approver, then record it with \`infra-ops approval decide ${id} --decision approve --approver NAME --justification "…"\``, 'operate.not-approved');
  }
  if (r.status === 'rejected') refuse(`approval ${id} was rejected by ${r.decision.approver}${r.decision.justification ? `: ${r.decision.justification}` : ''}`, 'operate.rejected');
  if (r.status === 'conditional') {
    refuse(`approval ${id} is conditional (${r.decision.conditions.join('; ')}): the engine cannot check conditions; once they are met, propose again and record a plain approval`, 'operate.conditional');
  }
  if (r.decision.auto) refuse(`approval ${id} was decided automatically; a ${s.tier} session needs a person's decision`, 'operate.not-approved');
  if (Date.parse(r.decision.decidedAt) < Date.parse(s.createdAt)) refuse(`approval ${id} was decided before session ${s.id} was proposed`, 'operate.approval-mismatch');
  if (approver !== undefined && approver !== r.decision.approver) {
    refuse(`--approver ${approver} is not who approved ${id} (${r.decision.approver})`, 'operate.approval-mismatch');
  }
  return r;
}

/** Checks and claim, under the session lock (held for file reads only); returns the claimed session. */
async function claim(input: ExecuteInput, deps: ExecuteDeps): Promise<{ session: OperateSession; request: ApprovalRequest | null }> {
  const now = (deps.now ?? (() => new Date()))();
  const file = sessionFile(deps.stateDir, input.id);
  return withFileLock(
    `${file}.lock`,
    async () => {
      const s = await readSession(deps.stateDir, input.id);
      const folder = sessionFolder(deps.stateDir, s.id);
      if (s.status !== 'proposed') {
        refuse(`session ${s.id} was already executed (status ${s.status}${s.execution ? `, started ${s.execution.startedAt}` : ''}): a session runs once; propose again for another run`, 'operate.already-executed');
      }
      if (isExpired(s, now)) refuse(`session ${s.id} expired at ${s.expiresAt}: propose it again (the cluster may have changed)`, 'operate.expired');
      await checkManifests(s, folder);
      const digest = sessionDigest(s);
      if (digest !== s.digest) refuse(`session ${s.id} was changed after it was proposed (its commands no longer match digest ${s.digest}); propose again`, 'operate.tampered');
      if (input.approve !== digest) {
        refuse(`--approve ${input.approve} does not match session ${s.id} (digest ${digest}): the session changed since that digest was shown, or it is another session's`, 'operate.digest-mismatch');
      }
      if (deps.hooks?.policies) {
        const docs = new Map<string, Record<string, unknown>[]>();
        const { parseAllDocuments } = (await import('../runtime/cjs-interop.js')).cjsNamespace(await import('yaml'));
        // Kubernetes manifests only (a Helm values file has no objects).
        for (const m of s.manifests.filter((x) => x.objects.length > 0)) {
          const objects = parseAllDocuments(await readFile(join(folder, m.file), 'utf8'))
            .map((d) => d.toJS() as unknown)
            .filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
          docs.set(m.name, objects);
        }
        const r = await deps.hooks.policies(policyInput(s, docs));
        s.policies = { evaluated: true, outcome: r.outcome, violations: r.violations, note: null };
      }
      if (s.policies.outcome === 'deny') {
        const v = s.policies.violations.filter((x) => x.outcome === 'deny' && x.mode !== 'report-only');
        refuse(`policies deny session ${s.id}: ${v.map((x) => `${x.ruleId}: ${x.message} (fix: ${x.fix})`).join('; ') || 'see operate show'}`, 'operate.policy-denied', v);
      }
      const tier = recomputeTier(s, deps);
      let request: ApprovalRequest | null = null;
      if (tier === 'medium' || tier === 'critical' || s.policies.outcome === 'review') {
        const { requests } = await listRequests(deps.stateDir, { now: () => now });
        request = verifyApproval({ ...s, tier }, requests, input.approver);
      }
      s.status = 'executing';
      s.execution = {
        startedAt: now.toISOString(),
        finishedAt: null,
        approvalId: request?.id ?? null,
        approver: request?.decision?.approver ?? input.approver ?? null,
        snapshots: [],
        results: [],
        auditRecordId: null,
      };
      await writeSession(deps.stateDir, s);
      return { session: s, request };
    },
    deps.lock,
  );
}

/** Give a claimed session back (status `proposed`) when the pre-flight checks fail: nothing ran. */
async function release(s: OperateSession, deps: ExecuteDeps): Promise<void> {
  await withFileLock(
    `${sessionFile(deps.stateDir, s.id)}.lock`,
    async () => {
      s.status = 'proposed';
      s.execution = null;
      await writeSession(deps.stateDir, s);
    },
    deps.lock,
  );
}

/** Dry-run again on the exact commands, then snapshot; refuses (after releasing the claim) when either fails. */
async function preflight(s: OperateSession, folder: string, deps: ExecuteDeps): Promise<void> {
  const dry = await dryRunSession(s, folder, deps.run, { allowUnreachableFallback: false });
  s.dryRun = dry;
  const failed = dry.filter((d) => !d.ok);
  if (failed.length > 0) {
    await release(s, deps);
    refuse(`the dry-run fails now, nothing was run: ${failed.map((d) => `line ${s.commands[d.index]!.line}: ${d.error}`).join('; ')}`, 'operate.dry-run-failed', failed);
  }
  const snapshots = await takeSnapshots(s, folder, deps.run);
  const bad = snapshots.filter((x) => x.error !== null);
  if (bad.length > 0) {
    await release(s, deps);
    refuse(`cannot snapshot ${bad.map((x) => `${x.kind}/${x.name}: ${x.error}`).join('; ')} — nothing was run (no rollback would be possible)`, 'operate.snapshot-failed');
  }
  s.execution!.snapshots = snapshots;
  await writeSession(deps.stateDir, s);
}

export async function executeSession(input: ExecuteInput, deps: ExecuteDeps): Promise<OperateSession> {
  // The claim (status `executing`, written atomically under the lock) is what makes a session single-use.
  const { session: s, request } = await claim(input, deps);
  const folder = sessionFolder(deps.stateDir, s.id);
  await preflight(s, folder, deps);
  const results: CommandResult[] = [];
  for (const [i, cmd] of s.commands.entries()) {
    const startedAt = new Date().toISOString();
    const r = await deps.run(cmd.tool, resolvedArgs(cmd, s, folder));
    const ok = r.error === null && r.exitCode === 0;
    results.push({
      index: i,
      argv: redactArgv(cmd.argv),
      exitCode: r.exitCode,
      ok,
      stdout: clip(r.stdout),
      stderr: clip(r.stderr),
      error: r.error ? redactSecrets(r.error) : null,
      startedAt,
      durationMs: Math.max(0, Math.round(r.durationMs)),
    });
    s.execution!.results = results;
    // Progress is on disk after every command: a crash leaves the session `executing` with what ran.
    await writeSession(deps.stateDir, s);
  }
  s.status = results.every((r) => r.ok) ? 'executed' : 'executed_with_errors';
  s.execution!.finishedAt = new Date().toISOString();
  if (request) {
    const entry = await recordAction(deps.stateDir, auditInput(s, request.id));
    s.execution!.auditRecordId = entry.id;
  }
  await writeSession(deps.stateDir, s);
  return s;
}

function auditInput(s: OperateSession, approvalId: string): AuditRecordInput {
  const ex = s.execution!;
  return {
    approvalId,
    summary: `operate session ${s.id}: ${s.intent}`.slice(0, 500),
    operator: ex.approver ?? s.requestedBy,
    beforeState: {
      capturedAt: ex.startedAt,
      observations: ex.snapshots.map((x) => ({
        what: `${x.kind}/${x.name}${x.namespace ? ` in ${x.namespace}` : ''}`,
        value: x.existed ? `existed; snapshot ${x.file ?? '(none)'}${x.helmRevision ? `, revision ${x.helmRevision}` : ''}` : 'did not exist (created by the session)',
      })).concat(ex.snapshots.length === 0 ? [{ what: 'objects', value: 'none changed' }] : []),
    },
    analysis: {
      summary: `${s.intent} — tier ${s.tier}; policies ${s.policies.evaluated ? s.policies.outcome : 'not evaluated'}; patterns ${s.patterns.matches.map((p) => p.name).join(', ') || 'none'}`.slice(0, 2000),
      source: `infra-ops operate propose (session ${s.id})`,
    },
    safetyChecks: [
      { check: 'session digest equals the approved digest', result: 'pass', detail: `sha256:${s.digest}` },
      ...s.dryRun.map((d) => ({ check: `dry-run (${d.mode}) of line ${s.commands[d.index]!.line}`, result: d.mode === 'skipped' ? ('skipped' as const) : ('pass' as const), ...(d.note ? { detail: d.note.slice(0, 2000) } : {}) })),
      { check: 'policies', result: s.policies.evaluated ? ('pass' as const) : ('skipped' as const), detail: s.policies.evaluated ? `outcome ${s.policies.outcome}` : (s.policies.note ?? 'not evaluated') },
      { check: 'snapshots of every changed object', result: 'pass', detail: `${ex.snapshots.length} taken` },
    ],
    commands: ex.results.map((r) => ({
      argv: r.argv,
      ranAt: r.startedAt,
      ...(r.exitCode !== null && r.exitCode >= 0 && r.exitCode <= 255 ? { exitCode: r.exitCode } : {}),
      output: `${r.stdout}${r.stderr ? `\n${r.stderr}` : ''}${r.error ? `\n${r.error}` : ''}`.slice(0, 20000),
    })),
    afterStateChecks: [{ check: `infra-ops operate validate ${s.id}`, result: 'pending' }],
    rollbackPlan: { steps: [`infra-ops operate rollback ${s.id} (restores the snapshots taken before execution)`], commands: [['infra-ops', 'operate', 'rollback', s.id]] },
  };
}
