/**
 * RunningWithRestarts: the container runs and is ready now, but restarted recently (last hour) or
 * often (5+, the last within 30 days). Names the last termination reason, which is what to fix.
 */
import type { RootCause } from '../../types.js';
import { HOUR, containerEvents, type ContainerView, type PodContext } from '../context.js';
import { crashCommands } from '../crash.js';
import { ago, applyStep, k, ownerRef, statusEv, type ContainerRule, type Finding } from '../finding.js';
import { formatMemory, parseMemory, raisedMemory } from '../quantity.js';
import { KILL_EXIT_CODES, restartedRecently } from '../signals.js';

const HIGH_RESTARTS = 5;

function lastCause(ctx: PodContext, c: ContainerView): { cause: RootCause; words: string } | null {
  const t = c.lastTerminated;
  if (!t) return null;
  const ev = containerEvents(ctx, c);
  if (t.reason === 'OOMKilled') return { cause: 'OOMKilled', words: 'OOMKilled' };
  if (t.exitCode === 127 || t.exitCode === 126 || t.reason === 'StartError') return { cause: 'BadCommand', words: `${t.reason ?? 'exit'} ${t.exitCode}` };
  if (ev.some((e) => /failed liveness probe|^Liveness probe failed/.test(e.message)) && (t.exitCode === null || KILL_EXIT_CODES.has(t.exitCode) || t.exitCode === 0))
    return { cause: 'LivenessProbeFailure', words: `killed after failed liveness probes (exit ${t.exitCode})` };
  if (ev.some((e) => /failed startup probe|^Startup probe failed/.test(e.message))) return { cause: 'StartupProbeFailure', words: `killed after failed startup probes (exit ${t.exitCode})` };
  return { cause: 'AppCrash', words: `${t.reason ?? 'exited'} with exit code ${t.exitCode ?? '?'}` };
}

function match(ctx: PodContext, c: ContainerView): Finding | null {
  if (!c.running || !c.ready || c.restartCount === 0) return null;
  const recent = restartedRecently(ctx, c, HOUR);
  const often = c.restartCount >= HIGH_RESTARTS && restartedRecently(ctx, c, 30 * 24 * HOUR);
  const backoffs = containerEvents(ctx, c).some((e) => e.reason === 'BackOff' && /restarting failed container/i.test(e.message));
  if (!recent && !often && !backoffs) return null;
  const t = c.lastTerminated;
  const cause = lastCause(ctx, c);
  const evidence = [statusEv(`${c.statusPath}.restartCount`, c.restartCount), statusEv(`${c.statusPath}.ready`, 'true')];
  if (t?.reason) evidence.push(statusEv(`${t.path}.reason`, t.reason));
  if (t?.exitCode !== null && t?.exitCode !== undefined) evidence.push(statusEv(`${t.path}.exitCode`, t.exitCode));
  const when = t?.finishedAt ? `, last ${ago(ctx.now - t.finishedAt)} ago` : '';
  const commands = crashCommands(ctx, c);
  const steps = ['Read the logs of the run that ended (first command) around the restart.'];
  const owner = ownerRef(ctx);
  if (cause?.cause === 'OOMKilled') {
    const limitRaw = (c.spec.resources as Record<string, Record<string, unknown>> | undefined)?.limits?.memory;
    const limit = parseMemory(limitRaw);
    const proposed = raisedMemory(limit);
    steps.push(`${c.type === 'init' ? 'spec.initContainers' : 'spec.containers'}[name=${c.name}].resources.limits.memory: ${limit !== null ? formatMemory(limit) : '(none)'} -> ${proposed} ${applyStep(ctx)}`);
    if (owner) commands.push(k(ctx, 'set', 'resources', owner, '-c', c.name, `--limits=memory=${proposed}`));
  } else steps.push(`Fix what ends the process (${cause?.words ?? 'unknown'}); ${applyStep(ctx)}`);
  return {
    rootCause: 'RunningWithRestarts',
    container: c,
    summary: `Container ${c.name} is running and ready now but has restarted ${c.restartCount} times${when}; last termination: ${cause?.words ?? 'unknown (not recorded)'}.`,
    evidence,
    commands,
    steps,
    confidence: 'high',
    secondary: cause ? [{ rootCause: cause.cause, reason: `last termination of ${c.name}: ${cause.words}` }] : [],
  };
}

export const runningWithRestartsRule: ContainerRule = { scope: 'container', labels: ['RunningWithRestarts'], priority: 90, match };
