import { join } from 'node:path';
import type { LockOptions } from '../audit/lock.js';
import { appendUnderLock, readText } from '../audit/locked-log.js';
import type { NormalizedAction, Tier } from './types.js';

/**
 * Approval requests and decisions: append-only events in `<stateDir>/approvals/events.jsonl`,
 * written under the same lock and with the same durability as the audit log, so "already decided"
 * is checked against the latest decisions.
 */

export const APPROVALS_DIR = 'approvals';
export const APPROVALS_FILE = 'events.jsonl';

export type Decision = 'approve' | 'reject' | 'conditional';

export interface RequestCreatedEvent {
  v: 1;
  type: 'request.created';
  id: string;
  at: string;
  action: NormalizedAction;
  tier: Tier;
  ruleId: string;
  raisedBy: string[];
  slaMinutes: number | null;
  deadline: string | null;
  requestedBy: string;
  reason: string | null;
}

export interface RequestDecidedEvent {
  v: 1;
  type: 'request.decided';
  id: string;
  at: string;
  decision: Decision;
  approver: string;
  justification: string | null;
  conditions: string[];
  /** Decided by the tier table (trivial), not a person. */
  auto: boolean;
}

export type ApprovalEvent = RequestCreatedEvent | RequestDecidedEvent;

export interface ApprovalLogProblem {
  line: number;
  reason: string;
}

export function approvalsPath(stateDir: string): string {
  return join(stateDir, APPROVALS_DIR, APPROVALS_FILE);
}

export function parseApprovalEvents(text: string): { events: ApprovalEvent[]; problems: ApprovalLogProblem[] } {
  const events: ApprovalEvent[] = [];
  const problems: ApprovalLogProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const v = JSON.parse(line) as ApprovalEvent;
      if (v && (v.type === 'request.created' || v.type === 'request.decided') && typeof v.id === 'string' && typeof v.at === 'string') {
        events.push(v);
      } else {
        problems.push({ line: i + 1, reason: 'not an approval event' });
      }
    } catch {
      problems.push({ line: i + 1, reason: i === lines.length - 1 ? 'torn write at end of file' : 'not valid JSON' });
    }
  });
  return { events, problems };
}

export async function readApprovalEvents(stateDir: string): Promise<{ events: ApprovalEvent[]; problems: ApprovalLogProblem[] }> {
  return parseApprovalEvents(await readText(approvalsPath(stateDir)));
}

/** Append the events `build` returns after seeing the current ones (under the lock). */
export async function appendApprovalEvents<T>(
  stateDir: string,
  build: (current: ApprovalEvent[]) => { events: ApprovalEvent[]; result: T },
  lock?: LockOptions,
): Promise<T> {
  return appendUnderLock(
    approvalsPath(stateDir),
    (text) => {
      const { events, result } = build(parseApprovalEvents(text).events);
      return { lines: events.map((e) => JSON.stringify(e)), result };
    },
    lock,
  );
}
