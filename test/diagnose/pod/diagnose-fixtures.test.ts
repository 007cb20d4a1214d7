/**
 * Every recorded pod case: the directory names the expected root cause, case.json the failing
 * container; every evidence text must be quoted verbatim from the input (pod, events or logs).
 */
import { describe, expect, it } from 'vitest';
import { diagnosePod } from '../../../src/diagnose/pod/index.js';
import { ROOT_CAUSES, type PodInput } from '../../../src/diagnose/types.js';
import { schemaErrors } from '../../cli/run-cli.js';
import { loadCases } from './fixtures.js';

const cases = loadCases();

/** Every scalar in the input as text (booleans and numbers too), plus the log lines. */
function inputTexts(input: PodInput): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
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

describe('diagnosePod on the recorded cases', () => {
  it('has at least two cases for every root cause, events in both shapes and every wrapper', () => {
    for (const label of ROOT_CAUSES) expect(cases.filter((c) => c.label === label).length, label).toBeGreaterThanOrEqual(2);
    const shapes = new Set(cases.flatMap((c) => c.input.events.map((e) => ('note' in e ? 'events.k8s.io' : 'core'))));
    expect([...shapes].sort()).toEqual(['core', 'events.k8s.io']);
    const wrappers = new Set(cases.map((c) => (Array.isArray(c.rawEvents) ? 'array' : (c.rawEvents as { kind: string }).kind)));
    expect([...wrappers].sort()).toEqual(['EventList', 'List', 'array']);
  });

  it.each(cases.map((c) => [`${c.label}/${c.id}`, c] as const))('%s', (_name, c) => {
    const d = diagnosePod(c.input);
    expect(d.rootCause).toBe(c.label);
    expect(d.container).toBe(c.expectContainer);
    if (c.expectContainer) {
      const isInit = (c.input.pod as { spec: { initContainers?: { name: string }[] } }).spec.initContainers?.some((x) => x.name === c.expectContainer);
      expect(d.containerType).toBe(isInit ? 'init' : 'app');
    }
    expect(d.evidence.length).toBeGreaterThan(0);
    const texts = inputTexts(c.input);
    for (const ev of d.evidence) {
      expect(texts.some((t) => t.includes(ev.text)), `${ev.path}: ${ev.text}`).toBe(true);
      if (ev.source === 'event') expect(ev.path).toMatch(/^event:\w+$/);
      if (ev.source === 'log') expect(ev.path).toMatch(/^logs:[\w-]+(\[previous\])?$/);
      if (ev.source === 'status' || ev.source === 'spec') expect(ev.path).toMatch(/^(status|spec)\b/);
    }
    // Status and spec evidence: the path resolves in the pod to exactly the quoted value.
    for (const ev of d.evidence) {
      if ((ev.source !== 'status' && ev.source !== 'spec') || ev.path.includes('[name=')) continue;
      const value = ev.path.split(/\.|(?=\[)/).reduce<unknown>((cur, part) => {
        const m = /^\[(\d+)\]$/.exec(part);
        return cur === undefined || cur === null ? undefined : m ? (cur as unknown[])[Number(m[1])] : (cur as Record<string, unknown>)[part];
      }, c.input.pod);
      expect(String(value).startsWith(ev.text), `${ev.path}=${String(value)} vs ${ev.text}`).toBe(true);
    }
    // Indexed field paths point at the named container.
    for (const ev of d.evidence) {
      const m = /^(status\.containerStatuses|status\.initContainerStatuses)\[(\d+)\]/.exec(ev.path);
      if (!m || d.container === null) continue;
      const arr = (c.input.pod as { status: Record<string, { name: string }[]> }).status[m[1]!.split('.')[1]!]!;
      expect(arr[Number(m[2])]!.name).toBe(d.container);
    }
    expect(d.remediation.commands.length).toBeGreaterThan(0);
    const meta = (c.input.pod as { metadata: { name: string; namespace: string } }).metadata;
    // Commands use the real namespace (kube-system only to look at the node's CNI pods) and name the pod.
    for (const cmd of d.remediation.commands) {
      const ns = /^kubectl -n (\S+) /.exec(cmd)?.[1];
      if (ns) expect([meta.namespace, 'kube-system']).toContain(ns);
    }
    expect(d.remediation.commands.some((cmd) => cmd.includes(` ${meta.name}`))).toBe(true);
    expect(d.name).toBe(meta.name);
    expect(d.namespace).toBe(meta.namespace);
    if (d.rootCause === 'Healthy') expect(d.secondary).toEqual([]);
    // What `infra-ops diagnose pod --json` prints around it validates against the CLI schema.
    expect(schemaErrors('diagnose-pod', { schemaVersion: 1, source: 'files', notes: [], ...d })).toEqual([]);
  });
});
