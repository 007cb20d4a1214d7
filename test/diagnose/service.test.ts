import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnosePod } from '../../src/diagnose/pod/index.js';
import { diagnoseService } from '../../src/diagnose/service.js';
import type { PodInput } from '../../src/diagnose/types.js';

type Obj = Record<string, unknown>;
const K8S = fileURLToPath(new URL('../fixtures/k8s/services/', import.meta.url));
const load = (rel: string): Obj => JSON.parse(readFileSync(K8S + rel, 'utf8')) as Obj;
const items = (rel: string): Obj[] => (existsSync(K8S + rel) ? ((load(rel).items as Obj[]) ?? []) : []);
const NOW = new Date('2026-11-23T10:15:00Z');

function input(dir: string) {
  const events = items(`${dir}/events.json`);
  const pods = items(`${dir}/pods.json`).map((pod): PodInput => ({
    pod,
    events: events.filter((e) => (e.involvedObject as Obj).name === (pod.metadata as Obj).name),
    now: NOW,
  }));
  return { service: load(`${dir}/service.json`), pods, endpointSlices: items(`${dir}/endpointslices.json`) };
}

describe('service diagnosis', () => {
  it('selector matching no pod: names the pods that differ on one label', () => {
    const d = diagnoseService(input('selector-mismatch'), diagnosePod);
    expect([d.problem, d.healthy]).toEqual(['SelectorMatchesNoPods', false]);
    expect(d.pods.matching).toBe(0);
    expect(d.nearMisses).toEqual([
      { pod: 'storefront-59d8c7f6b4-7kq2d', label: 'tier', has: 'web', wants: 'frontend' },
      { pod: 'storefront-59d8c7f6b4-wz5xp', label: 'tier', has: 'web', wants: 'frontend' },
    ]);
    expect(d.evidence[0]).toEqual({ source: 'spec', path: 'spec.selector', text: 'app=storefront,tier=frontend' });
    expect(d.remediation.steps[0]).toContain('the pods carry tier=web, the Service wants tier=frontend');
    expect(d.endpoints).toEqual({ ready: 0, notReady: 0, source: 'EndpointSlice' });
  });

  it('pods matching but none ready: no ready endpoints, and why the pods are not ready', () => {
    const d = diagnoseService(input('no-ready-pods'), diagnosePod);
    expect(d.problem).toBe('NoReadyPods');
    expect(d.pods).toEqual({ matching: 2, ready: 0, names: ['checkout-6c9f8b7d5-b7x4m', 'checkout-6c9f8b7d5-f2n9s'] });
    expect(d.endpoints).toEqual({ ready: 0, notReady: 2, source: 'EndpointSlice' });
    expect(d.rootCause).toBe('ReadinessProbeFailure');
    expect(d.summary).toMatch(/2 ReadinessProbeFailure/);
    expect(d.diagnoses.every((p) => p.container === 'checkout')).toBe(true);
  });

  it('a named targetPort no pod declares', () => {
    const d = diagnoseService(input('target-port'), diagnosePod);
    expect([d.problem, d.confidence]).toEqual(['TargetPortMismatch', 'high']);
    expect(d.evidence).toEqual([{ source: 'spec', path: 'spec.ports[0].targetPort', text: '"metrics-http" is not the name of any containerPort of the matching pods (they declare: 8080 (http))' }]);
  });

  it('a numeric targetPort the pods do not declare, with ready endpoints: a low-confidence warning only', () => {
    const i = input('healthy');
    const svc = structuredClone(i.service);
    (svc.spec as { ports: Obj[] }).ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 9000 }];
    const d = diagnoseService({ ...i, service: svc }, diagnosePod);
    expect([d.problem, d.confidence]).toEqual(['TargetPortMismatch', 'low']);
  });

  it('healthy: ready endpoints from the EndpointSlice, or from Endpoints on clusters without slices', () => {
    const d = diagnoseService(input('healthy'), diagnosePod);
    expect([d.problem, d.healthy, d.endpoints.ready, d.evidence]).toEqual(['Healthy', true, 3, []]);
    const i = input('healthy');
    const endpoints = { kind: 'Endpoints', metadata: { name: 'api', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '10.0.12.31' }], notReadyAddresses: [{ ip: '10.0.12.77' }] }] };
    const d2 = diagnoseService({ ...i, endpointSlices: [], endpoints }, diagnosePod);
    expect(d2.endpoints).toEqual({ ready: 1, notReady: 1, source: 'Endpoints' });
    expect(d2.healthy).toBe(true);
  });

  it('ExternalName has no endpoints by design; a selector-less service needs hand-made endpoints', () => {
    const i = input('healthy');
    const ext = { ...i.service, spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    expect(diagnoseService({ ...i, service: ext }, diagnosePod)).toMatchObject({ problem: 'ExternalName', healthy: true });
    const bare = structuredClone(i.service);
    delete (bare.spec as Obj).selector;
    const d = diagnoseService({ ...i, service: bare, endpointSlices: [] }, diagnosePod);
    expect([d.problem, d.healthy]).toEqual(['NoEndpoints', false]);
  });
});
