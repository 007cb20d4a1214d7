/** Gate `noPendingPods`: no pod of the namespace is Pending; each Pending pod is listed with its scheduler events. */
import { pendingPods, pendingReason } from '../pods.js';
import type { GateSpec } from '../types.js';
import type { GateDefinition } from './gate.js';

type Spec = Extract<GateSpec, { check: 'noPendingPods' }>;

export const noPendingPods: GateDefinition<Spec> = {
  check: 'noPendingPods',
  label: (s) => `noPendingPods ${s.namespace}`,
  async evaluate(spec, { reader }) {
    const ns = spec.namespace;
    const [pods, events] = await Promise.all([reader.list('pods', ns), reader.list('events', ns)]);
    const pending = pendingPods(pods, events, ns);
    const evidence = {
      pendingPods: {
        [ns]: pending.map((p) => ({
          name: p.name,
          ...pendingReason(p),
          events: p.events.map((e) => ({ reason: e.reason, message: e.message, count: e.count })),
        })),
      },
    };
    if (pending.length === 0) return { passed: true, summary: `no Pending pods in ${ns}`, evidence, blockers: [] };
    const first = pending[0]!;
    const why = pendingReason(first);
    return {
      passed: false,
      summary: `${pending.length} Pending pod(s) in ${ns}`,
      evidence,
      blockers: [{
        code: 'PODS_PENDING',
        message: `${pending.length} pod(s) Pending in ${ns}: ${pending.slice(0, 3).map((p) => p.name).join(', ')}${pending.length > 3 ? ', …' : ''}${why.message ? ` — ${why.reason ?? 'scheduler'}: ${why.message}` : ''}`,
        fix: [`infra-ops diagnose pod ${first.name} -n ${ns}`, `kubectl -n ${ns} get events --field-selector involvedObject.name=${first.name}`],
      }],
    };
  },
};
