/**
 * Pod diagnosis time (issue 4): `diagnosePod` in process over every recorded case under
 * test/fixtures/k8s/pods (JSON already parsed, as the CLI has it after reading the files).
 * Prints the first call (cold), the mean per pod, and the slowest pod's median over the rounds.
 * Figures, not asserts. Target: under 20 ms per pod.
 *
 * Run alone with `npx tsx bench/diagnose.ts`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnosePod } from '../src/diagnose/pod/index.js';
import type { PodInput } from '../src/diagnose/types.js';

const PODS = resolve(fileURLToPath(new URL('../test/fixtures/k8s/pods', import.meta.url)));

function loadInputs(): { name: string; input: PodInput }[] {
  const out: { name: string; input: PodInput }[] = [];
  for (const label of readdirSync(PODS).sort()) {
    const ld = join(PODS, label);
    if (label.startsWith('_') || !statSync(ld).isDirectory()) continue;
    for (const id of readdirSync(ld).sort()) {
      const dir = join(ld, id);
      if (!existsSync(join(dir, 'pod.json'))) continue;
      const raw = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8'));
      const logs: NonNullable<PodInput['logs']> = {};
      for (const f of readdirSync(dir)) {
        const m = /^logs\.(.+?)(\.previous)?\.txt$/.exec(f);
        if (m) (logs[m[1]!] ??= {})[m[2] ? 'previous' : 'current'] = readFileSync(join(dir, f), 'utf8');
      }
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      out.push({
        name: `${label}/${id}`,
        input: { pod: JSON.parse(readFileSync(join(dir, 'pod.json'), 'utf8')), events: Array.isArray(raw) ? raw : raw.items, logs, now: new Date(meta.now) },
      });
    }
  }
  return out;
}

export interface DiagnoseBench {
  pods: number;
  coldMs: number;
  meanMs: number;
  slowestMs: number;
  slowest: string;
}

export function runDiagnoseBench(rounds = 50): DiagnoseBench {
  const cases = loadInputs();
  const t0 = performance.now();
  diagnosePod(cases[0]!.input);
  const coldMs = performance.now() - t0;
  const perCase = new Map<string, number[]>();
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const s = performance.now();
      diagnosePod(c.input);
      const ms = performance.now() - s;
      total += ms;
      const list = perCase.get(c.name) ?? [];
      list.push(ms);
      perCase.set(c.name, list);
    }
  }
  // Each pod's median over the rounds (a GC pause is not the pod's cost); the slowest of those.
  const medians = [...perCase.entries()].map(([name, xs]) => [name, [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!] as const);
  const [slowest, slowestMs] = [...medians].sort((a, b) => b[1] - a[1])[0]!;
  const result = { pods: cases.length, coldMs, meanMs: total / (rounds * cases.length), slowestMs, slowest };
  const f = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log(`\nPod diagnosis (in process, ${result.pods} recorded pods × ${rounds} rounds; target < 20 ms per pod)`);
  console.log(`  first call (cold)       ${f(result.coldMs)}`);
  console.log(`  mean per pod            ${f(result.meanMs)}`);
  console.log(`  slowest pod (median)    ${f(result.slowestMs)}  ${result.slowest}`);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runDiagnoseBench();
