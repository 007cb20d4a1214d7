import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/exit-codes.js';
import { Kubectl, kubectlArgs, kubectlFailure, showCommand, stderrLine } from '../../src/diagnose/kubectl.js';
import type { ToolRun } from '../../src/tester/tools/exec.js';
import { makeSandbox } from '../tester/tools/helpers.js';

const box = makeSandbox();
afterAll(() => box.cleanup());
const POD = 'api-6d8f9c7b5-8xk2p';

async function failure(p: Promise<unknown>): Promise<CliError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

function run(stderr: string, exitCode = 1): ToolRun {
  return { bin: 'kubectl', args: ['get', 'pod', 'x', '-o', 'json'], exitCode, stdout: '', stderr, timedOut: false, durationMs: 5, error: null };
}

describe('kubectl arguments', () => {
  it('runs at most MAX_PARALLEL kubectl processes at once', async () => {
    const routes = path.join(box.root, 'routes-slow.json');
    const trace = path.join(box.root, 'trace.txt');
    writeFileSync(routes, JSON.stringify({ '*': { stdout: 'kubectl/empty-list.json', delay: 400 } }));
    const k = new Kubectl({ env: { ...box.env('kubectl-cluster'), FAKE_KUBECTL_ROUTES: routes, FAKE_KUBECTL_TRACE: trace } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => k.run(['get', 'pods', `p${i}`])));
    box.calls();
    let now = 0;
    let max = 0;
    for (const line of readFileSync(trace, 'utf8').split('\n').filter(Boolean)) {
      now += line === 'start' ? 1 : -1;
      max = Math.max(max, now);
    }
    expect(now).toBe(0);
    expect(max).toBeGreaterThan(1);
    expect(max).toBeLessThanOrEqual(Kubectl.MAX_PARALLEL);
  });

  it('puts --context/--kubeconfig first and -n last, each value its own argument', () => {
    expect(kubectlArgs({ context: 'prod eks', kubeconfig: '/k/c f', namespace: 'shop' }, ['get', 'pod', 'a'])).toEqual([
      '--context', 'prod eks', '--kubeconfig', '/k/c f', 'get', 'pod', 'a', '-n', 'shop',
    ]);
    expect(kubectlArgs({ namespace: 'shop' }, ['get', 'node', 'n1'], { namespaced: false })).toEqual(['get', 'node', 'n1']);
    expect(kubectlArgs({}, ['get', 'pods'])).toEqual(['get', 'pods']);
  });

  it('keeps every value one argument, in place, whatever it contains (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.option(fc.string()), fc.array(fc.string(), { maxLength: 5 }), (context, kubeconfig, namespace, args) => {
        const target = { context: context ?? undefined, kubeconfig: kubeconfig ?? undefined, namespace: namespace ?? undefined };
        const out = kubectlArgs(target, args);
        const expected = [
          ...(target.context ? ['--context', target.context] : []),
          ...(target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []),
          ...args,
          ...(target.namespace ? ['-n', target.namespace] : []),
        ];
        expect(out).toEqual(expected);
      }),
    );
  });

  it('shows a command the way a user would type it, quoting only what needs it', () => {
    expect(showCommand(['get', 'pod', 'a b', '-n', 'shop'])).toBe("kubectl get pod 'a b' -n shop");
  });

  it('runs the kubectl on PATH with the exact argument array, and parses its JSON', async () => {
    const k = new Kubectl({ context: 'prod-eks', kubeconfig: path.join(box.root, 'my config'), namespace: 'shop', env: box.env('kubectl-cluster') });
    const pod = await k.getJson(['get', 'pod', POD], { kind: 'pod', name: POD });
    expect((pod.metadata as { name: string }).name).toBe(POD);
    expect(box.calls().map((c) => c.argv)).toEqual([
      ['--context', 'prod-eks', '--kubeconfig', path.join(box.root, 'my config'), 'get', 'pod', POD, '-o', 'json', '-n', 'shop'],
    ]);
    expect(box.pwned()).toBe(false);
  });
});

