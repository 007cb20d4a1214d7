/**
 * What the cluster can do, so an operate proposal uses what is installed (KEDA over HPA, Velero for
 * backups…).
 *
 * API
 * - {@link discoverCapabilities}`(run)` → {@link Capabilities}. `run(args)` runs `kubectl <args>` and
 *   resolves to `{ exitCode, stdout, stderr }` (build it on `Kubectl.run(args, { namespaced: false })`
 *   from src/diagnose/kubectl.ts). Runs `kubectl api-resources -o wide`, `kubectl api-versions` and
 *   `kubectl get crd -o json`; never throws for a kubectl failure: what could not be read is in `notes`
 *   (a forbidden CRD list falls back to api-resources, which lists served custom resources too).
 * - {@link parseApiResources}, {@link detectCapabilities}: the same from recorded outputs.
 *
 * `kubectl api-resources` exits 1 yet prints every other group when an aggregated API is down
 * (`unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is
 * currently unable to handle the request`): such a group counts as not available, with a note.
 */
import { stderrLine } from '../diagnose/kubectl.js';

export interface KubectlRunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set by runTool when kubectl did not run to completion (missing, timed out). */
  error?: string | null;
}
export type KubectlRunner = (args: string[]) => Promise<KubectlRunResult>;

export type CapabilityName = 'keda' | 'vpa' | 'prometheusOperator' | 'velero' | 'certManager' | 'metricsServer' | 'hpaV2';
export const CAPABILITY_NAMES: readonly CapabilityName[] = ['keda', 'vpa', 'prometheusOperator', 'velero', 'certManager', 'metricsServer', 'hpaV2'];

export interface Capabilities extends Record<CapabilityName, boolean> {
  /** Rows of `kubectl api-resources` (0 when it could not be read). */
  apiResources: number;
  preferredAutoscaler: { kind: 'keda' | 'hpa' | 'none'; reason: string };
  /** What could not be read or looks half-installed. */
  notes: string[];
}

export interface ApiResource {
  name: string;
  shortNames: string[];
  /** `apps/v1`, `v1`, `keda.sh/v1alpha1`. */
  apiVersion: string;
  group: string;
  namespaced: boolean;
  kind: string;
}

/** One capability: the API group (and optionally kind) that reveals it. Data, one entry each. */
const DETECTORS: readonly { name: Exclude<CapabilityName, 'metricsServer' | 'hpaV2'>; label: string; group: string; kind?: string }[] = [
  { name: 'keda', label: 'KEDA (ScaledObject, keda.sh)', group: 'keda.sh', kind: 'ScaledObject' },
  { name: 'vpa', label: 'Vertical Pod Autoscaler (autoscaling.k8s.io)', group: 'autoscaling.k8s.io', kind: 'VerticalPodAutoscaler' },
  { name: 'prometheusOperator', label: 'Prometheus Operator (ServiceMonitor, monitoring.coreos.com)', group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { name: 'velero', label: 'Velero (velero.io)', group: 'velero.io' },
  { name: 'certManager', label: 'cert-manager (cert-manager.io)', group: 'cert-manager.io', kind: 'Certificate' },
];

/**
 * Rows of `kubectl api-resources` (default or `-o wide` columns), read by the header's column
 * positions. Handles both APIVERSION (kubectl ≥ 1.20) and the older APIGROUP header.
 */
export function parseApiResources(text: string): ApiResource[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const headerAt = lines.findIndex((l) => /^NAME\s+/.test(l));
  if (headerAt < 0) return [];
  const header = lines[headerAt]!;
  const cols = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index }));
  const col = (name: string) => cols.findIndex((c) => c.name === name);
  const versionCol = col('APIVERSION') >= 0 ? col('APIVERSION') : col('APIGROUP');
  const out: ApiResource[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    const cell = (i: number): string => {
      if (i < 0) return '';
      const start = cols[i]!.start;
      const end = i + 1 < cols.length ? cols[i + 1]!.start : line.length;
      return line.slice(start, end).trim();
    };
    const name = cell(col('NAME'));
    const kind = cell(col('KIND'));
    if (!name || !kind) continue;
    const apiVersion = cell(versionCol);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : col('APIGROUP') >= 0 ? apiVersion : '';
    const shortNames = cell(col('SHORTNAMES'));
    out.push({ name, shortNames: shortNames ? shortNames.split(',') : [], apiVersion, group, namespaced: cell(col('NAMESPACED')) === 'true', kind });
  }
  return out;
}

