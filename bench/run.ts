/**
 * `npm run bench`: prints start-up against bare node, `debug` wall time (as a whole process) with
 * generated issue logs of 1k/10k/100k issues, normalization throughput, and built-in Terraform
 * scan throughput on a generated tree (bench/scan-throughput.ts). Figures, not asserts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeError } from '../src/errors/normalize.js';
import { generateErrorText, generateLog } from './generate-log.js';
import { runDiagnoseBench } from './diagnose.js';
import { runScanThroughputBench } from './scan-throughput.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BUNDLE = join(ROOT, 'scripts', 'infra-ops.mjs');
const WORK = join(ROOT, 'bench', '.work');

function timeRun(args: string[], cwd = ROOT): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(args: string[], runs: number, cwd?: string): number {
  timeRun(args, cwd); // warm the file cache
  return median(Array.from({ length: runs }, () => timeRun(args, cwd)));
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

// 1. Start-up
const bare = measure(['-e', '0'], 21);
const version = measure([BUNDLE, '--version'], 21);
console.log(`start-up   node -e 0: ${fmt(bare)}   infra-ops --version: ${fmt(version)}   ratio ${(version / bare).toFixed(2)}x (target <= 2x)`);

// 2. debug wall time against logs of growing size
const errorText = readFileSync(join(ROOT, 'examples/errors/terraform-s3-access-denied.txt'), 'utf8');
for (const size of [1_000, 10_000, 100_000]) {
  const project = join(WORK, `log-${size}`);
  const stateDir = join(project, '.infra-ops');
  if (!existsSync(join(stateDir, 'issue-log', 'events.jsonl')) || process.env.BENCH_REGENERATE) {
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    generateLog(stateDir, size);
  }
  const bytes = readFileSync(join(stateDir, 'issue-log', 'events.jsonl')).length;
  const args = [BUNDLE, 'debug', '--no-record', '--json', '--error', errorText];
  // Cold: the derived match index is rebuilt from the log (first run after a clone or a merge).
  rmSync(join(stateDir, 'cache'), { recursive: true, force: true });
  const cold = timeRun(args, project);
  const ms = measure(args, size >= 100_000 ? 5 : 9, project);
  const target = size === 10_000 ? ' (target < 250 ms)' : size === 100_000 ? ' (target < 1000 ms)' : '';
  console.log(`debug      ${String(size).padStart(6)} issues (${(bytes / 1e6).toFixed(1)} MB log): ${fmt(ms)}${target}; cold (index rebuilt): ${fmt(cold)}`);
}

// 3. Normalization throughput
const rand = (() => { let s = 7; return () => ((s = (s * 16807) % 2147483647) / 2147483647); })();
const samples = Array.from({ length: 2000 }, (_, i) => (i % 4 === 0 ? errorText : generateErrorText(i, rand)));
const totalBytes = samples.reduce((n, s) => n + s.length, 0);
for (const s of samples.slice(0, 200)) normalizeError(s);
const t0 = process.hrtime.bigint();
let rounds = 0;
while (Number(process.hrtime.bigint() - t0) < 2e9) {
  for (const s of samples) normalizeError(s);
  rounds++;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`normalize  ${Math.round((rounds * samples.length) / secs).toLocaleString('en')} messages/s, ${((rounds * totalBytes) / secs / 1e6).toFixed(1)} MB/s`);
const hostile = 'a'.repeat(1 << 20);
const h0 = process.hrtime.bigint();
normalizeError(hostile);
console.log(`normalize  1 MB hostile string: ${fmt(Number(process.hrtime.bigint() - h0) / 1e6)}`);

// 4. Built-in Terraform scan: load + rules on a generated tree of 2,000+ resources in 200+ files
await runScanThroughputBench();

// 5. The whole `infra-ops test` (pre, built-in checks, no report written) on the bundled example, as a user runs it
{
  const args = [BUNDLE, 'test', '--env', 'test', '--no-save', '--json', '--scanners', 'builtin', 'examples/aws-webapp'];
  const ms = measure(args, 5);
  console.log(`test       examples/aws-webapp (CLI, builtin + compliance + cost): ${fmt(ms)} (${(ms / bare).toFixed(1)}× bare node)`);
}

// 6. Pod diagnosis: in process per pod (target < 20 ms), and the whole CLI call from files (target within 2× bare node)
runDiagnoseBench();
{
  const pod = join(ROOT, 'test', 'fixtures', 'k8s', 'pods', 'OOMKilled', 'crashloop-oom-256mi');
  const args = [BUNDLE, 'diagnose', 'pod', '--json', '--pod-file', join(pod, 'pod.json'), '--events-file', join(pod, 'events.json'), '--logs-file', `app:previous=${join(pod, 'logs.app.previous.txt')}`];
  const ms = measure(args, 11);
  console.log(`diagnose   pod from files (CLI): ${fmt(ms)} (${(ms / bare).toFixed(2)}× bare node; target < 2×)`);
}
