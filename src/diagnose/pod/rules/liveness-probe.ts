/** LivenessProbeFailure: the kubelet restarts the container because its liveness probe fails. */
import { probeKillFinding } from '../probe-kill.js';
import type { ContainerRule } from '../finding.js';

export const livenessProbeRule: ContainerRule = {
  scope: 'container',
  labels: ['LivenessProbeFailure'],
  priority: 74,
  match: (ctx, c) => probeKillFinding(ctx, c, 'liveness'),
};
