/** The gate registry: adding a gate kind is one file plus one line here (and its schema branch). */
import type { GateCheck, GateSpec } from '../types.js';
import { deploymentReady } from './deployment-ready.js';
import type { GateDefinition } from './gate.js';
import { helmRelease } from './helm-release.js';
import { noPendingPods } from './no-pending-pods.js';
import { nodesReady } from './nodes-ready.js';

export const GATES: Record<GateCheck, GateDefinition> = {
  nodesReady,
  deploymentReady,
  helmRelease,
  noPendingPods,
} as Record<GateCheck, GateDefinition>;

export function gateFor(spec: GateSpec): GateDefinition {
  return GATES[spec.check];
}
