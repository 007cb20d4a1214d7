/**
 * Property: whatever a pod or event list looks like (fields missing, wrong types, junk values),
 * diagnosePod returns one valid label and a well-formed diagnosis; it never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnosePod } from '../../../src/diagnose/pod/index.js';
import { ROOT_CAUSES, type PodInput } from '../../../src/diagnose/types.js';
import { loadCases } from './fixtures.js';

const cases = loadCases();

type Path = (string | number)[];
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(child, p, out);
    }
  }
  return out;
}

function mutate(root: Record<string, unknown>, path: Path, replacement: unknown, remove: boolean): void {
  let cur: any = root; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const k of path.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return;
    cur = cur[k];
  }
  if (!cur || typeof cur !== 'object') return;
  const last = path.at(-1)!;
  if (remove) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = replacement;
}

const mutation = fc.record({ at: fc.nat(), remove: fc.boolean(), value: fc.oneof(fc.jsonValue(), fc.constantFrom(null, undefined, '', 0, -1, [], {}, 'CrashLoopBackOff', 'OOMKilled', 'Pending')) });

describe('diagnosePod never throws', () => {
  it('on mutated fixtures', () => {
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (ci, muts, inEvents) => {
        const c = cases[ci]!;
        const doc = structuredClone({ pod: c.input.pod, events: c.input.events }) as Record<string, unknown>;
        for (const m of muts) {
          const target = inEvents && m.remove ? { events: doc.events } : doc;
          const ps = paths(target);
          if (ps.length === 0) break;
          mutate(target as Record<string, unknown>, ps[m.at % ps.length]!, m.value, m.remove);
        }
        const input = { pod: doc.pod, events: doc.events, logs: c.input.logs, now: c.input.now } as PodInput;
        const d = diagnosePod(input);
        expect(ROOT_CAUSES).toContain(d.rootCause);
        expect(typeof d.summary).toBe('string');
        expect(Array.isArray(d.evidence)).toBe(true);
        expect(['trivial', 'low', 'medium', 'critical']).toContain(d.riskTier);
        expect(['high', 'medium', 'low']).toContain(d.confidence);
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary JSON in place of the pod, the events and the logs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (pod, events, logs) => {
        const d = diagnosePod({ pod, events, logs } as unknown as PodInput);
        expect(ROOT_CAUSES).toContain(d.rootCause);
      }),
    );
  });
});
