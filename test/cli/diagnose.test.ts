import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_CAUSES } from '../../src/diagnose/types.js';
import { ROOT } from '../plugin/helpers.js';
import { cli, schemaErrors } from './run-cli.js';

const K8S = join(ROOT, 'test', 'fixtures', 'k8s');
const FAKE = join(ROOT, 'test', 'fixtures', 'fake-bin');
const k = (rel: string) => join(K8S, rel);
const POD = 'api-6d8f9c7b5-8xk2p';
const NOW = '2026-11-23T10:15:00Z';

const work = mkdtempSync(join(tmpdir(), 'infra-ops-diagnose-'));
const nodeDir = join(work, 'node-only');
mkdirSync(nodeDir);
symlinkSync(process.execPath, join(nodeDir, 'node'));
const argvFile = join(work, 'argv.jsonl');

/** PATH with only the scenario's fake kubectl and node: the real kubectl (if any) is never run. */
function env(scenario: string | null): Record<string, string> {
  return { PATH: [...(scenario ? [join(FAKE, scenario)] : []), nodeDir].join(delimiter), FAKE_ARGV_FILE: argvFile };
}
function calls(): string[][] {
  try {
    const lines = readFileSync(argvFile, 'utf8').split('\n').filter(Boolean);
    writeFileSync(argvFile, '');
    return lines.map((l) => (JSON.parse(l) as { argv: string[] }).argv);
  } catch {
    return [];
  }
}
const run = (args: string[], scenario: string | null = 'kubectl-cluster') => cli(['diagnose', ...args], { cwd: work, env: env(scenario) });

