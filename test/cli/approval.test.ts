import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRequest, decideRequest } from '../../src/approval/decisions.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { classifyAction } from '../../src/approval/tier.js';
import { cli, schemaErrors } from './run-cli.js';

function project(config?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'infra-ops-approval-'));
  mkdirSync(join(root, '.infra-ops'));
  if (config !== undefined) writeFileSync(join(root, '.infra-ops', 'config.yaml'), config);
  return root;
}

const CONFIG = `version: 1
environments:
  dev: { requireApproval: false, budget: { monthly: 100 } }
  live: { requireApproval: true, production: true, budget: { monthly: 1000 } }
approval:
  sla: { critical: 60 }
  tiers: { delete-pod-prod: medium }
`;

describe('infra-ops approval tier', () => {
  it('prints the tier, the matched rule and the SLA (--json, schema-valid)', () => {
    const r = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pvc', '--namespace', 'shop', '--env', 'prod', '--json'], { cwd: project() });
    expect(r.status, r.stderr).toBe(0);
    const d = r.json();
    expect(schemaErrors('approval-tier', d)).toEqual([]);
    expect(d).toMatchObject({
      tier: 'critical',
      rule: { id: 'delete-data-or-cluster-prod', source: 'builtin' },
      slaMinutes: 120,
      autoApprove: false,
      auditRecordRequired: true,
      action: { verb: 'delete', kind: 'PersistentVolumeClaim', namespace: 'shop', environment: 'prod', production: true },
    });
  });

  it('uses the config: production environments by name, overridden tiers and SLAs', () => {
    const root = project(CONFIG);
    const pvc = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pv', '--env', 'live', '--json'], { cwd: root }).json();
    expect(pvc).toMatchObject({ tier: 'critical', slaMinutes: 60, action: { production: true } });
    const pod = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pod', '-n', 'shop', '--env', 'live', '--json'], { cwd: root }).json();
    expect(pod).toMatchObject({ tier: 'medium', rule: { id: 'delete-pod-prod', tier: 'medium' }, slaMinutes: 30 });
    const dev = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pod', '--env', 'dev', '--production', '--json'], { cwd: root }).json();
    expect(dev).toMatchObject({ tier: 'medium', action: { production: true } });
  });

  it('human output names the tier, rule, floor and review; no colour when piped', () => {
    const r = cli(['approval', 'tier', '--verb', 'get', '--kind', 'pods', '-n', 'kube-system', '--env', 'prod'], { cwd: project() });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'medium — get Pod kube-system in prod (production)',
        '  rule: read-only — reads change nothing',
        '  raised to medium by system-namespace-prod — anything in kube-system of a production cluster is reviewed',
        '  review: within 30 min',
        '  audit: needs a record after it runs (infra-ops audit record --file phr.json)',
        '',
      ].join('\n'),
    );
  });

  it('a missing flag or a bad approval config field is a usage error (exit 2) that names it', () => {
    const noEnv = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pod', '--json'], { cwd: project() });
    expect(noEnv.status).toBe(2);
    expect(noEnv.json().error.message).toBe('--env is required');
    const bad = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pod', '--env', 'dev'], { cwd: project(`${CONFIG}  rules:\n    - { id: x, when: {}, tier: severe }\n`) });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/config\.yaml:9: \/approval\/rules\/0\/tier must be one of the allowed values \(allowed: "trivial", "low", "medium", "critical"\)/);
    const unknown = cli(['approval', 'tier', '--verb', 'delete', '--kind', 'pod', '--env', 'dev', '--json'], { cwd: project(CONFIG.replace('delete-pod-prod', 'delete-pods-prod')) });
    expect(unknown.status).toBe(2);
    expect(unknown.json().error).toMatchObject({ code: 'config.invalid', message: expect.stringContaining('/approval/tiers/delete-pods-prod is not a built-in rule or floor id') });
  });
});

