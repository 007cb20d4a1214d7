/**
 * Kubernetes kind names as users type them (`deploy`, `pvc`, `deployments.apps`, `Deployment`) turned
 * into the Kind (`Deployment`, `PersistentVolumeClaim`), so policies and commands compare like with like.
 * An unknown name is kept as typed (lower-cased plural forms of custom resources stay recognisable).
 */

/** One entry per kind: the Kind and every alias kubectl accepts for it (singular, plural, short names). */
const KINDS: readonly (readonly [kind: string, ...aliases: string[]])[] = [
  ['Deployment', 'deployment', 'deployments', 'deploy'],
  ['StatefulSet', 'statefulset', 'statefulsets', 'sts'],
  ['DaemonSet', 'daemonset', 'daemonsets', 'ds'],
  ['ReplicaSet', 'replicaset', 'replicasets', 'rs'],
  ['ReplicationController', 'replicationcontroller', 'replicationcontrollers', 'rc'],
  ['Pod', 'pod', 'pods', 'po'],
  ['Job', 'job', 'jobs'],
  ['CronJob', 'cronjob', 'cronjobs', 'cj'],
  ['PersistentVolumeClaim', 'persistentvolumeclaim', 'persistentvolumeclaims', 'pvc'],
  ['PersistentVolume', 'persistentvolume', 'persistentvolumes', 'pv'],
  ['Namespace', 'namespace', 'namespaces', 'ns'],
  ['Service', 'service', 'services', 'svc'],
  ['ConfigMap', 'configmap', 'configmaps', 'cm'],
  ['Secret', 'secret', 'secrets'],
  ['ServiceAccount', 'serviceaccount', 'serviceaccounts', 'sa'],
  ['Ingress', 'ingress', 'ingresses', 'ing'],
  ['PodDisruptionBudget', 'poddisruptionbudget', 'poddisruptionbudgets', 'pdb'],
  ['HorizontalPodAutoscaler', 'horizontalpodautoscaler', 'horizontalpodautoscalers', 'hpa'],
  ['VerticalPodAutoscaler', 'verticalpodautoscaler', 'verticalpodautoscalers', 'vpa'],
  ['ScaledObject', 'scaledobject', 'scaledobjects', 'so'],
  ['StorageClass', 'storageclass', 'storageclasses', 'sc'],
  ['CustomResourceDefinition', 'customresourcedefinition', 'customresourcedefinitions', 'crd', 'crds'],
  ['Node', 'node', 'nodes', 'no'],
  ['NetworkPolicy', 'networkpolicy', 'networkpolicies', 'netpol'],
  ['Role', 'role', 'roles'],
  ['RoleBinding', 'rolebinding', 'rolebindings'],
  ['ClusterRole', 'clusterrole', 'clusterroles'],
  ['ClusterRoleBinding', 'clusterrolebinding', 'clusterrolebindings'],
];

const BY_ALIAS = new Map<string, string>();
for (const [kind, ...aliases] of KINDS) {
  BY_ALIAS.set(kind.toLowerCase(), kind);
  for (const a of aliases) BY_ALIAS.set(a, kind);
}

/** `deploy` → `Deployment`; `deployments.v1.apps` → `Deployment`; `widgets.example.com` → `widgets`. */
export function canonicalKind(name: string): string {
  const base = name.trim().split('.')[0] ?? '';
  return BY_ALIAS.get(base.toLowerCase()) ?? base;
}

/** Kinds whose objects carry a pod template (or are a pod). */
export const POD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
/** Kinds with `spec.replicas`. */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
/** Long-running workloads (probes and PDBs make sense for them, not for Jobs). */
export const SERVING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);
