/**
 * Platform health gates (issue 4): the shapes the checks return, the gate specs a config declares,
 * and the result of a phase check. Everything here is plain JSON, printed as-is by `--json`.
 */

/** A Kubernetes object as `kubectl get -o json` prints it: read with care, trust nothing. */
export type K8sObject = Record<string, unknown>;

// ── Checks ─────────────────────────────────────────────────────────────────────────────────────

export interface NodeCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

export interface NodeHealth {
  name: string;
  ready: boolean;
  /** Ready condition status: True, False, Unknown (kubelet stopped posting), or `missing`. */
  readyStatus: 'True' | 'False' | 'Unknown' | 'missing';
  /** Why it is not Ready: the Ready condition's reason and message, and any pressure condition that is True. */
  reason: string | null;
  message: string | null;
  /** MemoryPressure / DiskPressure / PIDPressure / NetworkUnavailable conditions that are True. */
  problems: NodeCondition[];
  unschedulable: boolean;
  kubeletVersion: string | null;
}

export interface NodesSummary {
  total: number;
  ready: number;
  notReady: NodeHealth[];
  /** Ready nodes with a pressure condition True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  underPressure: NodeHealth[];
  /** Names of the Ready nodes, in the order kubectl listed them. */
  readyNames: string[];
}

export interface DeploymentHealth {
  namespace: string;
  name: string;
  found: boolean;
  /** spec.replicas (default 1 when absent, as the API server defaults it). */
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  /** Every wanted replica ready (and at least one wanted): what a gate waits for. */
  ready: boolean;
  /** Available/Progressing conditions that are not True, as `Type=Status reason: message`. */
  conditions: string[];
}

export const HELM_STATUSES = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
] as const;
export type HelmStatus = (typeof HELM_STATUSES)[number] | string;

export interface HelmRevision {
  revision: number;
  status: HelmStatus;
  chart: string | null;
  appVersion: string | null;
  updated: string | null;
  description: string | null;
}

export interface HelmReleaseHealth {
  name: string;
  namespace: string;
  /** The newest revision's state. */
  revision: number;
  status: HelmStatus;
  chart: string | null;
  appVersion: string | null;
  updated: string | null;
  description: string | null;
  /** Newest revision whose status is deployed or superseded (a rollback target), or null. */
  lastDeployedRevision: number | null;
  /** Failed, or stuck in a pending-* / uninstalling state for longer than the grace period. */
  needsRepair: boolean;
  /** The proposed repair: exact command and why. Never run by infra-ops itself. */
  repair: { command: string[]; reason: string } | null;
  /** Every revision found, newest first. */
  history: HelmRevision[];
}

export interface PodEventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string | null;
  source: string | null;
}

export interface PendingPod {
  namespace: string;
  name: string;
  created: string | null;
  /** PodScheduled condition when False: the scheduler's own reason and message. */
  scheduled: { reason: string | null; message: string | null } | null;
  /** Scheduled but not started: containers (init ones included) waiting, with the kubelet's reason (ContainerCreating, ImagePullBackOff…). */
  waiting: { container: string; reason: string | null; message: string | null }[];
  /** The pod's events, newest first (events expire after about an hour: an old pod may have none). */
  events: PodEventSummary[];
}

// ── Gates and phases (config) ─────────────────────────────────────────────────────────────────

export type GateSpec =
  | { check: 'nodesReady'; min?: number }
  | { check: 'deploymentReady'; namespace?: string; name: string }
  | { check: 'helmRelease'; namespace: string; release: string }
  | { check: 'noPendingPods'; namespace: string };
export type GateCheck = GateSpec['check'];

export interface PhaseSpec {
  name: string;
  description?: string;
  dependsOn?: string[];
  gates: GateSpec[];
}

export interface PlatformConfig {
  /** Per kubectl call (default 30). */
  timeoutSeconds?: number;
  /** How long a Helm release may stay pending-* before it counts as stuck (default 10). */
  pendingGraceMinutes?: number;
  /** The cluster DNS deployment `platform status` shows: `name` (in kube-system) or `namespace/name`. */
  dnsDeployment?: string;
  phases?: PhaseSpec[];
}

// ── Results ───────────────────────────────────────────────────────────────────────────────────

export const BLOCKER_CODES = [
  'NO_NODES_AVAILABLE',
  'NO_READY_NODES',
  'NOT_ENOUGH_READY_NODES',
  'COREDNS_NOT_READY',
  'DEPLOYMENT_NOT_FOUND',
  'DEPLOYMENT_NOT_READY',
  'RELEASE_NOT_FOUND',
  'RELEASE_FAILED',
  'RELEASE_PENDING',
  'RELEASE_NOT_DEPLOYED',
  'PODS_PENDING',
] as const;
export type BlockerCode = (typeof BLOCKER_CODES)[number];

export interface Blocker {
  code: BlockerCode;
  /** The phase whose gate found it. */
  phase: string;
  /** The gate, e.g. `deploymentReady kube-system/coredns`. */
  gate: string;
  message: string;
  /** What to run or do about it (commands with the real names filled in). */
  fix: string[];
}

export interface GateResult {
  gate: string;
  check: GateCheck;
  status: 'passed' | 'failed' | 'error';
  summary: string;
  blockers: Blocker[];
  /** Why the gate could not be judged (the cluster could not be read). */
  error: string | null;
}

export interface PhaseOutcome {
  name: string;
  dependsOn: string[];
  status: 'passed' | 'failed' | 'error';
  gates: GateResult[];
}

export interface PlatformEvidence {
  nodes?: { total: number; ready: number; notReady: { name: string; status: string; reason: string | null; message: string | null }[] };
  deployments?: Record<string, { found: boolean; replicas: number; readyReplicas: number; availableReplicas: number; ready: boolean; conditions: string[] }>;
  releases?: Record<string, { exists: boolean; status: string | null; revision: number | null; lastDeployedRevision: number | null; needsRepair: boolean; description: string | null }>;
  pendingPods?: Record<string, { name: string; reason: string | null; message: string | null; events: { reason: string; message: string; count: number }[] }[]>;
}

export interface PhaseCheckResult {
  schemaVersion: 1;
  phase: string;
  status: 'completed' | 'blocked' | 'error';
  checkedAt: string;
  source: { kind: 'kubectl' | 'files'; context: string | null; dir: string | null };
  /** The phase and every phase it depends on, in dependency order. */
  phases: PhaseOutcome[];
  blockers: Blocker[];
  /** The earliest phase, in dependency order, whose gates fail; null when nothing is blocked. */
  fixFirst: string | null;
  next: { action: 'proceed' | 'fix' | 'retry'; phase: string | null };
  evidence: PlatformEvidence;
  /** What could not be read (set when status is `error`). */
  errors: string[];
}
