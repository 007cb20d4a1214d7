import type { NormalizedAction, Tier } from '../approval/types.js';

/** The PHR a person (or Claude) writes: validated against schemas/audit-record.schema.json. */
export interface AuditRecordInput {
  approvalId: string;
  summary: string;
  operator?: string;
  beforeState: { capturedAt?: string; observations: { what: string; value: string }[]; raw?: string };
  analysis: { summary: string; rootCause?: string; confidence?: 'high' | 'medium' | 'low'; evidence?: string[]; source?: string };
  safetyChecks: { check: string; result: 'pass' | 'fail' | 'skipped'; detail?: string }[];
  commands: { argv: string[]; purpose?: string; ranAt?: string; exitCode?: number; output?: string }[];
  afterStateChecks: { check: string; result: 'pass' | 'fail' | 'pending'; after?: string; at?: string; detail?: string }[];
  rollbackPlan: { steps: string[]; commands?: string[][]; withinMinutes?: number };
  lessons?: string[];
  followUps?: string[];
}

/** The approval the record rests on, copied from the approvals log when the record is written. */
export interface AuditApproval {
  id: string;
  action: NormalizedAction;
  tier: Tier;
  decision: 'approve' | 'reject' | 'conditional';
  approver: string;
  decidedAt: string;
  justification: string | null;
  conditions: string[];
  auto: boolean;
}

/** One line of `.infra-ops/audit/records.jsonl`. */
export interface AuditEntry {
  v: 1;
  seq: number;
  id: string;
  recordedAt: string;
  prevHash: string;
  approval: AuditApproval;
  record: AuditRecordInput;
  /** How many secrets were replaced by `[REDACTED:<kind>]` before writing. */
  redactions: number;
  hash: string;
}
