import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequest, listRequests } from '../../src/approval/decisions.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { approvalsPath } from '../../src/approval/store.js';
import { classifyAction } from '../../src/approval/tier.js';

const WORKER = fileURLToPath(new URL('./decide-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('concurrent decisions', () => {
  it('6 approvers deciding one request at once: exactly one decision is recorded, the others are told it was decided', async () => {
    const root = mkdtempSync(join(tmpdir(), 'approval-conc-'));
    dirs.push(root);
    const stateDir = join(root, '.infra-ops');
    const tier = classifyAction({ verb: 'delete', kind: 'pvc', namespace: 'shop', environment: 'prod' }, resolveApprovalSettings(undefined), undefined);
    const { id } = await createRequest(stateDir, { tier, requestedBy: 'dana' });
    const workers = Array.from({ length: 6 }, (_, w) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, stateDir, id, `approver-${w}`], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes('ready') && resolve()));
      const done = new Promise<string>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve(out.replace('ready\n', '').trim()) : reject(new Error(`worker ${w} exited ${code}: ${err}`)))),
      );
      return { child, ready, done };
    });
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin!.end('go\n');
    const outcomes = await Promise.all(workers.map((w) => w.done));
    expect(outcomes.filter((o) => o === 'decided')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'approval.already-decided')).toHaveLength(5);
    const decided = readFileSync(approvalsPath(stateDir), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'request.decided');
    expect(decided).toHaveLength(1);
    const { requests, problems } = await listRequests(stateDir);
    expect(problems).toEqual([]);
    expect(requests[0]!.decision!.approver).toBe(decided[0].approver);
  }, 30_000);
});