/** Group versions kubectl reported as unavailable (`… server APIs: metrics.k8s.io/v1beta1: the server …`). */
export function unavailableGroupVersions(stderr: string): string[] {
  const out = new Set<string>();
  for (const m of stderr.matchAll(/(?:unable to retrieve the complete list of server APIs|couldn't get resource list for):? ([a-z0-9.-]+\/[a-z0-9]+):/gi)) out.add(m[1]!);
  return [...out];
}

interface CrdSummary {
  name: string;
  group: string;
  kind: string;
  established: boolean;
}

function crdSummaries(json: string): CrdSummary[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null;
  }
  const items = doc && typeof doc === 'object' && Array.isArray((doc as { items?: unknown }).items) ? (doc as { items: unknown[] }).items : null;
  if (!items) return null;
  return items.flatMap((i) => {
    if (!i || typeof i !== 'object') return [];
    const o = i as { metadata?: { name?: unknown }; spec?: { group?: unknown; names?: { kind?: unknown } }; status?: { conditions?: unknown } };
    const conds = Array.isArray(o.status?.conditions) ? (o.status.conditions as { type?: unknown; status?: unknown }[]) : [];
    return [
      {
        name: typeof o.metadata?.name === 'string' ? o.metadata.name : '',
        group: typeof o.spec?.group === 'string' ? o.spec.group : '',
        kind: typeof o.spec?.names?.kind === 'string' ? o.spec.names.kind : '',
        established: conds.some((c) => c.type === 'Established' && c.status === 'True'),
      },
    ];
  });
}

function firstLine(s: string): string {
  return stderrLine(s) ?? '';
}

/** Capabilities from recorded outputs (any of them may be missing). */
export function detectCapabilities(out: { apiResources?: KubectlRunResult; apiVersions?: KubectlRunResult; crds?: KubectlRunResult }): Capabilities {
  const notes: string[] = [];
  const resources = out.apiResources && out.apiResources.error == null ? parseApiResources(out.apiResources.stdout) : [];
  const down = out.apiResources ? unavailableGroupVersions(out.apiResources.stderr) : [];
  if (!out.apiResources || out.apiResources.error != null || (out.apiResources.exitCode !== 0 && resources.length === 0)) {
    notes.push(`kubectl api-resources failed: ${out.apiResources?.error ?? (firstLine(out.apiResources?.stderr ?? '') || 'not run')}`);
  }
  for (const gv of down) notes.push(`API ${gv} is registered but not answering (kubectl: the server is currently unable to handle the request); treated as not installed`);

  const versions = out.apiVersions && out.apiVersions.exitCode === 0 && out.apiVersions.error == null ? out.apiVersions.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
  let crds: CrdSummary[] | null = null;
  if (out.crds) {
    crds = out.crds.exitCode === 0 && out.crds.error == null ? crdSummaries(out.crds.stdout) : null;
    if (crds === null) notes.push(`CRDs could not be listed (${firstLine(out.crds.stderr) || out.crds.error || 'no JSON'}); custom resources judged from api-resources only`);
  }

  const served = (group: string, kind?: string) => resources.some((r) => r.group === group && (!kind || r.kind === kind)) && !down.some((gv) => gv.startsWith(`${group}/`));
  const caps = {} as Record<CapabilityName, boolean>;
  for (const d of DETECTORS) {
    const crd = crds?.filter((c) => c.group === d.group && (!d.kind || c.kind === d.kind)) ?? [];
    const api = served(d.group, d.kind);
    caps[d.name] = api || crd.some((c) => c.established);
    if (crd.length > 0 && !crd.some((c) => c.established)) notes.push(`${d.label}: CRD ${crd[0]!.name} exists but is not Established`);
    if (crd.length > 0 && !api && resources.length > 0 && crd.some((c) => c.established)) notes.push(`${d.label}: CRD present but not listed by api-resources`);
  }
  caps.metricsServer = served('metrics.k8s.io');
  if (!caps.metricsServer && resources.length > 0 && !down.some((gv) => gv.startsWith('metrics.k8s.io/'))) notes.push('metrics-server not found (no metrics.k8s.io API): kubectl top and CPU/memory autoscaling will not work');
  caps.hpaV2 = versions.includes('autoscaling/v2') || resources.some((r) => r.kind === 'HorizontalPodAutoscaler' && r.apiVersion === 'autoscaling/v2');

  return { ...caps, apiResources: resources.length, preferredAutoscaler: preferredAutoscaler(caps), notes };
}

function preferredAutoscaler(c: Record<CapabilityName, boolean>): Capabilities['preferredAutoscaler'] {
  if (c.keda) {
    return {
      kind: 'keda',
      reason: c.metricsServer
        ? 'KEDA is installed: use a ScaledObject (it manages the HPA; cpu/memory and event triggers)'
        : 'KEDA is installed: use a ScaledObject; its cpu/memory triggers need metrics-server, which is missing — use event triggers (queue, Prometheus) or install metrics-server',
    };
  }
  if (c.metricsServer) return { kind: 'hpa', reason: `KEDA is not installed; metrics-server serves CPU/memory metrics: use a HorizontalPodAutoscaler (${c.hpaV2 ? 'autoscaling/v2' : 'autoscaling/v1'})` };
  return { kind: 'none', reason: 'neither KEDA nor metrics-server is installed: an HPA would get no CPU/memory metrics — install metrics-server (or KEDA) first' };
}

/** Runs the discovery commands (one at a time) and judges the cluster's capabilities. */
export async function discoverCapabilities(run: KubectlRunner): Promise<Capabilities> {
  const safe = async (args: string[]): Promise<KubectlRunResult> => {
    try {
      return await run(args);
    } catch (e) {
      return { exitCode: null, stdout: '', stderr: '', error: e instanceof Error ? e.message : String(e) };
    }
  };
  const apiResources = await safe(['api-resources', '-o', 'wide']);
  const apiVersions = await safe(['api-versions']);
  const crds = await safe(['get', 'crd', '-o', 'json']);
  return detectCapabilities({ apiResources, apiVersions, crds });
}
