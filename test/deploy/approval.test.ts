import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideRequest } from '../../src/approval/decisions.js';
import type { InfraOpsConfig } from '../../src/config/types.js';
import { approveRequest, deployTier, FIX_KIND, needsAudit, PLAN_KIND, requestDeployApproval } from '../../src/deploy/approval.js';

const tier = (env: string, production: boolean, destructive: boolean, config?: InfraOpsConfig) =>
  deployTier({ env, production, kind: PLAN_KIND, name: '.', destructive }, config);

describe('deploy approval tiers', () => {
  it('applying a plan is low outside production and medium in it; destroying or replacing raises it to medium / critical', () => {
    expect([tier('test', false, false).tier, tier('test', false, true).tier, tier('prod', true, false).tier, tier('prod', true, true).tier]).toEqual([
      'low',
      'medium',
      'medium',
      'critical',
    ]);
    const raised = tier('test', false, true);
    expect(raised.raisedBy.map((r) => r.id)).toEqual(['deploy-destructive']);
    expect(raised.slaMinutes).toBe(30);
    expect(needsAudit(raised.tier)).toBe(true);
    expect(needsAudit(tier('test', false, false).tier)).toBe(false);
  });

  it('the config can raise the tier of applying a plan (a config rule first), and a fix is tiered like a change', () => {
    const config = {
      version: 1,
      environments: {},
      approval: { rules: [{ id: 'plans-reviewed', when: { kinds: [PLAN_KIND] }, tier: 'medium' }] },
    } as unknown as InfraOpsConfig;
    expect(tier('test', false, false, config)).toMatchObject({ tier: 'medium', rule: { id: 'plans-reviewed', source: 'config' } });
    expect(deployTier({ env: 'test', production: false, kind: FIX_KIND, name: 'aws iam create-service-linked-role', destructive: false }, undefined).tier).toBe('low');
  });
});

describe('approving a deploy request', () => {
  it('decides a pending request; uses one already approved elsewhere; refuses a rejected one (exit 3)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'infra-ops-deploy-apr-'));
    const a = await requestDeployApproval(stateDir, tier('test', false, true), 'dana', 'plan');
    expect(a.status).toBe('pending');
    expect((await approveRequest(stateDir, a, 'sam', undefined)).decision).toMatchObject({ approver: 'sam', decision: 'approve' });

    const b = await requestDeployApproval(stateDir, tier('test', false, true), 'dana', 'plan');
    await decideRequest(stateDir, { id: b.id, decision: 'approve', approver: 'lee' });
    expect((await approveRequest(stateDir, b, 'sam', undefined)).decision?.approver).toBe('lee');

    const c = await requestDeployApproval(stateDir, tier('test', false, true), 'dana', 'plan');
    await decideRequest(stateDir, { id: c.id, decision: 'reject', approver: 'lee', justification: 'not during the freeze' });
    await expect(approveRequest(stateDir, c, 'sam', undefined)).rejects.toMatchObject({ code: 'deploy.rejected', exitCode: 3 });
    await expect(approveRequest(stateDir, await requestDeployApproval(stateDir, tier('test', false, true), 'dana', 'x'), 'dana', undefined)).rejects.toMatchObject({
      code: 'approval.self-approval',
    });
  });
});
