/**
 * `operate validate <id> [--timeout 300]`: after execution, poll each changed object until it is
 * settled, failed, or the deadline passes — with back-off (1 s, doubling, at most 15 s, never past
 * the deadline), no fixed sleeps:
 * - Deployment / StatefulSet / DaemonSet: `kubectl rollout status KIND/NAME --watch=false`
 *   ("successfully rolled out" → settled; "Waiting for …" → progressing; a progress-deadline
 *   error → failed);
 * - Helm release: `helm status NAME -o json` → `info.status` deployed (settled), failed, pending-*;
 * - an object the session deletes: gone (NotFound) → settled;
 * - anything else: `kubectl get` finds it → settled.
 */
import { canonicalKind } from '../approval/vocabulary.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { stderrLine } from '../diagnose/kubectl.js';
import { redactSecrets } from '../errors/redact.js';
import type { Target } from './commands.js';
import type { Runner } from './dry-run.js';
import { readSession, writeSession, type OperateSession } from './session.js';
import { sessionTargets } from './snapshot.js';

export type ObjectState = 'settled' | 'progressing' | 'failed';

export interface ObjectValidation {
  kind: string;
  name: string;
  namespace: string | null;
  expect: 'present' | 'absent';
  state: ObjectState | 'timed_out';
  detail: string;
  checks: number;
}

export interface ValidationResult {
  status: 'settled' | 'failed' | 'timed_out';
  startedAt: string;
  finishedAt: string;
  timeoutSeconds: number;
  objects: ObjectValidation[];
}

export interface ValidateDeps {
  stateDir: string;
  run: Runner;
  /** First back-off delay (default 1000 ms). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function deletes(s: OperateSession, t: Target): boolean {
  const key = (x: Target): string => `${canonicalKind(x.kind)}/${x.namespace ?? ''}/${x.name}`;
  // The last command touching the object decides: deleted, or (re)created after a delete.
  const last = [...s.commands].reverse().find((c) => c.verb !== 'rollout status' && c.targets.some((x) => key(x) === key(t)));
  return last !== undefined && (last.verb === 'delete' || last.verb === 'uninstall');
}

function line(text: string): string {
  return redactSecrets(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop() ?? '');
}

async function check(t: Target, expect: 'present' | 'absent', run: Runner, timeoutMs: number): Promise<{ state: ObjectState; detail: string }> {
  const ns = t.namespace ? ['-n', t.namespace] : [];
  if (t.kind === 'HelmRelease') {
    const r = await run('helm', ['status', t.name, ...ns, '-o', 'json'], { timeoutMs });
    if (r.error === null && r.exitCode === 0) {
      let status = 'unknown';
      try {
        status = String((JSON.parse(r.stdout) as { info?: { status?: unknown } }).info?.status ?? 'unknown');
      } catch {
        /* unknown */
      }
      if (expect === 'absent') return status === 'uninstalled' ? { state: 'settled', detail: 'uninstalled' } : { state: 'progressing', detail: `release status ${status}` };
      if (status === 'deployed') return { state: 'settled', detail: 'release deployed' };
      if (status === 'failed') return { state: 'failed', detail: 'release failed' };
      return { state: 'progressing', detail: `release status ${status}` };
    }
    if (/not found/i.test(r.stderr)) return expect === 'absent' ? { state: 'settled', detail: 'release gone' } : { state: 'failed', detail: 'release not found' };
    return { state: 'progressing', detail: redactSecrets(r.error ?? stderrLine(r.stderr) ?? `helm status exit ${r.exitCode}`) };
  }
  const kind = canonicalKind(t.kind);
  if (expect === 'present' && ROLLOUT_KINDS.has(kind)) {
    const r = await run('kubectl', ['rollout', 'status', `${kind.toLowerCase()}/${t.name}`, ...ns, '--watch=false'], { timeoutMs });
    if (r.error === null && r.exitCode === 0) {
      const out = line(r.stdout);
      return /successfully rolled out|rolling update complete|partitioned roll out complete/i.test(r.stdout) ? { state: 'settled', detail: out } : { state: 'progressing', detail: out };
    }
    const err = redactSecrets(r.error ?? stderrLine(r.stderr) ?? `exit ${r.exitCode}`);
    if (/exceeded its progress deadline|\(NotFound\)/i.test(r.stderr)) return { state: 'failed', detail: err };
    return { state: 'progressing', detail: err };
  }
  const r = await run('kubectl', ['get', t.kind, t.name, ...ns, '-o', 'json'], { timeoutMs });
  if (r.error === null && r.exitCode === 0) {
    if (expect === 'present') return { state: 'settled', detail: 'exists' };
    let deleting = false;
    try {
      deleting = Boolean((JSON.parse(r.stdout) as { metadata?: { deletionTimestamp?: unknown } }).metadata?.deletionTimestamp);
    } catch {
      /* still there */
    }
    return { state: 'progressing', detail: deleting ? 'being deleted (finalizers)' : 'still exists' };
  }
  if (/\(NotFound\)/.test(r.stderr)) return expect === 'absent' ? { state: 'settled', detail: 'deleted' } : { state: 'failed', detail: 'not found' };
  return { state: 'progressing', detail: redactSecrets(r.error ?? stderrLine(r.stderr) ?? `exit ${r.exitCode}`) };
}

/** Poll every object of an executed session until settled, failed or timed out; stores the result in the session. */
export async function validateSession(id: string, timeoutSeconds: number, deps: ValidateDeps): Promise<{ session: OperateSession; result: ValidationResult }> {
  const s = await readSession(deps.stateDir, id);
  if (!s.execution) throw new CliError(`session ${s.id} has not been executed (status ${s.status}): nothing to validate`, EXIT.usage, 'operate.not-executed');
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  const objects: ObjectValidation[] = sessionTargets(s).map((t) => ({ ...t, expect: deletes(s, t) ? 'absent' : 'present', state: 'progressing', detail: 'not checked yet', checks: 0 }));
  let delay = deps.firstDelayMs ?? 1000;
  for (;;) {
    for (const o of objects.filter((x) => x.state === 'progressing')) {
      const left = Math.max(1000, deadline - Date.now());
      const r = await check(o, o.expect, deps.run, Math.min(30_000, left));
      o.state = r.state;
      o.detail = r.detail;
      o.checks++;
    }
    const pending = objects.filter((x) => x.state === 'progressing');
    if (pending.length === 0) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      for (const o of pending) o.state = 'timed_out';
      break;
    }
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, deps.maxDelayMs ?? 15_000);
  }
  const result: ValidationResult = {
    status: objects.some((o) => o.state === 'failed') ? 'failed' : objects.some((o) => o.state === 'timed_out') ? 'timed_out' : 'settled',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    timeoutSeconds,
    objects,
  };
  const fresh = await readSession(deps.stateDir, id);
  fresh.validation = result as unknown as Record<string, unknown>;
  await writeSession(deps.stateDir, fresh);
  return { session: fresh, result };
}
