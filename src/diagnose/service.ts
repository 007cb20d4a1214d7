/**
 * Service diagnosis: why a Service has no (ready) endpoints — its selector matches no pod (with
 * the near misses: pods that differ on one label), the pods it matches are not ready (each
 * diagnosed), the EndpointSlices / Endpoints hold no ready address, or its targetPort is not a
 * port the pods expose.
 */
import { arr, meta, num, obj, str, type K8sObject } from './gather.js';
import { dominant, groupByRootCause, type PodDiagnoser, type RootCauseGroup } from './namespace.js';
import type { Confidence, Evidence, PodDiagnosis, PodInput, Remediation, RiskTier, RootCause } from './types.js';

export const SERVICE_PROBLEMS = [
  'Healthy',
  'ExternalName',
  'SelectorMatchesNoPods',
  'NoReadyPods',
  'NoReadyEndpoints',
  'NoEndpoints',
  'TargetPortMismatch',
] as const;
export type ServiceProblem = (typeof SERVICE_PROBLEMS)[number];

export interface ServiceDiagnosis {
  kind: 'Service';
  name: string;
  namespace: string;
  type: string;
  problem: ServiceProblem;
  healthy: boolean;
  summary: string;
  evidence: Evidence[];
  selector: Record<string, string> | null;
  pods: { matching: number; ready: number; names: string[] };
  endpoints: { ready: number; notReady: number; source: 'EndpointSlice' | 'Endpoints' | 'none' };
  /** Pods with all but one selector label: the likely intended targets. */
  nearMisses: { pod: string; label: string; has: string | null; wants: string }[];
  /** Dominant root cause of the matching pods that are not ready. */
  rootCause: RootCause | null;
  rootCauses: RootCauseGroup[];
  diagnoses: PodDiagnosis[];
  remediation: Remediation;
  riskTier: RiskTier;
  confidence: Confidence;
}

export interface ServiceInput {
  service: K8sObject;
  /** Pods of the service's namespace (all of them: the near misses come from the others). */
  pods: PodInput[];
  endpointSlices: K8sObject[];
  endpoints?: K8sObject | null;
}

function selectorOf(service: K8sObject): Record<string, string> | null {
  const sel = obj(obj(service.spec).selector);
  const entries = Object.entries(sel).filter(([, v]) => typeof v === 'string') as [string, string][];
  return entries.length ? Object.fromEntries(entries) : null;
}

function podReady(pod: K8sObject): boolean {
  return arr(obj(pod.status).conditions).some((c) => str(c.type) === 'Ready' && str(c.status) === 'True');
}

function countEndpoints(input: ServiceInput): ServiceDiagnosis['endpoints'] {
  const name = meta(input.service).name;
  const slices = input.endpointSlices.filter((s) => (meta(s).labels['kubernetes.io/service-name'] ?? name) === name);
  if (slices.length) {
    let ready = 0;
    let notReady = 0;
    for (const s of slices) {
      for (const ep of arr(s.endpoints)) {
        const n = Array.isArray(ep.addresses) ? Math.max(1, ep.addresses.length) : 1;
        // `ready` unset means "unknown": consumers treat it as ready.
        if (obj(ep.conditions).ready === false) notReady += n;
        else ready += n;
      }
    }
    return { ready, notReady, source: 'EndpointSlice' };
  }
  if (input.endpoints) {
    let ready = 0;
    let notReady = 0;
    for (const s of arr(input.endpoints.subsets)) {
      ready += arr(s.addresses).length;
      notReady += arr(s.notReadyAddresses).length;
    }
    return { ready, notReady, source: 'Endpoints' };
  }
  return { ready: 0, notReady: 0, source: 'none' };
}

interface PortDecl {
  name: string | null;
  port: number;
}

function containerPorts(pod: K8sObject): PortDecl[] {
  return arr(obj(pod.spec).containers).flatMap((c) => arr(c.ports).map((p) => ({ name: str(p.name) ?? null, port: num(p.containerPort) ?? -1 })));
}

