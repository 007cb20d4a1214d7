/**
 * `requireResources`: every container (init containers included) of a workload states resource
 * requests and limits. Params: `requests` and `limits`, the resources each must name (default cpu and memory).
 */
import { containersOf, describeSubject, field, isObject, podSpecOf, type RuleCheck } from './subject.js';

const DEFAULT = ['cpu', 'memory'];

export const requireResources: RuleCheck = {
  name: 'requireResources',
  check(s, params, ctx) {
    if (s.partial || !s.object) return []; // a partial change keeps the resources the object already has
    const want = { requests: (params.requests as string[] | undefined) ?? DEFAULT, limits: (params.limits as string[] | undefined) ?? DEFAULT };
    const out: string[] = [];
    for (const c of containersOf(podSpecOf(s.kind, s.object))) {
      const missing: string[] = [];
      for (const section of ['requests', 'limits'] as const) {
        const set = field(c.container, 'resources', section);
        for (const r of want[section]) if (!isObject(set) || set[r] === undefined || set[r] === null || set[r] === '') missing.push(`${section}.${r}`);
      }
      if (missing.length > 0) out.push(`${describeSubject(s, ctx)}: container "${c.name}" has no resources.${missing.join(', resources.')}`);
    }
    return out;
  },
};
