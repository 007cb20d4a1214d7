import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NORMALIZER_VERSION } from '../errors/normalize.js';
import type { CandidateSolution, MatchCandidate } from './match.js';
import { parseEventLog, type LogProblem } from './store.js';

/**
 * A derived, git-ignored cache of what matching needs of every issue in the log
 * (`.infra-ops/cache/match-index.json`), so `debug` on a log of 100k issues does not re-read
 * and re-fold tens of megabytes each time. The log stays the only truth: the cache records the
 * log size and a hash of the bytes just before it, and anything that does not line up
 * (a rewrite by git merge, an edit, a new normalizer or knowledge base) rebuilds it.
 */
export const CACHE_FORMAT = 1;
const TAIL_PROBE = 4096;

type PackedSolution = [string, number, number, number, string | null];
type PackedCandidate = [string, 0 | 1, string, string, string | null, string | null, string[], PackedSolution[]];

interface CacheFile {
  format: number;
  normalizerVersion: number;
  kbFingerprint: string;
  logSize: number;
  lineCount: number;
  tailHash: string;
  problems: LogProblem[];
  candidates: PackedCandidate[];
}

export function cachePath(stateDir: string): string {
  return join(stateDir, 'cache', 'match-index.json');
}

function pack(c: MatchCandidate): PackedCandidate {
  return [
    c.issueId, c.origin === 'kb' ? 1 : 0, c.patternKey, c.tokens.join(' '), c.errorCode, c.resourceType, c.environments,
    c.solutions.map((s) => [s.solutionId, s.attempts, s.successes, s.failures, s.lastSuccessAt]),
  ];
}

function unpack(p: PackedCandidate): MatchCandidate {
  return {
    issueId: p[0], origin: p[1] === 1 ? 'kb' : 'log', patternKey: p[2], tokens: p[3] === '' ? [] : p[3].split(' '),
    errorCode: p[4], resourceType: p[5], environments: p[6],
    solutions: p[7].map((s): CandidateSolution => ({ solutionId: s[0], attempts: s[1], successes: s[2], failures: s[3], lastSuccessAt: s[4] })),
  };
}

async function hashRange(file: string, start: number, end: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    return createHash('sha1').update(buf).digest('hex');
  } finally {
    await fh.close();
  }
}

async function readRange(file: string, start: number, end: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

export interface CacheSources {
  logFile: string;
  kbFingerprint: string;
  /** Every log-derived candidate and the log's problems, from a full read and fold. */
  rebuild: () => Promise<{ candidates: MatchCandidate[]; problems: LogProblem[]; logText: string }>;
  /** Current candidates of just these issues (folding only their events). */
  refresh: (issueIds: string[]) => Promise<MatchCandidate[]>;
}

export interface CachedCandidates {
  candidates: MatchCandidate[];
  problems: LogProblem[];
  /** How the cache was used, for the benchmark and for tests. */
  source: 'empty' | 'cache' | 'cache+tail' | 'rebuilt';
}

/** Largest appended tail folded in place; more, and a rebuild is cheaper than per-issue refreshes. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const MAX_TAIL_ISSUES = 50;
/** Tails smaller than this are folded in on every run instead of rewriting a large cache. */
const REWRITE_AFTER_BYTES = 256 * 1024;

export async function loadCandidates(stateDir: string, sources: CacheSources): Promise<CachedCandidates> {
  let size: number;
  try {
    size = (await stat(sources.logFile)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { candidates: [], problems: [], source: 'empty' };
    throw err;
  }
  const file = cachePath(stateDir);
  let cache: CacheFile | undefined;
  try {
    cache = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
  } catch {
    cache = undefined; // missing or torn cache: it is only derived data
  }
  const usable =
    cache &&
    cache.format === CACHE_FORMAT &&
    cache.normalizerVersion === NORMALIZER_VERSION &&
    cache.kbFingerprint === sources.kbFingerprint &&
    cache.logSize <= size &&
    cache.tailHash === (await hashRange(sources.logFile, Math.max(0, cache.logSize - TAIL_PROBE), cache.logSize));
  if (!cache || !usable) return rebuildAndSave(file, sources);
  const candidates = cache.candidates.map(unpack);
  if (size === cache.logSize) return { candidates, problems: cache.problems, source: 'cache' };

  if (size - cache.logSize > MAX_TAIL_BYTES) return rebuildAndSave(file, sources);
  const tailText = await readRange(sources.logFile, cache.logSize, size);
  // Only whole lines: a writer may be mid-append; the rest is read next time.
  const end = tailText.lastIndexOf('\n') + 1;
  const tail = parseEventLog(tailText.slice(0, end), sources.logFile);
  const problems = [...cache.problems, ...tail.problems.map((p) => ({ ...p, line: p.line + cache.lineCount }))];
  const affected = new Set<string>();
  for (const e of tail.events) {
    affected.add(e.issueId);
    if (e.type === 'issue.related') affected.add(e.relatedIssueId);
  }
  if (affected.size > MAX_TAIL_ISSUES) return rebuildAndSave(file, sources);
  const fresh = await sources.refresh([...affected]);
  const byId = new Map(candidates.map((c, i) => [c.issueId, i]));
  for (const c of fresh) {
    const i = byId.get(c.issueId);
    if (i === undefined) candidates.push(c);
    else candidates[i] = c;
  }
  const consumed = Buffer.byteLength(tailText.slice(0, end));
  if (consumed >= REWRITE_AFTER_BYTES) {
    const lineCount = cache.lineCount + countLines(tailText.slice(0, end));
    await save(file, sources, cache.logSize + consumed, lineCount, problems, candidates);
  }
  return { candidates, problems, source: 'cache+tail' };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function rebuildAndSave(file: string, sources: CacheSources): Promise<CachedCandidates> {
  const { candidates, problems, logText } = await sources.rebuild();
  // Cache only whole lines, measured on the text that was folded (the file may have grown since);
  // a torn last line is re-read (and re-reported) with the tail next time.
  const end = logText.lastIndexOf('\n') + 1;
  const logSize = Buffer.byteLength(logText.slice(0, end));
  const lineCount = countLines(logText.slice(0, end));
  try {
    await save(file, sources, logSize, lineCount, problems.filter((p) => p.line <= lineCount), candidates);
  } catch {
    // A read-only checkout still works, just without the speed-up.
  }
  return { candidates, problems, source: 'rebuilt' };
}

async function save(file: string, sources: CacheSources, logSize: number, lineCount: number, problems: LogProblem[], candidates: MatchCandidate[]): Promise<void> {
  const doc: CacheFile = {
    format: CACHE_FORMAT,
    normalizerVersion: NORMALIZER_VERSION,
    kbFingerprint: sources.kbFingerprint,
    logSize,
    lineCount,
    tailHash: await hashRange(sources.logFile, Math.max(0, logSize - TAIL_PROBE), logSize),
    problems,
    candidates: candidates.map(pack),
  };
  await mkdir(dirname(file), { recursive: true });
  // Write-then-rename: a reader never sees half a cache, and concurrent rebuilders simply race to the same content.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify(doc));
  await rename(tmp, file);
}
