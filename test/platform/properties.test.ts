import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReleaseData, encodeReleaseData } from '../../src/platform/helm.js';
import { dependencyOrder, phaseClosure } from '../../src/platform/phases.js';
import type { PhaseSpec } from '../../src/platform/types.js';

/** Random acyclic phase lists: phase i may only depend on phases declared before it, then shuffled. */
const dagPhases = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `p${j}`)))),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    ),
  )
  .map(([deps, order]) => order.map((i): PhaseSpec => ({ name: `p${i}`, dependsOn: deps[i], gates: [{ check: 'nodesReady' }] })));

describe('properties', () => {
  it('dependency order: every phase comes after the phases it depends on, and none is lost', () => {
    fc.assert(
      fc.property(dagPhases, (phases) => {
        const order = dependencyOrder(phases).map((p) => p.name);
        expect([...order].sort()).toEqual(phases.map((p) => p.name).sort());
        for (const p of phases) for (const d of p.dependsOn ?? []) expect(order.indexOf(d)).toBeLessThan(order.indexOf(p.name));
      }),
    );
  });

  it('closure: the target, all it depends on transitively, and nothing else', () => {
    fc.assert(
      fc.property(dagPhases, fc.nat(), (phases, pick) => {
        const target = phases[pick % phases.length]!.name;
        const closure = new Set(phaseClosure(phases, target).map((p) => p.name));
        const byName = new Map(phases.map((p) => [p.name, p]));
        const expected = new Set<string>();
        const walk = (n: string): void => {
          if (expected.has(n)) return;
          expected.add(n);
          for (const d of byName.get(n)!.dependsOn ?? []) walk(d);
        };
        walk(target);
        expect(closure).toEqual(expected);
      }),
    );
  });

  it('Helm release encoding round-trips any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (rel) => {
        expect(decodeReleaseData(encodeReleaseData(rel))).toEqual(JSON.parse(JSON.stringify(rel)));
      }),
      { numRuns: 200 },
    );
  });
});
