import type { CategoryRule, Resolver } from './shared.js';
import { firstCapture, firstResolved } from './shared.js';

/**
 * An event row as `kubectl describe` / `kubectl get events` prints it, after unwrapping:
 * `Warning  <Reason>  <age> [(xN over <age>)]  <source>  <message>`.
 */
const EVENT_ROW = String.raw`\b(?:Warning|Normal) [A-Z][A-Za-z]+ (?:<invalid>|<unknown>|\d+[smhd](?:\d+[smhd]){0,3}) (?:\(x\d+ over [\w.]+\) )?[a-z][\w.-]*(?: |$)`;

/** kubectl, kubelet and api-server wording. */
export const KUBERNETES_SIGNAL = new RegExp(
  [
    String.raw`\bkubectl\b`, 'Error from server', 'Unable to connect to the server', 'The connection to the server',
    'You must be logged in to the server', 'exec plugin', String.raw`client\.authentication\.k8s\.io`,
    'no matches for kind', 'resource mapping not found', 'unable to recognize "', "the server doesn't have a resource type",
    'the server could not find the requested resource', 'error validating data', 'error converting YAML to JSON',
    'is forbidden: User', 'system:serviceaccount', 'FailedScheduling', 'ImagePullBackOff', 'ErrImagePull',
    'CrashLoopBackOff', 'OOMKilled', 'CreateContainerConfigError', 'Failed to pull image', 'Back-off (?:restarting|pulling)',
    'nodes are available', 'Operation cannot be fulfilled', 'the object has been modified', 'failed calling webhook',
    String.raw`\b[a-z]+\.(?:apps|extensions|batch|policy) "`, String.raw`\bkubelet\b`, String.raw`\bkube-apiserver\b`,
    String.raw`Failed to list \*v1\.`,
    // api-server validation: `The Deployment "x" is invalid: spec.…`
    String.raw`"[^"\n]{1,253}" is invalid: \[?(?:spec|metadata|data|status)[.:\[]`,
    // kubectl describe / get output once unwrapped: event rows, table headers, describe fields
    EVENT_ROW,
    String.raw`\bType Reason Age From Message\b`, String.raw`\bConditions: Type Status\b`,
    String.raw`\bNAME (?:READY )?STATUS (?:RESTARTS|ROLES)\b`, String.raw`\bStatus: \w+ Reason: [A-Z][A-Za-z]+ Message: `,
    // kubectl rollout status / drain, and in-cluster DNS names
    String.raw`\bWaiting for (?:deployment|daemon set|statefulset) "[^"\n]{1,253}" rollout`, 'exceeded its progress deadline',
    String.raw`error when evicting pods\/"`, String.raw`\.svc\.cluster\.local\b`,
  ].join('|'),
);

export function detectKubernetes(t: string): boolean {
  return KUBERNETES_SIGNAL.test(t);
}

// The api-server status reason first, then pod states in order of how much they explain
// (OOMKilled is why a pod is in CrashLoopBackOff; ImagePullBackOff is the standing state of ErrImagePull).
const CODE_PATTERNS: readonly RegExp[] = [
  /\bError from server \(([A-Za-z]+)\)/,
  /\blogged in to the server \(([A-Z][A-Za-z]+)\)/,
  /"reason"\s*:\s*"([A-Z][A-Za-z]+)"/,
  /\bReason:\s+"([A-Z][A-Za-z]+)"/,
  /\b(OOMKilled)\b/,
  /\b(CreateContainerConfigError)\b/,
  /\b(ImagePullBackOff)\b/,
  /\b(ErrImagePull)\b/,
  /\b(CrashLoopBackOff)\b/,
  /\b(FailedScheduling)\b/,
  /\b(CreateContainerError)\b/,
  /\b(InvalidImageName)\b/,
  /\b(BackoffLimitExceeded)\b/, // Job condition, quoted by Helm hooks
];

// After the pod states: an event's reason (a Warning first; the bare "Failed" reason names nothing),
// then a status condition that is False/Unknown, then a `kubectl describe` Reason field.
const EVENT_REASON = /\b(Warning|Normal) (?!Failed )([A-Z][A-Za-z]+) (?:<invalid>|<unknown>|\d+[smhd](?:\d+[smhd]){0,3}) (?:\(x\d+ over [\w.]+\) )?[a-z][\w.-]*(?: |$)/g;
const LATE_CODE_PATTERNS: readonly RegExp[] = [
  /\b(?:(?:[A-Z][A-Za-z]*)?Ready|Progressing|Available|ReplicaFailure|PodScheduled|Initialized|Complete) (?:False|Unknown) (?!KubeletHas)([A-Z][A-Za-z]+)\b/,
  /\bReason: (?!Error\b|Completed\b)([A-Z][A-Za-z]+)\b(?!:)/,
];

