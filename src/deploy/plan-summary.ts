/**
 * A saved plan (`terraform show -json <plan>`, parsed by the tester's parsePlanJson) as creates,
 * updates, replaces and deletes, with the destructive ones called out, and a rough monthly cost
 * delta from the shipped price table.
 */
import type { PlanResource } from '../tester/cost/plan.js';
import type { CostDelta, PlanChange, PlanSummary } from './types.js';

type Kind = 'create' | 'update' | 'replace' | 'delete' | 'none';

/** `["delete","create"]` and `["create","delete"]` are replacements (destroy-before-create and create-before-destroy). */
export function changeKind(actions: readonly string[]): Kind {
  const has = (a: string): boolean => actions.includes(a);
  if (has('create') && has('delete')) return 'replace';
  if (has('delete')) return 'delete';
  if (has('create')) return 'create';
  if (has('update')) return 'update';
  return 'none';
}

export function summarizePlan(resources: readonly PlanResource[]): PlanSummary {
  const s: PlanSummary = { add: 0, change: 0, replace: 0, destroy: 0, creates: [], updates: [], replaces: [], deletes: [], destructive: [] };
  for (const r of resources) {
    if (r.mode !== 'managed') continue;
    const kind = changeKind(r.actions);
    const change: PlanChange = { address: r.address, type: r.type, actions: [...r.actions] };
    if (kind === 'create') {
      s.add++;
      s.creates.push(r.address);
    } else if (kind === 'update') {
      s.change++;
      s.updates.push(r.address);
    } else if (kind === 'replace') {
      s.replace++;
      s.replaces.push(r.address);
      s.destructive.push(change);
    } else if (kind === 'delete') {
      s.destroy++;
      s.deletes.push(r.address);
      s.destructive.push(change);
    }
  }
  return s;
}

export function planLine(s: PlanSummary): string {
  return `${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy`;
}

export function isDestructive(s: PlanSummary): boolean {
  return s.destructive.length > 0;
}

/** Monthly cost of what the plan creates minus what it destroys (price table; updates are not compared). */
export async function costDelta(resources: readonly PlanResource[]): Promise<CostDelta | null> {
  const { estimateCost, AWS_US_EAST_1 } = await import('../tester/cost/index.js');
  const created = resources.filter((r) => r.mode === 'managed' && changeKind(r.actions) === 'create');
  const destroyed = resources.filter((r) => r.mode === 'managed' && changeKind(r.actions) === 'delete');
  if (created.length === 0 && destroyed.length === 0) return null;
  const add = estimateCost(created, AWS_US_EAST_1);
  // Priced by their `before` values; without actions, so the estimator counts them.
  const rem = estimateCost(destroyed.map((r) => ({ address: r.address, type: r.type, values: r.values })), AWS_US_EAST_1);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    currency: add.currency,
    added: round(add.monthlyTotal),
    removed: round(rem.monthlyTotal),
    delta: round(add.monthlyTotal - rem.monthlyTotal),
    note: 'price table estimate of created minus destroyed resources; updates and replacements are not compared',
  };
}
