/**
 * Approvals of a deploy go through src/approval, so tiers, SLAs and the second-person rule apply,
 * and medium or critical ones leave an audit record (src/audit) once the action ran.
 * Applying a plan is a `change` (low outside production, medium in production); a plan that
 * replaces or destroys resources is raised to medium, and to critical in production.
 */
import { createRequest, decideRequest, getRequest, type ApprovalRequest } from '../approval/decisions.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { resolveApprovalSettings } from '../approval/settings.js';
import { classifyAction } from '../approval/tier.js';
import { tierRank, type Tier, type TierDecision } from '../approval/types.js';
import type { InfraOpsConfig } from '../config/types.js';
import type { AuditRecordInput } from '../audit/types.js';

export const PLAN_KIND = 'TerraformPlan';
export const FIX_KIND = 'AutomatedFix';

/** The deploy's own floor: destroying or replacing resources is reviewed by a second person. */
export const DESTRUCTIVE_FLOOR = {
  id: 'deploy-destructive',
  description: 'a plan that replaces or destroys resources loses data or capacity if wrong',
} as const;

export function deployTier(
  input: { env: string; production: boolean; kind: typeof PLAN_KIND | typeof FIX_KIND; name: string; destructive: boolean },
  config: InfraOpsConfig | undefined,
): TierDecision {
  const settings = resolveApprovalSettings(config);
  const decision = classifyAction({ verb: 'apply', kind: input.kind, name: input.name, environment: input.env, production: input.production }, settings, config);
  if (!input.destructive) return decision;
  const atLeast: Tier = input.production ? 'critical' : 'medium';
  if (tierRank(decision.tier) >= tierRank(atLeast)) return decision;
  const sla = settings.sla[atLeast];
  return {
    ...decision,
    tier: atLeast,
    raisedBy: [...decision.raisedBy, { ...DESTRUCTIVE_FLOOR, atLeast }],
    slaMinutes: sla,
    autoApprove: false,
  };
}

export async function requestDeployApproval(stateDir: string, tier: TierDecision, requestedBy: string, reason: string): Promise<ApprovalRequest> {
  return createRequest(stateDir, { tier, requestedBy, reason });
}

/**
 * Approve a request. One already approved (auto-approved as trivial, or decided with
 * `infra-ops approval decide`) is used as it is; a rejected one is refused (exit 3).
 */
export async function approveRequest(stateDir: string, request: { id: string }, approver: string, justification: string | undefined): Promise<ApprovalRequest> {
  const current = await getRequest(stateDir, request.id);
  if (current.status === 'rejected') {
    throw new CliError(
      `approval ${current.id} was rejected by ${current.decision?.approver ?? '?'}${current.decision?.justification ? ` (${current.decision.justification})` : ''}: nothing is applied; start a new run after addressing it`,
      EXIT.blocked,
      'deploy.rejected',
    );
  }
  if (current.status === 'approved' || current.status === 'conditional') return current;
  return decideRequest(stateDir, { id: request.id, decision: 'approve', approver, justification });
}

export function needsAudit(tier: Tier): boolean {
  return tierRank(tier) >= tierRank('medium');
}

/** Write the PHR of an applied plan or fix (medium and critical tiers). */
export async function auditDeployAction(stateDir: string, record: AuditRecordInput): Promise<string> {
  const { recordAction } = await import('../audit/record.js');
  const entry = await recordAction(stateDir, record);
  return entry.id;
}
