import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { InfraOpsConfig } from '../../src/config/types.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { classifyAction } from '../../src/approval/tier.js';
import { BUILTIN_FLOORS, BUILTIN_RULES } from '../../src/approval/tier-rules.js';
import type { ProposedAction, Tier } from '../../src/approval/types.js';

const ENVS: InfraOpsConfig = {
  version: 1,
  environments: {
    dev: { requireApproval: false, budget: { monthly: 100 } },
    live: { requireApproval: true, production: true, budget: { monthly: 1000 } },
  },
};

function tierOf(action: ProposedAction, config: InfraOpsConfig | undefined = ENVS) {
  return classifyAction(action, resolveApprovalSettings(config), config);
}

describe('tier table (first match wins)', () => {
  const cases: [string, ProposedAction, Tier, string][] = [
    ['delete a PVC in prod', { verb: 'delete', kind: 'pvc', namespace: 'shop', environment: 'prod' }, 'critical', 'delete-data-or-cluster-prod'],
    ['delete a PV in prod (plural)', { verb: 'delete', kind: 'persistentvolumes', environment: 'prod' }, 'critical', 'delete-data-or-cluster-prod'],
    ['delete a namespace in prod', { verb: 'delete', kind: 'ns', name: 'shop', environment: 'production' }, 'critical', 'delete-data-or-cluster-prod'],
    ['delete a node in prod', { verb: 'delete', kind: 'node', name: 'ip-10-0-1-5', environment: 'prod' }, 'critical', 'delete-data-or-cluster-prod'],
    ['delete a PVC in dev', { verb: 'delete', kind: 'PersistentVolumeClaim', namespace: 'shop', environment: 'dev' }, 'medium', 'delete-data-or-cluster'],
    ['drain a prod node', { verb: 'drain', kind: 'node', name: 'n1', environment: 'prod' }, 'critical', 'drain-node-prod'],
    ['cordon a prod node', { verb: 'cordon', kind: 'no', name: 'n1', environment: 'prod' }, 'critical', 'drain-node-prod'],
    ['cordon a dev node', { verb: 'cordon', kind: 'node', name: 'n1', environment: 'dev' }, 'low', 'drain-node'],
    ['delete a pod in dev', { verb: 'delete', kind: 'pod', namespace: 'shop', name: 'web-1', environment: 'dev' }, 'trivial', 'delete-pod'],
    ['delete a pod in prod', { verb: 'delete', kind: 'po', namespace: 'shop', environment: 'prod' }, 'low', 'delete-pod-prod'],
    ['delete a deployment in prod', { verb: 'delete', kind: 'deploy', namespace: 'shop', environment: 'prod' }, 'critical', 'delete-prod'],
    ['rollout restart a deployment in prod', { verb: 'rollout-restart', kind: 'deployment', namespace: 'shop', environment: 'prod' }, 'medium', 'restart-prod'],
    ['rollout restart in dev', { verb: 'rollout restart', kind: 'deployment', namespace: 'shop', environment: 'dev' }, 'trivial', 'restart'],
    ['scale in prod', { verb: 'scale', kind: 'deployment', namespace: 'shop', environment: 'prod' }, 'medium', 'scale-prod'],
    ['scale in dev', { verb: 'scale', kind: 'sts', namespace: 'shop', environment: 'dev' }, 'low', 'scale'],
    ['set resources in prod', { verb: 'set resources', kind: 'deployment', namespace: 'shop', environment: 'prod' }, 'medium', 'change-prod'],
    ['set image in staging', { verb: 'set-image', kind: 'deployment', namespace: 'shop', environment: 'staging' }, 'low', 'change'],
    ['patch in dev', { verb: 'patch', kind: 'cm', namespace: 'shop', environment: 'dev' }, 'low', 'change'],
    ['get pods in prod', { verb: 'get', kind: 'pods', namespace: 'shop', environment: 'prod' }, 'trivial', 'read-only'],
    ['describe in prod', { verb: 'describe', kind: 'pod', namespace: 'shop', environment: 'prod' }, 'trivial', 'read-only'],
    ['logs in prod', { verb: 'logs', kind: 'pod', namespace: 'shop', environment: 'prod' }, 'trivial', 'read-only'],
    ['exec into a prod pod', { verb: 'exec', kind: 'pod', namespace: 'shop', environment: 'prod' }, 'medium', 'shell-prod'],
    ['an unknown verb in prod', { verb: 'frobnicate', kind: 'pod', namespace: 'shop', environment: 'prod' }, 'critical', 'unknown-prod'],
    ['delete a secret in dev', { verb: 'delete', kind: 'secret', namespace: 'shop', environment: 'dev' }, 'low', 'delete'],
    ['uncordon a prod node', { verb: 'uncordon', kind: 'node', environment: 'prod' }, 'low', 'uncordon-node'],
    ['rollout undo in prod', { verb: 'rollout undo', kind: 'deployment', environment: 'prod' }, 'medium', 'rollback-prod'],
    ['undo in dev', { verb: 'undo', kind: 'deployment', environment: 'dev' }, 'low', 'rollback'],
    ['port-forward in dev', { verb: 'port-forward', kind: 'svc', environment: 'dev' }, 'low', 'shell'],
    ['an unknown verb in dev', { verb: 'frobnicate', kind: 'pod', namespace: 'shop', environment: 'dev' }, 'medium', 'unknown'],
  ];
  for (const [title, action, tier, rule] of cases) {
    it(`${title} -> ${tier} (${rule})`, () => {
      const d = tierOf(action);
      expect(d.tier).toBe(tier);
      expect(d.rule.id).toBe(rule);
    });
  }

  it('every built-in rule is reached by some case above', () => {
    const reached = new Set(cases.map((c) => c[3]));
    expect(BUILTIN_RULES.map((r) => r.id).filter((id) => !reached.has(id))).toEqual([]);
  });

  it('anything in kube-system in prod is at least medium, and says which floor raised it', () => {
    const d = tierOf({ verb: 'delete', kind: 'pod', namespace: 'kube-system', name: 'coredns-abc', environment: 'prod' });
    expect(d).toMatchObject({ tier: 'medium', rule: { id: 'delete-pod-prod', tier: 'low' }, raisedBy: [{ id: 'system-namespace-prod', atLeast: 'medium' }], slaMinutes: 30 });
    // already above the floor: unchanged, no floor named
    const drain = tierOf({ verb: 'delete', kind: 'deployment', namespace: 'kube-system', environment: 'prod' });
    expect(drain).toMatchObject({ tier: 'critical', raisedBy: [] });
    // outside production the floor does not apply
    expect(tierOf({ verb: 'delete', kind: 'pod', namespace: 'kube-system', environment: 'dev' }).tier).toBe('trivial');
    expect(BUILTIN_FLOORS.map((f) => f.id)).toEqual(['system-namespace-prod']);
  });

  it('production comes from the action flag, then the config, then the environment name', () => {
    const restart = { verb: 'restart', kind: 'deployment', namespace: 'shop' };
    expect(tierOf({ ...restart, environment: 'live' }).action.production).toBe(true); // config says so
    expect(tierOf({ ...restart, environment: 'eu-prod' }).action.production).toBe(true); // name
    expect(tierOf({ ...restart, environment: 'products' }).action.production).toBe(false); // not a prod name
    expect(tierOf({ ...restart, environment: 'dev', production: true }).tier).toBe('medium'); // flag wins
    const cfg: InfraOpsConfig = { ...ENVS, environments: { prod: { requireApproval: true, production: false, budget: { monthly: 1 } } } };
    expect(tierOf({ ...restart, environment: 'prod' }, cfg).action.production).toBe(false);
  });

  it('SLAs default to none/5/30/120 minutes and trivial actions are auto-approved', () => {
    const sla = (a: ProposedAction) => {
      const d = tierOf(a);
      return [d.tier, d.slaMinutes, d.autoApprove];
    };
    expect(sla({ verb: 'get', kind: 'pod', environment: 'prod' })).toEqual(['trivial', null, true]);
    expect(sla({ verb: 'delete', kind: 'pod', environment: 'prod' })).toEqual(['low', 5, false]);
    expect(sla({ verb: 'scale', kind: 'deployment', environment: 'prod' })).toEqual(['medium', 30, false]);
    expect(sla({ verb: 'delete', kind: 'pvc', environment: 'prod' })).toEqual(['critical', 120, false]);
  });
});

