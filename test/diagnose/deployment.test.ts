import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnoseDeployment, ownedReplicaSets } from '../../src/diagnose/deployment.js';
import { diagnosePod } from '../../src/diagnose/pod/index.js';
import type { PodDiagnosis, PodInput } from '../../src/diagnose/types.js';

type Obj = Record<string, unknown>;
const K8S = fileURLToPath(new URL('../fixtures/k8s/deployments/', import.meta.url));
const load = (rel: string): Obj => JSON.parse(readFileSync(K8S + rel, 'utf8')) as Obj;
const items = (rel: string): Obj[] => (load(rel).items as Obj[]) ?? [];
const NOW = new Date('2026-11-23T10:15:00Z');
const name = (o: Obj) => (o.metadata as { name: string }).name;

function input(dir: string, opts: { pods?: Obj[]; events?: Obj[] } = {}) {
  const events = opts.events ?? (safe(() => items(`${dir}/events.json`)) ?? []);
  const pods = opts.pods ?? (safe(() => items(`${dir}/pods.json`)) ?? []);
  return {
    deployment: load(`${dir}/deployment.json`),
    replicaSets: items(`${dir}/replicasets.json`),
    pods: pods.map((pod): PodInput => ({ pod, events: events.filter((e) => (e.involvedObject as Obj).name === name(pod)), now: NOW })),
    events,
  };
}
function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

