import type { ApprovalRequest } from '../approval/decisions.js';
import type { ChainReport } from './chain.js';

/** Approved or conditional medium/critical requests must have an audit record once the action ran. */
export function needsRecord(r: Pick<ApprovalRequest, 'tier' | 'status'>): boolean {
  return (r.tier === 'medium' || r.tier === 'critical') && (r.status === 'approved' || r.status === 'conditional');
}

/** Audit record ids by the approval they rest on. */
export function recordsByApproval(report: Pick<ChainReport, 'entries'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { entry } of report.entries) {
    const id = entry.approval?.id;
    if (typeof id !== 'string') continue;
    out.set(id, [...(out.get(id) ?? []), entry.id]);
  }
  return out;
}
