import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/audit/lock.js';
import { cleanup, tempStateDir } from './helpers.js';

afterAll(cleanup);

function lockPath(): string {
  const dir = tempStateDir('audit-lock-');
  mkdirSync(dir, { recursive: true });
  return join(dir, 'records.jsonl.lock');
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, token: 'someone-else', at: '2026-03-02T10:00:00.000Z' });

describe('exclusive lock file', () => {
  it('is held while the work runs and removed after, also when the work throws', async () => {
    const lock = lockPath();
    await withFileLock(lock, async () => expect(existsSync(lock)).toBe(true));
    expect(existsSync(lock)).toBe(false);
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('serialises work in one process too', async () => {
    const lock = lockPath();
    const order: string[] = [];
    const job = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 15));
        order.push(`${name}-`);
      });
    await Promise.all([job('a'), job('b'), job('c')]);
    // never two inside at once: every + is followed by its own -
    for (let i = 0; i < order.length; i += 2) expect(order[i]!.slice(0, 1)).toBe(order[i + 1]!.slice(0, 1));
  });

  it('breaks a lock whose owner died (same host, pid gone)', async () => {
    const lock = lockPath();
    writeFileSync(lock, holder(deadPid()));
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock older than staleMs, even of a live or foreign owner, and an old unreadable one', async () => {
    const lock = lockPath();
    writeFileSync(lock, holder(process.pid, 'other-host'));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { staleMs: 30_000, timeoutMs: 2000 })).toBe('ran');
    writeFileSync(lock, '{"pid":');
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran again', { staleMs: 30_000, timeoutMs: 2000 })).toBe('ran again');
  });

  it('waits for a live owner and gives up with exit 3 naming it; the lock is left alone', async () => {
    const lock = lockPath();
    writeFileSync(lock, holder(process.pid));
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 150 })).rejects.toMatchObject({
      exitCode: 3,
      code: 'lock.timeout',
      message: expect.stringContaining(`is held by pid ${process.pid} on ${hostname()}`),
    });
    expect(existsSync(lock)).toBe(true);
  });
});
