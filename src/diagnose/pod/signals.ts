/**
 * Facts about one container that several rules share: is it crash-looping (or dead) now, did it
 * restart recently, what did the kubelet's probes say about it.
 */
import type { PodEvent } from '../types.js';
import { HOUR, MINUTE, containerEvents, lastTermination, type ContainerView, type PodContext } from './context.js';

/** A run shorter than this after a restart is still inside a crash loop (back-off tops out at 5 min). */
const IN_LOOP = 10 * MINUTE;

/** Waiting reasons that mean "this container does not run", not "it is being set up". */
const NOT_STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** Restarted within the last hour (or restarted with no time to judge by). */
export function restartedRecently(ctx: PodContext, c: ContainerView, window = HOUR): boolean {
  if (c.restartCount === 0 && !c.lastTerminated) return false;
  const t = c.lastTerminated?.finishedAt ?? c.running?.startedAt ?? null;
  if (t === null) return c.restartCount > 0;
  return ctx.now - t < window;
}

/**
 * The container keeps dying or cannot start: waiting with a failure reason (CrashLoopBackOff,
 * RunContainerError, …), terminated with a failure, or running but unready right after a restart.
 */
export function isCrashing(ctx: PodContext, c: ContainerView): boolean {
  const w = c.waiting?.reason;
  if (w && !NOT_STARTING.has(w)) return true;
  const t = c.terminated;
  if (t) {
    if (t.reason === 'OOMKilled') return true;
    // A pod being deleted stops its containers: SIGTERM/SIGKILL exits are expected then.
    if (ctx.terminating && (t.exitCode === 0 || KILL_EXIT_CODES.has(t.exitCode ?? -1))) return false;
    if ((t.exitCode ?? 0) !== 0) return true;
    // Completed with restartPolicy Always: it will be restarted and loop.
    return c.type === 'app' && ctx.restartPolicy === 'Always' && ctx.phase !== 'Succeeded' && !ctx.terminating;
  }
  // Running but unready right after a restart: inside the crash loop. Running unready for long
  // after an old restart is a readiness problem, not a loop.
  if (c.running && !c.ready && c.restartCount > 0 && restartedRecently(ctx, c)) {
    const since = c.running.startedAt;
    return since === null || ctx.now - since < IN_LOOP;
  }
  return false;
}

/** Failure reasons of a termination the kubelet or runtime wrote when the process could not even start. */
export const START_FAILURE_REASONS = new Set(['StartError', 'ContainerCannotRun', 'RunContainerError', 'CreateContainerError']);

/** `exec: "x": executable file not found in $PATH`, `no such file or directory` at exec, `permission denied` at exec. */
export const EXEC_FAILURE =
  /executable file not found|exec: "[^"]*": (stat [^:]*: )?no such file or directory|exec format error|exec: "[^"]*": permission denied|starting container process caused|unable to start container process|(^|\s)exec [^:\s]+: (no such file or directory|permission denied)|: not found$|command not found/i;

export type ProbeKind = 'Liveness' | 'Startup' | 'Readiness';

/** `Unhealthy` events of one probe kind for the container (`Liveness probe failed: …`). */
export function probeFailures(ctx: PodContext, c: ContainerView, kind: ProbeKind): PodEvent[] {
  const re = new RegExp(`^${kind} probe (failed|errored)`);
  return containerEvents(ctx, c).filter((e) => e.reason === 'Unhealthy' && re.test(e.message));
}

/** `Killing` events saying the kubelet restarted the container for a failed probe. */
export function probeKills(ctx: PodContext, c: ContainerView, kind: 'liveness' | 'startup'): PodEvent[] {
  const re = new RegExp(`failed ${kind} probe`, 'i');
  return containerEvents(ctx, c).filter((e) => (e.reason === 'Killing' || e.reason === 'Unhealthy') && re.test(e.message));
}

/** Exit codes of a process killed by the kubelet: SIGKILL after the grace period, or SIGTERM. */
export const KILL_EXIT_CODES = new Set([137, 143]);

export { lastTermination };
