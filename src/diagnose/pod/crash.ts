/** Evidence and commands every "why does this container keep dying" rule starts from. */
import type { Evidence } from '../types.js';
import type { ContainerView, PodContext, Termination } from './context.js';
import { describeCmd, logsCmd, statusEv } from './finding.js';

/** The state (CrashLoopBackOff, RunContainerError…) and the termination fields, quoted. */
export function crashEvidence(c: ContainerView, t: Termination | null): Evidence[] {
  const ev: Evidence[] = [];
  if (c.waiting?.reason) ev.push(statusEv(`${c.statusPath}.state.waiting.reason`, c.waiting.reason));
  if (t?.reason) ev.push(statusEv(`${t.path}.reason`, t.reason));
  if (t?.exitCode !== null && t?.exitCode !== undefined) ev.push(statusEv(`${t.path}.exitCode`, t.exitCode));
  if (t?.message) ev.push(statusEv(`${t.path}.message`, t.message));
  if (c.restartCount > 0) ev.push(statusEv(`${c.statusPath}.restartCount`, c.restartCount));
  return ev;
}

/** The logs of the run that died (`--previous` when it was restarted) and describe. */
export function crashCommands(ctx: PodContext, c: ContainerView): string[] {
  const previous = c.restartCount > 0 && !c.terminated;
  return [logsCmd(ctx, c, previous), describeCmd(ctx)];
}

/** "is in CrashLoopBackOff (restarted 7 times)" / "failed" — the state in words. */
export function stateWords(c: ContainerView): string {
  if (c.waiting?.reason === 'CrashLoopBackOff') return `is in CrashLoopBackOff (${c.restartCount} restarts)`;
  if (c.terminated) return 'terminated';
  if (c.restartCount > 0) return `keeps restarting (${c.restartCount} restarts)`;
  return 'fails';
}
