/**
 * Deployment diagnosis: is the rollout stuck (`Progressing` = False / ProgressDeadlineExceeded),
 * are replicas unavailable, has the controller seen the latest spec (observedGeneration), can the
 * ReplicaSet create pods at all (ReplicaFailure, e.g. a quota) — and why the pods of the newest
 * ReplicaSet fail, each diagnosed by the pod diagnoser, summarised by the dominant root cause.
 */
import { arr, eventsFor, meta, num, obj, ownedReplicaSets, podOwnedBy, REVISION, str, type K8sObject } from './gather.js';
import { dominant, groupByRootCause, isFailing, type PodDiagnoser, type RootCauseGroup } from './namespace.js';
export { ownedReplicaSets } from './gather.js';
import type { Confidence, Evidence, PodDiagnosis, PodInput, Remediation, RiskTier, RootCause } from './types.js';

export const DEPLOYMENT_PROBLEMS = [
  'Healthy',
  'Progressing',
  'RolloutStuck',
  'PodsFailing',
  'ReplicaFailure',
  'Paused',
  'Unavailable',
  'NotObserved',
  'ScaledToZero',
] as const;
export type DeploymentProblem = (typeof DEPLOYMENT_PROBLEMS)[number];

export interface DeploymentDiagnosis {
  kind: 'Deployment';
  name: string;
  namespace: string;
  problem: DeploymentProblem;
  /** True when nothing needs doing (Healthy, ScaledToZero, or a rollout progressing within its deadline with no failing pod). */
  healthy: boolean;
  summary: string;
  evidence: Evidence[];
  replicas: { desired: number; updated: number; ready: number; available: number; unavailable: number };
  generation: { current: number | null; observed: number | null };
  newReplicaSet: { name: string; revision: number | null; replicas: number; ready: number } | null;
  /** Dominant root cause among the pods of the newest ReplicaSet; null when none fails. */
  rootCause: RootCause | null;
  rootCauses: RootCauseGroup[];
  /** Pods of the newest ReplicaSet that are not healthy, failing ones first. */
  pods: PodDiagnosis[];
  remediation: Remediation;
  riskTier: RiskTier;
  confidence: Confidence;
}

export interface DeploymentInput {
  deployment: K8sObject;
  replicaSets: K8sObject[];
  /** The deployment's pods (any ReplicaSet) with their events and logs. */
  pods: PodInput[];
  /** Events of the deployment and its ReplicaSets (others are ignored). */
  events?: K8sObject[];
}


function condition(o: K8sObject, type: string): K8sObject | undefined {
  return arr(obj(o.status).conditions).find((c) => str(c.type) === type);
}

function condText(c: K8sObject): string {
  return [str(c.status), str(c.reason), str(c.message)].filter(Boolean).join(' · ');
}

