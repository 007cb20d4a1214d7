import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseNamespace, dominant, groupByRootCause } from '../../src/diagnose/namespace.js';
import { diagnosePod } from '../../src/diagnose/pod/index.js';
import { ROOT_CAUSES, type PodDiagnosis, type PodInput } from '../../src/diagnose/types.js';

type Obj = Record<string, unknown>;
const K8S = fileURLToPath(new URL('../fixtures/k8s/namespaces/payments/', import.meta.url));
const items = (f: string) => (JSON.parse(readFileSync(K8S + f, 'utf8')) as { items: Obj[] }).items;
const NOW = new Date('2026-11-23T10:15:00Z');

function inputs(): PodInput[] {
  const events = items('events.json');
  return items('pods.json').map((pod) => ({ pod, events: events.filter((e) => (e.involvedObject as Obj).name === (pod.metadata as Obj).name), now: NOW }));
}

describe('namespace diagnosis', () => {
  it('diagnoses every unhealthy pod and groups them by root cause, largest group first', () => {
    const d = diagnoseNamespace('payments', inputs(), diagnosePod);
    expect(d.healthy).toBe(false);
    expect(d.pods).toEqual({ total: 5, healthy: 2, failing: 3, warnings: 0 });
    expect(d.groups.map((g) => [g.rootCause, g.count, g.pods])).toEqual([
      ['ImagePullAuth', 2, ['payments-7d4b9c8f6-2hq8k', 'payments-7d4b9c8f6-9vzc4']],
      ['Unschedulable_InsufficientResources', 1, ['payments-db-migrate-x8j2l']],
    ]);
    expect(d.rootCause).toBe('ImagePullAuth');
    expect(d.summary).toBe('3 of 5 pods in namespace payments are failing: 2 ImagePullAuth, 1 Unschedulable_InsufficientResources');
    // the finished Job pod and the running API are not reported
    expect(d.diagnoses.map((x) => x.name)).not.toContain('payments-report-29401230-k7m2p');
  });

  it('an empty or all-healthy namespace is healthy', () => {
    expect(diagnoseNamespace('empty', [], diagnosePod)).toMatchObject({ healthy: true, summary: 'namespace empty has no pods', rootCause: null });
    const ok = inputs().filter((i) => /payments-api|payments-report/.test((i.pod.metadata as Obj).name as string));
    expect(diagnoseNamespace('payments', ok, diagnosePod)).toMatchObject({ healthy: true, summary: 'all 2 pods in namespace payments are healthy' });
  });

  it('restarts alone are a warning, not a failure; a failing cause outranks a larger group of warnings', () => {
    const d = (name: string, rootCause: PodDiagnosis['rootCause']) => ({ name, rootCause, summary: name }) as PodDiagnosis;
    const groups = groupByRootCause([d('a', 'RunningWithRestarts'), d('b', 'RunningWithRestarts'), d('c', 'OOMKilled')]);
    expect(groups.map((g) => g.rootCause)).toEqual(['RunningWithRestarts', 'OOMKilled']);
    expect(dominant(groups)).toBe('OOMKilled');
    expect(dominant(groupByRootCause([d('a', 'RunningWithRestarts')]))).toBe('RunningWithRestarts');
    expect(dominant(groupByRootCause([d('a', 'Healthy')]))).toBeNull();
  });
});

describe('grouping by root cause (property)', () => {
  it('every pod lands in exactly one group, groups are largest first, and the dominant cause is a failing one whenever any pod fails', () => {
    const diag = fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), rootCause: fc.constantFrom(...ROOT_CAUSES) });
    fc.assert(
      fc.property(fc.array(diag, { maxLength: 40 }), (raw) => {
        const diags = raw.map((d) => ({ ...d, summary: d.name }) as PodDiagnosis);
        const groups = groupByRootCause(diags);
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(diags.length);
        expect(groups.flatMap((g) => g.pods).sort()).toEqual(diags.map((d) => d.name).sort());
        for (let i = 1; i < groups.length; i++) expect(groups[i - 1]!.count).toBeGreaterThanOrEqual(groups[i]!.count);
        expect(new Set(groups.map((g) => g.rootCause)).size).toBe(groups.length);
        const failing = diags.filter((d) => d.rootCause !== 'Healthy' && d.rootCause !== 'RunningWithRestarts');
        const top = dominant(groups);
        if (failing.length) expect(failing.map((d) => d.rootCause)).toContain(top);
        else if (diags.some((d) => d.rootCause === 'RunningWithRestarts')) expect(top).toBe('RunningWithRestarts');
        else expect(top).toBeNull();
      }),
    );
  });
});
