import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLogPath, readAuditLog } from '../../src/audit/store.js';
import { cleanup, tempStateDir } from './helpers.js';

const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 6;
const PER_WORKER = 25;

afterAll(cleanup);

function exited(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr()}`))));
  });
}

describe('concurrent audit appends from separate processes', () => {
  it('6 processes appending at once never fork the chain: one record per seq, every link intact', async () => {
    const stateDir = tempStateDir('audit-conc-');
    const children = Array.from({ length: WORKERS }, (_, w) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, stateDir, String(PER_WORKER), `w${w}`], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`worker w${w} exited ${code} before ready: ${stderr}`)));
      });
      return { child, ready, done: exited(child, () => stderr) };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin!.end('go\n');
    await Promise.all(children.map((c) => c.done));

    const report = await readAuditLog(stateDir);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(WORKERS * PER_WORKER);
    expect(report.lastSeq).toBe(WORKERS * PER_WORKER);
    const lines = readFileSync(auditLogPath(stateDir), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.seq)).toEqual(Array.from({ length: WORKERS * PER_WORKER }, (_, i) => i + 1));
    // every worker's records landed once, in its own order
    for (let w = 0; w < WORKERS; w++) {
      const mine = lines.filter((e) => e.record.summary.startsWith(`w${w}:`)).map((e) => Number(e.record.summary.split(':')[1]));
      expect(mine).toEqual(Array.from({ length: PER_WORKER }, (_, i) => i));
    }
    // the writers really interleaved (the lock serialised them, not the start-up order)
    const runs = lines.reduce((n, e, i) => (i > 0 && e.record.summary.split(':')[0] !== lines[i - 1].record.summary.split(':')[0] ? n + 1 : n), 1);
    expect(runs).toBeGreaterThan(WORKERS);
  }, 30_000);
});
