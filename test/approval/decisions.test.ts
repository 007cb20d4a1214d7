import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest, listRequests, slaState, type Clock } from '../../src/approval/decisions.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { approvalsPath } from '../../src/approval/store.js';
import { classifyAction } from '../../src/approval/tier.js';
import type { ProposedAction } from '../../src/approval/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'approval-'));
  dirs.push(d);
  return join(d, '.infra-ops');
}

/** A clock the test moves by hand. */
function clockAt(iso: string): Clock & { advance: (minutes: number) => void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (m) => (t += m * 60_000) };
}

const settings = resolveApprovalSettings(undefined);
const tier = (a: ProposedAction) => classifyAction(a, settings, undefined);
const SCALE_PROD = tier({ verb: 'scale', kind: 'deployment', namespace: 'shop', name: 'web', environment: 'prod' }); // medium, 30 min
const PVC_PROD = tier({ verb: 'delete', kind: 'pvc', namespace: 'shop', name: 'data-db-0', environment: 'prod' }); // critical, 120 min
const POD_DEV = tier({ verb: 'delete', kind: 'pod', namespace: 'shop', name: 'web-1', environment: 'dev' }); // trivial

describe('approval requests and decisions', () => {
  it('a request gets an id, its tier, and a deadline of requestedAt + SLA', async () => {
    const dir = stateDir();
    const clock = clockAt('2026-03-02T10:00:00.000Z');
    const r = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana', reason: 'Black Friday traffic' }, { clock });
    expect(r).toMatchObject({
      id: expect.stringMatching(/^apr-20260302-[0-9a-f]{8}$/),
      tier: 'medium',
      ruleId: 'scale-prod',
      requestedAt: '2026-03-02T10:00:00.000Z',
      slaMinutes: 30,
      deadline: '2026-03-02T10:30:00.000Z',
      status: 'pending',
      decision: null,
      requestedBy: 'dana',
      reason: 'Black Friday traffic',
      action: { verb: 'scale', kind: 'Deployment', namespace: 'shop', name: 'web', environment: 'prod', production: true },
      sla: { state: 'open', remainingSeconds: 1800 },
    });
  });

  it('a trivial action is approved at once and recorded as auto-approved', async () => {
    const dir = stateDir();
    const r = await createRequest(dir, { tier: POD_DEV, requestedBy: 'dana' }, { clock: clockAt('2026-03-02T10:00:00Z') });
    expect(r).toMatchObject({ status: 'approved', deadline: null, slaMinutes: null, sla: { state: 'none' } });
    expect(r.decision).toMatchObject({ decision: 'approve', approver: 'infra-ops', auto: true, justification: expect.stringContaining('delete-pod') });
    const lines = readFileSync(approvalsPath(dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['request.created', 'request.decided']);
    // a trivial one cannot be decided again by a person
    await expect(decideRequest(dir, { id: r.id, decision: 'reject', approver: 'lee', justification: 'no' })).rejects.toThrow(/already approved by infra-ops/);
  });

  it('approve, reject and conditional record who, when, why and the conditions', async () => {
    const dir = stateDir();
    const clock = clockAt('2026-03-02T10:00:00Z');
    const a = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana' }, { clock });
    const b = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana' }, { clock });
    const c = await createRequest(dir, { tier: PVC_PROD, requestedBy: 'dana' }, { clock });
    clock.advance(4);
    const ra = await decideRequest(dir, { id: a.id, decision: 'approve', approver: 'lee' }, { clock });
    expect(ra).toMatchObject({ status: 'approved', decision: { approver: 'lee', decidedAt: '2026-03-02T10:04:00.000Z', justification: null, conditions: [], auto: false } });
    const rb = await decideRequest(dir, { id: b.id, decision: 'reject', approver: 'lee', justification: 'HPA already scales it' }, { clock });
    expect(rb).toMatchObject({ status: 'rejected', decision: { justification: 'HPA already scales it' } });
    const rc = await decideRequest(
      dir,
      { id: c.id, decision: 'conditional', approver: 'kim', justification: 'volume is orphaned', conditions: ['snapshot first', 'outside business hours'] },
      { clock },
    );
    expect(rc).toMatchObject({ status: 'conditional', decision: { conditions: ['snapshot first', 'outside business hours'] } });
    const { requests, problems } = await listRequests(dir, clock);
    expect(problems).toEqual([]);
    expect(requests.map((r) => [r.id, r.status])).toEqual([[a.id, 'approved'], [b.id, 'rejected'], [c.id, 'conditional']]);
  });

  it('refuses: reject without why, conditional without conditions, conditions on approve, critical without why, self-approval, deciding twice, unknown id', async () => {
    const dir = stateDir();
    const clock = clockAt('2026-03-02T10:00:00Z');
    const m = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana' }, { clock });
    const c = await createRequest(dir, { tier: PVC_PROD, requestedBy: 'dana' }, { clock });
    await expect(decideRequest(dir, { id: m.id, decision: 'reject', approver: 'lee' })).rejects.toThrow(/rejection needs --justification/);
    await expect(decideRequest(dir, { id: m.id, decision: 'reject', approver: 'lee', justification: '   ' })).rejects.toThrow(/rejection needs --justification/);
    await expect(decideRequest(dir, { id: m.id, decision: 'conditional', approver: 'lee' })).rejects.toThrow(/at least one --condition/);
    await expect(decideRequest(dir, { id: m.id, decision: 'approve', approver: 'lee', conditions: ['x'] })).rejects.toThrow(/only goes with --decision conditional/);
    await expect(decideRequest(dir, { id: c.id, decision: 'approve', approver: 'lee' })).rejects.toThrow(/critical action: its decision needs --justification/);
    await expect(decideRequest(dir, { id: m.id, decision: 'approve', approver: 'dana' })).rejects.toMatchObject({ exitCode: 3, code: 'approval.self-approval' });
    await expect(decideRequest(dir, { id: 'apr-20260302-00000000', decision: 'approve', approver: 'lee' })).rejects.toMatchObject({ exitCode: 2, code: 'approval.unknown' });
    await decideRequest(dir, { id: m.id, decision: 'approve', approver: 'lee' }, { clock });
    await expect(decideRequest(dir, { id: m.id, decision: 'reject', approver: 'kim', justification: 'too late' })).rejects.toMatchObject({ code: 'approval.already-decided' });
    // nothing refused was written: 2 requests + 1 decision
    expect(readFileSync(approvalsPath(dir), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});

describe('free text is redacted before it is stored', () => {
  it('a secret pasted into a reason, justification or condition never reaches the log', async () => {
    const dir = stateDir();
    const r = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana', reason: 'db login fails with password=Hunter2-2026 since 09:00' });
    expect(r.reason).toBe('db login fails with password=[REDACTED:password] since 09:00');
    const d = await decideRequest(dir, {
      id: r.id,
      decision: 'conditional',
      approver: 'lee',
      justification: 'checked with token=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      conditions: ['rotate AKIAIOSFODNN7EXAMPLE afterwards'],
    });
    expect(d.decision).toMatchObject({ justification: 'checked with token=[REDACTED:github-token]', conditions: ['rotate [REDACTED:aws-access-key-id] afterwards'] });
    const text = readFileSync(approvalsPath(dir), 'utf8');
    for (const secret of ['Hunter2-2026', 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'AKIAIOSFODNN7EXAMPLE']) expect(text).not.toContain(secret);
  });
});

describe('SLA breaches', () => {
  it('decided within the SLA is met; decided after the deadline is breached by the exact lateness', async () => {
    const dir = stateDir();
    const clock = clockAt('2026-03-02T10:00:00Z');
    const onTime = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana' }, { clock });
    const late = await createRequest(dir, { tier: SCALE_PROD, requestedBy: 'dana' }, { clock });
    clock.advance(30); // exactly at the deadline: still met
    await decideRequest(dir, { id: onTime.id, decision: 'approve', approver: 'lee' }, { clock });
    clock.advance(12.5);
    await decideRequest(dir, { id: late.id, decision: 'approve', approver: 'lee' }, { clock });
    clock.advance(600);
    const { requests } = await listRequests(dir, clock);
    expect(requests.find((r) => r.id === onTime.id)!.sla).toEqual({ state: 'met', lateSeconds: null, remainingSeconds: null });
    expect(requests.find((r) => r.id === late.id)!.sla).toEqual({ state: 'breached', lateSeconds: 750, remainingSeconds: null });
  });

  it('a pending request is open before its deadline and breached, by how overdue it is, after it', async () => {
    const dir = stateDir();
    const clock = clockAt('2026-03-02T10:00:00Z');
    const r = await createRequest(dir, { tier: PVC_PROD, requestedBy: 'dana' }, { clock });
    clock.advance(119);
    expect((await listRequests(dir, clock)).requests[0]!.sla).toEqual({ state: 'open', lateSeconds: null, remainingSeconds: 60 });
    clock.advance(1);
    expect((await listRequests(dir, clock)).requests[0]!.sla.state).toBe('open');
    clock.advance(61 / 60);
    expect((await listRequests(dir, clock)).requests[0]!.sla).toEqual({ state: 'breached', lateSeconds: 61, remainingSeconds: null });
    expect(r.deadline).toBe('2026-03-02T12:00:00.000Z');
  });

  it('slaState: no deadline means no SLA, whatever the time', () => {
    expect(slaState(null, null, new Date('2030-01-01T00:00:00Z')).state).toBe('none');
    expect(slaState('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.999Z', new Date()).state).toBe('met');
    expect(slaState('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', new Date())).toMatchObject({ state: 'breached', lateSeconds: 1 });
  });

  it('configured SLAs set the deadline', async () => {
    const dir = stateDir();
    const custom = resolveApprovalSettings({ version: 1, environments: {}, approval: { sla: { medium: 10 } } });
    const t = classifyAction({ verb: 'scale', kind: 'deployment', environment: 'prod' }, custom, undefined);
    const r = await createRequest(dir, { tier: t, requestedBy: 'dana' }, { clock: clockAt('2026-03-02T10:00:00Z') });
    expect(r).toMatchObject({ slaMinutes: 10, deadline: '2026-03-02T10:10:00.000Z' });
  });
});
