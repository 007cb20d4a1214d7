/**
 * Kubernetes diagnosis: shared shapes (issue 4). A diagnosis names exactly one root cause with the
 * evidence it relied on (field paths and event/log text quoted), the failing container, a
 * remediation with real names filled in, a risk tier and a confidence.
 */

export const ROOT_CAUSES = [
  'Healthy',
  'RunningWithRestarts',
  'OOMKilled',
  'LivenessProbeFailure',
  'StartupProbeFailure',
  'ReadinessProbeFailure',
  'AppCrash',
  'BadCommand',
  'ImagePullNotFound',
  'ImagePullAuth',
  'ImagePullRegistryUnreachable',
  'InvalidImageName',
  'Unschedulable_InsufficientResources',
  'Unschedulable_Taint',
  'Unschedulable_NodeAffinity',
  'Unschedulable_PodAntiAffinity',
  'Unschedulable_PVC',
  'Unschedulable_TooManyPods',
  'Unschedulable_NoNodes',
  'MissingConfigMap',
  'MissingSecret',
  'MissingConfigKey',
  'RunAsNonRootViolation',
  'Evicted',
  'InitContainerFailure',
  'VolumeMountFailure',
  'PodSandboxFailure',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export type Confidence = 'high' | 'medium' | 'low';
/** Risk of the proposed remediation (see the approval module): trivial < low < medium < critical. */
export type RiskTier = 'trivial' | 'low' | 'medium' | 'critical';

/** One fact the diagnosis relied on. */
export interface Evidence {
  source: 'status' | 'spec' | 'event' | 'log';
  /** Field path (`status.containerStatuses[1].lastState.terminated.reason`), `event:<reason>`, or `logs:<container>[previous]`. */
  path: string;
  /** The quoted value or message, verbatim (trimmed to a sane length). */
  text: string;
}

export interface Remediation {
  /** Exact commands with the real names filled in (namespace, pod, container, owner). */
  commands: string[];
  /** What to do, in order, in plain words; manifest changes as `spec.containers[name=app].resources.limits.memory: 256Mi -> 512Mi`. */
  steps: string[];
}

export interface PodDiagnosis {
  kind: 'Pod';
  name: string;
  namespace: string;
  rootCause: RootCause;
  /** The failing container (init containers included); null when the cause is pod-level. */
  container: string | null;
  containerType: 'init' | 'app' | null;
  /** One line a person reads first. */
  summary: string;
  evidence: Evidence[];
  remediation: Remediation;
  riskTier: RiskTier;
  confidence: Confidence;
  /** Other causes seen, weaker than the root cause (e.g. other scheduler reasons). */
  secondary: { rootCause: RootCause; reason: string }[];
  /** Pod phase, ready containers, total restarts: the state at a glance. */
  state: { phase: string; ready: string; restarts: number; owner: string | null };
}

/** A Kubernetes event normalised from either shape (core/v1 or events.k8s.io/v1). */
export interface PodEvent {
  type: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  /** `count` (core/v1) or `series.count` (events.k8s.io), at least 1. */
  count: number;
  /** Most recent occurrence: lastTimestamp / series.lastObservedTime / eventTime / firstTimestamp / metadata.creationTimestamp. */
  lastSeen: string | null;
  firstSeen: string | null;
  /** `spec.containers{app}` style field path of the involved object (regarding), or null. */
  fieldPath: string | null;
  source: string | null;
}

/** Everything a pod diagnosis reads; any of it may come from files instead of kubectl. */
export interface PodInput {
  /** `kubectl get pod NAME -o json` */
  pod: Record<string, unknown>;
  /** Raw event objects (either shape), or a `kind: List` / `EventList` already unwrapped. */
  events: Record<string, unknown>[];
  /** Logs per container: current and `--previous`. */
  logs?: Record<string, { current?: string; previous?: string }>;
  /** Reference time for "long ago" judgements; default now. */
  now?: Date;
}
