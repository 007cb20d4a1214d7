/**
 * The run record of one `infra-ops deploy` (`.infra-ops/runs/<runId>/run.json`), validated by
 * schemas/deploy-run.schema.json. Every stage keeps its status, timestamps and evidence, so a run
 * can be resumed from another invocation and read later.
 */
import type { Tier } from '../approval/types.js';

export const STAGES = ['validate', 'pre-tests', 'preview', 'approval', 'apply', 'post-tests', 'verify'] as const;
export type StageName = (typeof STAGES)[number];

export type StageStatus = 'pending' | 'running' | 'passed' | 'warned' | 'skipped' | 'awaiting' | 'blocked' | 'failed' | 'error';

/**
 * awaiting_approval: stopped before apply (plan shown, approval asked);
 * verified: applied, post-tested and verified; blocked: a dependency is missing (exit 3);
 * failed: findings, a failed apply or failed post-tests (exit 1); error: anything else (exit 1).
 */
export type RunStatus = 'running' | 'awaiting_approval' | 'verified' | 'blocked' | 'failed' | 'error';

/** One external command a stage ran, as evidence. */
export interface CommandEvidence {
  argv: string[];
  exitCode: number | null;
  durationMs: number;
  /** Key output lines (diagnostics, summaries), secrets redacted. */
  lines: string[];
}

export interface BlockedInfo {
  /** What is missing or in the way: no binary, no credentials, no config, a lock held by someone else, no `init`, a plan changed since preview. */
  by: 'terraform' | 'credentials' | 'config' | 'state_lock' | 'init' | 'plan_changed';
  /** The stage to fix and re-run. */
  fixStage: StageName;
  message: string;
  /** How to fix it (install hint, command). */
  hint: string | null;
  /** State lock holder, when blocked by a lock. */
  lock: StateLockInfo | null;
}

export interface StateLockInfo {
  id: string | null;
  path: string | null;
  operation: string | null;
  who: string | null;
  version: string | null;
  created: string | null;
  /** Seconds since `created`, at the time it was read; null when unknown. */
  ageSeconds: number | null;
}

export interface StageRecord {
  name: StageName;
  status: StageStatus;
  startedAt: string | null;
  endedAt: string | null;
  /** One line: what happened. */
  detail: string | null;
  commands: CommandEvidence[];
  /** Report written by the stage (pre/post tests), relative to the project. */
  report: string | null;
  blocked: BlockedInfo | null;
}

export interface PlanChange {
  address: string;
  type: string;
  actions: string[];
}

export interface PlanSummary {
  add: number;
  change: number;
  replace: number;
  destroy: number;
  creates: string[];
  updates: string[];
  replaces: string[];
  deletes: string[];
  /** Replaced or destroyed resources: what is lost or recreated. */
  destructive: PlanChange[];
}

export interface CostDelta {
  currency: string;
  /** Monthly cost of resources created (replacements excluded: same resource again). */
  added: number;
  /** Monthly cost of resources destroyed. */
  removed: number;
  delta: number;
  note: string;
}

export interface PlanRecord {
  /** Plan file name inside the run folder. */
  file: string;
  sha256: string;
  createdAt: string;
  summary: PlanSummary;
  cost: CostDelta | null;
  /** How many plans this run has made (a stale plan is replaced by a new one). */
  generation: number;
}

export interface ApprovalRecord {
  kind: 'apply' | 'fix';
  requestId: string;
  tier: Tier;
  ruleId: string;
  requestedBy: string;
  approver: string | null;
  decidedAt: string | null;
  /** The plan hash (apply) or fix command digest (fix) the approval is bound to. */
  boundTo: string;
  /** Audit record id (phr-N) for medium and critical tiers, once the action ran (the latest attempt's). */
  auditId: string | null;
}

export interface DebugMatch {
  issueId: string;
  category: string;
  errorCode: string | null;
  /** First lines of the error, redacted. */
  error: string;
  best: {
    solutionRef: string;
    description: string;
    steps: string[];
    confidence: 'high' | 'medium' | 'low';
    automated: boolean;
    command: string[] | null;
  } | null;
}

export interface FixRecord {
  status: 'proposed' | 'ran' | 'failed';
  command: string[];
  issueId: string;
  solutionRef: string;
  exitCode: number | null;
  ranAt: string | null;
  /** Recorded in the issue log (resolve) once the retried apply succeeded or failed. */
  outcome: 'success' | 'failure' | null;
}

export interface RunRecord {
  schemaVersion: 1;
  runId: string;
  env: string;
  production: boolean;
  /** Terraform root module, relative to the project root ('.' for the root). */
  dir: string;
  tool: { name: 'terraform' | 'tofu'; bin: string; version: string | null } | null;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  requestedBy: string;
  options: { skipTests: boolean; overrideFindings: boolean; justification: string | null; varFiles: string[] };
  stages: StageRecord[];
  findings: {
    critical: number;
    high: number;
    medium: number;
    low: number;
    blocking: number;
    /** The first blocking, then warning, findings (at most 5); the rest are in the report. */
    top: { severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'; outcome: 'block' | 'warn'; ruleId: string; resource: string | null; title: string }[];
  } | null;
  plan: PlanRecord | null;
  approvals: ApprovalRecord[];
  applyAttempts: number;
  debug: DebugMatch | null;
  fix: FixRecord | null;
  blocked: BlockedInfo | null;
  error: string | null;
  /** What to do next, one line each. */
  next: string[];
  notes: string[];
}
