import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnoseNode } from '../../src/diagnose/node.js';

const K8S = fileURLToPath(new URL('../fixtures/k8s/nodes/', import.meta.url));
const load = (f: string) => JSON.parse(readFileSync(K8S + f, 'utf8')) as Record<string, unknown>;
const EVENTS = (load('events.json') as { items: Record<string, unknown>[] }).items;
const eventsOf = (node: string) => EVENTS.filter((e) => (e.involvedObject as { name: string }).name === node);

describe('node diagnosis', () => {
  it('NotReady because the CNI plugin is not initialised: quotes the Ready condition and the not-ready taints', () => {
    const d = diagnoseNode(load('notready-cni.json'));
    expect([d.ready, d.problem, d.healthy]).toEqual(['False', 'NetworkPluginNotReady', false]);
    expect(d.evidence[0]).toEqual({
      source: 'status',
      path: 'status.conditions[type=Ready]',
      text: 'False · KubeletNotReady · container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    });
    expect(d.evidence).toContainEqual({ source: 'spec', path: 'spec.taints[key=node.kubernetes.io/not-ready,effect=NoSchedule]', text: 'node.kubernetes.io/not-ready:NoSchedule' });
    expect(d.remediation.commands).toContain('kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=ip-10-0-33-18.eu-west-1.compute.internal');
    expect(d.remediation.steps.join(' ')).toMatch(/aws-node|vpc-cni/);
  });

  it('kubelet stopped posting status: Unknown, and the unreachable taints', () => {
    const d = diagnoseNode(load('unknown-kubelet-stopped.json'));
    expect([d.ready, d.problem]).toEqual(['Unknown', 'KubeletStoppedPosting']);
    expect(d.summary).toBe('node ip-10-0-45-203.eu-west-1.compute.internal is NotReady (KubeletStoppedPosting): NodeStatusUnknown: Kubelet stopped posting node status.');
    expect(d.taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    // the Unknown pressure conditions are not reported as pressure
    expect(d.problems).toEqual(['KubeletStoppedPosting']);
  });

  it.each([
    ['disk-pressure.json', 'DiskPressure', 'status.conditions[type=DiskPressure]', 'True · KubeletHasDiskPressure · kubelet has disk pressure'],
    ['memory-pressure.json', 'MemoryPressure', 'status.conditions[type=MemoryPressure]', 'True · KubeletHasInsufficientMemory · kubelet has insufficient memory available'],
    ['pid-pressure.json', 'PIDPressure', 'status.conditions[type=PIDPressure]', 'True · KubeletHasInsufficientPID · kubelet has insufficient PID available'],
  ])('%s: Ready but under pressure', (file, problem, path, text) => {
    const d = diagnoseNode(load(file));
    expect([d.ready, d.problem, d.healthy]).toEqual(['True', problem, false]);
    expect(d.evidence).toContainEqual({ source: 'status', path, text });
    expect(d.summary).toMatch(new RegExp(`is Ready but under ${problem}$`));
  });

  it('quotes the node\'s warning events, newest first, when something is wrong — and none when it is healthy', () => {
    const name = 'ip-10-0-21-96.eu-west-1.compute.internal';
    const d = diagnoseNode(load('disk-pressure.json'), eventsOf(name));
    expect(d.evidence.filter((e) => e.source === 'event')).toEqual([
      { source: 'event', path: 'event:EvictionThresholdMet', text: 'Attempting to reclaim ephemeral-storage' },
      { source: 'event', path: 'event:FreeDiskSpaceFailed', text: 'Failed to garbage collect required amount of images. Attempted to free 9651239731 bytes, but only found 0 bytes eligible to free.' },
      { source: 'event', path: 'event:NodeHasDiskPressure', text: `Node ${name} status is now: NodeHasDiskPressure` },
    ]);
    const ok = load('ready.json');
    (ok.metadata as { name: string }).name = name;
    expect(diagnoseNode(ok, eventsOf(name)).evidence).toEqual([]);
  });

  it('container runtime down wins over the PLEG complaint it causes; PLEG alone is PLEGNotHealthy', () => {
    expect(diagnoseNode(load('notready-runtime-down.json')).problem).toBe('ContainerRuntimeNotReady');
    expect(diagnoseNode(load('notready-pleg.json')).problem).toBe('PLEGNotHealthy');
  });

  it('cordoned: unschedulable, uncordon proposed at low risk', () => {
    const d = diagnoseNode(load('cordoned.json'));
    expect([d.problem, d.unschedulable, d.riskTier]).toEqual(['Cordoned', true, 'low']);
    expect(d.remediation.commands).toContain('kubectl uncordon ip-10-0-12-48.eu-west-1.compute.internal');
  });

  it('a Ready, schedulable node is healthy with no evidence', () => {
    const d = diagnoseNode(load('ready.json'));
    expect([d.ready, d.problem, d.healthy, d.problems, d.evidence]).toEqual(['True', 'Healthy', true, [], []]);
  });

  it('a node with no conditions at all is not called healthy', () => {
    const n = load('ready.json');
    (n.status as Record<string, unknown>).conditions = [];
    const d = diagnoseNode(n);
    expect([d.ready, d.healthy]).toEqual(['Unknown', false]);
  });
});
