/**
 * A container the kubelet kills because a liveness or startup probe keeps failing: `Unhealthy`
 * events (`Liveness probe failed: HTTP probe failed with statuscode: 500`), a `Killing` event
 * (`Container app failed liveness probe, will be restarted`) and the kill's exit code 137/143.
 * Without events (expired after an hour) a 137/143 exit of a container with that probe is a guess.
 * Without a `Killing` event (older kubelets, or not collected) and with an exit code that is the
 * app's own answer to SIGTERM (1, 2…), the failures still decide when they reached the probe's
 * failureThreshold in every run: `failureThreshold × restarts` failures or more mean the kubelet
 * killed each run before it could exit by itself.
 */
import type { RootCause } from '../types.js';
import { eventTime } from '../events.js';
import { MINUTE, obj, type ContainerView, type PodContext } from './context.js';
import { crashCommands, crashEvidence, stateWords } from './crash.js';
import { applyStep, eventEv, specEv, specRef, type Finding } from './finding.js';
import { KILL_EXIT_CODES, isCrashing, lastTermination, probeFailures, probeKills } from './signals.js';

export function probeKillFinding(ctx: PodContext, c: ContainerView, kind: 'liveness' | 'startup'): Finding | null {
  if (!isCrashing(ctx, c) && !killedAgainAndAgain(ctx, c, kind)) return null;
  const t = lastTermination(c);
  if (t?.reason === 'OOMKilled') return null;
  const Kind = kind === 'liveness' ? 'Liveness' : 'Startup';
  const probeField = `${kind}Probe`;
  const probe = c.spec[probeField];
  const kills = probeKills(ctx, c, kind);
  const failures = probeFailures(ctx, c, Kind);
  const killedByExit = t?.exitCode !== null && t?.exitCode !== undefined && KILL_EXIT_CODES.has(t.exitCode);
  const exitFits = !t || killedByExit || t.exitCode === 0 || t.reason === 'Completed';
  let confidence: Finding['confidence'];
  if (kills.length > 0 && exitFits) confidence = 'medium';
  else if (failures.length > 0 && (killedByExit || (!t && c.restartCount > 0))) confidence = 'medium';
  else if (thresholdReachedEveryRun(c, probe, failures)) confidence = 'medium';
  else if (kills.length === 0 && failures.length === 0 && probe !== undefined && killedByExit && (kind === 'liveness' || c.spec.livenessProbe === undefined)) confidence = 'low';
  else return null;
  const evidence = crashEvidence(c, t);
  const lastFailure = failures.at(-1);
  const lastKill = kills.at(-1);
  if (lastFailure) evidence.push(eventEv(lastFailure));
  if (lastKill && lastKill !== lastFailure) evidence.push(eventEv(lastKill));
  const p = obj(probe);
  const target = describeProbe(p);
  if (target) evidence.push(specEv(`${c.specPath}.${probeField}.${target.field}`, target.quote));
  const detail = lastFailure ? lastFailure.message.replace(/^\w+ probe failed:\s*/, '').replace(/\s+/g, ' ').trim().slice(0, 200) : null;
  const timing = `initialDelaySeconds=${p.initialDelaySeconds ?? 0}, periodSeconds=${p.periodSeconds ?? 10}, timeoutSeconds=${p.timeoutSeconds ?? 1}, failureThreshold=${p.failureThreshold ?? 3}`;
  const label: RootCause = kind === 'liveness' ? 'LivenessProbeFailure' : 'StartupProbeFailure';
  return {
    rootCause: label,
    container: c,
    summary: `Container ${c.name} ${stateWords(c)}: the kubelet kills it because its ${kind} probe${target ? ` (${target.words})` : ''} fails${detail ? `: ${detail}` : ''}${t?.exitCode !== null && t?.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''}${confidence === 'low' ? ' — inferred from the exit code, the probe events have expired' : ''}.`,
    evidence,
    commands: crashCommands(ctx, c),
    steps: [
      `Check the endpoint answers in time from inside the pod (the app may be slow to start, overloaded, or listening on another port/path).`,
      kind === 'liveness'
        ? `If the app is healthy but slow, give it room: add a startupProbe, or raise ${specRef(c)}.livenessProbe timeoutSeconds/failureThreshold (now ${timing}). ${applyStep(ctx)}`
        : `If the app needs longer to start, raise ${specRef(c)}.startupProbe.failureThreshold × periodSeconds above its start time (now ${timing}). ${applyStep(ctx)}`,
      'Liveness and startup probes must not depend on other services (database, downstream APIs): a dependency outage would restart every replica.',
    ],
    confidence,
  };
}

/** Every restart is accounted for by a full run of probe failures (failureThreshold of them). */
function thresholdReachedEveryRun(c: ContainerView, probe: unknown, failures: { count: number }[]): boolean {
  if (probe === undefined || c.restartCount === 0) return false;
  const threshold = Number(obj(probe).failureThreshold ?? 3) || 3;
  const total = failures.reduce((n, e) => n + e.count, 0);
  return total >= threshold * c.restartCount;
}

/**
 * A running (even ready) container that the kubelet keeps killing for this probe: it fails in the
 * current run already, or it was killed for it twice or more in the last quarter hour. Without a
 * readiness probe such a container shows READY 1/1 between the kills.
 */
function killedAgainAndAgain(ctx: PodContext, c: ContainerView, kind: 'liveness' | 'startup'): boolean {
  if (!c.running || c.restartCount === 0) return false;
  const Kind = kind === 'liveness' ? 'Liveness' : 'Startup';
  const since = c.running.startedAt;
  const failing = probeFailures(ctx, c, Kind).some((e) => since !== null && (eventTime(e) ?? 0) >= since);
  const kills = probeKills(ctx, c, kind);
  const lastKill = kills.reduce<number | null>((m, e) => Math.max(m ?? 0, eventTime(e) ?? 0), null);
  const count = kills.reduce((n, e) => n + e.count, 0);
  return failing || (count >= 2 && lastKill !== null && ctx.now - lastKill < 15 * MINUTE);
}

/** `httpGet :8080/healthz` etc., with a verbatim quote of the probe's target and the field it is in. */
function describeProbe(p: Record<string, unknown>): { words: string; quote: string; field: string } | null {
  const h = obj(p.httpGet);
  if (Object.keys(h).length) {
    const path = typeof h.path === 'string' ? h.path : null;
    return { words: `httpGet ${String(h.port ?? '')}${path ?? '/'}`, quote: path ?? String(h.port ?? ''), field: path ? 'httpGet.path' : 'httpGet.port' };
  }
  const tcp = obj(p.tcpSocket);
  if (Object.keys(tcp).length) return { words: `tcpSocket ${String(tcp.port ?? '')}`, quote: String(tcp.port ?? ''), field: 'tcpSocket.port' };
  const ex = obj(p.exec);
  if (Array.isArray(ex.command)) {
    const cmd = ex.command.filter((x) => typeof x === 'string') as string[];
    const last = cmd.at(-1);
    return last ? { words: `exec ${cmd.join(' ')}`, quote: last, field: `exec.command[${ex.command.length - 1}]` } : null;
  }
  const g = obj(p.grpc);
  if (Object.keys(g).length) return { words: `grpc ${String(g.port ?? '')}`, quote: String(g.port ?? ''), field: 'grpc.port' };
  return null;
}
