/** Healthy: running, every container ready, no recent restarts (the rules above found nothing). */
import { describeCmd, statusEv, type PodRule } from '../finding.js';

export const healthyRule: PodRule = {
  scope: 'pod',
  labels: ['Healthy'],
  priority: 100,
  match(ctx) {
    if (ctx.phase !== 'Running' || ctx.containers.length === 0) return null;
    if (!ctx.containers.every((c) => c.running && c.ready)) return null;
    const ready = ctx.conditions.find((c) => c.type === 'Ready');
    const restarts = ctx.containers.reduce((n, c) => n + c.restartCount, 0);
    return {
      rootCause: 'Healthy',
      container: null,
      summary: `Pod is healthy: running, ${ctx.containers.length}/${ctx.containers.length} containers ready${restarts ? `, ${restarts} old restart(s) (none recent)` : ', no restarts'}.`,
      evidence: [statusEv('status.phase', 'Running'), ...(ready ? [statusEv(`status.conditions[${ready.index}].status`, ready.status)] : [])],
      commands: [describeCmd(ctx)],
      steps: ['Nothing to fix.'],
      confidence: 'high',
    };
  },
};
