/** Focused checks on the rules: time judgements, wording variants, remediation and risk details. */
import { describe, expect, it } from 'vitest';
import { diagnosePod } from '../../../src/diagnose/pod/index.js';
import { classifyPullMessage } from '../../../src/diagnose/pod/rules/image-pull.js';
import { parseConfigError } from '../../../src/diagnose/pod/rules/create-container-config.js';
import { commandTier } from '../../../src/diagnose/pod/risk.js';
import { parseMemory, raisedMemory } from '../../../src/diagnose/pod/quantity.js';
import type { PodInput } from '../../../src/diagnose/types.js';
import { PODS_DIR, loadCase } from './fixtures.js';
import { join } from 'node:path';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (label: string, id: string) => loadCase(join(PODS_DIR, label, id), label, id);
const clone = (i: PodInput): PodInput => ({ ...structuredClone({ pod: i.pod, events: i.events, logs: i.logs }), now: i.now });
const minutesAfter = (d: Date | undefined, m: number) => new Date(d!.getTime() + m * 60_000);

describe('time: recent against stopped long ago', () => {
  it('readiness failures: not a problem while the container is ready, the cause when it is unready now', () => {
    const c = load('Healthy', 'old-readiness-failures');
    expect(diagnosePod(c.input).rootCause).toBe('Healthy');
    const unready = clone(c.input);
    const st = (unready.pod as Any).status;
    st.containerStatuses[0].ready = false;
    const ready = st.conditions.find((x: Any) => x.type === 'Ready');
    Object.assign(ready, { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [api]', lastTransitionTime: '2026-11-20T09:38:00Z' });
    const d = diagnosePod(unready);
    expect(d.rootCause).toBe('ReadinessProbeFailure');
    expect(d.container).toBe('api');
    expect(d.evidence.map((e) => e.path)).toContain('event:Unhealthy');
  });

  it('a few restarts: RunningWithRestarts within the hour, Healthy days later; many restarts stay visible for 30 days', () => {
    const c = load('RunningWithRestarts', 'oom-restarts-running-now');
    const few = clone(c.input);
    (few.pod as Any).status.containerStatuses[0].restartCount = 2;
    few.events = [];
    expect(diagnosePod(few).rootCause).toBe('RunningWithRestarts');
    expect(diagnosePod({ ...few, now: minutesAfter(c.input.now, 3 * 24 * 60) }).rootCause).toBe('Healthy');
    expect(diagnosePod({ ...clone(c.input), events: [], now: minutesAfter(c.input.now, 3 * 24 * 60) }).rootCause).toBe('RunningWithRestarts');
    expect(diagnosePod({ ...clone(c.input), events: [], now: minutesAfter(c.input.now, 40 * 24 * 60) }).rootCause).toBe('Healthy');
  });

  it('unready for half an hour after a single old crash is a readiness problem, not a crash loop', () => {
    const c = load('ReadinessProbeFailure', 'http-503-unready-now');
    const i = clone(c.input);
    const s = (i.pod as Any).status.containerStatuses[0];
    s.restartCount = 1;
    s.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-11-20T08:55:00Z', finishedAt: '2026-11-20T09:58:00Z' } };
    s.state.running.startedAt = '2026-11-20T09:58:10Z';
    expect(diagnosePod(i).rootCause).toBe('ReadinessProbeFailure');
    // …but right after the restart, it is the crash that matters.
    expect(diagnosePod({ ...i, now: new Date('2026-11-20T10:00:00Z') }).rootCause).toBe('AppCrash');
  });

  it('a recording diagnosed later without `now` is judged at the time of its events', () => {
    const c = load('ReadinessProbeFailure', 'http-503-unready-now');
    const { now: _now, ...rest } = c.input;
    expect(diagnosePod(rest).rootCause).toBe('ReadinessProbeFailure');
  });

  it('an init container running briefly is normal; running for long without finishing is stuck', () => {
    const c = load('InitContainerFailure', 'stuck-waiting-for-dependency');
    const started = Date.parse((c.input.pod as Any).status.initContainerStatuses[0].state.running.startedAt);
    expect(diagnosePod({ ...c.input, now: new Date(started + 60_000) }).rootCause).toBe('Healthy');
    expect(diagnosePod(c.input).rootCause).toBe('InitContainerFailure');
  });
});

describe('CrashLoopBackOff names why it loops', () => {
  it('exit 137 with a liveness probe and no events left: LivenessProbeFailure, low confidence', () => {
    const c = load('LivenessProbeFailure', 'http-500-killed-137');
    const d = diagnosePod({ ...clone(c.input), events: [] });
    expect(d.rootCause).toBe('LivenessProbeFailure');
    expect(d.confidence).toBe('low');
    expect(d.summary).toContain('CrashLoopBackOff');
  });

  it('a container that exits 0 in a Deployment loops (AppCrash) unless the pod is being deleted', () => {
    const c = load('Healthy', 'long-lived-no-events');
    const i = clone(c.input);
    const s = (i.pod as Any).status.containerStatuses[0];
    s.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-11-11T10:00:00Z', finishedAt: '2026-11-20T10:29:00Z' } };
    s.ready = false;
    expect(diagnosePod(i).rootCause).toBe('AppCrash');
    (i.pod as Any).metadata.deletionTimestamp = '2026-11-20T10:28:58Z';
    expect(diagnosePod(i).rootCause).not.toBe('AppCrash');
    s.state.terminated.exitCode = 143;
    s.state.terminated.reason = 'Error';
    expect(diagnosePod(i).rootCause).not.toBe('AppCrash');
  });

  it('the same exit without a liveness probe is an application crash', () => {
    const c = load('LivenessProbeFailure', 'http-500-killed-137');
    const i = clone(c.input);
    delete (i.pod as Any).spec.containers[0].livenessProbe;
    i.events = [];
    expect(diagnosePod(i).rootCause).toBe('AppCrash');
  });

  it('two failing containers: the stronger cause wins, the other is secondary', () => {
    const c = load('OOMKilled', 'second-container-oom-1gi');
    const i = clone(c.input);
    const http = (i.pod as Any).status.containerStatuses[0];
    http.ready = false;
    http.restartCount = 3;
    http.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=http pod=search-0_search(x)' } };
    http.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-11-20T10:25:00Z', finishedAt: '2026-11-20T10:26:00Z' } };
    const d = diagnosePod(i);
    expect(d.rootCause).toBe('OOMKilled');
    expect(d.container).toBe('indexer');
    expect(d.secondary).toEqual([expect.objectContaining({ rootCause: 'AppCrash' })]);
  });
});

describe('remediation', () => {
  it('OOMKilled: names the limit, doubles it, as a manifest change and a set resources on the owner', () => {
    const d = diagnosePod(load('OOMKilled', 'crashloop-oom-256mi').input);
    expect(d.summary).toContain('256Mi');
    expect(d.remediation.steps[0]).toBe('spec.containers[name=app].resources.limits.memory: 256Mi -> 512Mi');
    expect(d.remediation.commands).toContain('kubectl -n shop set resources deployment/web -c app --limits=memory=512Mi');
    expect(d.remediation.commands).toContain('kubectl -n shop logs web-5b6c8d7f9-r7pzt -c app --previous');
    expect(d.riskTier).toBe('medium');
    expect(d.state).toEqual({ phase: 'Running', ready: '0/1', restarts: 5, owner: 'deployment/web' });
  });

  it('the owner: a ReplicaSet without the matching hash stays a ReplicaSet; a bare pod gets no set command', () => {
    const c = load('OOMKilled', 'crashloop-oom-256mi');
    const i = clone(c.input);
    (i.pod as Any).metadata.labels['pod-template-hash'] = 'abc';
    expect(diagnosePod(i).state.owner).toBe('replicaset/web-5b6c8d7f9');
    delete (i.pod as Any).metadata.ownerReferences;
    const d = diagnosePod(i);
    expect(d.state.owner).toBeNull();
    expect(d.remediation.commands.some((x) => x.includes('set resources'))).toBe(false);
    expect(d.remediation.steps.join(' ')).toMatch(/no controller/);
  });

  it('risk tiers follow what a command touches and the environment', () => {
    expect(commandTier('kubectl -n shop logs web-1 -c app --previous', 'shop')).toBe('trivial');
    expect(commandTier('kubectl -n shop describe pvc data', 'shop-prod')).toBe('trivial');
    expect(commandTier('kubectl -n shop delete pod web-1', 'shop')).toBe('low');
    expect(commandTier('kubectl -n shop set resources deployment/web -c app --limits=memory=512Mi', 'shop')).toBe('medium');
    expect(commandTier('kubectl -n shop delete pvc data-0', 'shop')).toBe('medium');
    expect(commandTier('kubectl -n shop-prod delete pvc data-0', 'shop-prod')).toBe('critical');
    expect(commandTier('kubectl drain ip-10-0-1-2 --ignore-daemonsets', 'production')).toBe('critical');
    expect(commandTier('kubectl -n node-exporter delete pod node-exporter-x', 'node-exporter')).toBe('low');
  });

  it('memory quantities', () => {
    expect(parseMemory('256Mi')).toBe(256 * 1024 ** 2);
    expect(parseMemory('1.5Gi')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('500M')).toBe(500e6);
    expect(parseMemory('lots')).toBeNull();
    expect(raisedMemory(parseMemory('256Mi'))).toBe('512Mi');
    expect(raisedMemory(parseMemory('1Gi'))).toBe('2Gi');
    expect(raisedMemory(parseMemory('300M'))).toBe('576Mi');
    expect(raisedMemory(null)).toBe('512Mi');
  });
});

describe('message wording across versions', () => {
  const prefixed = (m: string) => `rpc error: code = Unknown desc = ${m}`;
  it.each([
    ['failed to pull and unpack image "docker.io/library/nginx:9": failed to resolve reference "docker.io/library/nginx:9": docker.io/library/nginx:9: not found', 'ImagePullNotFound'],
    ['Error response from daemon: manifest for nginx:9 not found: manifest unknown: manifest unknown', 'ImagePullNotFound'],
    ['Error response from daemon: pull access denied for acme/private, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied', 'ImagePullAuth'],
    ['failed to pull and unpack image "x": failed to resolve reference "x": unexpected status from HEAD request to https://r.example.com/v2/x/manifests/1: 403 Forbidden', 'ImagePullAuth'],
    ['Error response from daemon: Get https://1.dkr.ecr.eu-west-1.amazonaws.com/v2/a/manifests/1: no basic auth credentials', 'ImagePullAuth'],
    ['failed to pull and unpack image "x": failed to copy: httpReadSeeker: failed open: unexpected status code https://r/v2/x: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.', 'ImagePullAuth'],
    ['failed to pull and unpack image "x": failed to resolve reference "x": failed to do request: Head "https://r.internal/v2/x/manifests/1": dial tcp: lookup r.internal on 10.0.0.2:53: no such host', 'ImagePullRegistryUnreachable'],
    ['Error response from daemon: Get "https://r.example.com/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', 'ImagePullRegistryUnreachable'],
    ['failed to pull and unpack image "x": failed to resolve reference "x": failed to do request: Head "https://r/v2/x/manifests/1": dial tcp 10.1.2.3:443: connect: connection refused', 'ImagePullRegistryUnreachable'],
    ['failed to pull image "x": context deadline exceeded', 'ImagePullRegistryUnreachable'],
    ['failed to do request: Head "https://registry.local/v2/a/manifests/1": dial tcp: lookup registry.local on 10.96.0.10:53: server misbehaving', 'ImagePullRegistryUnreachable'],
  ])('%s', (message, cause) => {
    expect(classifyPullMessage(message)).toBe(cause);
    expect(classifyPullMessage(prefixed(message))).toBe(cause);
  });

  it('CreateContainerConfigError messages', () => {
    expect(parseConfigError('configmap "app-config" not found')).toEqual({ cause: 'MissingConfigMap', kind: 'ConfigMap', name: 'app-config' });
    expect(parseConfigError('configmaps "app-config" not found')).toMatchObject({ cause: 'MissingConfigMap', name: 'app-config' });
    expect(parseConfigError('secret "db" not found')).toEqual({ cause: 'MissingSecret', kind: 'Secret', name: 'db' });
    expect(parseConfigError("couldn't find key DATABASE_URL in ConfigMap shop/app-config")).toEqual({ cause: 'MissingConfigKey', kind: 'ConfigMap', name: 'app-config', key: 'DATABASE_URL' });
    expect(parseConfigError("Couldn't find key LOG_LEVEL in ConfigMap shop/app-config")).toMatchObject({ cause: 'MissingConfigKey', kind: 'ConfigMap', key: 'LOG_LEVEL' });
    expect(parseConfigError("couldn't find key password in Secret shop/db")).toEqual({ cause: 'MissingConfigKey', kind: 'Secret', name: 'db', key: 'password' });
    expect(parseConfigError('container has runAsNonRoot and image will run as root (pod: "a_b(c)", container: app)')).toEqual({ cause: 'RunAsNonRootViolation' });
    expect(parseConfigError('something else')).toBeNull();
  });

  it('an unknown CreateContainerConfigError wording: guessed from what the container references, low confidence', () => {
    const c = load('MissingSecret', 'web-secretkeyref');
    const i = clone(c.input);
    (i.pod as Any).status.containerStatuses[0].state.waiting.message = 'failed to sync secret cache: timed out waiting for the condition';
    i.events = [];
    const d = diagnosePod(i);
    expect(d.rootCause).toBe('MissingSecret');
    expect(d.confidence).toBe('low');
    expect(d.summary).toContain('db-credentials');
  });
});

describe('input variations', () => {
  it('events without a field path count for the only container', () => {
    const c = load('LivenessProbeFailure', 'http-500-killed-137');
    const i = clone(c.input);
    for (const e of i.events as Any[]) delete e.involvedObject.fieldPath;
    const d = diagnosePod(i);
    expect(d.rootCause).toBe('LivenessProbeFailure');
    expect(d.confidence).toBe('medium');
  });

  it("a namespace-wide event list: other pods' events are ignored", () => {
    const c = load('ImagePullAuth', 'ecr-no-basic-auth-expired-secret');
    const other = load('ImagePullRegistryUnreachable', 'dns-no-such-host');
    const i = clone(c.input);
    i.events = structuredClone(other.input.events);
    const d = diagnosePod(i);
    expect(d.rootCause).not.toBe('ImagePullRegistryUnreachable');
    expect(d.confidence).toBe('low');
    expect(d.evidence.some((e) => e.source === 'event')).toBe(false);
    // The same events about this pod would decide it.
    for (const e of i.events as Any[]) Object.assign(e.involvedObject, { name: (i.pod as Any).metadata.name, uid: (i.pod as Any).metadata.uid, namespace: 'reports' });
    expect(diagnosePod(i).rootCause).toBe('ImagePullRegistryUnreachable');
  });

  it('a pod given as `kubectl get pods -l … -o json` (a List of one) is read as that pod', () => {
    const c = load('OOMKilled', 'crashloop-oom-256mi');
    const d = diagnosePod({ ...c.input, pod: { apiVersion: 'v1', kind: 'List', items: [c.input.pod] } });
    expect(d.rootCause).toBe('OOMKilled');
    expect(d.name).toBe('web-5b6c8d7f9-r7pzt');
  });

  it('sandbox and mount failures: the newer one is the blocker (volumes mount before the sandbox)', () => {
    const c = load('PodSandboxFailure', 'aws-cni-no-ip');
    const i = clone(c.input);
    const sandbox = (i.events as Any[]).find((e) => e.reason === 'FailedCreatePodSandBox');
    (i.events as Any[]).push({ ...structuredClone(sandbox), reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "config" : configmap "web-files" not found', lastTimestamp: '2026-11-20T10:29:59Z' });
    expect(diagnosePod(i).rootCause).toBe('VolumeMountFailure');
    expect(diagnosePod(c.input).rootCause).toBe('PodSandboxFailure');
  });

  it('a reference the runtime rejects at pull time is an invalid image name', () => {
    const c = load('ImagePullNotFound', 'docker-era-ecr-manifest-unknown');
    const i = clone(c.input);
    const st = (i.pod as Any).status.containerStatuses[0];
    st.state.waiting.message = 'rpc error: code = Unknown desc = Error response from daemon: invalid reference format';
    i.events = [];
    expect(diagnosePod(i).rootCause).toBe('InvalidImageName');
  });
});

describe('native sidecars', () => {
  it('a sidecar (init container with restartPolicy Always) OOMKilled while the app runs: OOMKilled, named as an init container', () => {
    const c = load('Healthy', 'long-lived-no-events');
    const i = clone(c.input);
    const pod = i.pod as Any;
    pod.spec.initContainers = [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.1.9', restartPolicy: 'Always', resources: { limits: { memory: '64Mi' }, requests: { memory: '32Mi' } } }];
    pod.status.initContainerStatuses = [
      {
        name: 'log-shipper', image: 'docker.io/fluent/fluent-bit:3.1.9', imageID: '', ready: false, restartCount: 6, started: false,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=log-shipper pod=x' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-11-20T10:25:00Z', finishedAt: '2026-11-20T10:26:00Z' } },
      },
    ];
    const d = diagnosePod(i);
    expect(d.rootCause).toBe('OOMKilled');
    expect(d.container).toBe('log-shipper');
    expect(d.containerType).toBe('init');
    expect(d.remediation.steps[0]).toBe('spec.initContainers[name=log-shipper].resources.limits.memory: 64Mi -> 128Mi');
  });

  it('liveness failures without a Killing event decide only when every run reached the threshold; a few failures of a crashing app do not', () => {
    const c = load('LivenessProbeFailure', 'no-killing-event-exit-1');
    expect(diagnosePod(c.input).rootCause).toBe('LivenessProbeFailure');
    const few = clone(c.input);
    (few.events as Any[]).find((e) => e.reason === 'Unhealthy').count = 9; // 9 < 3 × 12 restarts
    const d = diagnosePod(few);
    expect(d.rootCause).toBe('AppCrash');
    expect(d.container).toBe('gateway');
  });

  it('a pod whose own selector keeps a few full nodes: the resource is the cause and the summary says the others were excluded on purpose', () => {
    const d = diagnosePod(load('Unschedulable_InsufficientResources', 'selector-leaves-full-gpu-nodes').input);
    expect(d.rootCause).toBe('Unschedulable_InsufficientResources');
    expect(d.summary).toContain('2/8 nodes rejected it: Insufficient nvidia.com/gpu');
    expect(d.summary).toContain('excludes the 6 others on purpose');
  });
});
