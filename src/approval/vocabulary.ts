/**
 * Canonical names for verbs and kinds, so `pvc`, `persistentvolumeclaims` and `PersistentVolumeClaim`
 * (and `rollout-restart` and `restart`) meet the same rule. Unknown words are kept as given: the
 * tier table's fallback rules handle them.
 */

const KIND_ALIASES: Record<string, string> = {};
function kind(canonical: string, ...aliases: string[]): void {
  for (const a of [canonical, `${canonical}s`, ...aliases]) KIND_ALIASES[a.toLowerCase()] = canonical;
}
kind('Pod', 'po');
kind('Deployment', 'deploy');
kind('StatefulSet', 'sts');
kind('DaemonSet', 'ds');
kind('ReplicaSet', 'rs');
kind('Job');
kind('CronJob', 'cj');
kind('Service', 'svc');
kind('Ingress', 'ing', 'ingresses');
kind('ConfigMap', 'cm');
kind('Secret');
kind('PersistentVolumeClaim', 'pvc');
kind('PersistentVolume', 'pv');
kind('StorageClass', 'sc', 'storageclasses');
kind('Namespace', 'ns');
kind('Node', 'no');
kind('CustomResourceDefinition', 'crd', 'crds');
kind('HorizontalPodAutoscaler', 'hpa');
kind('PodDisruptionBudget', 'pdb');
kind('NetworkPolicy', 'netpol', 'networkpolicies');
kind('ServiceAccount', 'sa');
kind('Role');
kind('RoleBinding');
kind('ClusterRole');
kind('ClusterRoleBinding');
kind('HelmRelease', 'release', 'helm-release');

const VERB_ALIASES: Record<string, string> = {
  log: 'logs',
  'rollout-restart': 'restart',
  'rollout restart': 'restart',
  'rollout-undo': 'rollback',
  'rollout undo': 'rollback',
  undo: 'rollback',
  'set resources': 'set-resources',
  'set image': 'set-image',
  'set env': 'set-env',
  rm: 'delete',
  remove: 'delete',
  uninstall: 'delete',
  'can-i': 'auth-can-i',
  'auth can-i': 'auth-can-i',
};

export function canonicalKind(value: string): string {
  const key = value.trim().toLowerCase();
  // `deployment.apps`, `deployments/web`: the group and the name are not part of the kind.
  const bare = key.split('/')[0]!.split('.')[0]!;
  return KIND_ALIASES[key] ?? KIND_ALIASES[bare] ?? value.trim();
}

export function canonicalVerb(value: string): string {
  const key = value.trim().toLowerCase().replace(/\s+/g, ' ');
  return VERB_ALIASES[key] ?? key.replace(/ /g, '-');
}