function eventReason(t: string): string | null {
  let normal: string | null = null;
  for (const m of t.matchAll(EVENT_REASON)) {
    if (m[1] === 'Warning') return m[2] ?? null;
    normal ??= m[2] ?? null;
  }
  return normal;
}

export function extractKubernetesCode(t: string): string | null {
  return firstCapture(t, CODE_PATTERNS) ?? eventReason(t) ?? firstCapture(t, LATE_CODE_PATTERNS);
}

const ALIASES: Record<string, string> = {
  po: 'pod', svc: 'service', cm: 'configmap', crd: 'customresourcedefinition', crds: 'customresourcedefinition',
  deploy: 'deployment', ns: 'namespace', pvc: 'persistentvolumeclaim', pv: 'persistentvolume', sa: 'serviceaccount',
  rs: 'replicaset', ds: 'daemonset', sts: 'statefulset', ing: 'ingress', no: 'node', ep: 'endpoints',
};

/** `deployments.apps` / `podsecuritypolicies` / `po` → the lowercase singular kind. */
export function singularKind(resource: string): string {
  const base = (resource.split('.')[0] ?? resource).toLowerCase();
  const alias = ALIASES[base];
  if (alias) return alias;
  if (base.endsWith('ies')) return `${base.slice(0, -3)}y`;
  if (base.endsWith('sses')) return base.slice(0, -2);
  if (base.endsWith('s') && !base.endsWith('ss')) return base.slice(0, -1);
  return base;
}

const kind = (m: RegExpExecArray): string | null => (m[1] ? m[1].toLowerCase() : null);
const plural = (m: RegExpExecArray): string | null => (m[1] ? singularKind(m[1]) : null);

// The kind a controller records its events on.
const EVENT_SOURCE_KIND: Record<string, string> = {
  'horizontal-pod-autoscaler': 'horizontalpodautoscaler', 'replicaset-controller': 'replicaset', 'deployment-controller': 'deployment',
  'statefulset-controller': 'statefulset', 'daemonset-controller': 'daemonset', 'job-controller': 'job', 'cronjob-controller': 'cronjob',
  'persistentvolume-controller': 'persistentvolumeclaim', 'attachdetach-controller': 'pod', 'default-scheduler': 'pod',
  'node-controller': 'node', 'endpoint-controller': 'endpoints', 'service-controller': 'service',
};

