/**
 * Gate `deploymentReady`: a Deployment (default namespace kube-system) has every replica ready.
 * For the cluster DNS (`coredns`, `kube-dns`) the blocker is COREDNS_NOT_READY.
 */
import { deploymentHealth } from '../deployments.js';
import type { BlockerCode, GateSpec } from '../types.js';
import type { GateDefinition } from './gate.js';

type Spec = Extract<GateSpec, { check: 'deploymentReady' }>;

const DNS = new Set(['coredns', 'kube-dns']);

export const deploymentReady: GateDefinition<Spec> = {
  check: 'deploymentReady',
  label: (s) => `deploymentReady ${s.namespace ?? 'kube-system'}/${s.name}`,
  async evaluate(spec, { reader }) {
    const ns = spec.namespace ?? 'kube-system';
    const d = deploymentHealth(await reader.list('deployments', ns), ns, spec.name);
    const key = `${ns}/${spec.name}`;
    const evidence = {
      deployments: {
        [key]: { found: d.found, replicas: d.replicas, readyReplicas: d.readyReplicas, availableReplicas: d.availableReplicas, ready: d.ready, conditions: d.conditions },
      },
    };
    if (d.ready) return { passed: true, summary: `${d.readyReplicas}/${d.replicas} ready`, evidence, blockers: [] };
    const dns = ns === 'kube-system' && DNS.has(spec.name);
    const code: BlockerCode = dns ? 'COREDNS_NOT_READY' : d.found ? 'DEPLOYMENT_NOT_READY' : 'DEPLOYMENT_NOT_FOUND';
    const what = dns ? `CoreDNS (${key})` : `Deployment ${key}`;
    const message = !d.found
      ? `${what} not found`
      : d.replicas === 0
        ? `${what} is scaled to 0 replicas`
        : `${what} has ${d.readyReplicas}/${d.replicas} replicas ready${d.conditions.length ? ` (${d.conditions.join('; ')})` : ''}`;
    const fix = d.found
      ? [`kubectl -n ${ns} rollout status deployment/${spec.name} --timeout=120s`, `kubectl -n ${ns} get pods -o wide`, `infra-ops diagnose deployment ${spec.name} -n ${ns}`]
      : [`kubectl -n ${ns} get deployments`];
    if (dns) fix.push('CoreDNS needs Ready nodes with a working network plugin (CNI): check the nodes first');
    return { passed: false, summary: d.found ? `${d.readyReplicas}/${d.replicas} ready` : 'not found', evidence, blockers: [{ code, message, fix }] };
  },
};