describe('kubectl failures become errors a user can act on', () => {
  it('NotFound: exit 2 naming the object and namespace', async () => {
    const k = new Kubectl({ namespace: 'shop', env: box.env('kubectl-notfound') });
    const e = await failure(k.getJson(['get', 'pod', 'web-0'], { kind: 'pod', name: 'web-0' }));
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('kubectl.not_found');
    expect(e.message).toContain('pod "web-0" in namespace "shop" not found');
    expect(e.message).toContain('pods "web-0" not found');
  });

  it('unreachable cluster: exit 3 (blocked) quoting kubectl and saying what to check', async () => {
    const k = new Kubectl({ namespace: 'shop', context: 'kind-dev', env: box.env('kubectl-unreachable') });
    const e = await failure(k.getJson(['get', 'pod', 'web-0'], { kind: 'pod', name: 'web-0' }));
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('kubectl.unreachable');
    expect(e.message).toContain('The connection to the server 127.0.0.1:6443 was refused');
    expect(e.message).toContain('context "kind-dev"');
  });

  it('unknown context: exit 3 pointing at --context / --kubeconfig', async () => {
    const k = new Kubectl({ context: 'prod-eks', env: box.env('kubectl-nocontext') });
    const e = await failure(k.getJson(['get', 'node', 'n1'], { kind: 'node', name: 'n1' }));
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('kubectl.no_context');
    expect(e.message).toMatch(/context "prod-eks" does not exist.*--context/);
  });

  it('a hung kubectl is killed at the timeout: exit 3', async () => {
    const k = new Kubectl({ timeoutMs: 400, env: box.env('kubectl-hang') });
    const e = await failure(k.getJson(['get', 'pods']));
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('kubectl.timeout');
    expect(e.message).toMatch(/timed out after 0\.4 s/);
  });

  it('no kubectl installed: exit 3 with how to install it', async () => {
    const k = new Kubectl({ env: { PATH: box.nodeDir } });
    const e = await failure(k.getJson(['get', 'pods']));
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('kubectl.missing');
    expect(e.message).toContain('apt-get install kubectl');
    expect(e.message).toContain('https://kubernetes.io/docs/tasks/tools/');
  });

  it('output that is not JSON: exit 1 naming the command', async () => {
    const k = new Kubectl({ namespace: 'shop', env: box.env('kubectl-cluster') });
    const e = await failure(k.getJson(['logs', POD, '-c', 'app', '--previous']));
    expect(e.exitCode).toBe(1);
    expect(e.code).toBe('kubectl.bad_output');
    expect(e.message).toContain(`kubectl logs ${POD} -c app --previous -o json -n shop`);
  });

  it('a request it has no answer for: exit 1 with kubectl\'s first stderr line', async () => {
    const routes = path.join(box.root, 'routes.json');
    writeFileSync(routes, JSON.stringify({ '*': { stderr: 'error: the server doesn\'t have a resource type "deploymnt"\n', code: 1 } }));
    const k = new Kubectl({ env: { ...box.env('kubectl-cluster'), FAKE_KUBECTL_ROUTES: routes } });
    const e = await failure(k.getJson(['get', 'deploymnt', 'x']));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('`kubectl get deploymnt x -o json` failed: error: the server doesn\'t have a resource type "deploymnt"');
  });

  it('quotes kubectl\'s own verdict, not the client-go log lines printed before it', () => {
    const stderr = 'E1123 10:21:04.512113   48211 memcache.go:265] couldn\'t get current server API group list: Get "https://127.0.0.1:6443/api?timeout=32s": dial tcp 127.0.0.1:6443: connect: connection refused\nerror: You must be logged in to the server (Unauthorized)\n';
    expect(stderrLine(stderr)).toBe('error: You must be logged in to the server (Unauthorized)');
    expect(stderrLine('warning: something\nmore\n')).toBe('warning: something');
    expect(stderrLine('\n  \n')).toBeNull();
    expect(stderrLine('x'.repeat(500))).toHaveLength(300);
  });

  it('classifies RBAC, expired credentials and wrong kubeconfig', () => {
    const forbidden = kubectlFailure(run('Error from server (Forbidden): pods "x" is forbidden: User "dev" cannot get resource "pods" in API group "" in the namespace "shop"\n'), {});
    expect([forbidden?.exitCode, forbidden?.code]).toEqual([3, 'kubectl.forbidden']);
    const auth = kubectlFailure(run('error: You must be logged in to the server (Unauthorized)\n'), {});
    expect([auth?.exitCode, auth?.code]).toEqual([3, 'kubectl.unauthorized']);
    const cfg = kubectlFailure(run('error: error loading config file "/root/.kube/config": yaml: line 4: mapping values are not allowed in this context\n'), {});
    expect([cfg?.exitCode, cfg?.code]).toEqual([3, 'kubectl.no_context']);
    const dns = kubectlFailure(run('Unable to connect to the server: dial tcp: lookup ABCD.gr7.eu-west-1.eks.amazonaws.com on 127.0.0.53:53: no such host\n'), { context: 'prod' });
    expect([dns?.exitCode, dns?.code]).toEqual([3, 'kubectl.unreachable']);
    const exec = kubectlFailure(run('Unable to connect to the server: getting credentials: exec: executable aws failed with exit code 255\n'), {});
    expect([exec?.exitCode, exec?.code]).toEqual([3, 'kubectl.unauthorized']);
    expect(kubectlFailure(run('', 0), {})).toBeNull();
  });
});
