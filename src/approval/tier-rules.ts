import type { SlaTable, TierFloor, TierRule } from './types.js';

/**
 * The built-in tier table, checked top to bottom: the first matching rule decides. Verbs and kinds
 * are canonical (see vocabulary.ts). Each rule's tier can be overridden by id in the config
 * (`approval.tiers`), and config rules (`approval.rules`) are checked before these.
 */

const READ_VERBS = ['get', 'describe', 'logs', 'top', 'explain', 'events', 'diff', 'auth-can-i'];
/** Deleting these loses data or a piece of the cluster itself. */
const DATA_OR_CLUSTER_KINDS = ['PersistentVolumeClaim', 'PersistentVolume', 'Namespace', 'Node', 'StorageClass', 'CustomResourceDefinition'];
const NODE_VERBS = ['drain', 'cordon', 'taint'];
const SCALE_VERBS = ['scale', 'autoscale'];
const CHANGE_VERBS = ['patch', 'set-resources', 'set-image', 'set-env', 'edit', 'apply', 'create', 'replace', 'label', 'annotate'];
const SHELL_VERBS = ['exec', 'attach', 'cp', 'port-forward', 'debug'];

export const BUILTIN_RULES: readonly TierRule[] = [
  { id: 'read-only', description: 'reads change nothing', when: { verbs: READ_VERBS }, tier: 'trivial' },
  {
    id: 'delete-data-or-cluster-prod',
    description: 'deleting a volume, claim, namespace, node, storage class or CRD in production loses data or capacity',
    when: { verbs: ['delete'], kinds: DATA_OR_CLUSTER_KINDS, production: true },
    tier: 'critical',
  },
  {
    id: 'delete-data-or-cluster',
    description: 'deleting a volume, claim, namespace, node, storage class or CRD loses data even outside production',
    when: { verbs: ['delete'], kinds: DATA_OR_CLUSTER_KINDS },
    tier: 'medium',
  },
  { id: 'drain-node-prod', description: 'draining, cordoning or tainting a production node moves or stops workloads', when: { verbs: NODE_VERBS, production: true }, tier: 'critical' },
  { id: 'drain-node', description: 'draining, cordoning or tainting a node outside production', when: { verbs: NODE_VERBS }, tier: 'low' },
  { id: 'uncordon-node', description: 'uncordoning gives capacity back', when: { verbs: ['uncordon'] }, tier: 'low' },
  { id: 'delete-pod-prod', description: 'a deleted production pod is recreated by its controller, with a short loss of capacity', when: { verbs: ['delete'], kinds: ['Pod'], production: true }, tier: 'low' },
  { id: 'delete-pod', description: 'a deleted pod outside production is recreated by its controller', when: { verbs: ['delete'], kinds: ['Pod'] }, tier: 'trivial' },
  { id: 'delete-prod', description: 'deleting a workload, service, config or secret in production', when: { verbs: ['delete'], production: true }, tier: 'critical' },
  { id: 'delete', description: 'deleting a workload, service, config or secret outside production', when: { verbs: ['delete'] }, tier: 'low' },
  { id: 'restart-prod', description: 'a rolling restart in production replaces every pod', when: { verbs: ['restart'], production: true }, tier: 'medium' },
  { id: 'restart', description: 'a rolling restart outside production', when: { verbs: ['restart'] }, tier: 'trivial' },
  { id: 'rollback-prod', description: 'rolling a production workload back to its previous revision', when: { verbs: ['rollback'], production: true }, tier: 'medium' },
  { id: 'rollback', description: 'rolling a workload back outside production', when: { verbs: ['rollback'] }, tier: 'low' },
  { id: 'scale-prod', description: 'scaling production changes capacity', when: { verbs: SCALE_VERBS, production: true }, tier: 'medium' },
  { id: 'scale', description: 'scaling outside production', when: { verbs: SCALE_VERBS }, tier: 'low' },
  { id: 'change-prod', description: 'patching, applying or setting resources, images or env in production', when: { verbs: CHANGE_VERBS, production: true }, tier: 'medium' },
  { id: 'change', description: 'patching, applying or setting resources, images or env outside production', when: { verbs: CHANGE_VERBS }, tier: 'low' },
  { id: 'shell-prod', description: 'a shell, copy or port-forward into a production pod can change or read anything', when: { verbs: SHELL_VERBS, production: true }, tier: 'medium' },
  { id: 'shell', description: 'a shell, copy or port-forward outside production', when: { verbs: SHELL_VERBS }, tier: 'low' },
  { id: 'unknown-prod', description: 'a verb this table does not know, in production: treated as the worst case', when: { production: true }, tier: 'critical' },
  { id: 'unknown', description: 'a verb this table does not know, outside production', when: {}, tier: 'medium' },
];

export const BUILTIN_FLOORS: readonly TierFloor[] = [
  {
    id: 'system-namespace-prod',
    description: 'anything in kube-system of a production cluster is reviewed',
    when: { namespaces: ['kube-system'], production: true },
    atLeast: 'medium',
  },
];

/** Review SLA in minutes per tier (seed 001: none, 5, 30, 120). */
export const DEFAULT_SLA: SlaTable = { trivial: null, low: 5, medium: 30, critical: 120 };
