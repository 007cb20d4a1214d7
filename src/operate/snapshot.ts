/**
 * Before-state of every object a session changes, taken right before execution:
 * `kubectl get <kind> <name> [-n NS] -o json` stored as `snapshots/<n>-<kind>-<name>.json` in the
 * session folder (secrets included as the cluster holds them: the folder is the user's own state,
 * like a kubeconfig). An object that does not exist yet is recorded as `existed: false` (the
 * session creates it). A Helm release records its current revision (`helm status -o json`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stderrLine } from '../diagnose/kubectl.js';
import { redactSecrets } from '../errors/redact.js';
import type { Target } from './commands.js';
import type { Runner } from './dry-run.js';
import type { OperateSession, Snapshot } from './session.js';

const NOT_FOUND = /\(NotFound\)|not found/i;

export function isSecret(kind: string): boolean {
  return /^(secret|secrets)$/i.test(kind.split('.')[0]!);
}

/** Every object the session's changing commands touch, once each, in command order. */
export function sessionTargets(s: Pick<OperateSession, 'commands'>): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const c of s.commands) {
    if (c.verb === 'rollout status') continue;
    for (const t of c.targets) {
      const k = `${t.kind.toLowerCase()}/${t.namespace ?? ''}/${t.name}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  }
  return out;
}

function fileName(i: number, t: Target): string {
  return `snapshots/${i + 1}-${`${t.kind}-${t.name}`.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

export async function takeSnapshots(s: OperateSession, folder: string, run: Runner): Promise<Snapshot[]> {
  await mkdir(join(folder, 'snapshots'), { recursive: true });
  const out: Snapshot[] = [];
  for (const [i, t] of sessionTargets(s).entries()) {
    const ns = t.namespace ? ['-n', t.namespace] : [];
    const base = { kind: t.kind, name: t.name, namespace: t.namespace };
    if (t.kind === 'HelmRelease') {
      const r = await run('helm', ['status', t.name, ...ns, '-o', 'json']);
      if (r.error === null && r.exitCode === 0) {
        let revision: number | null = null;
        try {
          const v = JSON.parse(r.stdout) as { version?: unknown };
          revision = typeof v.version === 'number' ? v.version : null;
        } catch {
          /* reported below */
        }
        // Only what a rollback needs: the release's values and rendered manifest may hold secrets.
        const file = fileName(i, t);
        await writeFile(join(folder, file), `${JSON.stringify({ name: t.name, namespace: t.namespace, version: revision }, null, 2)}\n`, 'utf8');
        out.push({ ...base, existed: true, file, helmRevision: revision, error: revision === null ? 'helm status printed no release version' : null });
      } else if (NOT_FOUND.test(r.stderr)) {
        out.push({ ...base, existed: false, file: null, helmRevision: null, error: null });
      } else {
        out.push({ ...base, existed: false, file: null, helmRevision: null, error: redactSecrets(r.error ?? stderrLine(r.stderr) ?? `exit code ${r.exitCode}`) });
      }
      continue;
    }
    const r = await run('kubectl', ['get', t.kind, t.name, ...ns, '-o', 'json']);
    if (r.error === null && r.exitCode === 0 && isSecret(t.kind)) {
      // A Secret's data never reaches the state folder: its existence is noted, its contents are not kept.
      out.push({ ...base, existed: true, file: null, error: null });
    } else if (r.error === null && r.exitCode === 0) {
      try {
        JSON.parse(r.stdout);
      } catch {
        out.push({ ...base, existed: true, file: null, error: 'kubectl get printed no JSON' });
        continue;
      }
      const file = fileName(i, t);
      await writeFile(join(folder, file), r.stdout, 'utf8');
      out.push({ ...base, existed: true, file, error: null });
    } else if (/\(NotFound\)/.test(r.stderr)) {
      out.push({ ...base, existed: false, file: null, error: null });
    } else {
      out.push({ ...base, existed: false, file: null, error: redactSecrets(r.error ?? stderrLine(r.stderr) ?? `exit code ${r.exitCode}`) });
    }
  }
  return out;
}
