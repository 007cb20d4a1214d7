import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { makeRunner } from '../../src/operate/dry-run.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FAKE_BIN = join(ROOT, 'test', 'fixtures', 'fake-bin', 'kubectl-operate');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'operate');

export type Route = { stdout?: string; stdoutFile?: string; stderr?: string; code?: number };
export type Routes = { kubectl?: Record<string, Route | Route[]>; helm?: Record<string, Route | Route[]> };

export interface FakeCluster {
  /** Project folder (holds .infra-ops/ once something is written). */
  dir: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** Every call the fake tools received, in order. */
  calls: () => { tool: string; argv: string[] }[];
  setRoutes: (r: Routes) => void;
  write: (name: string, text: string) => string;
}

/** A project folder and an environment whose PATH holds only the fake kubectl/helm and node. */
export function fakeCluster(routes: Routes): FakeCluster {
  const dir = mkdtempSync(join(tmpdir(), 'infra-ops-operate-'));
  mkdirSync(join(dir, '.infra-ops'), { recursive: true });
  const routesFile = join(dir, 'routes.json');
  const argvFile = join(dir, 'argv.jsonl');
  writeFileSync(routesFile, JSON.stringify(routes));
  const env: NodeJS.ProcessEnv = {
    PATH: [FAKE_BIN, dirname(process.execPath)].join(delimiter),
    HOME: dir,
    FAKE_KUBECTL_ROUTES: routesFile,
    FAKE_ARGV_FILE: argvFile,
    FAKE_KUBECTL_STATE: join(dir, 'fake-state.json'),
  };
  return {
    dir,
    stateDir: join(dir, '.infra-ops'),
    env,
    calls: () => (existsSync(argvFile) ? readFileSync(argvFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    setRoutes: (r) => writeFileSync(routesFile, JSON.stringify(r)),
    write: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function deps(c: FakeCluster, context: string | null = null) {
  return { stateDir: c.stateDir, run: makeRunner({ context, env: c.env }), settings: resolveApprovalSettings(undefined), config: undefined };
}

export const NEW_IMAGE = 'registry.example.com/shop/my-api:2.0.0';
export const NOT_FOUND_HPA: Route = { stderr: 'Error from server (NotFound): horizontalpodautoscalers.autoscaling "my-api" not found\n', code: 1 };
export const NOT_FOUND_DEPLOY: Route = { stderr: 'Error from server (NotFound): deployments.apps "my-api" not found\n', code: 1 };
export const UNREACHABLE: Route = {
  stderr:
    'E1123 14:30:02.118273   48213 memcache.go:265] couldn\'t get current server API group list: Get "https://127.0.0.1:6443/api?timeout=32s": dial tcp 127.0.0.1:6443: connect: connection refused\n' +
    'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
  code: 1,
};

/** The update of the main scenario: a new image for shop/my-api, and an HPA from a manifest. */
export const COMMANDS = `# update my-api to v2 and autoscale it
kubectl set image deployment/my-api app=${NEW_IMAGE} -n shop
kubectl apply -f hpa-my-api.yaml -n shop
`;

/** Routes of a healthy cluster for {@link COMMANDS}: dry-runs, snapshots, execution and the rollout. */
export function happyRoutes(): Routes {
  return {
    kubectl: {
      [`set image deployment/my-api app=${NEW_IMAGE} -n shop --dry-run=server`]: { stdoutFile: 'dry-run-set-image.yaml' },
      'apply -f 1-hpa-my-api.yaml -n shop --dry-run=server': { stdoutFile: 'dry-run-hpa.yaml' },
      'get deployment my-api -n shop': { stdoutFile: 'deployment-my-api.json' },
      'get HorizontalPodAutoscaler my-api -n shop': [NOT_FOUND_HPA, { stdoutFile: 'hpa-my-api.json' }],
      [`set image deployment/my-api app=${NEW_IMAGE} -n shop`]: { stdout: 'deployment.apps/my-api image updated\n' },
      'apply -f 1-hpa-my-api.yaml -n shop': { stdout: 'horizontalpodautoscaler.autoscaling/my-api created\n' },
      'rollout status deployment/my-api -n shop --watch=false': [
        { stdout: 'Waiting for deployment "my-api" rollout to finish: 1 out of 3 new replicas have been updated...\n' },
        { stdout: 'deployment "my-api" successfully rolled out\n' },
      ],
      'apply -f 2-deployment-my-api.json': { stdout: 'deployment.apps/my-api configured\n' },
      'delete HorizontalPodAutoscaler my-api -n shop --ignore-not-found': { stdout: 'horizontalpodautoscaler.autoscaling "my-api" deleted\n' },
    },
  };
}
