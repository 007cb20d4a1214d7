/**
 * `npx tsx bench/diagnose-holdout.ts`: held-out accuracy of `diagnosePod` on real pods pasted in
 * public issues (test/fixtures/k8s/holdout, labelled before the diagnoser ever ran on them).
 * Prints root-cause and container accuracy, whether every diagnosis quotes evidence, and each miss
 * (expected vs got, with the source). A figure, not a target to tune against case by case.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnosePod } from '../src/diagnose/pod/index.js';
import type { PodDiagnosis, PodInput } from '../src/diagnose/types.js';

export const HOLDOUT_DIR = resolve(fileURLToPath(new URL('../test/fixtures/k8s/holdout', import.meta.url)));

export interface HoldoutCase {
  id: string;
  source: string;
  expectedRootCause: string;
  expectedContainer: string | null;
  notes: string;
  input: PodInput;
}

export function loadHoldout(dir = HOLDOUT_DIR): HoldoutCase[] {
  const out: HoldoutCase[] = [];
  for (const id of readdirSync(dir).sort()) {
    const d = join(dir, id);
    if (id.startsWith('_') || !statSync(d).isDirectory() || !existsSync(join(d, 'pod.json'))) continue;
    const meta = JSON.parse(readFileSync(join(d, 'case.json'), 'utf8'));
    const raw = JSON.parse(readFileSync(join(d, 'events.json'), 'utf8'));
    const logs: NonNullable<PodInput['logs']> = {};
    for (const f of readdirSync(d)) {
      const m = /^logs\.(.+?)(\.previous)?\.txt$/.exec(f);
      if (m) (logs[m[1]!] ??= {})[m[2] ? 'previous' : 'current'] = readFileSync(join(d, f), 'utf8');
    }
    out.push({
      id,
      source: meta.source,
      expectedRootCause: meta.expectedRootCause,
      expectedContainer: meta.expectedContainer ?? null,
      notes: meta.notes ?? '',
      input: { pod: JSON.parse(readFileSync(join(d, 'pod.json'), 'utf8')), events: Array.isArray(raw) ? raw : (raw.items ?? []), logs, now: meta.now ? new Date(meta.now) : undefined },
    });
  }
  return out;
}

/** Every scalar of the input (pod, events) as text, plus the log lines: what evidence may quote. */
function inputTexts(input: PodInput): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') Object.values(v as Record<string, unknown>).forEach(walk);
  };
  walk(input.pod);
  walk(input.events);
  for (const l of Object.values(input.logs ?? {})) out.push(...[l.current ?? '', l.previous ?? ''].flatMap((t) => t.split('\n')));
  return out;
}

/** At least one evidence item, and every one quoted verbatim from the input. */
export function evidenceQuoted(d: PodDiagnosis, input: PodInput): boolean {
  const texts = inputTexts(input);
  return d.evidence.length > 0 && d.evidence.every((e) => e.text.length > 0 && texts.some((t) => t.includes(e.text)));
}

export interface HoldoutResult {
  total: number;
  rootCause: number;
  container: number;
  both: number;
  /** Diagnoses whose evidence is all quoted verbatim from the input. */
  withEvidence: number;
  misses: { c: HoldoutCase; got: PodDiagnosis | null; error?: string }[];
}

export function runHoldout(cases = loadHoldout()): HoldoutResult {
  const r: HoldoutResult = { total: cases.length, rootCause: 0, container: 0, both: 0, withEvidence: 0, misses: [] };
  for (const c of cases) {
    let got: PodDiagnosis;
    try {
      got = diagnosePod(c.input);
    } catch (e) {
      r.misses.push({ c, got: null, error: (e as Error).message });
      continue;
    }
    const causeOk = got.rootCause === c.expectedRootCause;
    const containerOk = got.container === c.expectedContainer;
    if (causeOk) r.rootCause++;
    if (containerOk) r.container++;
    if (causeOk && containerOk) r.both++;
    if (evidenceQuoted(got, c.input)) r.withEvidence++;
    if (!causeOk || !containerOk) r.misses.push({ c, got });
  }
  return r;
}

function main() {
  const r = runHoldout();
  const pct = (n: number) => `${n}/${r.total} = ${((100 * n) / Math.max(1, r.total)).toFixed(1)}%`;
  console.log(`holdout: ${r.total} real pods (${HOLDOUT_DIR})`);
  console.log(`root cause accuracy: ${pct(r.rootCause)}`);
  console.log(`container accuracy:  ${pct(r.container)}`);
  console.log(`both correct:        ${pct(r.both)}`);
  console.log(`evidence verbatim:   ${pct(r.withEvidence)}`);
  console.log(`\nmisses (${r.misses.length}):`);
  for (const { c, got, error } of r.misses) {
    const parts: string[] = [];
    if (error) parts.push(`threw: ${error}`);
    else {
      if (got!.rootCause !== c.expectedRootCause) parts.push(`cause ${c.expectedRootCause} → got ${got!.rootCause} (${got!.confidence})`);
      if (got!.container !== c.expectedContainer) parts.push(`container ${c.expectedContainer ?? 'null'} → got ${got!.container ?? 'null'}`);
    }
    console.log(`- ${c.id}: ${parts.join('; ')}`);
    if (got) console.log(`    summary: ${got.summary.slice(0, 160)}`);
    console.log(`    source:  ${c.source}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