// Event sources first (a controller names the object it acts on), then pod states: when a container's state is named, the object at fault is the pod.
const KIND_RESOLVERS: readonly Resolver[] = [
  {
    re: /\b(?:Warning|Normal) [A-Z][A-Za-z]+ (?:<invalid>|<unknown>|\d+[smhd](?:\d+[smhd]){0,3}) (?:\(x\d+ over [\w.]+\) )?([a-z][a-z-]*-(?:controller|autoscaler|scheduler))\b/,
    map: (m) => EVENT_SOURCE_KIND[m[1] ?? ''] ?? null,
  },
  {
    re: /\b(?:ImagePullBackOff|ErrImagePull|CrashLoopBackOff|OOMKilled|CreateContainerConfigError|CreateContainerError|FailedScheduling|Failed to pull image|Back-off restarting failed container|Evicted|pod sandbox)\b|\(pod: "/,
    map: () => 'pod',
  },
  { re: /\bNAME STATUS ROLES\b/, map: () => 'node' },
  { re: /\bjob [\w.-]{1,253} failed\b|\bBackoffLimitExceeded\b/, map: () => 'job' },
  { re: /\bin (ConfigMap|Secret) [\w.-]{1,253}\/[\w.-]/, map: kind },
  { re: /\bcannot be handled as an? ([A-Z][A-Za-z0-9]+)\b/, map: kind },
  { re: /\bresource ([A-Z][A-Za-z0-9]+)\/[\w.-]{1,253}(?:\/[\w.-]{1,253})? was blocked/, map: kind },
  { re: /violate the pod's disruption budget|\bpdb "/, map: () => 'poddisruptionbudget' },
  { re: /\bcontainer "[^"\n]{1,253}" in pod "/, map: () => 'pod' },
  { re: /no matches for kind "([A-Za-z0-9]+)"/, map: kind },
  { re: /\bresource type "([a-z0-9.-]+)"/, map: plural },
  { re: /\bValidationError\(([A-Z][A-Za-z0-9]+)[.)]/, map: kind },
  { re: /\b([A-Z][A-Za-z0-9]+)(?:\.[a-z0-9.-]+)? "[^"\n]{1,253}" is invalid/, map: kind },
  { re: /\bOperation cannot be fulfilled on ([a-z0-9]+)(?:\.[a-z0-9.-]+)? "/, map: plural },
  {
    re: /\b([a-z0-9]+)(?:\.[a-z0-9.-]+)? "[^"\n]{1,253}" (?:already exists|not found|is forbidden|cannot be updated|is invalid|exceeded its progress deadline)/,
    map: plural,
  },
  { re: /\b([a-z0-9]+)(?:\.[a-z0-9.-]+)? is forbidden: User/, map: plural },
  { re: /\bcannot [a-z]+ resource "([a-z0-9]+)"/, map: plural },
  { re: /\bFailed to list \*v1\.([A-Z][A-Za-z0-9]+)/, map: kind },
  { re: /\bexisting resource conflict: (?:kind: ([A-Z][A-Za-z0-9]+)|[^\n]{0,200}?existing_kind: [^,\n]{0,60}Kind=([A-Z][A-Za-z0-9]+))/, map: (m) => (m[1] ?? m[2] ?? '').toLowerCase() || null },
  { re: /\bUnable to continue with install: (?:could not get information about the resource )?([A-Z][A-Za-z0-9]+) "/, map: kind },
  { re: /\((?:get|post|put|patch|delete|list) ([a-z0-9]+)(?:\.[a-z0-9.-]+)?\)/, map: plural },
  { re: /\bAPI Version: [\w./-]{1,200} Kind: ([A-Z][A-Za-z0-9]+)\b/, map: kind }, // kubectl describe header
  // kubelet reports on pods; it is the last guess because its messages also name volumes and config objects.
  { re: /\b(?:Warning|Normal) [A-Z][A-Za-z]+ (?:<invalid>|<unknown>|\d+[smhd](?:\d+[smhd]){0,3}) (?:\(x\d+ over [\w.]+\) )?kubelet\b/, map: () => 'pod' },
];

export function kubernetesKind(t: string): string | null {
  return firstResolved(t, KIND_RESOLVERS);
}

/** Client-side causes that surface through connection or not-found wording but are really configuration or RBAC. */
export const KUBERNETES_PRE_RULES: readonly CategoryRule[] = [
  {
    id: 'k8s-exec-plugin-version',
    on: 'text',
    category: 'config',
    test: /exec plugin: invalid apiVersion|exec plugin is configured to use API version/,
  },
  {
    id: 'k8s-exec-plugin-missing',
    on: 'text',
    category: 'config',
    test: /\bexec: executable [^\n]{1,200}? not found|credential plugin that is not installed/,
  },
  // The client was rejected for having no/expired credentials, however the caller wraps it ("cluster unreachable").
  { id: 'k8s-client-credentials', on: 'text', category: 'permission', test: /the server has asked for the client to provide credentials/ },
  // Field validation inside an Invalid error: "is invalid: spec: Forbidden: updates to … are forbidden" is not authorization.
  { id: 'k8s-field-forbidden', on: 'text', category: 'config', test: /" is invalid: [^\n]{0,300}?\bForbidden: / },
  // A policy engine rejecting the manifest's content (missing limits…) is fixed in the manifest.
  {
    id: 'k8s-admission-validation',
    on: 'text',
    category: 'config',
    test: /denied the request:[\s\S]{0,1500}?(?:validation error|blocked due to the following polic)/,
  },
  { id: 'k8s-config-key-missing', on: 'text', category: 'config', test: /couldn't find key \S{1,253} in (?:ConfigMap|Secret)\b/ },
  // The metrics pipeline (metrics-server, adapter) is a dependency the autoscaler needs.
  { id: 'k8s-metrics-unavailable', on: 'text', category: 'resource', test: /unable to (?:fetch|get) metrics/ },
  { id: 'k8s-unknown-kind', on: 'text', category: 'config', test: /no matches for kind|ensure CRDs are installed first|unable to recognize "/ },
  {
    id: 'k8s-api-not-served',
    on: 'text',
    category: 'config',
    test: /the server could not find the requested resource|the server doesn't have a resource type/,
  },
  { id: 'k8s-rbac-forbidden', on: 'text', category: 'permission', test: /\bis forbidden: User "[^"\n]{0,200}" cannot\b/ },
];
