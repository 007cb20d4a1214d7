/** The pod is on a node but none of its containers has started yet (ContainerCreating / no statuses). */
import type { PodContext } from './context.js';

export function containersNotStarted(ctx: PodContext): boolean {
  if (ctx.phase !== 'Pending' && ctx.phase !== 'Unknown' && ctx.phase !== 'Running') return false;
  const all = [...ctx.initContainers, ...ctx.containers];
  if (all.some((c) => c.running || c.terminated || c.lastTerminated)) {
    // Init containers done and app containers still creating counts as not started.
    const app = ctx.containers;
    const initsDone = ctx.initContainers.every((c) => c.sidecar || c.terminated?.exitCode === 0);
    return initsDone && app.length > 0 && app.every((c) => !c.running && !c.terminated && !c.lastTerminated && (c.waiting?.reason ?? 'ContainerCreating') === 'ContainerCreating');
  }
  return all.every((c) => !c.waiting || c.waiting.reason === 'ContainerCreating' || c.waiting.reason === 'PodInitializing' || c.waiting.reason === null);
}