describe('deployment diagnosis', () => {
  it('stuck rollout: ProgressDeadlineExceeded, the newest ReplicaSet by revision, its crash-looping pod diagnosed', () => {
    const d = diagnoseDeployment(input('stuck-crashloop'), diagnosePod);
    expect(d.problem).toBe('RolloutStuck');
    expect(d.healthy).toBe(false);
    expect(d.newReplicaSet).toEqual({ name: 'api-6d8f9c7b5', revision: 2, replicas: 1, ready: 0 });
    expect(d.rootCause).toBe('AppCrash');
    expect(d.pods.map((p) => [p.name, p.rootCause, p.container])).toEqual([['api-6d8f9c7b5-8xk2p', 'AppCrash', 'app']]);
    expect(d.evidence).toContainEqual({ source: 'status', path: 'status.conditions[type=Progressing]', text: 'False · ProgressDeadlineExceeded · ReplicaSet "api-6d8f9c7b5" has timed out progressing.' });
    expect(d.evidence).toContainEqual({ source: 'status', path: 'status.unavailableReplicas', text: '1' });
    expect(d.replicas).toEqual({ desired: 3, updated: 1, ready: 3, available: 3, unavailable: 1 });
    expect(d.summary).toMatch(/^deployment\/api rollout is stuck .*1 pod\(s\) AppCrash/);
    expect(d.remediation.commands).toContain('kubectl -n shop rollout undo deployment/api');
    expect(d.remediation.commands).toContain('kubectl -n shop rollout status deployment/api --timeout=60s');
    expect(d.riskTier).toBe('medium');
  });

  it('the old ReplicaSet\'s healthy pods are not blamed, whatever the order of the lists', () => {
    const i = input('stuck-crashloop');
    const d = diagnoseDeployment({ ...i, replicaSets: [...i.replicaSets].reverse(), pods: [...i.pods].reverse() }, diagnosePod);
    expect(d.newReplicaSet?.name).toBe('api-6d8f9c7b5');
    expect(d.pods).toHaveLength(1);
    expect(ownedReplicaSets(i.deployment, i.replicaSets).map(name)).toEqual(['api-6d8f9c7b5', 'api-7b9c6d5f48']);
  });

  it('failing pods before the deadline: PodsFailing, with the pod diagnosis\' own commands', () => {
    const i = input('stuck-crashloop');
    const dep = structuredClone(i.deployment);
    const status = dep.status as { conditions: Obj[] };
    status.conditions = status.conditions.map((c) => (c.type === 'Progressing' ? { ...c, status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "api-6d8f9c7b5" is progressing.' } : c));
    const d = diagnoseDeployment({ ...i, deployment: dep }, diagnosePod);
    expect(d.problem).toBe('PodsFailing');
    expect(d.rootCause).toBe('AppCrash');
    expect(d.remediation.commands.some((c) => c.includes('logs') && c.includes('api-6d8f9c7b5-8xk2p'))).toBe(true);
  });

  it('quota refusing the pods: ReplicaFailure with the admission message quoted', () => {
    const d = diagnoseDeployment(input('replica-failure'), diagnosePod);
    expect(d.problem).toBe('ReplicaFailure');
    expect(d.rootCause).toBeNull();
    expect(d.summary).toContain('exceeded quota: compute-quota');
    expect(d.evidence.find((e) => e.path === 'status.conditions[type=ReplicaFailure]')?.text).toContain('FailedCreate');
    expect(d.evidence.find((e) => e.path === 'event:FailedCreate')?.text).toMatch(/^Error creating: pods "worker-5f7c8d9b6-k2x9d" is forbidden: exceeded quota/);
    expect(d.remediation.commands).toContain('kubectl -n shop get resourcequota,limitrange');
  });

  it('healthy: all replicas updated and available, no failing pod', () => {
    const d = diagnoseDeployment(input('healthy'), diagnosePod);
    expect([d.problem, d.healthy, d.rootCause]).toEqual(['Healthy', true, null]);
    expect(d.evidence).toEqual([]);
    expect(d.summary).toBe('deployment/api is healthy (3/3 ready, 3 updated, 0 unavailable)');
  });

  it('a spec the controller has not observed yet, a paused rollout, a deployment scaled to zero', () => {
    const base = input('healthy');
    const lag = structuredClone(base.deployment);
    (lag.metadata as Obj).generation = 3;
    const d1 = diagnoseDeployment({ ...base, deployment: lag }, diagnosePod);
    expect(d1.problem).toBe('NotObserved');
    expect(d1.evidence).toContainEqual({ source: 'status', path: 'status.observedGeneration', text: '1 < metadata.generation 3' });
    const paused = structuredClone(base.deployment);
    (paused.spec as Obj).paused = true;
    const d2 = diagnoseDeployment({ ...base, deployment: paused }, diagnosePod);
    expect([d2.problem, d2.healthy]).toEqual(['Paused', false]);
    expect(d2.remediation.commands).toEqual(['kubectl -n shop rollout resume deployment/api']);
    const zero = structuredClone(base.deployment);
    (zero.spec as Obj).replicas = 0;
    expect(diagnoseDeployment({ ...base, deployment: zero, pods: [] }, diagnosePod)).toMatchObject({ problem: 'ScaledToZero', healthy: true });
  });

  it('summarises the dominant root cause when pods fail differently', () => {
    const i = input('stuck-crashloop');
    const verdicts: Record<string, PodDiagnosis['rootCause']> = {};
    const fake = (p: PodInput): PodDiagnosis => {
      const d = diagnosePod(p);
      return { ...d, rootCause: verdicts[d.name] ?? d.rootCause };
    };
    const crash = i.pods.find((p) => name(p.pod) === 'api-6d8f9c7b5-8xk2p')!;
    const clone = (suffix: string) => {
      const pod = structuredClone(crash.pod);
      (pod.metadata as Obj).name = `api-6d8f9c7b5-${suffix}`;
      return { ...crash, pod };
    };
    verdicts['api-6d8f9c7b5-aaaaa'] = 'OOMKilled';
    verdicts['api-6d8f9c7b5-bbbbb'] = 'OOMKilled';
    const d = diagnoseDeployment({ ...i, pods: [...i.pods, clone('aaaaa'), clone('bbbbb')] }, fake);
    expect(d.rootCause).toBe('OOMKilled');
    expect(d.rootCauses.map((g) => [g.rootCause, g.count])).toEqual([['OOMKilled', 2], ['AppCrash', 1]]);
  });
});

describe('deployment diagnosis: a tag that does not exist (events in the events.k8s.io/v1 shape)', () => {
  it('names ImagePullNotFound as the dominant cause of the newest of three ReplicaSets', () => {
    const events = items('stuck-imagepull/events.json');
    const i = input('stuck-imagepull', { events: [] });
    const pods = i.pods.map((p) => ({ ...p, events: events.filter((e) => (e.regarding as Obj).name === name(p.pod)) }));
    const d = diagnoseDeployment({ ...i, pods, events }, diagnosePod);
    expect([d.problem, d.rootCause]).toEqual(['RolloutStuck', 'ImagePullNotFound']);
    expect(d.newReplicaSet).toEqual({ name: 'api-84c5b7d9f6', revision: 3, replicas: 2, ready: 0 });
    expect(d.rootCauses).toEqual([expect.objectContaining({ rootCause: 'ImagePullNotFound', count: 2, pods: ['api-84c5b7d9f6-c4wzp', 'api-84c5b7d9f6-r9d2k'] })]);
    expect(d.evidence).toContainEqual({ source: 'status', path: 'status.conditions[type=Available]', text: 'False · MinimumReplicasUnavailable · Deployment does not have minimum availability.' });
    expect(d.summary).toMatch(/2 pod\(s\) ImagePullNotFound \(container app\)/);
  });
});