export function diagnoseService(input: ServiceInput, diagnosePod: PodDiagnoser): ServiceDiagnosis {
  const svc = input.service;
  const { name, namespace } = meta(svc);
  const ns = namespace || 'default';
  const spec = obj(svc.spec);
  const type = str(spec.type) ?? 'ClusterIP';
  const selector = selectorOf(svc);
  const evidence: Evidence[] = [];
  const target = `service/${name}`;
  const base = { kind: 'Service' as const, name, namespace: ns, type, selector };
  const endpoints = countEndpoints(input);

  if (type === 'ExternalName') {
    return {
      ...base, problem: 'ExternalName', healthy: true,
      summary: `${target} is an ExternalName alias for ${str(spec.externalName) ?? '?'}: it has no pods or endpoints by design`,
      evidence: [{ source: 'spec', path: 'spec.externalName', text: str(spec.externalName) ?? '' }],
      pods: { matching: 0, ready: 0, names: [] }, endpoints, nearMisses: [], rootCause: null, rootCauses: [], diagnoses: [],
      remediation: { commands: [`nslookup ${str(spec.externalName) ?? ''}`.trim()], steps: [] }, riskTier: 'trivial', confidence: 'high',
    };
  }

  const pods = input.pods.filter((p) => !meta(p.pod).namespace || meta(p.pod).namespace === ns);
  const matches = (labels: Record<string, string>) => selector !== null && Object.entries(selector).every(([k, v]) => labels[k] === v);
  const matching = pods.filter((p) => matches(meta(p.pod).labels) && str(obj(p.pod.status).phase) !== 'Succeeded' && str(obj(p.pod.status).phase) !== 'Failed');
  const readyPods = matching.filter((p) => podReady(p.pod));
  const nearMisses: ServiceDiagnosis['nearMisses'] = [];
  if (selector && Object.keys(selector).length > 0) {
    for (const p of pods) {
      const labels = meta(p.pod).labels;
      const wrong = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
      const right = Object.keys(selector).length - wrong.length;
      if (wrong.length === 1 && (right > 0 || Object.keys(selector).length === 1)) {
        const [label, wants] = wrong[0]!;
        if (Object.keys(selector).length === 1 && labels[label] === undefined) continue;
        nearMisses.push({ pod: meta(p.pod).name, label, has: labels[label] ?? null, wants });
      }
    }
  }
  const diags = matching.filter((p) => !podReady(p.pod)).map(diagnosePod);
  const groups = groupByRootCause(diags);
  const rootCause = dominant(groups);

  // targetPort against the ports the matching pods declare.
  const portProblems: string[] = [];
  let namedMissing = false;
  const declared = matching.flatMap((p) => containerPorts(p.pod));
  arr(spec.ports).forEach((p, i) => {
    const tp = p.targetPort ?? p.port;
    if (typeof tp === 'string') {
      if (matching.length && !declared.some((d) => d.name === tp)) {
        namedMissing = true;
        portProblems.push(`spec.ports[${i}].targetPort=${tp}`);
        evidence.push({ source: 'spec', path: `spec.ports[${i}].targetPort`, text: `"${tp}" is not the name of any containerPort of the matching pods (they declare: ${describePorts(declared)})` });
      }
    } else if (typeof tp === 'number' && declared.length && !declared.some((d) => d.port === tp)) {
      portProblems.push(`spec.ports[${i}].targetPort=${tp}`);
      evidence.push({ source: 'spec', path: `spec.ports[${i}].targetPort`, text: `${tp}, but the matching pods declare only: ${describePorts(declared)}` });
    }
  });

  let problem: ServiceProblem;
  let summary: string;
  const commands: string[] = [];
  const steps: string[] = [];
  let confidence: Confidence = 'high';
  let riskTier: RiskTier = 'low';
  const selText = selector ? Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') : '';
  if (selector === null) {
    evidence.push({ source: 'spec', path: 'spec.selector', text: '(none): endpoints are managed by hand' });
    problem = endpoints.ready > 0 ? 'Healthy' : 'NoEndpoints';
    summary = problem === 'Healthy' ? `${target} has no selector; its hand-managed endpoints have ${endpoints.ready} ready address(es)` : `${target} has no selector and no ready endpoint address: nothing serves it`;
    commands.push(`kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${name} -o wide`);
    steps.push('A Service without selector needs its Endpoints/EndpointSlice written by you or a controller: create them, or add a selector matching the pods.');
  } else if (matching.length === 0) {
    problem = 'SelectorMatchesNoPods';
    evidence.push({ source: 'spec', path: 'spec.selector', text: selText });
    for (const m of nearMisses.slice(0, 3)) evidence.push({ source: 'spec', path: `pod/${m.pod}.metadata.labels.${m.label}`, text: m.has === null ? `missing (selector wants ${m.wants})` : `${m.has} (selector wants ${m.wants})` });
    summary = `${target} selects ${selText}, which matches no running pod in namespace ${ns}${nearMisses.length ? `; ${nearMisses.length} pod(s) differ only on label ${[...new Set(nearMisses.map((m) => m.label))].join(', ')}` : ''}`;
    commands.push(`kubectl -n ${ns} get pods -l ${selText}`, `kubectl -n ${ns} get pods --show-labels`);
    if (nearMisses[0]) steps.push(`Make the selector and the pod template labels agree: the pods carry ${nearMisses[0].label}=${nearMisses[0].has ?? '(none)'}, the Service wants ${nearMisses[0].label}=${nearMisses[0].wants}. Fix whichever is wrong (usually the Service selector) and apply.`);
    else steps.push('No pod carries these labels: check the workload is deployed in this namespace and its pod template labels match the selector.');
    riskTier = 'medium';
  } else if (readyPods.length === 0) {
    problem = 'NoReadyPods';
    evidence.push({ source: 'status', path: 'pods', text: `${matching.length} pod(s) match ${selText}, none is Ready` });
    const d = diags.find((x) => x.rootCause === rootCause) ?? diags[0];
    summary = `${target} has no ready endpoint: the ${matching.length} pod(s) it selects are not Ready${rootCause ? ` (${groups.map((g) => `${g.count} ${g.rootCause}`).join(', ')}) — ${d?.summary ?? ''}` : ''}`;
    if (d) {
      commands.push(...d.remediation.commands.slice(0, 4));
      steps.push(...d.remediation.steps.slice(0, 4));
      riskTier = d.riskTier;
      confidence = d.confidence;
    }
  } else if (namedMissing || (portProblems.length > 0 && endpoints.ready === 0)) {
    problem = 'TargetPortMismatch';
    summary = `${target} sends traffic to ${portProblems.join(', ')}, which the pods do not expose`;
    commands.push(`kubectl -n ${ns} get ${target} -o jsonpath='{.spec.ports}'`, `kubectl -n ${ns} get pods -l ${selText} -o jsonpath='{.items[0].spec.containers[*].ports}'`);
    steps.push('Set spec.ports[].targetPort to the port the container listens on (or to its containerPort name).');
    confidence = namedMissing ? 'high' : 'medium';
    riskTier = 'medium';
  } else if (endpoints.ready === 0 && endpoints.source !== 'none') {
    problem = 'NoReadyEndpoints';
    evidence.push({ source: 'status', path: endpoints.source === 'EndpointSlice' ? 'endpointslices.endpoints[].conditions.ready' : 'endpoints.subsets[].addresses', text: `0 ready, ${endpoints.notReady} not ready` });
    summary = `${target}: ${readyPods.length} pod(s) are Ready but its ${endpoints.source} has no ready address`;
    commands.push(`kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${name} -o yaml`);
    steps.push('The endpoint controller lags or the ports do not match: compare the EndpointSlice ports with the Service targetPort, and check kube-controller-manager.');
    confidence = 'medium';
  } else if (portProblems.length > 0) {
    problem = 'TargetPortMismatch';
    summary = `${target} targets ${portProblems.join(', ')}, which no matching pod declares as a containerPort (works only if the container listens there anyway)`;
    commands.push(`kubectl -n ${ns} get pods -l ${selText} -o jsonpath='{.items[0].spec.containers[*].ports}'`);
    steps.push('Check the port the application listens on and make spec.ports[].targetPort equal to it.');
    confidence = 'low';
    riskTier = 'medium';
  } else {
    problem = 'Healthy';
    summary = `${target} has ${endpoints.source === 'none' ? readyPods.length : endpoints.ready} ready endpoint(s) (${readyPods.length}/${matching.length} selected pods Ready)`;
    riskTier = 'trivial';
  }
  return {
    ...base,
    problem,
    healthy: problem === 'Healthy',
    summary,
    evidence,
    pods: { matching: matching.length, ready: readyPods.length, names: matching.map((p) => meta(p.pod).name) },
    endpoints,
    nearMisses,
    rootCause,
    rootCauses: groups,
    diagnoses: diags,
    remediation: { commands: [...new Set(commands)], steps },
    riskTier: problem === 'Healthy' ? 'trivial' : riskTier,
    confidence,
  };
}

function describePorts(ports: PortDecl[]): string {
  const uniq = [...new Map(ports.map((p) => [`${p.name}:${p.port}`, p])).values()];
  return uniq.length ? uniq.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ') : 'no ports';
}
