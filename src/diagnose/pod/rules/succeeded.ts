/**
 * A Succeeded pod (a finished Job) is healthy, whatever its sidecars' exit codes: the kubelet
 * SIGKILLs native sidecars once the main containers complete, so a 137 there is expected.
 */
import { describeCmd, statusEv, type PodRule } from '../finding.js';

export const succeededRule: PodRule = {
  scope: 'pod',
  labels: ['Healthy'],
  priority: 0,
  match(ctx) {
    if (ctx.phase !== 'Succeeded') return null;
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
