import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CliError } from '../../src/cli/exit-codes.js';
import {
  eventsFor,
  failingContainers,
  gatherDeployment,
  gatherNamespace,
  gatherPod,
  gatherService,
  parseLogsFileArg,
  readObjectsFile,
} from '../../src/diagnose/gather.js';
import { Kubectl } from '../../src/diagnose/kubectl.js';
import { makeSandbox } from '../tester/tools/helpers.js';

const K8S = fileURLToPath(new URL('../fixtures/k8s/', import.meta.url));
const f = (rel: string) => path.join(K8S, rel);
const json = (rel: string) => JSON.parse(readFileSync(f(rel), 'utf8')) as Record<string, unknown>;
const box = makeSandbox();
afterAll(() => box.cleanup());
const POD = 'api-6d8f9c7b5-8xk2p';
const LOG_ARGS = ['--tail=200', '--limit-bytes=65536'];

async function failure(p: Promise<unknown>): Promise<CliError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe('gathering a pod from the cluster', () => {
  it('reads the pod, its events by field selector, and current + previous logs of the failing container only', async () => {
    const k = new Kubectl({ context: 'prod', namespace: 'shop', env: box.env('kubectl-cluster') });
    const g = await gatherPod(k, POD, {});
    expect(g.source).toBe('cluster');
    expect(g.notes).toEqual([]);
    const calls = box.calls().map((c) => c.argv);
    expect(calls[0]).toEqual(['--context', 'prod', 'get', 'pod', POD, '-o', 'json', '-n', 'shop']);
    // events and logs run in parallel: compare as a set
    expect(calls.slice(1).sort()).toEqual(
      [
        ['--context', 'prod', 'get', 'events', '--field-selector', `involvedObject.name=${POD},involvedObject.namespace=shop`, '-n', 'shop', '-o', 'json'],
        ['--context', 'prod', 'logs', POD, '-c', 'app', ...LOG_ARGS, '-n', 'shop'],
        ['--context', 'prod', 'logs', POD, '-c', 'app', ...LOG_ARGS, '--previous', '-n', 'shop'],
      ].sort(),
    );
    expect(g.input.events).toHaveLength(8);
    expect(Object.keys(g.input.logs ?? {})).toEqual(['app']); // the healthy log-shipper is not read
    expect(g.input.logs?.app?.previous).toContain('panic: failed to connect to database');
  });

  it('goes on without events or logs when kubectl cannot read them, and says so', async () => {
    const routes = path.join(box.root, 'routes-partial.json');
    writeFileSync(routes, JSON.stringify({
      [`get pod ${POD} -n shop`]: { stdout: 'kubectl/crash/pod.json' },
      '*': { stderr: 'Error from server (Forbidden): events is forbidden: User "dev" cannot list resource "events" in API group "" in the namespace "shop"\n', code: 1 },
    }));
    const k = new Kubectl({ namespace: 'shop', env: { ...box.env('kubectl-cluster'), FAKE_KUBECTL_ROUTES: routes } });
    const g = await gatherPod(k, POD, {});
    box.calls();
    expect(g.input.events).toEqual([]);
    expect(g.notes.some((n) => /events of pod api-6d8f9c7b5-8xk2p not read .*forbidden/i.test(n))).toBe(true);
    expect(g.notes.some((n) => /logs of api-6d8f9c7b5-8xk2p\/app/.test(n))).toBe(true);
  });

  it('falls back to the namespace\'s events when the field selector is refused', async () => {
    const routes = path.join(box.root, 'routes-noselector.json');
    writeFileSync(routes, JSON.stringify({
      [`get pod ${POD} -n shop`]: { stdout: 'kubectl/crash/pod.json' },
      [`get events --field-selector involvedObject.name=${POD},involvedObject.namespace=shop -n shop`]: { stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label selector "", field selector "involvedObject.name=x": field label not supported: involvedObject.name\n', code: 1 },
      'get events -n shop': { stdout: 'kubectl/shop-events.json' },
      '*': { stdout: 'kubectl/crash/logs-app.txt' },
    }));
    const k = new Kubectl({ namespace: 'shop', env: { ...box.env('kubectl-cluster'), FAKE_KUBECTL_ROUTES: routes } });
    const g = await gatherPod(k, POD, {});
    expect(box.calls().map((c) => c.argv.join(' '))).toContain('get events -n shop -o json');
    expect(g.input.events).toHaveLength(8); // only this pod's, out of the namespace's
    expect(g.notes).toEqual([]);
  });

  it('stops with the kubectl error when the pod itself cannot be read', async () => {
    const k = new Kubectl({ namespace: 'shop', env: box.env('kubectl-notfound') });
    const e = await failure(gatherPod(k, 'web-0', {}));
    expect(e.exitCode).toBe(2);
    box.calls();
  });
});

describe('gathering from files (nothing read from the cluster)', () => {
  const k = () => new Kubectl({ env: box.env('kubectl-hang') }); // would hang if it were called

  it('takes the named pod out of a List, its events out of a mixed event list, and a bare log file as the crashed container\'s previous logs', async () => {
    const g = await gatherPod(k(), POD, {
      podFiles: [f('deployments/stuck-crashloop/pods.json')],
      eventsFiles: [f('deployments/stuck-crashloop/events.json')],
      logsFiles: [f('kubectl/crash/logs-app-previous.txt')],
    });
    expect(g.source).toBe('files');
    expect((g.input.pod.metadata as { name: string }).name).toBe(POD);
    expect(g.input.events).toHaveLength(8); // the Deployment and ReplicaSet events are not the pod's
    expect(g.input.logs).toEqual({ app: { previous: readFileSync(f('kubectl/crash/logs-app-previous.txt'), 'utf8') } });
    expect(box.calls()).toEqual([]);
  });

  it('reads YAML (several documents) as well as JSON, and CONTAINER[:previous]=FILE log arguments', async () => {
    const yamlFile = path.join(box.root, 'pod and events.yaml');
    writeFileSync(yamlFile, `${stringify(json('kubectl/crash/pod.json'))}---\n${stringify(json('kubectl/crash/events.json'))}`);
    const g = await gatherPod(k(), undefined, { files: [yamlFile], logsFiles: [`log-shipper=${f('kubectl/crash/logs-app.txt')}`, `app:previous=${f('kubectl/crash/logs-app-previous.txt')}`] });
    expect((g.input.pod.metadata as { name: string }).name).toBe(POD);
    expect(g.input.events).toHaveLength(8);
    expect(g.input.logs?.['log-shipper']).toEqual({ current: '' });
    expect(g.input.logs?.app?.previous).toContain('panic:');
  });

  it('notes when no events were given', async () => {
    const g = await gatherPod(k(), undefined, { podFiles: [f('kubectl/crash/pod.json')] });
    expect(g.input.events).toEqual([]);
    expect(g.notes).toEqual(['no events given (--events-file): diagnosing from the pod status alone']);
  });

  it('bad files are usage errors naming the file (and the line for YAML)', async () => {
    const bad = path.join(box.root, 'bad.yaml');
    writeFileSync(bad, 'kind: Pod\nmetadata:\n  name: [unclosed\n');
    const e1 = await failure(readObjectsFile(bad, '--pod-file'));
    expect([e1.exitCode, e1.message]).toEqual([2, expect.stringMatching(/^--pod-file: .*bad\.yaml:\d+ is not valid YAML/)]);
    const badJson = path.join(box.root, 'bad.json');
    writeFileSync(badJson, '{"kind": "Pod",');
    expect((await failure(readObjectsFile(badJson, '--file'))).message).toMatch(/bad\.json is not valid JSON/);
    expect((await failure(readObjectsFile(path.join(box.root, 'nope.json'), '--file'))).message).toMatch(/--file: file not found: .*nope\.json/);
    const many = await failure(gatherPod(k(), undefined, { podFiles: [f('deployments/stuck-crashloop/pods.json')] }));
    expect(many.message).toMatch(/the files hold 4 pods .*name the one to diagnose/);
    expect((await failure(gatherPod(k(), 'other', { podFiles: [f('kubectl/crash/pod.json')] }))).message).toMatch(/pod "other" is not in the files/);
  });
});

describe('failing containers, log arguments, events', () => {
  it('finds the crash-looping container and not its healthy sidecar; none in a Succeeded pod', () => {
    expect(failingContainers(json('kubectl/crash/pod.json'))).toEqual([{ name: 'app', init: false, restartCount: 6 }]);
    const pods = json('namespaces/payments/pods.json').items as Record<string, unknown>[];
    const byName = (n: string) => pods.find((p) => (p.metadata as { name: string }).name === n)!;
    expect(failingContainers(byName('payments-report-29401230-k7m2p'))).toEqual([]);
    expect(failingContainers(byName('payments-7d4b9c8f6-2hq8k'))).toEqual([{ name: 'payments', init: false, restartCount: 0, neverStarted: true }]);
    expect(failingContainers(byName('payments-api-5b8d6c7f9-r4t2w'))).toEqual([]);
  });

  it('parses --logs-file values', () => {
    expect(parseLogsFileArg('app=/tmp/a.log')).toEqual({ container: 'app', previous: false, path: '/tmp/a.log' });
    expect(parseLogsFileArg('app:previous=a=b.log')).toEqual({ container: 'app', previous: true, path: 'a=b.log' });
    expect(parseLogsFileArg('/tmp/x=1/app.log')).toEqual({ container: null, previous: false, path: '/tmp/x=1/app.log' });
  });

  it('matches events of either shape to their pod, and not to an older pod of the same name', () => {
    const pod = json('kubectl/crash/pod.json');
    const uid = (pod.metadata as { uid: string }).uid;
    const core = { involvedObject: { kind: 'Pod', name: POD, namespace: 'shop', uid }, reason: 'BackOff', message: 'x' };
    const modern = { apiVersion: 'events.k8s.io/v1', regarding: { kind: 'Pod', name: POD, namespace: 'shop', uid }, reason: 'Unhealthy', note: 'y' };
    const older = { involvedObject: { kind: 'Pod', name: POD, namespace: 'shop', uid: 'another-uid' }, reason: 'Killing', message: 'z' };
    const otherNs = { involvedObject: { kind: 'Pod', name: POD, namespace: 'dev' }, reason: 'Pulled', message: 'w' };
    expect(eventsFor([core, modern, older, otherNs], 'Pod', pod)).toEqual([core, modern]);
  });
});

describe('gathering workloads from the cluster', () => {
  const k = () => new Kubectl({ namespace: 'shop', env: box.env('kubectl-cluster') });

  it('deployment: the object, its ReplicaSets and pods by selector, the namespace events once; logs only for the new ReplicaSet\'s failing pod', async () => {
    const g = await gatherDeployment(k(), 'api', {});
    const calls = box.calls().map((c) => c.argv);
    expect(calls[0]).toEqual(['get', 'deployment', 'api', '-o', 'json', '-n', 'shop']);
    expect(calls.slice(1, 4).sort()).toEqual([
      ['get', 'events', '-n', 'shop', '-o', 'json'],
      ['get', 'pods', '-l', 'app=api', '-n', 'shop', '-o', 'json'],
      ['get', 'replicasets', '-l', 'app=api', '-n', 'shop', '-o', 'json'],
    ]);
    expect(calls.slice(4).map((a) => a.slice(0, 4))).toEqual([['logs', POD, '-c', 'app'], ['logs', POD, '-c', 'app']]);
    expect(g.input.pods.map((p) => (p.pod.metadata as { name: string }).name)).toEqual([POD]);
    expect(g.input.pods[0]!.events).toHaveLength(8);
  });

  it('service: the service, all pods of its namespace, its EndpointSlices by label', async () => {
    const g = await gatherService(k(), 'checkout', {});
    const calls = box.calls().map((c) => c.argv);
    expect(calls[0]).toEqual(['get', 'service', 'checkout', '-o', 'json', '-n', 'shop']);
    expect(calls.slice(1, 4).sort()).toEqual([
      ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=checkout', '-n', 'shop', '-o', 'json'],
      ['get', 'events', '-n', 'shop', '-o', 'json'],
      ['get', 'pods', '-n', 'shop', '-o', 'json'],
    ]);
    expect(g.input.endpointSlices).toHaveLength(1);
    expect(g.input.pods).toHaveLength(6);
  });

  it('namespace: a namespace that does not exist is a usage error, even though `get pods` answers with an empty list', async () => {
    const e = await failure(gatherNamespace(new Kubectl({ env: box.env('kubectl-notfound') }), 'nope', {}));
    expect([e.exitCode, e.code]).toEqual([2, 'kubectl.not_found']);
    expect(e.message).toContain('namespace "nope" not found');
    box.calls();
  });
});

describe('gathering workloads from files', () => {
  const k = () => new Kubectl({ env: box.env('kubectl-hang') });

  it('deployment without its ReplicaSets: the pods matching its selector, with a note', async () => {
    const g = await gatherDeployment(k(), 'api', { files: [f('deployments/stuck-crashloop/deployment.json'), f('kubectl/shop-pods.json')] });
    expect(g.input.pods.map((p) => (p.pod.metadata as { name: string }).name)).toHaveLength(4); // not the checkout pods
    expect(g.notes[0]).toMatch(/no ReplicaSet of this deployment in the files/);
  });

  it('deployment with three ReplicaSets and events.k8s.io/v1 events: the newest ReplicaSet\'s pods, each with its own events', async () => {
    const files = ['deployment', 'replicasets', 'pods', 'events'].map((n) => f(`deployments/stuck-imagepull/${n}.json`));
    const g = await gatherDeployment(k(), undefined, { files });
    expect(g.input.pods.map((p) => [(p.pod.metadata as { name: string }).name, p.events.length])).toEqual([['api-84c5b7d9f6-c4wzp', 5], ['api-84c5b7d9f6-r9d2k', 5]]);
    expect(g.notes).toEqual([]);
  });

  it('log files alone are not a pod', async () => {
    const e = await failure(gatherPod(k(), 'x', { logsFiles: [f('kubectl/crash/logs-app.txt')] }));
    expect(e.message).toMatch(/give the pod with --pod-file/);
  });
});
