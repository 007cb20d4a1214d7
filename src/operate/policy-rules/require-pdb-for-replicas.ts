/**
 * `requirePdbForReplicas`: a workload running more than `above` replicas (default 1) has a
 * PodDisruptionBudget selecting its pods, in the same change or already in the cluster (same namespace).
 * An autoscaler (HPA `minReplicas`, KEDA `minReplicaCount`) above `above` needs one for its target too.
 * When the pod labels are unknown (`kubectl scale` without the workload's manifest in the change), a PDB
 * counts when its selector names the workload (`app: NAME`, `app.kubernetes.io/name: NAME`).
 */
import { SERVING_KINDS, canonicalKind } from './kinds.js';
import { describeSubject, field, isObject, podLabelsOf, replicasOf, selectorMatches, type K8sObject, type PolicyContext, type RuleCheck, type Subject } from './subject.js';

const NAME_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'name'];

function namespaceOf(o: K8sObject, ctx: PolicyContext): string {
  const ns = field(o, 'metadata', 'namespace');
  return typeof ns === 'string' ? ns : ctx.namespace;
}

/** Whether a PDB in the change or the cluster selects the pods of workload kind/name. */
function covered(kind: string, name: string | undefined, namespace: string, labels: Record<string, string> | undefined, ctx: PolicyContext): boolean {
  const pdbs = [...ctx.manifests.filter((m) => m.kind === 'PodDisruptionBudget'), ...ctx.existing.pdbs].filter((p) => namespaceOf(p, ctx) === namespace);
  let podLabels = labels;
  if (!podLabels) {
    const own = ctx.manifests.find((m) => canonicalKind(String(m.kind ?? '')) === kind && field(m, 'metadata', 'name') === name && namespaceOf(m, ctx) === namespace);
    if (own) podLabels = podLabelsOf(kind, own);
  }
  return pdbs.some((pdb) => {
    const sel = field(pdb, 'spec', 'selector');
    if (podLabels) return Object.keys(podLabels).length > 0 && selectorMatches(sel, podLabels);
    const ml = isObject(sel) ? sel.matchLabels : undefined;
    return isObject(ml) && NAME_LABELS.some((k) => ml[k] === name);
  });
}

/** The workload an HPA/ScaledObject scales and its minimum, or undefined. */
function autoscalerTarget(s: Subject): { kind: string; name: string; min: number } | undefined {
  if (s.kind !== 'HorizontalPodAutoscaler' && s.kind !== 'ScaledObject') return undefined;
  const ref = field(s.object, 'spec', 'scaleTargetRef');
  if (!isObject(ref) || typeof ref.name !== 'string') return undefined;
  const raw = field(s.object, 'spec', s.kind === 'ScaledObject' ? 'minReplicaCount' : 'minReplicas');
  const min = typeof raw === 'number' ? raw : s.kind === 'ScaledObject' ? 0 : 1;
  return { kind: canonicalKind(typeof ref.kind === 'string' ? ref.kind : 'Deployment'), name: ref.name, min };
}

export const requirePdbForReplicas: RuleCheck = {
  name: 'requirePdbForReplicas',
  check(s, params, ctx) {
    const above = (params.above as number | undefined) ?? 1;
    const target = autoscalerTarget(s);
    if (target) {
      if (target.min <= above || covered(target.kind, target.name, s.namespace, undefined, ctx)) return [];
      return [`${describeSubject(s, ctx)}: keeps ${target.kind} "${target.name}" at ${target.min}+ replicas and no PodDisruptionBudget in namespace "${s.namespace}" selects its pods`];
    }
    if (!s.kind || !SERVING_KINDS.has(s.kind) || s.kind === 'DaemonSet') return [];
    const replicas = replicasOf(s);
    if (replicas === undefined || replicas <= above) return [];
    if (covered(s.kind, s.name, s.namespace, s.partial ? undefined : podLabelsOf(s.kind, s.object), ctx)) return [];
    return [`${describeSubject(s, ctx)}: runs ${replicas} replicas and no PodDisruptionBudget in namespace "${s.namespace}" selects its pods`];
  },
};
