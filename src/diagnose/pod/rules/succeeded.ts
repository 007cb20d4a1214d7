/**
 * A Succeeded pod (a finished Job) is healthy, whatever its sidecars' exit codes: the kubelet
 * SIGKILLs native sidecars once the main containers complete, so a 137 there is expected.
 * Not when a container's termination reason is OOMKilled: the kernel killed it (the runtime may
 * still report exit 0 and the phase Succeeded), so the container rules decide.
 */
import { describeCmd, statusEv, type PodRule } from '../finding.js';

export const succeededRule: PodRule = {
  scope: 'pod',
  labels: ['Healthy'],
  priority: 0,
  match(ctx) {
    if (ctx.phase !== 'Succeeded') return null;
    if (ctx.containers.some((c) => c.terminated?.reason === 'OOMKilled')) return null;
    const killedSidecars = [...ctx.initContainers, ...ctx.containers].filter((c) => c.terminated && (c.terminated.exitCode ?? 0) !== 0);
    return {
      rootCause: 'Healthy',
      container: null,
      summary: `Pod completed successfully (phase Succeeded)${killedSidecars.length ? `; ${killedSidecars.map((c) => `${c.name} exited ${c.terminated!.exitCode}`).join(', ')} when stopped after the main containers finished, which is expected` : ''}.`,
      evidence: [statusEv('status.phase', 'Succeeded')],
      commands: [describeCmd(ctx)],
      steps: ['Nothing to fix.'],
      confidence: 'high',
    };
  },
};