export function diagnoseDeployment(input: DeploymentInput, diagnosePod: PodDiagnoser): DeploymentDiagnosis {
  const dep = input.deployment;
  const { name, namespace } = meta(dep);
  const ns = namespace || 'default';
  const spec = obj(dep.spec);
  const status = obj(dep.status);
  const evidence: Evidence[] = [];

  const desired = num(spec.replicas) ?? 1;
  const replicas = {
    desired,
    updated: num(status.updatedReplicas) ?? 0,
    ready: num(status.readyReplicas) ?? 0,
    available: num(status.availableReplicas) ?? 0,
    unavailable: num(status.unavailableReplicas) ?? 0,
  };
  const generation = { current: num(obj(dep.metadata).generation) ?? null, observed: num(status.observedGeneration) ?? null };

  // The newest ReplicaSet and its pods.
  const rsList = ownedReplicaSets(dep, input.replicaSets);
  const newRs = rsList[0];
  const newReplicaSet = newRs
    ? {
        name: meta(newRs).name,
        revision: Number.isFinite(Number(meta(newRs).annotations[REVISION])) ? Number(meta(newRs).annotations[REVISION]) : null,
        replicas: num(obj(newRs.status).replicas) ?? 0,
        ready: num(obj(newRs.status).readyReplicas) ?? 0,
      }
    : null;
  const podInputs = newRs ? input.pods.filter((p) => podOwnedBy(p.pod, newRs)) : input.pods;
  const diags = podInputs.map(diagnosePod).filter((d) => d.rootCause !== 'Healthy');
  const failing = diags.filter(isFailing);
  const groups = groupByRootCause(diags);
  const rootCause = dominant(groups);

  // Conditions and counters.
  const progressing = condition(dep, 'Progressing');
  const stuck = progressing !== undefined && str(progressing.status) === 'False' && str(progressing.reason) === 'ProgressDeadlineExceeded';
  if (progressing && (stuck || str(progressing.status) !== 'True')) {
    evidence.push({ source: 'status', path: 'status.conditions[type=Progressing]', text: condText(progressing) });
  }
  const available = condition(dep, 'Available');
  if (available && str(available.status) !== 'True') evidence.push({ source: 'status', path: 'status.conditions[type=Available]', text: condText(available) });
  const rf = condition(dep, 'ReplicaFailure') ?? (newRs ? condition(newRs, 'ReplicaFailure') : undefined);
  const replicaFailure = rf !== undefined && str(rf.status) === 'True';
  if (replicaFailure) {
    const onRs = condition(dep, 'ReplicaFailure') === undefined;
    evidence.push({ source: 'status', path: onRs ? `replicaset/${newReplicaSet?.name}.status.conditions[type=ReplicaFailure]` : 'status.conditions[type=ReplicaFailure]', text: condText(rf) });
  }
  if (replicas.unavailable > 0) evidence.push({ source: 'status', path: 'status.unavailableReplicas', text: String(replicas.unavailable) });
  if (replicas.updated < desired && desired > 0) evidence.push({ source: 'status', path: 'status.updatedReplicas', text: `${replicas.updated} of ${desired} replicas run the latest template` });
  const lag = generation.current !== null && generation.observed !== null && generation.observed < generation.current;
  if (lag) evidence.push({ source: 'status', path: 'status.observedGeneration', text: `${generation.observed} < metadata.generation ${generation.current}` });
  const paused = spec.paused === true;
  if (paused) evidence.push({ source: 'spec', path: 'spec.paused', text: 'true' });
  for (const ev of [...eventsFor(input.events ?? [], 'Deployment', dep), ...(newRs ? eventsFor(input.events ?? [], 'ReplicaSet', newRs) : [])]) {
    if (str(ev.type) === 'Warning') evidence.push({ source: 'event', path: `event:${str(ev.reason) ?? ''}`, text: (str(ev.message) ?? str(ev.note) ?? '').slice(0, 500) });
  }
  if (failing.length && newReplicaSet) {
    evidence.push({ source: 'status', path: `replicaset/${newReplicaSet.name}`, text: `${failing.length} pod(s) failing: ${groups.filter((g) => isFailing({ rootCause: g.rootCause } as PodDiagnosis)).map((g) => `${g.count} ${g.rootCause}`).join(', ')}` });
  }

  // The problem, most specific first.
  let problem: DeploymentProblem;
  if (replicaFailure) problem = 'ReplicaFailure';
  else if (stuck) problem = 'RolloutStuck';
  else if (failing.length > 0) problem = 'PodsFailing';
  else if (paused) problem = 'Paused';
  else if (desired === 0) problem = 'ScaledToZero';
  else if (lag) problem = 'NotObserved';
  else if (replicas.updated < desired || (progressing && str(progressing.status) === 'True' && str(progressing.reason) !== 'NewReplicaSetAvailable' && replicas.unavailable > 0)) problem = 'Progressing';
  else if (replicas.unavailable > 0 || replicas.available < desired) problem = 'Unavailable';
  else problem = 'Healthy';
  const healthy = problem === 'Healthy' || problem === 'ScaledToZero' || problem === 'Progressing';

  const target = `deployment/${name}`;
  const kc = (...args: string[]) => ['kubectl', '-n', ns, ...args].join(' ');
  const main = failing[0];
  const dominantDiag = failing.find((d) => d.rootCause === rootCause) ?? main;
  const commands: string[] = [];
  const steps: string[] = [];
  let riskTier: RiskTier = 'trivial';
  let confidence: Confidence = 'high';
  let summary: string;
  const counts = `${replicas.ready}/${desired} ready, ${replicas.updated} updated, ${replicas.unavailable} unavailable`;
  const why = dominantDiag ? `: ${groups.filter((g) => isFailing({ rootCause: g.rootCause } as PodDiagnosis)).map((g) => `${g.count} pod(s) ${g.rootCause}`).join(', ')}${dominantDiag.container ? ` (container ${dominantDiag.container})` : ''}` : '';
  switch (problem) {
    case 'ReplicaFailure':
      summary = `${target} cannot create pods: ${str(rf?.message) ?? str(rf?.reason) ?? 'ReplicaFailure'}`;
      commands.push(newReplicaSet ? kc('describe', 'replicaset', newReplicaSet.name) : kc('describe', target), kc('get', 'resourcequota,limitrange'));
      steps.push('Read the ReplicaFailure message: a ResourceQuota or LimitRange refusing the pods, or an admission webhook / PodSecurity rejecting them.', 'Raise the quota or lower the pod requests/limits, or fix what the admission rejects; the ReplicaSet retries by itself.');
      riskTier = 'medium';
      break;
    case 'RolloutStuck':
      summary = `${target} rollout is stuck (ProgressDeadlineExceeded; ${counts})${why || ''}`;
      commands.push(kc('rollout', 'status', target, '--timeout=60s'), kc('rollout', 'history', target));
      if (dominantDiag) commands.push(...dominantDiag.remediation.commands.slice(0, 3));
      commands.push(kc('rollout', 'undo', target));
      if (dominantDiag) steps.push(`Fix the pods of ${newReplicaSet?.name ?? 'the new ReplicaSet'}: ${dominantDiag.summary}`, ...dominantDiag.remediation.steps.slice(0, 3));
      else steps.push('No failing pod was found: check the new ReplicaSet (`kubectl describe rs`) and its events for pods that are not created or never become available (minReadySeconds, readiness).');
      steps.push('If users are affected, roll back first (`kubectl rollout undo`, after approval), then fix and re-apply.');
      riskTier = 'medium';
      confidence = dominantDiag ? dominantDiag.confidence : 'medium';
      break;
    case 'PodsFailing':
      summary = `${target} has failing pods in its newest ReplicaSet (${counts})${why}`;
      commands.push(kc('rollout', 'status', target, '--timeout=60s'));
      if (dominantDiag) commands.push(...dominantDiag.remediation.commands.slice(0, 3));
      commands.push(kc('rollout', 'undo', target));
      if (dominantDiag) steps.push(dominantDiag.summary, ...dominantDiag.remediation.steps.slice(0, 3));
      steps.push('The rollout will hit its progress deadline if the pods keep failing; roll back (after approval) if users are affected.');
      riskTier = dominantDiag?.riskTier === 'critical' ? 'critical' : 'medium';
      confidence = dominantDiag?.confidence ?? 'medium';
      break;
    case 'Paused':
      summary = `${target} is paused (${counts}): changes to its template are not rolled out`;
      commands.push(kc('rollout', 'resume', target));
      steps.push('Resume the rollout when the pending template changes are meant to go out.');
      riskTier = 'low';
      break;
    case 'NotObserved':
      summary = `${target}: the deployment controller has not processed the latest spec (observedGeneration ${generation.observed} < generation ${generation.current})`;
      commands.push(kc('get', target, "-o jsonpath='{.metadata.generation} {.status.observedGeneration}'"), 'kubectl -n kube-system get pods -l component=kube-controller-manager');
      steps.push('Usually transient (seconds). If it lasts, the kube-controller-manager is down or overloaded: check it (managed clusters: the provider status page).');
      confidence = 'medium';
      riskTier = 'trivial';
      break;
    case 'Unavailable':
      summary = `${target} has unavailable replicas (${counts}) but no failing pod was found`;
      commands.push(kc('get', 'pods', '-l', selectorString(dep) ?? `app=${name}`, '-o', 'wide'), kc('describe', target));
      steps.push('Look for pods being deleted or evicted, nodes going away, or minReadySeconds not yet reached.');
      confidence = 'low';
      riskTier = 'trivial';
      break;
    case 'Progressing':
      summary = `${target} rollout in progress (${counts}); no pod is failing so far`;
      commands.push(kc('rollout', 'status', target, '--timeout=120s'));
      steps.push('Wait for the rollout; run this diagnosis again if it does not finish.');
      break;
    case 'ScaledToZero':
      summary = `${target} is scaled to 0 replicas`;
      commands.push(kc('scale', target, '--replicas=1'));
      steps.push('Nothing runs by design; scale up if it should serve traffic.');
      break;
    default:
      summary = `${target} is healthy (${counts})`;
      if (diags.length) summary += `; ${diags.length} pod(s) restarted recently`;
  }
  return {
    kind: 'Deployment',
    name,
    namespace: ns,
    problem,
    healthy,
    summary,
    evidence,
    replicas,
    generation,
    newReplicaSet,
    rootCause,
    rootCauses: groups,
    pods: [...failing, ...diags.filter((d) => !isFailing(d))],
    remediation: { commands: [...new Set(commands)], steps },
    riskTier,
    confidence,
  };
}

/** `spec.selector.matchLabels` as a label selector string (`app=web,tier=front`), or null. */
export function selectorString(o: K8sObject): string | null {
  const ml = obj(obj(obj(o.spec).selector).matchLabels);
  const parts = Object.entries(ml).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(',') : null;
}
