import type { RiskTier } from '../diagnose/types.js';

/** Risk tiers, least to most risky. The diagnosis module proposes remediations with the same tiers. */
export const TIERS = ['trivial', 'low', 'medium', 'critical'] as const satisfies readonly RiskTier[];
export type Tier = RiskTier;

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** An action someone proposes to run against a cluster, before normalisation (`--kind pvc`, `--verb rollout-restart`). */
export interface ProposedAction {
  verb: string;
  kind: string;
  namespace?: string;
  name?: string;
  environment: string;
  /** Overrides what the config (or the environment's name) says about production. */
  production?: boolean;
}

/** The same action with canonical verb and kind and a decided `production`. */
export interface NormalizedAction {
  verb: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  environment: string;
  production: boolean;
}

/** What a rule looks at; every listed field must match (lists match any of their entries, case-insensitively). */
export interface RuleMatch {
  verbs?: string[];
  kinds?: string[];
  namespaces?: string[];
  environments?: string[];
  production?: boolean;
}

/** One row of the tier table: the first rule whose `when` matches decides the tier. */
export interface TierRule {
  id: string;
  description: string;
  when: RuleMatch;
  tier: Tier;
}

/** Applied after the table: raises the tier to at least `atLeast` when `when` matches. */
export interface TierFloor {
  id: string;
  description: string;
  when: RuleMatch;
  atLeast: Tier;
}

/** Review SLA per tier in minutes; null = no deadline. Trivial actions are auto-approved whatever their SLA. */
export type SlaTable = Record<Tier, number | null>;

export interface ApprovalSettings {
  rules: TierRule[];
  floors: TierFloor[];
  sla: SlaTable;
}

export interface TierDecision {
  action: NormalizedAction;
  tier: Tier;
  /** The table row that matched (first match wins). */
  rule: { id: string; description: string; tier: Tier; source: 'builtin' | 'config' };
  /** Floors that raised the tier (empty when none did). */
  raisedBy: { id: string; description: string; atLeast: Tier }[];
  slaMinutes: number | null;
  /** Trivial actions need no review. */
  autoApprove: boolean;
}
