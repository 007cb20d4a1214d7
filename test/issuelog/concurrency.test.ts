import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { issueLogPath, readEvents } from '../../src/issuelog/store.js';
import type { IssueSeenEvent } from '../../src/issuelog/types.js';

const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 6;
const PER_WORKER = 300;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function exited(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr()}`))));
  });
}

describe('concurrent appends from separate processes', () => {
  it('keeps every event exactly once, whole, and in each writer’s order', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'issuelog-conc-')), '.infra-ops');
    dirs.push(stateDir);
    const children = Array.from({ length: WORKERS }, (_, w) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, stateDir, String(PER_WORKER), `w${w}`], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`worker w${w} exited ${code} before ready: ${stderr}`)));
      });
      return { child, ready, done: exited(child, () => stderr) };
    });
    // Start line: every process is loaded before any appends, so the appends really overlap.
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin!.end('go\n');
    await Promise.all(children.map((c) => c.done));

    const text = readFileSync(issueLogPath(stateDir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    // A blank line is the one tolerated artefact (a writer mistaking another's write in progress for a torn line).
    const lines = text.slice(0, -1).split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(WORKERS * PER_WORKER);
    // Every line is exactly one event: no torn line, no two events glued together.
    const parsed = lines.map((l) => JSON.parse(l) as IssueSeenEvent);
    const { events, problems } = await readEvents(stateDir);
    expect(problems).toEqual([]);
    expect(events).toHaveLength(WORKERS * PER_WORKER);
    expect(new Set(parsed.map((e) => e.id)).size).toBe(WORKERS * PER_WORKER);

    const seqByWorker = new Map<string, number[]>();
    for (const e of parsed) {
      const [tag, seq] = e.message.split(' ')[0]!.split(':');
      seqByWorker.set(tag!, [...(seqByWorker.get(tag!) ?? []), Number(seq)]);
    }
    expect([...seqByWorker.keys()].sort()).toEqual(Array.from({ length: WORKERS }, (_, w) => `w${w}`));
    for (const seqs of seqByWorker.values()) {
      expect(seqs).toEqual(Array.from({ length: PER_WORKER }, (_, i) => i));
    }
    // The appends really did overlap: some other writer's lines sit between one worker's first and last line.
    const firstTag = parsed[0]!.env;
    const lastOfFirst = parsed.map((e) => e.env).lastIndexOf(firstTag);
    expect(parsed.slice(0, lastOfFirst).some((e) => e.env !== firstTag)).toBe(true);
  });
});
