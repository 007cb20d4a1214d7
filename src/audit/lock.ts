import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CliError, EXIT } from '../cli/exit-codes.js';

/**
 * An exclusive lock between processes: a lock file created with O_CREAT|O_EXCL holding the owner's
 * pid, host and a random token. A lock whose owner died (same host, pid gone) or that is older than
 * `staleMs` is stale and broken; breaking goes through a second O_EXCL file so two waiters cannot
 * both break it and then delete each other's fresh lock.
 */

export interface LockOptions {
  /** A lock older than this is stale whoever holds it (holders keep it for milliseconds). Default 30 s. */
  staleMs?: number;
  /** Give up waiting after this long (exit 3). Default 15 s. */
  timeoutMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  token: string;
  at: string;
}

const BREAKER_STALE_MS = 10_000;

export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const token = await acquire(lockFile, opts.staleMs ?? 30_000, opts.timeoutMs ?? 15_000);
  try {
    return await fn();
  } finally {
    await release(lockFile, token);
  }
}

async function acquire(lockFile: string, staleMs: number, timeoutMs: number): Promise<string> {
  const token = randomBytes(12).toString('hex');
  const info: LockInfo = { pid: process.pid, host: hostname(), token, at: new Date().toISOString() };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(info));
      } finally {
        await handle.close();
      }
      return token;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await inspect(lockFile);
    if (holder && isStale(holder, staleMs)) {
      await breakStale(lockFile, holder.text);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const who = holder?.info ? `pid ${holder.info.pid} on ${holder.info.host} since ${holder.info.at}` : 'another process';
      throw new CliError(`${lockFile} is held by ${who}; try again, or delete it if that process is gone`, EXIT.blocked, 'lock.timeout');
    }
    // Jittered back-off so waiters do not retry in lock-step.
    await sleep(Math.min(50, 2 + attempt) + Math.random() * 10);
  }
}

interface Holder {
  text: string;
  info: LockInfo | null;
  ageMs: number;
}

async function inspect(lockFile: string): Promise<Holder | null> {
  try {
    const [text, st] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    let info: LockInfo | null = null;
    try {
      const v = JSON.parse(text) as LockInfo;
      if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string') info = v;
    } catch {
      /* being written, or garbage: judged by age alone */
    }
    return { text, info, ageMs: Date.now() - st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(h: Holder, staleMs: number): boolean {
  if (h.ageMs > staleMs) return true;
  return h.info !== null && h.info.host === hostname() && !pidAlive(h.info.pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakStale(lockFile: string, staleText: string): Promise<void> {
  const breaker = `${lockFile}.break`;
  try {
    const handle = await open(breaker, 'wx');
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Someone else is breaking it; a breaker left by a crash is itself removed after a while.
    const st = await stat(breaker).catch(() => null);
    if (st && Date.now() - st.mtimeMs > BREAKER_STALE_MS) await unlink(breaker).catch(() => undefined);
    await sleep(5);
    return;
  }
  try {
    // Only the very lock we judged stale: it may have been broken and re-taken meanwhile.
    const now = await readFile(lockFile, 'utf8').catch(() => null);
    if (now === staleText) await unlink(lockFile).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function release(lockFile: string, token: string): Promise<void> {
  const text = await readFile(lockFile, 'utf8').catch(() => null);
  if (text === null) return;
  try {
    if ((JSON.parse(text) as LockInfo).token !== token) return;
  } catch {
    return;
  }
  await unlink(lockFile).catch(() => undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
