/** Gate `nodesReady`: at least `min` (default 1) nodes exist and are Ready. */
import { describeNotReady, summarizeNodes } from '../nodes.js';
import type { GateSpec } from '../types.js';
import type { GateDefinition } from './gate.js';

type Spec = Extract<GateSpec, { check: 'nodesReady' }>;

export const nodesReady: GateDefinition<Spec> = {
  check: 'nodesReady',
  label: (s) => `nodesReady${(s.min ?? 1) > 1 ? ` (min ${s.min})` : ''}`,
  async evaluate(spec, { reader }) {
    const min = spec.min ?? 1;
    const nodes = summarizeNodes(await reader.list('nodes', null));
    const evidence = {
      nodes: {
        total: nodes.total,
        ready: nodes.ready,
        notReady: nodes.notReady.map((n) => ({ name: n.name, status: n.readyStatus, reason: n.reason, message: n.message })),
      },
    };
    const summary = `${nodes.ready}/${nodes.total} nodes Ready${min > 1 ? ` (need ${min})` : ''}`;
    const detail = nodes.notReady.slice(0, 5).map(describeNotReady).join('; ');
    const describe = ['kubectl get nodes -o wide', ...nodes.notReady.slice(0, 3).map((n) => `kubectl describe node ${n.name}`)];
    if (nodes.total === 0) {
      return {
        passed: false,
        summary,
        evidence,
        blockers: [{
          code: 'NO_NODES_AVAILABLE',
          message: 'The cluster has no nodes: nothing can be scheduled.',
          fix: ['kubectl get nodes', 'create or scale up a node group (e.g. eksctl scale nodegroup --cluster <cluster> --name <nodegroup> --nodes 2), then re-run this check'],
        }],
      };
    }
    if (nodes.ready === 0) {
      return {
        passed: false,
        summary,
        evidence,
        blockers: [{ code: 'NO_READY_NODES', message: `Cluster has ${nodes.total} node(s) but none are Ready: ${detail}`, fix: describe }],
      };
    }
    if (nodes.ready < min) {
      return {
        passed: false,
        summary,
        evidence,
        blockers: [{
          code: 'NOT_ENOUGH_READY_NODES',
          message: `${nodes.ready} of ${nodes.total} node(s) Ready, ${min} needed${detail ? `; not Ready: ${detail}` : ''}`,
          fix: describe,
        }],
      };
    }
    return { passed: true, summary, evidence, blockers: [] };
  },
};
