/** What every gate is: one entry per `check` kind, in its own file, registered in ./index.ts. */
import type { ClusterReader } from '../cluster.js';
import type { Blocker, GateSpec, PlatformEvidence } from '../types.js';

export interface GateContext {
  reader: ClusterReader;
  now: Date;
  pendingGraceMinutes: number;
}

export interface GateVerdict {
  passed: boolean;
  /** One line: what was seen (`2/2 nodes Ready`). */
  summary: string;
  blockers: Omit<Blocker, 'phase' | 'gate'>[];
  evidence: PlatformEvidence;
}

export interface GateDefinition<S extends GateSpec = GateSpec> {
  check: S['check'];
  /** Short description for humans, `deploymentReady kube-system/coredns`. */
  label(spec: S): string;
  /** Reads what it needs through `ctx.reader`; a read failure throws ClusterReadError. */
  evaluate(spec: S, ctx: GateContext): Promise<GateVerdict>;
}
