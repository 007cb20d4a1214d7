/** StartupProbeFailure: the kubelet restarts the container because it never passes its startup probe. */
import { probeKillFinding } from '../probe-kill.js';
import type { ContainerRule } from '../finding.js';

export const startupProbeRule: ContainerRule = {
  scope: 'container',
  labels: ['StartupProbeFailure'],
  priority: 72,
  match: (ctx, c) => probeKillFinding(ctx, c, 'startup'),
};
