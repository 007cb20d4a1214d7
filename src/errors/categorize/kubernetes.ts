import type { CategoryRule, Resolver } from './shared.js';
import { firstCapture, firstResolved } from './shared.js';

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
    String.raw`"[^"\n]{1,253}" is invalid: \[?(?:spec|metadata|data|status)\.`,
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
];

export function extractKubernetesCode(t: string): string | null {
  return firstCapture(t, CODE_PATTERNS);
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

// Pod states come first: when a container's state is named, the object at fault is the pod.
const KIND_RESOLVERS: readonly Resolver[] = [
  {
    re: /\b(?:ImagePullBackOff|ErrImagePull|CrashLoopBackOff|OOMKilled|CreateContainerConfigError|CreateContainerError|FailedScheduling|Failed to pull image|Back-off restarting failed container)\b/,
    map: () => 'pod',
  },
  { re: /\bcontainer "[^"\n]{1,253}" in pod "/, map: () => 'pod' },
  { re: /no matches for kind "([A-Za-z0-9]+)"/, map: kind },
  { re: /\bresource type "([a-z0-9.-]+)"/, map: plural },
  { re: /\bValidationError\(([A-Z][A-Za-z0-9]+)[.)]/, map: kind },
  { re: /\b([A-Z][A-Za-z0-9]+)(?:\.[a-z0-9.-]+)? "[^"\n]{1,253}" is invalid/, map: kind },
  { re: /\bOperation cannot be fulfilled on ([a-z0-9]+)(?:\.[a-z0-9.-]+)? "/, map: plural },
  {
    re: /\b([a-z0-9]+)(?:\.[a-z0-9.-]+)? "[^"\n]{1,253}" (?:already exists|not found|is forbidden|cannot be updated|is invalid)/,
    map: plural,
  },
  { re: /\b([a-z0-9]+)(?:\.[a-z0-9.-]+)? is forbidden: User/, map: plural },
  { re: /\bcannot [a-z]+ resource "([a-z0-9]+)"/, map: plural },
  { re: /\bFailed to list \*v1\.([A-Z][A-Za-z0-9]+)/, map: kind },
  { re: /\bexisting resource conflict: (?:kind: ([A-Z][A-Za-z0-9]+)|[^\n]{0,200}?existing_kind: [^,\n]{0,60}Kind=([A-Z][A-Za-z0-9]+))/, map: (m) => (m[1] ?? m[2] ?? '').toLowerCase() || null },
  { re: /\bUnable to continue with install: (?:could not get information about the resource )?([A-Z][A-Za-z0-9]+) "/, map: kind },
  { re: /\((?:get|post|put|patch|delete|list) ([a-z0-9]+)(?:\.[a-z0-9.-]+)?\)/, map: plural },
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
  { id: 'k8s-unknown-kind', on: 'text', category: 'config', test: /no matches for kind|ensure CRDs are installed first|unable to recognize "/ },
  {
    id: 'k8s-api-not-served',
    on: 'text',
    category: 'config',
    test: /the server could not find the requested resource|the server doesn't have a resource type/,
  },
  { id: 'k8s-rbac-forbidden', on: 'text', category: 'permission', test: /\bis forbidden: User "[^"\n]{0,200}" cannot\b/ },
];
