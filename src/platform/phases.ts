/**
 * Phases and their gates, declared in config (`platform.phases`), never hard-coded to one
 * platform. `platform check --phase X` judges X and every phase X depends on, in dependency order:
 * `completed` when every gate passes, `blocked` with the blockers and `fixFirst` (the earliest
 * phase in dependency order whose gates fail), or `error` when the cluster could not be read.
 */
import { ClusterReadError, type ClusterReader } from './cluster.js';
import { gateFor } from './gates/index.js';
import type { GateContext } from './gates/gate.js';
import type { Blocker, GateResult, PhaseCheckResult, PhaseOutcome, PhaseSpec, PlatformEvidence } from './types.js';

/** Used when the config declares no phases: generic Kubernetes, nothing cloud-specific. */
export const DEFAULT_PHASES: PhaseSpec[] = [
  { name: 'cluster', description: 'nodes present and Ready', gates: [{ check: 'nodesReady', min: 1 }] },
  {
    name: 'networking',
    description: 'cluster DNS (CoreDNS) ready',
    dependsOn: ['cluster'],
    gates: [{ check: 'deploymentReady', namespace: 'kube-system', name: 'coredns' }],
  },
];

/** A phase list the schema accepts but that cannot work (unknown dependency, cycle, duplicate). */
export class PhaseConfigError extends Error {
  override name = 'PhaseConfigError';
  constructor(
    message: string,
    /** Dotted path of the offending field, e.g. `platform.phases[2].dependsOn[0]`. */
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Checks names and dependencies; returns the phases in dependency order (config order among equals). */
export function dependencyOrder(phases: PhaseSpec[]): PhaseSpec[] {
  const index = new Map<string, number>();
  phases.forEach((p, i) => {
    const first = index.get(p.name);
    if (first !== undefined) throw new PhaseConfigError(`duplicate phase name "${p.name}" (also platform.phases[${first}])`, `platform.phases[${i}].name`);
    index.set(p.name, i);
  });
  phases.forEach((p, i) => {
    (p.dependsOn ?? []).forEach((d, j) => {
      const field = `platform.phases[${i}].dependsOn[${j}]`;
      if (d === p.name) throw new PhaseConfigError(`phase "${p.name}" cannot depend on itself`, field);
      if (!index.has(d)) throw new PhaseConfigError(`unknown phase "${d}" (phases: ${[...index.keys()].join(', ')})`, field);
    });
  });
  // Kahn's algorithm; among ready phases, the one declared first goes first.
  const remaining = new Map(phases.map((p) => [p.name, new Set(p.dependsOn ?? [])]));
  const order: PhaseSpec[] = [];
  while (remaining.size > 0) {
    const next = phases.find((p) => remaining.has(p.name) && [...remaining.get(p.name)!].every((d) => !remaining.has(d)));
    if (!next) {
      const cycle = phases.filter((p) => remaining.has(p.name)).map((p) => p.name);
      const i = index.get(cycle[0]!)!;
      throw new PhaseConfigError(`dependency cycle between phases ${cycle.join(', ')}`, `platform.phases[${i}].dependsOn`);
    }
    order.push(next);
    remaining.delete(next.name);
  }
  return order;
}

/** `target` and every phase it depends on (transitively), in dependency order. */
export function phaseClosure(phases: PhaseSpec[], target: string): PhaseSpec[] {
  const ordered = dependencyOrder(phases);
  const byName = new Map(phases.map((p) => [p.name, p]));
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d);
  };
  visit(target);
  return ordered.filter((p) => needed.has(p.name));
}

function mergeEvidence(into: PlatformEvidence, from: PlatformEvidence): void {
  if (from.nodes) into.nodes = from.nodes;
  if (from.deployments) into.deployments = { ...into.deployments, ...from.deployments };
  if (from.releases) into.releases = { ...into.releases, ...from.releases };
  if (from.pendingPods) into.pendingPods = { ...into.pendingPods, ...from.pendingPods };
}

export interface CheckPhaseOptions {
  phases: PhaseSpec[];
  target: string;
  reader: ClusterReader;
  now?: Date;
  pendingGraceMinutes?: number;
}

export async function checkPhase(opts: CheckPhaseOptions): Promise<PhaseCheckResult> {
  const now = opts.now ?? new Date();
  const closure = phaseClosure(opts.phases, opts.target);
  const ctx: GateContext = { reader: opts.reader, now, pendingGraceMinutes: opts.pendingGraceMinutes ?? 10 };
  const evidence: PlatformEvidence = {};
  const errors: string[] = [];

  // Every gate of every needed phase is read (the reader reads each list once), so the evidence
  // is complete even when an early phase already blocks.
  const outcomes: PhaseOutcome[] = await Promise.all(
    closure.map(async (phase): Promise<PhaseOutcome> => {
      const gates = await Promise.all(
        phase.gates.map(async (spec): Promise<GateResult> => {
          const def = gateFor(spec);
          const gate = def.label(spec);
          try {
            const v = await def.evaluate(spec, ctx);
            mergeEvidence(evidence, v.evidence);
            const blockers: Blocker[] = v.blockers.map((b) => ({ code: b.code, phase: phase.name, gate, message: b.message, fix: b.fix }));
            return { gate, check: spec.check, status: v.passed ? 'passed' : 'failed', summary: v.summary, blockers, error: null };
          } catch (err) {
            if (!(err instanceof ClusterReadError)) throw err;
            return { gate, check: spec.check, status: 'error', summary: 'could not read the cluster', blockers: [], error: err.message };
          }
        }),
      );
      const status = gates.some((g) => g.status === 'error') ? 'error' : gates.some((g) => g.status === 'failed') ? 'failed' : 'passed';
      return { name: phase.name, dependsOn: phase.dependsOn ?? [], status, gates };
    }),
  );

  for (const o of outcomes) for (const g of o.gates) if (g.error && !errors.includes(g.error)) errors.push(g.error);
  const blockers = outcomes.flatMap((o) => o.gates.flatMap((g) => g.blockers));
  const fixFirst = outcomes.find((o) => o.status === 'failed')?.name ?? null;
  const status: PhaseCheckResult['status'] = errors.length > 0 ? 'error' : blockers.length > 0 ? 'blocked' : 'completed';
  const next: PhaseCheckResult['next'] =
    status === 'completed'
      ? { action: 'proceed', phase: null }
      : status === 'blocked'
        ? { action: 'fix', phase: fixFirst }
        : { action: 'retry', phase: outcomes.find((o) => o.status === 'error')?.name ?? null };
  return {
    schemaVersion: 1,
    phase: opts.target,
    status,
    checkedAt: now.toISOString(),
    source: { kind: opts.reader.kind, context: opts.reader.context, dir: opts.reader.dir },
    phases: outcomes,
    blockers,
    fixFirst,
    next,
    evidence,
    errors,
  };
}
