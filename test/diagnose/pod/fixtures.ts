/** Loads the recorded pod cases under test/fixtures/k8s/pods/<label>/<case>/. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PodInput } from '../../../src/diagnose/types.js';

export const PODS_DIR = resolve(fileURLToPath(new URL('../../fixtures/k8s/pods', import.meta.url)));

export interface PodCase {
  label: string;
  id: string;
  dir: string;
  expectContainer: string | null;
  note: string;
  input: PodInput;
  /** The raw events file (any shape), before unwrapping. */
  rawEvents: unknown;
}

export function loadCase(dir: string, label: string, id: string): PodCase {
  const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const rawEvents = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8'));
  const events = Array.isArray(rawEvents) ? rawEvents : (rawEvents.items ?? []);
  const logs: NonNullable<PodInput['logs']> = {};
  for (const f of readdirSync(dir)) {
    const m = /^logs\.(.+?)(\.previous)?\.txt$/.exec(f);
    if (!m) continue;
    const entry = (logs[m[1]!] ??= {});
    entry[m[2] ? 'previous' : 'current'] = readFileSync(join(dir, f), 'utf8');
  }
  return {
    label,
    id,
    dir,
    expectContainer: meta.container ?? null,
    note: meta.note ?? '',
    input: { pod: JSON.parse(readFileSync(join(dir, 'pod.json'), 'utf8')), events, logs, now: new Date(meta.now) },
    rawEvents,
  };
}

export function loadCases(): PodCase[] {
  const out: PodCase[] = [];
  for (const label of readdirSync(PODS_DIR).sort()) {
    const ld = join(PODS_DIR, label);
    if (label.startsWith('_') || !statSync(ld).isDirectory()) continue;
    for (const id of readdirSync(ld).sort()) {
      const dir = join(ld, id);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'pod.json'))) out.push(loadCase(dir, label, id));
    }
  }
  return out;
}
