/**
 * HCL → JSON with `@cdktf/hcl2json`'s WebAssembly build of HashiCorp's own HCL parser, loaded by us
 * rather than through the package's JavaScript wrapper: that wrapper finds `main.wasm.gz` via
 * `__dirname` and pulls in fs-extra, neither of which survives bundling. We use the package's Go
 * runtime shim (`wasm_exec.js`, bundled) and its compressed module, which the build copies to
 * `scripts/vendor/hcl2json/` so the installed plugin needs no node_modules.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { gunzipSync } from 'node:zlib';

type GoCallback = (err: string | null, result?: string) => void;
type GoFn = (...args: unknown[]) => void;
interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

/** Name under which the Go program registers its functions (fixed by the wasm module). */
const GLOBAL_KEY = '__parse_terraform_config_wasm__';
const WASM_FILE = 'main.wasm.gz';

/** Where `main.wasm.gz` may be: an explicit override, next to the bundle, or in node_modules (development). */
export function wasmCandidates(moduleUrl: string = import.meta.url): string[] {
  const here = dirname(fileURLToPath(moduleUrl));
  const out: string[] = [];
  const env = process.env['INFRA_OPS_HCL2JSON_WASM'];
  if (env) out.push(env);
  // bundle: scripts/infra-ops.mjs or scripts/lib/<chunk>.mjs
  out.push(join(here, 'vendor', 'hcl2json', WASM_FILE), join(here, '..', 'vendor', 'hcl2json', WASM_FILE));
  try {
    out.push(join(dirname(createRequire(moduleUrl).resolve('@cdktf/hcl2json/package.json')), WASM_FILE));
  } catch {
    // not installed: only the bundled copy can serve
  }
  return out;
}

let api: Promise<Record<string, GoFn>> | null = null;

async function start(): Promise<Record<string, GoFn>> {
  const file = wasmCandidates().find((f) => existsSync(f));
  if (!file) throw new Error(`HCL parser not found (${WASM_FILE}); looked in: ${wasmCandidates().join(', ')}`);
  const bytes = gunzipSync(await readFile(file));
  // The Go runtime shim defines globalThis.Go; with no globalThis.fs it installs a write-only stub.
  await import('@cdktf/hcl2json/wasm/wasm_exec.js');
  const Go = (globalThis as unknown as { Go?: new () => GoRuntime }).Go;
  if (typeof Go !== 'function') throw new Error('HCL parser runtime did not initialise (globalThis.Go missing)');
  const go = new Go();
  // The module is large and each run is short: V8's baseline compiler alone (no optimising tier-up)
  // halves a small project's run and saves ~15% on 2,000 resources (npm run bench). Only wasm is affected.
  if (!process.env['INFRA_OPS_WASM_TIERUP']) setFlagsFromString('--liftoff-only');
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  const root: Record<string, GoFn> = {};
  (globalThis as Record<string, unknown>)[GLOBAL_KEY] = root;
  void go.run(instance);
  // main() registers its functions before it blocks; give the scheduler a few turns if needed.
  for (let i = 0; i < 100 && typeof root['parse'] !== 'function'; i++) await new Promise((r) => setTimeout(r, 0));
  if (typeof root['parse'] !== 'function') throw new Error('HCL parser did not register parse()');
  return root;
}

function call(fn: GoFn, args: unknown[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const cb: GoCallback = (err, result) => (err ? reject(new Error(err)) : resolve(result ?? ''));
    fn(...args, cb);
  });
}

/** Parses one HCL file's text; rejects with HCL's diagnostic (`file:line,col-...: message`) on a syntax error. */
export async function parseHcl(filename: string, contents: string): Promise<Record<string, unknown>> {
  api ??= start();
  const root = await api.catch((err: unknown) => {
    api = null;
    throw err;
  });
  const json = await call(root['parse']!, [filename, contents]);
  return JSON.parse(json) as Record<string, unknown>;
}