describe('infra-ops diagnose pod', () => {
  it('from the cluster: JSON root cause, failing container, quoted evidence; exit 1; kubectl got --context and -n', () => {
    const r = run(['pod', POD, '-n', 'shop', '--context', 'prod-eks', '--now', NOW, '--json']);
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('diagnose-pod', d)).toEqual([]);
    expect([d.rootCause, d.container, d.containerType, d.source]).toEqual(['AppCrash', 'app', 'app', 'cluster']);
    expect(d.evidence).toContainEqual({ source: 'log', path: 'logs:app[previous]', text: 'panic: failed to connect to database: dial tcp 10.100.41.7:5432: connect: connection refused' });
    expect(d.notes).toEqual([]);
    const argv = calls();
    expect(argv[0]).toEqual(['--context', 'prod-eks', 'get', 'pod', POD, '-o', 'json', '-n', 'shop']);
    expect(argv.filter((a) => a.includes('--previous'))).toHaveLength(1);
  });

  it('human output: root cause, container, evidence and the commands to run', () => {
    const r = run(['pod', '--pod-file', k('kubectl/crash/pod.json'), '--events-file', k('kubectl/crash/events.json'), '--now', NOW], null);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^pod shop/${POD}: AppCrash \\(container app\\) · confidence `));
    expect(r.stdout).toContain('evidence:\n  - status.containerStatuses[0].state.waiting.reason: CrashLoopBackOff');
    expect(r.stdout).toMatch(/remediation \(risk \w+/);
    expect(r.stdout).toMatch(/\n {2}\$ kubectl /);
  });

  it('from pasted files with no cluster and no kubectl: same diagnosis', () => {
    const r = run(['pod', '--pod-file', k('kubectl/crash/pod.json'), '--events-file', k('kubectl/crash/events.json'), '--logs-file', `app:previous=${k('kubectl/crash/logs-app-previous.txt')}`, '--now', NOW, '--json'], null);
    expect(r.status).toBe(1);
    expect(schemaErrors('diagnose-pod', r.json())).toEqual([]);
    expect([r.json().rootCause, r.json().container, r.json().source]).toEqual(['AppCrash', 'app', 'files']);
  });

  it('a healthy pod: exit 0', () => {
    const r = run(['pod', 'api-7b9c6d5f48-hx4qz', '--pod-file', k('deployments/healthy/pods.json'), '--now', NOW, '--json'], null);
    expect(r.status).toBe(0);
    expect(r.json().rootCause).toBe('Healthy');
  });

  it('not found: exit 2 with a JSON error naming the pod', () => {
    const r = run(['pod', 'web-0', '-n', 'shop', '--json'], 'kubectl-notfound');
    expect(r.status).toBe(2);
    expect(schemaErrors('error', r.json())).toEqual([]);
    expect(r.json().error.code).toBe('kubectl.not_found');
    expect(r.stderr).toContain('pod "web-0" in namespace "shop" not found');
  });

  it('unreachable cluster or no kubectl: exit 3 (blocked) saying what to do', () => {
    const down = run(['pod', 'web-0', '-n', 'shop', '--json'], 'kubectl-unreachable');
    expect(down.status).toBe(3);
    expect(down.json().error.code).toBe('kubectl.unreachable');
    const none = run(['pod', 'web-0', '--json'], null);
    expect(none.status).toBe(3);
    expect(none.json().error.code).toBe('kubectl.missing');
    expect(none.stderr).toContain('apt-get install kubectl');
    calls();
  });

  it('bad input: exit 2', () => {
    expect(run(['pod', 'Not_A_Name'], null).status).toBe(2);
    expect(run(['pod', '--pod-file', join(work, 'missing.json')], null).stderr).toMatch(/--pod-file: file not found/);
  });
});

describe('infra-ops diagnose deployment | node | service | namespace', () => {
  it('deployment from the cluster: stuck rollout and the dominant cause of its new pods', () => {
    const r = run(['deployment', 'api', '-n', 'shop', '--now', NOW, '--json']);
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('diagnose-deployment', d)).toEqual([]);
    expect([d.problem, d.rootCause, d.newReplicaSet.name]).toEqual(['RolloutStuck', 'AppCrash', 'api-6d8f9c7b5']);
    calls();
  });

  it('deployment from files, healthy: exit 0', () => {
    const files = ['deployment', 'replicasets', 'pods'].flatMap((f) => ['--file', k(`deployments/healthy/${f}.json`)]);
    const r = run(['deployment', ...files, '--now', NOW], null);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^deployment shop\/api: Healthy\n {2}deployment\/api is healthy \(3\/3 ready, 3 updated, 0 unavailable\)\nreplicas: /);
  });

  it('node from the cluster: NotReady with the CNI message; a Ready node from a file: exit 0', () => {
    const r = run(['node', 'ip-10-0-33-18.eu-west-1.compute.internal', '--json']);
    expect(r.status).toBe(1);
    expect(schemaErrors('diagnose-node', r.json())).toEqual([]);
    expect([r.json().problem, r.json().ready]).toEqual(['NetworkPluginNotReady', 'False']);
    expect(r.json().evidence).toContainEqual({ source: 'event', path: 'event:NodeNotReady', text: 'Node ip-10-0-33-18.eu-west-1.compute.internal status is now: NodeNotReady' });
    expect(calls().sort()).toEqual([
      ['get', 'events', '-A', '--field-selector', 'involvedObject.kind=Node,involvedObject.name=ip-10-0-33-18.eu-west-1.compute.internal', '-o', 'json'],
      ['get', 'node', 'ip-10-0-33-18.eu-west-1.compute.internal', '-o', 'json'],
    ]);
    const ok = run(['node', '--file', k('nodes/ready.json'), '--json'], null);
    expect([ok.status, ok.json().problem]).toEqual([0, 'Healthy']);
  });

  it('service from the cluster: no ready pods, why; from files: the selector matching nothing', () => {
    const r = run(['service', 'checkout', '-n', 'shop', '--now', NOW, '--json']);
    expect(r.status).toBe(1);
    expect(schemaErrors('diagnose-service', r.json())).toEqual([]);
    expect([r.json().problem, r.json().rootCause]).toEqual(['NoReadyPods', 'ReadinessProbeFailure']);
    expect(r.json().notes).toEqual([]);
    // the running-but-unready pods' logs were read; nothing else
    expect(calls().filter((a) => a[0] === 'logs').map((a) => a[1]).sort()).toEqual(['checkout-6c9f8b7d5-b7x4m', 'checkout-6c9f8b7d5-f2n9s']);
    const files = ['service', 'endpointslices', 'pods'].flatMap((f) => ['--file', k(`services/selector-mismatch/${f}.json`)]);
    const m = run(['service', 'storefront', ...files], null);
    expect(m.status).toBe(1);
    expect(m.stdout).toMatch(/^service shop\/storefront: SelectorMatchesNoPods/);
  });

  it('namespace from the cluster: unhealthy pods grouped by root cause', () => {
    const r = run(['namespace', 'payments', '--now', NOW, '--json']);
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('diagnose-namespace', d)).toEqual([]);
    expect(d.notes).toEqual([]); // pods that never started have no logs to ask for
    expect(d.groups.map((g: { rootCause: string; count: number }) => `${g.count} ${g.rootCause}`)).toEqual(['2 ImagePullAuth', '1 Unschedulable_InsufficientResources']);
    const human = run(['namespace', 'payments', '--file', k('namespaces/payments/pods.json'), '--file', k('namespaces/payments/events.json'), '--now', NOW], null).stdout;
    expect(human).toContain('ImagePullAuth (2): payments-7d4b9c8f6-2hq8k, payments-7d4b9c8f6-9vzc4');
    calls();
  });
});

describe('diagnose JSON schemas', () => {
  it('the root-cause enum is exactly ROOT_CAUSES, and every schema shares the same pod diagnosis definition', () => {
    const read = (n: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', `diagnose-${n}.schema.json`), 'utf8'));
    const pod = read('pod');
    expect(pod.definitions.rootCause.enum).toEqual([...ROOT_CAUSES]);
    for (const n of ['deployment', 'node', 'service', 'namespace']) expect(read(n).definitions).toEqual(pod.definitions);
  });
});
