import { randomBytes } from 'node:crypto';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { redactSecrets } from '../errors/redact.js';
import type { LockOptions } from '../audit/lock.js';
import {
  appendApprovalEvents,
  readApprovalEvents,
  type ApprovalEvent,
  type ApprovalLogProblem,
  type Decision,
  type RequestCreatedEvent,
  type RequestDecidedEvent,
} from './store.js';
import { tierRank, type TierDecision } from './types.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'conditional';

/** SLA of a request: `none` (no deadline), `open` (pending, deadline ahead), `met`, or `breached`. */
export interface SlaState {
  state: 'none' | 'open' | 'met' | 'breached';
  /** Breached: how late the decision was, or how overdue a pending request is now. */
  lateSeconds: number | null;
  /** Open: time left before the deadline. */
  remainingSeconds: number | null;
}

export interface ApprovalRequest extends Omit<RequestCreatedEvent, 'v' | 'type' | 'at'> {
  requestedAt: string;
  status: ApprovalStatus;
  decision: Omit<RequestDecidedEvent, 'v' | 'type' | 'id' | 'at'> & { decidedAt: string } | null;
  sla: SlaState;
}

export interface Clock {
  now: () => Date;
}

const systemClock: Clock = { now: () => new Date() };

export const REQUEST_ID = /^apr-[0-9]{8}-[0-9a-f]{8}$/;

