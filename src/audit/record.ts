import { getRequest, type ApprovalRequest, type Clock } from '../approval/decisions.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { LockOptions } from './lock.js';
import { appendAuditRecord, recordProblems } from './store.js';
import type { AuditApproval, AuditEntry } from './types.js';

/** The decision a record rests on; only an approved (or conditionally approved) request can be acted on. */
export function approvalOf(request: ApprovalRequest): AuditApproval {
  if (!request.decision || request.status === 'pending') {
    throw new CliError(`approval ${request.id} is still pending: an action is recorded after it was approved`, EXIT.blocked, 'audit.not-approved');
  }
  if (request.status === 'rejected') {
    throw new CliError(
      `approval ${request.id} was rejected by ${request.decision.approver}: a rejected action is not run, so it gets no record`,
      EXIT.blocked,
      'audit.not-approved',
    );
  }
  return {
    id: request.id,
    action: request.action,
    tier: request.tier,
    decision: request.decision.decision,
    approver: request.decision.approver,
    decidedAt: request.decision.decidedAt,
    justification: request.decision.justification,
    conditions: request.decision.conditions,
    auto: request.decision.auto,
  };
}

/**
 * Write the PHR of an action: the record must match schemas/audit-record.schema.json and name an
 * approved request, whose action, tier and decision are copied into the entry.
 */
export async function recordAction(
  stateDir: string,
  input: unknown,
  opts: { clock?: Clock; lock?: LockOptions } = {},
): Promise<AuditEntry> {
  const problems = await recordProblems(input);
  if (problems.length > 0) {
    throw new CliError(`invalid audit record:\n  ${problems.join('\n  ')}`, EXIT.usage, 'audit.record-invalid', problems);
  }
  const request = await getRequest(stateDir, (input as { approvalId: string }).approvalId, opts.clock);
  const clock = opts.clock;
  return appendAuditRecord(stateDir, input, approvalOf(request), { ...(clock ? { now: clock.now } : {}), ...(opts.lock ? { lock: opts.lock } : {}) });
}