describe('approval config', () => {
  it('overrides a rule tier and the SLAs, and config rules come first', () => {
    const config: InfraOpsConfig = {
      ...ENVS,
      approval: {
        sla: { medium: 15, critical: 60 },
        tiers: { 'delete-pod-prod': 'medium', 'system-namespace-prod': 'critical' },
        rules: [{ id: 'payments-anything', when: { namespaces: ['payments'] }, tier: 'critical' }],
      },
    };
    expect(tierOf({ verb: 'delete', kind: 'pod', namespace: 'shop', environment: 'prod' }, config)).toMatchObject({ tier: 'medium', slaMinutes: 15 });
    expect(tierOf({ verb: 'get', kind: 'pod', namespace: 'payments', environment: 'dev' }, config)).toMatchObject({
      tier: 'critical',
      slaMinutes: 60,
      rule: { id: 'payments-anything', source: 'config' },
    });
    expect(tierOf({ verb: 'get', kind: 'pod', namespace: 'kube-system', environment: 'prod' }, config).tier).toBe('critical');
    expect(tierOf({ verb: 'scale', kind: 'deployment', environment: 'prod' }, config).rule.source).toBe('builtin');
  });

  it('names an override of an unknown rule id and a config rule reusing a built-in id', () => {
    const config: InfraOpsConfig = {
      ...ENVS,
      approval: { tiers: { 'delete-pods': 'low' }, rules: [{ id: 'scale', when: {}, tier: 'low' }] },
    };
    expect(() => resolveApprovalSettings(config)).toThrow(/\/approval\/tiers\/delete-pods is not a built-in rule or floor id \(allowed: read-only, .*delete-pod-prod/);
    expect(() => resolveApprovalSettings(config)).toThrow(/\/approval\/rules\/0\/id "scale" is a built-in rule id/);
  });

  it('the config schema names bad approval fields with their line and allowed values', async () => {
    const yaml = `version: 1
environments:
  prod: { requireApproval: true, budget: { monthly: 10 } }
approval:
  sla:
    medium: -5
    urgent: 3
  tiers:
    delete-pod-prod: severe
  rules:
    - id: payments
      when: { namespace: [payments] }
      tier: critical
`;
    const { config, problems } = await parseConfig(yaml, 'config.yaml');
    expect(config).toBeUndefined();
    const lines = problems.map((p) => `${p.line}: ${p.path} ${p.message}${p.allowed ? ` ${JSON.stringify(p.allowed)}` : ''}`);
    expect(lines).toContain('6: /approval/sla/medium must be >= 1');
    expect(lines).toContain('7: /approval/sla/urgent is not a known field');
    expect(lines).toContain('9: /approval/tiers/delete-pod-prod must be one of the allowed values ["trivial","low","medium","critical"]');
    expect(lines).toContain('12: /approval/rules/0/when/namespace is not a known field');
  });

  it('a valid approval section passes the schema', async () => {
    const yaml = `version: 1
environments:
  prod: { requireApproval: true, production: true, budget: { monthly: 10 } }
approval:
  sla: { trivial: null, low: 10, medium: 45, critical: 240 }
  tiers: { restart-prod: low }
  rules:
    - id: payments
      description: payments is PCI scope
      when: { namespaces: [payments], production: true }
      tier: critical
`;
    const { config, problems } = await parseConfig(yaml, 'config.yaml');
    expect(problems).toEqual([]);
    expect(tierOf({ verb: 'restart', kind: 'deployment', namespace: 'shop', environment: 'prod' }, config).tier).toBe('low');
    expect(tierOf({ verb: 'restart', kind: 'deployment', namespace: 'payments', environment: 'prod' }, config)).toMatchObject({ tier: 'critical', slaMinutes: 240 });
  });
});
