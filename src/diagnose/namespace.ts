/**
 * Namespace diagnosis: every pod that is not healthy, diagnosed, and grouped by root cause (the
 * largest group first), so "12 pods: 9 ImagePullAuth, 3 OOMKilled" reads at a glance.
 * Also the grouping used by deployment and service diagnosis.
 */
import { meta, type K8sObject } from './gather.js';
import type { PodDiagnosis, PodInput, RootCause } from './types.js';

/** The pod diagnoser (src/diagnose/pod), passed in so each workload module stays pure. */
export type PodDiagnoser = (input: PodInput) => PodDiagnosis;

export interface RootCauseGroup {
  rootCause: RootCause;
  count: number;
  pods: string[];
  /** The summary of the first pod of the group. */
  example: string;
}

/** Causes that are a pod's normal life or only a warning: they do not make a workload fail. */
export const NOT_FAILING: readonly RootCause[] = ['Healthy', 'RunningWithRestarts'];

export function isFailing(d: PodDiagnosis): boolean {
  return !NOT_FAILING.includes(d.rootCause);
}

/** Groups diagnoses by root cause: largest group first, then by first appearance. */
export function groupByRootCause(diags: PodDiagnosis[]): RootCauseGroup[] {
  const groups = new Map<RootCause, RootCauseGroup>();
  for (const d of diags) {
    const g = groups.get(d.rootCause);
    if (g) {
      g.count++;
      g.pods.push(d.name);
    } else groups.set(d.rootCause, { rootCause: d.rootCause, count: 1, pods: [d.name], example: d.summary });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The dominant failing cause (largest failing group), else the dominant warning, else null. */
export function dominant(groups: RootCauseGroup[]): RootCause | null {
  return (groups.find((g) => !NOT_FAILING.includes(g.rootCause)) ?? groups.find((g) => g.rootCause !== 'Healthy'))?.rootCause ?? null;
}

export interface NamespaceDiagnosis {
  kind: 'Namespace';
  name: string;
  healthy: boolean;
  summary: string;
  pods: { total: number; healthy: number; failing: number; warnings: number };
  rootCause: RootCause | null;
  groups: RootCauseGroup[];
  /** Every pod that is not Healthy, failing ones first. */
  diagnoses: PodDiagnosis[];
}

export function diagnoseNamespace(name: string, inputs: PodInput[], diagnosePod: PodDiagnoser): NamespaceDiagnosis {
  const all = inputs.map(diagnosePod);
  const notHealthy = all.filter((d) => d.rootCause !== 'Healthy');
  const failing = notHealthy.filter(isFailing);
  const warnings = notHealthy.length - failing.length;
  const groups = groupByRootCause(notHealthy);
  const rootCause = dominant(groups);
  let summary: string;
  if (all.length === 0) summary = `namespace ${name} has no pods`;
  else if (notHealthy.length === 0) summary = `all ${all.length} pods in namespace ${name} are healthy`;
  else {
    const parts = groups.map((g) => `${g.count} ${g.rootCause}`).join(', ');
    summary = failing.length
      ? `${failing.length} of ${all.length} pods in namespace ${name} are failing: ${parts}`
      : `no pod is failing in namespace ${name}, but ${warnings} restarted: ${parts}`;
  }
  return {
    kind: 'Namespace',
    name,
    healthy: failing.length === 0,
    summary,
    pods: { total: all.length, healthy: all.length - notHealthy.length, failing: failing.length, warnings },
    rootCause,
    groups,
    diagnoses: [...failing, ...notHealthy.filter((d) => !isFailing(d))],
  };
}

/** Pods of a namespace worth a full diagnosis (a cheap pre-filter is not needed: diagnosis is fast). */
export function podsOfNamespace(pods: K8sObject[], namespace: string): K8sObject[] {
  return pods.filter((p) => !meta(p).namespace || meta(p).namespace === namespace);
}
