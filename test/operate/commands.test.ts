import { describe, expect, it } from 'vitest';
import { CommandsFileError, parseCommandLine, parseCommandsFile, tokenize } from '../../src/operate/commands.js';

function refusal(fn: () => unknown): CommandsFileError {
  try {
    fn();
  } catch (e) {
    return e as CommandsFileError;
  }
  throw new Error('not refused');
}

describe('tokenizer', () => {
  it('splits like a shell would for plain words and quotes, without running one', () => {
    expect(tokenize(`kubectl patch deployment my-api -p '{"spec":{"replicas":3}}' --type merge`)).toEqual([
      'kubectl', 'patch', 'deployment', 'my-api', '-p', '{"spec":{"replicas":3}}', '--type', 'merge',
    ]);
    expect(tokenize('kubectl annotate deploy/x note="a b \\"c\\"" k=v\\ w')).toEqual(['kubectl', 'annotate', 'deploy/x', 'note=a b "c"', 'k=v w']);
    expect(tokenize("kubectl label deploy x empty=''")).toEqual(['kubectl', 'label', 'deploy', 'x', 'empty=']);
  });

  it('refuses composite commands and shell syntax, naming the line', () => {
    for (const [text, what] of [
      ['kubectl scale deploy/a --replicas=2 && kubectl delete deploy/b', '&&'],
      ['kubectl get pods | grep x', '|'],
      ['kubectl delete deploy/a; rm -rf /', ';'],
      ['kubectl apply -f x.yaml > out', '>'],
      ['kubectl apply -f $(ls)', '$('],
      ['kubectl apply -f `ls`', 'backticks'],
      ['kubectl set env deploy/a X=${HOME}', '${'],
      ['kubectl scale deploy/a --replicas=2 &', '&'],
    ] as const) {
      const e = refusal(() => parseCommandsFile(`# header\n\nkubectl rollout status deploy/ok\n${text}\n`, 'shop'));
      expect(e.line, text).toBe(4);
      expect(e.message).toMatch(/^line 4: /);
      expect(e.message).toContain(what);
      expect(e.exitCode).toBe(2);
    }
  });

  it('keeps quoted shell characters as plain text (they never reach a shell)', () => {
    expect(tokenize(`kubectl annotate deploy/a note='a | b && c; d > e'`)).toEqual(['kubectl', 'annotate', 'deploy/a', 'note=a | b && c; d > e']);
  });

  it('refuses unterminated quotes and line continuations', () => {
    expect(refusal(() => tokenize(`kubectl annotate deploy/a note='x`, 7)).message).toBe('line 7: unterminated single quote');
    expect(refusal(() => tokenize('kubectl annotate deploy/a \\', 2)).message).toMatch(/line 2: a trailing backslash/);
  });
});

describe('allowlist', () => {
  it('accepts only kubectl and helm with the allowed verbs', () => {
    for (const line of [
      'sh -c "kubectl delete ns prod"',
      'kubectl exec -it pod/x -- sh',
      'kubectl get pods',
      'kubectl rollout history deploy/x',
      'kubectl set subject clusterrolebinding/x --user=me',
      'helm template x repo/chart',
      'helm repo add x https://example.com',
      '/usr/bin/kubectl delete pod x',
    ]) {
      const e = refusal(() => parseCommandLine(line, 3, null));
      expect(e.message, line).toMatch(/^line 3: (only kubectl and helm|kubectl .* is not allowed|helm .* is not allowed)/);
    }
  });

  it('refuses flags that would run something other than what was approved or escape the snapshot', () => {
    expect(refusal(() => parseCommandLine('kubectl apply -f x.yaml --dry-run=none', 1, null)).message).toContain('--dry-run is not allowed');
    expect(refusal(() => parseCommandLine('kubectl --kubeconfig /tmp/other scale deploy/x --replicas=1', 1, null)).message).toContain('--kubeconfig');
    expect(refusal(() => parseCommandLine('kubectl delete pods -l app=x', 1, null)).message).toMatch(/-l selects objects/);
    expect(refusal(() => parseCommandLine('kubectl delete pods --all', 1, null)).message).toMatch(/--all selects objects/);
    expect(refusal(() => parseCommandLine('kubectl apply -f -', 1, null)).message).toMatch(/stdin/);
    expect(refusal(() => parseCommandLine('helm upgrade web ./charts/web', 1, null)).message).toMatch(/local chart path/);
    expect(refusal(() => parseCommandLine('kubectl scale --replicas=3', 1, null)).message).toMatch(/names no object/);
  });

  it('names the objects each command changes and writes the session namespace into the command', () => {
    const c = parseCommandLine('kubectl set image deployment/my-api app=repo/my-api:2.0.0', 1, 'shop');
    expect(c).toMatchObject({ tool: 'kubectl', verb: 'set image', targets: [{ kind: 'deployment', name: 'my-api', namespace: 'shop' }] });
    expect(c.argv).toEqual(['kubectl', 'set', 'image', 'deployment/my-api', 'app=repo/my-api:2.0.0', '-n', 'shop']);

    expect(parseCommandLine('kubectl label deployment web worker tier=backend -n apps', 1, 'shop').targets).toEqual([
      { kind: 'deployment', name: 'web', namespace: 'apps' },
      { kind: 'deployment', name: 'worker', namespace: 'apps' },
    ]);
    const drain = parseCommandLine('kubectl drain ip-10-0-1-5 --ignore-daemonsets', 1, 'shop');
    expect(drain.targets).toEqual([{ kind: 'Node', name: 'ip-10-0-1-5', namespace: null }]);
    expect(drain.argv).not.toContain('-n');
    expect(parseCommandLine('kubectl create configmap app-config --from-literal=mode=fast', 1, 'shop').targets).toEqual([{ kind: 'configmap', name: 'app-config', namespace: 'shop' }]);
    expect(parseCommandLine('kubectl rollout undo deployment/checkout --to-revision=3', 1, 'shop')).toMatchObject({ verb: 'rollout undo', targets: [{ kind: 'deployment', name: 'checkout' }] });
    expect(parseCommandLine('helm upgrade web bitnami/nginx --version 15.1.0 -n web', 1, 'shop')).toMatchObject({
      verb: 'upgrade',
      targets: [{ kind: 'HelmRelease', name: 'web', namespace: 'web' }],
    });
    expect(parseCommandLine('kubectl apply -f hpa.yaml', 1, null)).toMatchObject({ files: ['hpa.yaml'], targets: [] });
  });

  it('an empty file is refused', () => {
    expect(refusal(() => parseCommandsFile('# nothing\n\n', null)).message).toMatch(/holds no command/);
  });

describe('secrets', () => {
  it('refuses a command carrying a secret value: the session would store it in clear', () => {
    for (const line of [
      'kubectl create secret generic db --from-literal=password=hunter2-hunter2 -n shop',
      'kubectl set env deployment/my-api DB_PASSWORD=s3cr3t-value -n shop',
      'helm upgrade web bitnami/nginx --version 15.1.0 --set auth.password=s3cr3t-value',
    ]) {
      const e = refusal(() => parseCommandLine(line, 5, null));
      expect(e.message, line).toMatch(/^line 5: argument \d+ carries a secret value \(.*\[REDACTED:/);
      expect(e.message).not.toMatch(/hunter2|s3cr3t/);
    }
  });
});
});