describe('infra-ops approval request / decide / list', () => {
  it('request, then decide conditionally; list shows status and SLA; all schema-valid', () => {
    const root = project();
    const req = cli(['approval', 'request', '--verb', 'scale', '--kind', 'deploy', '-n', 'shop', '--name', 'web', '--env', 'prod', '--requested-by', 'dana', '--reason', 'traffic', '--json'], { cwd: root });
    expect(req.status, req.stderr).toBe(0);
    const r = req.json();
    expect(schemaErrors('approval-request', r)).toEqual([]);
    expect(r.request).toMatchObject({ tier: 'medium', status: 'pending', slaMinutes: 30, requestedBy: 'dana', sla: { state: 'open' } });
    expect(Date.parse(r.request.deadline) - Date.parse(r.request.requestedAt)).toBe(30 * 60_000);

    const self = cli(['approval', 'decide', r.request.id, '--decision', 'approve', '--approver', 'dana', '--json'], { cwd: root });
    expect(self.status).toBe(3);
    expect(self.json().error.code).toBe('approval.self-approval');

    const reject = cli(['approval', 'decide', r.request.id, '--decision', 'reject', '--approver', 'lee'], { cwd: root });
    expect(reject.status).toBe(2);
    expect(reject.stderr).toMatch(/rejection needs --justification/);

    const dec = cli(['approval', 'decide', r.request.id, '--decision', 'conditional', '--approver', 'lee', '--justification', 'peak hours', '--condition', 'keep the HPA max above 10', '--condition', 'watch p99', '--json'], { cwd: root });
    expect(dec.status, dec.stderr).toBe(0);
    expect(schemaErrors('approval-decide', dec.json())).toEqual([]);
    expect(dec.json().request).toMatchObject({ status: 'conditional', decision: { approver: 'lee', conditions: ['keep the HPA max above 10', 'watch p99'], auto: false }, sla: { state: 'met' } });

    const trivial = cli(['approval', 'request', '--verb', 'delete', '--kind', 'pod', '-n', 'shop', '--name', 'web-1', '--env', 'dev', '--json'], { cwd: root }).json();
    expect(trivial.request).toMatchObject({ status: 'approved', tier: 'trivial', decision: { auto: true, approver: 'infra-ops' }, sla: { state: 'none' } });

    const list = cli(['approval', 'list', '--json'], { cwd: root });
    expect(list.status).toBe(0);
    const l = list.json();
    expect(schemaErrors('approval-list', l)).toEqual([]);
    expect(l).toMatchObject({ total: 2, pending: 0, breached: 0, unrecorded: 1 });
    expect(l.requests.map((x: { auditRecords: string[] }) => x.auditRecords)).toEqual([[], []]);
    expect(l.requests.map((x: { status: string }) => x.status)).toEqual(['conditional', 'approved']);
    const human = cli(['approval', 'list'], { cwd: root }).stdout;
    expect(human).toContain('conditional by lee');
    expect(human).toContain('condition: watch p99');
    expect(human).toContain('auto-approved');
    expect(human).toContain('audit: no record yet');
    expect(human).toMatch(/2 requests, 0 pending, 0 SLA breaches, 1 approved medium\/critical without an audit record\n$/);
  });

  it('list --breached reports late decisions and overdue requests, and exits 1', async () => {
    const root = project();
    const stateDir = join(root, '.infra-ops');
    const settings = resolveApprovalSettings(undefined);
    const medium = classifyAction({ verb: 'restart', kind: 'deployment', namespace: 'shop', name: 'web', environment: 'prod' }, settings, undefined);
    const at = (iso: string) => ({ clock: { now: () => new Date(iso) } });
    const overdue = await createRequest(stateDir, { tier: medium, requestedBy: 'dana' }, at('2026-01-05T09:00:00Z'));
    const late = await createRequest(stateDir, { tier: medium, requestedBy: 'dana' }, at('2026-01-05T09:00:00Z'));
    await decideRequest(stateDir, { id: late.id, decision: 'approve', approver: 'lee' }, at('2026-01-05T09:45:00Z'));
    const onTime = await createRequest(stateDir, { tier: medium, requestedBy: 'dana' }, at('2026-01-05T09:00:00Z'));
    await decideRequest(stateDir, { id: onTime.id, decision: 'approve', approver: 'lee' }, at('2026-01-05T09:10:00Z'));

    const all = cli(['approval', 'list', '--json'], { cwd: root });
    expect(all.status).toBe(0);
    expect(all.json()).toMatchObject({ total: 3, pending: 1, breached: 2 });

    const r = cli(['approval', 'list', '--breached', '--json'], { cwd: root });
    expect(r.status).toBe(1);
    const d = r.json();
    expect(schemaErrors('approval-list', d)).toEqual([]);
    expect(d.requests.map((x: { id: string }) => x.id)).toEqual([overdue.id, late.id]);
    expect(d.requests[1].sla).toEqual({ state: 'breached', lateSeconds: 15 * 60, remainingSeconds: null });
    expect(d.requests[0].sla.lateSeconds).toBeGreaterThan(24 * 3600);
    const human = cli(['approval', 'list', '--breached'], { cwd: root }).stdout;
    expect(human).toContain('SLA breached: decided 15 min past the 30-min deadline 2026-01-05T09:30:00.000Z');
    expect(human).toMatch(/SLA breached: pending \d+ h \d+ min past the 30-min deadline/);

    const pending = cli(['approval', 'list', '--pending', '--json'], { cwd: root }).json();
    expect(pending.requests.map((x: { id: string }) => x.id)).toEqual([overdue.id]);
  });

  it('deciding an unknown id or twice is a usage error naming it', () => {
    const root = project();
    const unknown = cli(['approval', 'decide', 'apr-20260101-deadbeef', '--decision', 'approve', '--approver', 'lee'], { cwd: root });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no approval request apr-20260101-deadbeef/);
    const bad = cli(['approval', 'decide', 'x', '--decision', 'maybe', '--approver', 'lee'], { cwd: root });
    expect(bad.status).toBe(2);
  });
});
