/**
 * `operate rollback <id>`: put back what execute snapshotted, newest change first.
 * - An object that existed: its snapshot with the server-managed fields stripped (resourceVersion,
 *   uid, managedFields, creationTimestamp, generation, status, deletion fields, kubectl's
 *   last-applied and the deployment revision annotations) written to `rollback/` in the session
 *   folder and `kubectl apply -f`'d — which also re-creates an object the session deleted.
 * - An object the session created: `kubectl delete … --ignore-not-found`.
 * - A Helm release: `helm rollback NAME <revision before>`, or `helm uninstall` when it was new.
 * Each step is reported; a failed step does not stop the others.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { stderrLine } from '../diagnose/kubectl.js';
import { redactSecrets } from '../errors/redact.js';
import { clip, type Runner } from './dry-run.js';
import { readSession, sessionFolder, writeSession, type OperateSession, type Snapshot } from './session.js';

export interface RollbackStep {
  kind: string;
  name: string;
  namespace: string | null;
  action: 'restore' | 'delete-created' | 'helm-rollback' | 'helm-uninstall';
  argv: string[];
  ok: boolean;
  exitCode: number | null;
  output: string;
}

export interface RollbackResult {
  status: 'rolled_back' | 'rollback_failed';
  at: string;
  steps: RollbackStep[];
}

const META_STRIP = ['resourceVersion', 'uid', 'managedFields', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const ANNOTATIONS_STRIP = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

/** A snapshot as something `kubectl apply` accepts again: server-managed fields removed. */
export function stripServerFields(obj: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = obj;
  const meta = { ...((rest.metadata ?? {}) as Record<string, unknown>) };
  for (const k of META_STRIP) delete meta[k];
  if (meta.annotations && typeof meta.annotations === 'object') {
    const a = { ...(meta.annotations as Record<string, unknown>) };
    for (const k of ANNOTATIONS_STRIP) delete a[k];
    if (Object.keys(a).length === 0) delete meta.annotations;
    else meta.annotations = a;
  }
  return { ...rest, metadata: meta };
}

async function step(s: Snapshot, folder: string, i: number, run: Runner): Promise<RollbackStep> {
  const ns = s.namespace ? ['-n', s.namespace] : [];
  const base = { kind: s.kind, name: s.name, namespace: s.namespace };
  let action: RollbackStep['action'];
  let tool: 'kubectl' | 'helm' = 'kubectl';
  let args: string[];
  if (s.kind === 'HelmRelease') {
    tool = 'helm';
    if (s.existed && s.helmRevision) {
      action = 'helm-rollback';
      args = ['rollback', s.name, String(s.helmRevision), ...ns];
    } else {
      action = 'helm-uninstall';
      args = ['uninstall', s.name, ...ns];
    }
  } else if (s.existed && !s.file) {
    // Only Secrets are snapshotted without contents (see snapshot.ts).
    return { ...base, action: 'restore', argv: ['kubectl', 'apply'], ok: false, exitCode: null, output: `${s.kind} ${s.name}: its data is not stored by infra-ops (secrets never reach session files); restore it from its source` };
  } else if (s.existed && s.file) {
    action = 'restore';
    const obj = JSON.parse(await readFile(join(folder, s.file), 'utf8')) as Record<string, unknown>;
    const file = join(folder, 'rollback', `${i + 1}-${`${s.kind}-${s.name}`.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
    await mkdir(join(folder, 'rollback'), { recursive: true });
    await writeFile(file, `${JSON.stringify(stripServerFields(obj), null, 2)}\n`, 'utf8');
    args = ['apply', '-f', file];
  } else {
    action = 'delete-created';
    args = ['delete', s.kind, s.name, ...ns, '--ignore-not-found'];
  }
  const r = await run(tool, args);
  const ok = r.error === null && r.exitCode === 0;
  return { ...base, action, argv: [tool, ...args], ok, exitCode: r.exitCode, output: ok ? clip(r.stdout, 10) : redactSecrets(r.error ?? stderrLine(r.stderr) ?? `exit code ${r.exitCode}`) };
}

export async function rollbackSession(id: string, deps: { stateDir: string; run: Runner }): Promise<{ session: OperateSession; result: RollbackResult }> {
  const s = await readSession(deps.stateDir, id);
  if (!s.execution || s.status === 'proposed') throw new CliError(`session ${s.id} has not been executed: nothing to roll back`, EXIT.usage, 'operate.not-executed');
  if (s.status === 'executing' && s.execution.results.length === 0 && s.execution.snapshots.length === 0) {
    throw new CliError(`session ${s.id} is being executed and nothing has run yet`, EXIT.blocked, 'operate.executing');
  }
  if (s.status === 'rolled_back') throw new CliError(`session ${s.id} was already rolled back at ${String(s.rollback?.at ?? '?')}`, EXIT.usage, 'operate.already-rolled-back');
  const folder = sessionFolder(deps.stateDir, s.id);
  const steps: RollbackStep[] = [];
  const snaps = [...s.execution.snapshots].reverse();
  for (const [i, snap] of snaps.entries()) steps.push(await step(snap, folder, i, deps.run));
  const result: RollbackResult = { status: steps.every((x) => x.ok) ? 'rolled_back' : 'rollback_failed', at: new Date().toISOString(), steps };
  s.status = result.status;
  s.rollback = result as unknown as Record<string, unknown>;
  await writeSession(deps.stateDir, s);
  return { session: s, result };
}
