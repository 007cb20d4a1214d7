/**
 * `minReplicas`: workloads run at least `min` replicas (param `min`). Checks `spec.replicas` (absent = 1)
 * of Deployments, StatefulSets, ReplicaSets and ReplicationControllers, `kubectl scale --replicas`,
 * a HorizontalPodAutoscaler's `minReplicas` (`kubectl autoscale --min`) and a KEDA ScaledObject's
 * `minReplicaCount` (absent = 0). A workload whose replicas an autoscaler in the same change manages is
 * judged by that autoscaler, and so is one an autoscaler in the cluster manages (`existing.autoscalers`).
 */
import { REPLICATED_KINDS, canonicalKind } from './kinds.js';
import { describeSubject, field, isObject, replicasOf, type K8sObject, type PolicyContext, type RuleCheck } from './subject.js';

/** Whether an autoscaler in the change or in the cluster (same namespace) targets this workload. */
function autoscaled(kind: string, name: string | undefined, namespace: string, ctx: PolicyContext): boolean {
  return [...ctx.manifests, ...ctx.existing.autoscalers].some((m: K8sObject) => {
    const ns = field(m, 'metadata', 'namespace');
    if ((typeof ns === 'string' ? ns : ctx.namespace) !== namespace) return false;
    const mk = m.kind;
    if (mk !== 'HorizontalPodAutoscaler' && mk !== 'ScaledObject') return false;
    const ref = field(m, 'spec', 'scaleTargetRef');
    if (!isObject(ref) || ref.name !== name) return false;
    return canonicalKind(typeof ref.kind === 'string' ? ref.kind : 'Deployment') === kind;
  });
}

export const minReplicas: RuleCheck = {
  name: 'minReplicas',
  check(s, params, ctx) {
    const min = params.min as number;
    if (!s.kind) return [];
    let count: number | undefined;
    let what = 'replicas';
    if (REPLICATED_KINDS.has(s.kind)) {
      if (s.source === 'manifest' && field(s.object, 'spec', 'replicas') === undefined && autoscaled(s.kind, s.name, s.namespace, ctx)) return [];
      count = replicasOf(s);
      if (s.source === 'manifest' && field(s.object, 'spec', 'replicas') === undefined) what = 'replicas (unset, so 1)';
    } else if (s.kind === 'HorizontalPodAutoscaler') {
      const v = field(s.object, 'spec', 'minReplicas');
      count = typeof v === 'number' ? v : s.partial ? undefined : 1;
      what = 'minReplicas';
    } else if (s.kind === 'ScaledObject') {
      const v = field(s.object, 'spec', 'minReplicaCount');
      count = typeof v === 'number' ? v : s.partial ? undefined : 0;
      what = v === undefined ? 'minReplicaCount (unset, so 0)' : 'minReplicaCount';
    }
    if (count === undefined || count >= min) return [];
    const shown = what.includes('unset') ? what : `${what} ${count}`;
    return [`${describeSubject(s, ctx)}: ${shown} is below the minimum of ${min}`];
  },
};
