/**
 * `platform status`: everything at a glance — nodes, the cluster DNS deployment, Helm releases
 * (with needsRepair and the repair), Pending pods with their events. Each section is read on its
 * own: one that cannot be read is reported as an error without hiding the others.
 */
import { ClusterReadError, type ClusterReader } from './cluster.js';
import { deploymentHealth } from './deployments.js';
import { releasesFromSecrets } from './helm.js';
import { describeNotReady, summarizeNodes } from './nodes.js';
import { pendingPods, pendingReason } from './pods.js';
import type { DeploymentHealth, HelmReleaseHealth, NodesSummary, PendingPod } from './types.js';

export type StatusSection = 'nodes' | 'dns' | 'releases' | 'pendingPods';

export interface PlatformStatusResult {
  schemaVersion: 1;
  checkedAt: string;
  source: { kind: 'kubectl' | 'files'; context: string | null; dir: string | null };
  /** Every section read and nothing needs attention. */
  healthy: boolean;
  /** One line per thing that needs attention, most fundamental first. */
  attention: string[];
  nodes: NodesSummary | null;
  dns: DeploymentHealth | null;
  releases: HelmReleaseHealth[] | null;
  /** Namespaces looked at for Pending pods (null: all). */
  pendingNamespaces: string[] | null;
  pendingPods: PendingPod[] | null;
  /** Release secrets that could not be decoded (their labels were used). */
  warnings: string[];
  errors: { section: StatusSection; message: string }[];
}

export interface StatusOptions {
  reader: ClusterReader;
  /** The cluster DNS deployment (default kube-system/coredns). */
  dns?: { namespace: string; name: string };
  /** Namespaces to list Pending pods in; empty or absent: every namespace. */
  namespaces?: string[];
  now?: Date;
  pendingGraceMinutes?: number;
}

async function section<T>(name: StatusSection, errors: PlatformStatusResult['errors'], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof ClusterReadError)) throw err;
    errors.push({ section: name, message: err.message });
    return null;
  }
}

export async function platformStatus(opts: StatusOptions): Promise<PlatformStatusResult> {
  const { reader } = opts;
  const now = opts.now ?? new Date();
  const dnsRef = opts.dns ?? { namespace: 'kube-system', name: 'coredns' };
  const namespaces = opts.namespaces?.length ? [...new Set(opts.namespaces)] : null;
  const errors: PlatformStatusResult['errors'] = [];
  const warnings: string[] = [];

  const [nodes, dns, releases, pending] = await Promise.all([
    section('nodes', errors, async () => summarizeNodes(await reader.list('nodes', null))),
    section('dns', errors, async () => deploymentHealth(await reader.list('deployments', dnsRef.namespace), dnsRef.namespace, dnsRef.name)),
    section('releases', errors, async () => {
      const all = await Promise.all((namespaces ?? [null]).map((ns) => reader.list('helm-secrets', ns)));
      const r = releasesFromSecrets(all.flat(), { now, pendingGraceMinutes: opts.pendingGraceMinutes });
      warnings.push(...r.problems);
      return r.releases;
    }),
    section('pendingPods', errors, async () => {
      const lists = await Promise.all(
        (namespaces ?? [null]).map(async (ns) => pendingPods(await reader.list('pods', ns), await reader.list('events', ns), ns)),
      );
      return lists.flat();
    }),
  ]);

  const attention: string[] = [];
  if (nodes) {
    if (nodes.total === 0) attention.push('no nodes in the cluster');
    else if (nodes.notReady.length) attention.push(`${nodes.notReady.length}/${nodes.total} node(s) not Ready: ${nodes.notReady.slice(0, 3).map(describeNotReady).join('; ')}`);
  }
  if (nodes?.underPressure.length) {
    attention.push(`${nodes.underPressure.length} Ready node(s) under pressure: ${nodes.underPressure.map((n) => `${n.name} (${n.problems.map((p) => p.type).join(', ')})`).join('; ')}`);
  }
  if (dns && !dns.ready) {
    attention.push(`${dns.namespace}/${dns.name} ${dns.found ? `${dns.readyReplicas}/${dns.replicas} ready` : 'not found'}`);
  }
  for (const r of releases ?? []) {
    if (r.status === 'deployed' || r.status === 'uninstalled') continue;
    attention.push(`helm release ${r.namespace}/${r.name} ${r.status} (revision ${r.revision})${r.repair ? ` — repair: ${r.repair.command.join(' ')}` : ''}`);
  }
  for (const p of pending ?? []) {
    const why = pendingReason(p);
    attention.push(`pod ${p.namespace}/${p.name} Pending${why.message ? `: ${why.message}` : ''}`);
  }
  return {
    schemaVersion: 1,
    checkedAt: now.toISOString(),
    source: { kind: reader.kind, context: reader.context, dir: reader.dir },
    healthy: errors.length === 0 && attention.length === 0,
    attention,
    nodes,
    dns,
    releases,
    pendingNamespaces: namespaces,
    pendingPods: pending,
    warnings,
    errors,
  };
}
