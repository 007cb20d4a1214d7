/**
 * `requirePdbForReplicas`: a workload running more than `above` replicas (default 1) has a
 * PodDisruptionBudget selecting its pods, in the same change or already in the cluster (same namespace).
 * For `kubectl scale` the pod labels are known only when the workload's manifest is in the change;
 * otherwise a PDB counts when its selector names the workload (`app: NAME`, `app.kubernetes.io/name: NAME`).
 */
import { SERVING_KINDS } from './kinds.js';
import { describeSubject, field, isObject, podLabelsOf, replicasOf, selectorMatches, type K8sObject, type RuleCheck } from './subject.js';

const NAME_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'name'];

export const requirePdbForReplicas: RuleCheck = {
  name: 'requirePdbForReplicas',
  check(s, params, ctx) {
    if (!s.kind || !SERVING_KINDS.has(s.kind) || s.kind === 'DaemonSet') return [];
    const above = (params.above as number | undefined) ?? 1;
    const replicas = replicasOf(s);
    if (replicas === undefined || replicas <= above) return [];
    const sameNs = (o: K8sObject) => (typeof field(o, 'metadata', 'namespace') === 'string' ? field(o, 'metadata', 'namespace') : ctx.namespace) === s.namespace;
    const pdbs = [...ctx.manifests.filter((m) => m.kind === 'PodDisruptionBudget'), ...ctx.existing.pdbs].filter(sameNs);
    let labels: Record<string, string> | undefined = s.partial ? undefined : podLabelsOf(s.kind, s.object);
    if (!labels) {
      const own = ctx.manifests.find((m) => m.kind === s.kind && field(m, 'metadata', 'name') === s.name && sameNs(m));
      if (own) labels = podLabelsOf(s.kind, own);
    }
    const covered = pdbs.some((pdb) => {
      const sel = field(pdb, 'spec', 'selector');
      if (labels) return Object.keys(labels).length > 0 && selectorMatches(sel, labels);
      const ml = isObject(sel) ? sel.matchLabels : undefined;
      return isObject(ml) && NAME_LABELS.some((k) => ml[k] === s.name);
    });
    if (covered) return [];
    return [`${describeSubject(s, ctx)}: runs ${replicas} replicas and no PodDisruptionBudget in namespace "${s.namespace}" selects its pods`];
  },
};