function newRequestId(now: Date): string {
  return `apr-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

export function slaState(deadline: string | null, decidedAt: string | null, now: Date): SlaState {
  if (deadline === null) return { state: 'none', lateSeconds: null, remainingSeconds: null };
  const due = Date.parse(deadline);
  if (decidedAt !== null) {
    const late = Math.floor((Date.parse(decidedAt) - due) / 1000);
    return late > 0 ? { state: 'breached', lateSeconds: late, remainingSeconds: null } : { state: 'met', lateSeconds: null, remainingSeconds: null };
  }
  const diff = Math.floor((now.getTime() - due) / 1000);
  return diff > 0
    ? { state: 'breached', lateSeconds: diff, remainingSeconds: null }
    : { state: 'open', lateSeconds: null, remainingSeconds: -diff };
}

const STATUS: Record<Decision, ApprovalStatus> = { approve: 'approved', reject: 'rejected', conditional: 'conditional' };

/** Fold the events into requests (in request order); a second decision on one request is ignored and reported. */
export function foldRequests(events: readonly ApprovalEvent[], now: Date): { requests: ApprovalRequest[]; problems: ApprovalLogProblem[] } {
  const byId = new Map<string, ApprovalRequest>();
  const problems: ApprovalLogProblem[] = [];
  for (const e of events) {
    if (e.type === 'request.created') {
      const { v: _v, type: _t, at, ...rest } = e;
      byId.set(e.id, { ...rest, requestedAt: at, status: 'pending', decision: null, sla: slaState(e.deadline, null, now) });
    } else {
      const r = byId.get(e.id);
      if (!r || r.decision) {
        problems.push({ line: 0, reason: `${r ? 'second decision' : 'decision without a request'} for ${e.id} ignored` });
        continue;
      }
      const { v: _v, type: _t, id: _id, at, ...rest } = e;
      r.decision = { ...rest, decidedAt: at };
      r.status = STATUS[e.decision];
      r.sla = slaState(r.deadline, at, now);
    }
  }
  return { requests: [...byId.values()], problems };
}

export async function listRequests(stateDir: string, clock: Clock = systemClock): Promise<{ requests: ApprovalRequest[]; problems: ApprovalLogProblem[] }> {
  const { events, problems } = await readApprovalEvents(stateDir);
  const folded = foldRequests(events, clock.now());
  return { requests: folded.requests, problems: [...problems, ...folded.problems] };
}

export async function getRequest(stateDir: string, id: string, clock: Clock = systemClock): Promise<ApprovalRequest> {
  const { requests } = await listRequests(stateDir, clock);
  const r = requests.find((x) => x.id === id);
  if (!r) throw new CliError(`no approval request ${id} (infra-ops approval list shows them)`, EXIT.usage, 'approval.unknown');
  return r;
}

export interface NewRequest {
  tier: TierDecision;
  requestedBy: string;
  reason?: string;
}

/** Record a request; a trivial one is approved at once by the tier table (recorded as auto). */
export async function createRequest(stateDir: string, input: NewRequest, opts: { clock?: Clock; lock?: LockOptions } = {}): Promise<ApprovalRequest> {
  const clock = opts.clock ?? systemClock;
  const now = clock.now();
  const at = now.toISOString();
  const t = input.tier;
  const deadline = t.autoApprove || t.slaMinutes === null ? null : new Date(now.getTime() + t.slaMinutes * 60_000).toISOString();
  const created: RequestCreatedEvent = {
    v: 1,
    type: 'request.created',
    id: newRequestId(now),
    at,
    action: t.action,
    tier: t.tier,
    ruleId: t.rule.id,
    raisedBy: t.raisedBy.map((f) => f.id),
    slaMinutes: t.autoApprove ? null : t.slaMinutes,
    deadline,
    requestedBy: input.requestedBy,
    reason: input.reason ? redactSecrets(input.reason) : null,
  };
  const events: ApprovalEvent[] = [created];
  if (t.autoApprove) {
    events.push({
      v: 1,
      type: 'request.decided',
      id: created.id,
      at,
      decision: 'approve',
      approver: 'infra-ops',
      justification: `trivial tier (rule ${t.rule.id}): no review needed`,
      conditions: [],
      auto: true,
    });
  }
  await appendApprovalEvents(stateDir, () => ({ events, result: undefined }), opts.lock);
  return foldRequests(events, now).requests[0]!;
}

export interface DecisionInput {
  id: string;
  decision: Decision;
  approver: string;
  justification?: string;
  conditions?: string[];
}

/**
 * Decide a pending request. Rules: a rejection says why; a conditional approval names its
 * conditions (and only it has them); a critical action's decision is justified; nobody decides a
 * medium or critical request they made themselves; a request is decided once.
 */
export async function decideRequest(stateDir: string, input: DecisionInput, opts: { clock?: Clock; lock?: LockOptions } = {}): Promise<ApprovalRequest> {
  const clock = opts.clock ?? systemClock;
  const approver = input.approver.trim();
  // Free text is stored for good: secrets pasted into it are redacted first.
  const justification = input.justification?.trim() ? redactSecrets(input.justification.trim()) : null;
  const conditions = (input.conditions ?? []).map((c) => redactSecrets(c.trim())).filter((c) => c !== '');
  if (approver === '') throw new CliError('--approver must name who decides', EXIT.usage, 'approval.invalid');
  if (input.decision === 'reject' && !justification) {
    throw new CliError('a rejection needs --justification: say why, so the requester can fix it', EXIT.usage, 'approval.invalid');
  }
  if (input.decision === 'conditional' && conditions.length === 0) {
    throw new CliError('a conditional approval needs at least one --condition', EXIT.usage, 'approval.invalid');
  }
  if (input.decision !== 'conditional' && conditions.length > 0) {
    throw new CliError(`--condition only goes with --decision conditional (got ${input.decision})`, EXIT.usage, 'approval.invalid');
  }
  return appendApprovalEvents(
    stateDir,
    (current) => {
      const now = clock.now();
      const request = foldRequests(current, now).requests.find((r) => r.id === input.id);
      if (!request) throw new CliError(`no approval request ${input.id} (infra-ops approval list shows them)`, EXIT.usage, 'approval.unknown');
      if (request.decision) {
        throw new CliError(
          `${input.id} was already ${request.status} by ${request.decision.approver} at ${request.decision.decidedAt}; make a new request to change it`,
          EXIT.usage,
          'approval.already-decided',
        );
      }
      if (request.tier === 'critical' && !justification) {
        throw new CliError(`${input.id} is a critical action: its decision needs --justification`, EXIT.usage, 'approval.invalid');
      }
      if (tierRank(request.tier) >= tierRank('medium') && approver === request.requestedBy) {
        throw new CliError(
          `${approver} requested ${input.id} (${request.tier}): a ${request.tier} action needs a second person to decide`,
          EXIT.blocked,
          'approval.self-approval',
        );
      }
      const event: RequestDecidedEvent = {
        v: 1,
        type: 'request.decided',
        id: input.id,
        at: now.toISOString(),
        decision: input.decision,
        approver,
        justification,
        conditions,
        auto: false,
      };
      const decided = foldRequests([...current.filter((e) => e.id === input.id), event], now).requests[0]!;
      return { events: [event], result: decided };
    },
    opts.lock,
  );
}
