/**
 * `requireProbes`: every app container of a long-running workload (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController) has the listed probes (param `probes`: readiness, liveness, startup;
 * default readiness).
 */
import { SERVING_KINDS } from './kinds.js';
import { containersOf, describeSubject, podSpecOf, type RuleCheck } from './subject.js';

export const requireProbes: RuleCheck = {
  name: 'requireProbes',
  check(s, params, ctx) {
    if (s.partial || !s.object || !s.kind || !SERVING_KINDS.has(s.kind)) return [];
    const probes = (params.probes as string[] | undefined) ?? ['readiness'];
    const out: string[] = [];
    for (const c of containersOf(podSpecOf(s.kind, s.object), ['containers'])) {
      const missing = probes.map((p) => `${p}Probe`).filter((p) => c.container[p] === undefined || c.container[p] === null);
      if (missing.length > 0) out.push(`${describeSubject(s, ctx)}: container "${c.name}" has no ${missing.join(', ')}`);
    }
    return out;
  },
};
