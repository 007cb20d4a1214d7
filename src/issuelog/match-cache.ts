import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NORMALIZER_VERSION } from '../errors/normalize.js';
import { columnsOf, concatColumns, type CandidateSolution, type MatchCandidate, type MatchColumns } from './match.js';
import type { TokenRarity } from './similarity.js';
import { parseEventLog, type LogProblem } from './store.js';

/**
 * A derived, git-ignored cache of what matching needs of every issue in the log
 * (`.infra-ops/cache/match-index.json` + `.bin`), so `debug` on a log of 100k issues neither
 * re-reads and re-folds tens of megabytes nor builds 100k objects: token hashes load straight into
 * typed arrays. The log stays the only truth: the cache records the log size and a hash of the
 * bytes just before it, and anything that does not line up (a rewrite by git merge, an edit, a new
 * normalizer or knowledge base) rebuilds it. Appended lines are folded in per issue.
 */
export const CACHE_FORMAT = 3;
const TAIL_PROBE = 4096;
const MAGIC = 0x584d4f49; // "IOMX"

type PackedSolution = [string, number, number, number, string | null];

interface CacheMeta {
  format: number;
  generation: string;
  normalizerVersion: number;
  kbFingerprint: string;
  logSize: number;
  lineCount: number;
  tailHash: string;
  problems: LogProblem[];
  ids: string[];
  /** One character per candidate: `l` log, `k` knowledge base. */
  origins: string;
  /** null when equal to the issue id (the usual case for issues this project recorded). */
  patternKeys: (string | null)[];
  /** Error codes, resource types and environment lists as indexes into `dict` (-1 = null). */
  dict: string[];
  errorCodes: number[];
  resourceTypes: number[];
  environments: number[];
  solutions: PackedSolution[][];
}

export function cachePath(stateDir: string): string {
  return join(stateDir, 'cache', 'match-index.json');
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    return buf;
  } finally {
    await fh.close();
  }
}

const sha1 = (buf: Buffer) => createHash('sha1').update(buf).digest('hex');

export interface CacheSources {
  logFile: string;
  /** Identifies the knowledge base, and so the token rarity the cached weights were computed with. */
  kbFingerprint: string;
  rarity: TokenRarity;
  /** Every log-derived candidate and the log's problems, from a full read and fold. */
  rebuild: () => Promise<{ candidates: MatchCandidate[]; problems: LogProblem[]; logText: string }>;
  /** Current candidates of just these issues (folding only their events). */
  refresh: (issueIds: string[]) => Promise<MatchCandidate[]>;
}

export interface CachedColumns {
  columns: MatchColumns;
  problems: LogProblem[];
  /** How the cache was used, for the benchmark and for tests. */
  source: 'empty' | 'cache' | 'cache+tail' | 'rebuilt';
}

/** Largest appended tail folded in place; more, and a rebuild is cheaper than per-issue refreshes. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const MAX_TAIL_ISSUES = 50;
/** Tails smaller than this are folded in on every run instead of rewriting a large cache. */
const REWRITE_AFTER_BYTES = 256 * 1024;

export async function loadCandidateColumns(stateDir: string, sources: CacheSources): Promise<CachedColumns> {
  let size: number;
  try {
    size = (await stat(sources.logFile)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { columns: columnsOf([], sources.rarity), problems: [], source: 'empty' };
    throw err;
  }
  const file = cachePath(stateDir);
  const cached = await readCache(file);
  const usable =
    cached &&
    cached.meta.normalizerVersion === NORMALIZER_VERSION &&
    cached.meta.kbFingerprint === sources.kbFingerprint &&
    cached.meta.logSize <= size &&
    cached.meta.tailHash === sha1(await readRange(sources.logFile, Math.max(0, cached.meta.logSize - TAIL_PROBE), cached.meta.logSize));
  if (!cached || !usable) return rebuildAndSave(file, sources);
  const { meta, columns } = cached;
  if (size === meta.logSize) return { columns, problems: meta.problems, source: 'cache' };

  if (size - meta.logSize > MAX_TAIL_BYTES) return rebuildAndSave(file, sources);
  const tailBuf = await readRange(sources.logFile, meta.logSize, size);
  // Only whole lines: a writer may be mid-append; the rest is read next time.
  const consumed = tailBuf.lastIndexOf(0x0a) + 1;
  const tail = parseEventLog(tailBuf.subarray(0, consumed).toString('utf8'), sources.logFile);
  const problems = [...meta.problems, ...tail.problems.map((p) => ({ ...p, line: p.line + meta.lineCount }))];
  const affected = new Set<string>();
  for (const e of tail.events) {
    affected.add(e.issueId);
    if (e.type === 'issue.related') affected.add(e.relatedIssueId);
  }
  if (affected.size > MAX_TAIL_ISSUES) return rebuildAndSave(file, sources);
  const merged = concatColumns([columns, columnsOf(await sources.refresh([...affected]), sources.rarity)]);
  if (consumed >= REWRITE_AFTER_BYTES) {
    const lineCount = meta.lineCount + countNewlines(tailBuf.subarray(0, consumed));
    await save(file, sources, meta.logSize + consumed, lineCount, problems, merged).catch(() => {});
  }
  return { columns: merged, problems, source: 'cache+tail' };
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

async function rebuildAndSave(file: string, sources: CacheSources): Promise<CachedColumns> {
  const { candidates, problems, logText } = await sources.rebuild();
  const columns = columnsOf(candidates, sources.rarity);
  // Cache only whole lines, measured on the text that was folded (the file may have grown since);
  // a torn last line is re-read (and re-reported) with the tail next time.
  const whole = Buffer.from(logText.slice(0, logText.lastIndexOf('\n') + 1), 'utf8');
  const lineCount = countNewlines(whole);
  // A read-only checkout still works, just without the speed-up.
  await save(file, sources, whole.length, lineCount, problems.filter((p) => p.line <= lineCount), columns).catch(() => {});
  return { columns, problems, source: 'rebuilt' };
}

async function readCache(file: string): Promise<{ meta: CacheMeta; columns: MatchColumns } | undefined> {
  try {
    const [metaText, bin] = await Promise.all([readFile(file, 'utf8'), readFile(file.replace(/\.json$/, '.bin'))]);
    const meta = JSON.parse(metaText) as CacheMeta;
    if (meta.format !== CACHE_FORMAT || bin.length < 24 || bin.readUInt32LE(0) !== MAGIC) return undefined;
    if (bin.subarray(4, 12).toString('hex') !== meta.generation) return undefined; // .json and .bin of different writes
    const n = bin.readUInt32LE(12);
    const m = bin.readUInt32LE(16);
    if (n !== meta.ids.length || bin.length !== 24 + 4 * (n + 1) + 4 * m + m) return undefined;
    // Copy into aligned typed arrays: a Buffer's offset inside Node's pool need not be 4-aligned.
    const tokenStart = new Uint32Array(n + 1);
    const tokenHashes = new Uint32Array(m);
    new Uint8Array(tokenStart.buffer).set(bin.subarray(24, 24 + 4 * (n + 1)));
    new Uint8Array(tokenHashes.buffer).set(bin.subarray(24 + 4 * (n + 1), 24 + 4 * (n + 1) + 4 * m));
    const tokenWeights = new Uint8Array(bin.subarray(24 + 4 * (n + 1) + 4 * m));
    const d = meta.dict;
    const fromDict = (i: number) => (i < 0 ? null : d[i]!);
    const columns: MatchColumns = {
      ids: meta.ids,
      origins: Array.from(meta.origins, (c) => (c === 'k' ? 'kb' : 'log')),
      patternKeys: meta.patternKeys.map((k, i) => k ?? meta.ids[i]!),
      errorCodes: meta.errorCodes.map(fromDict),
      resourceTypes: meta.resourceTypes.map(fromDict),
      environments: meta.environments.map((i) => (i < 0 ? [] : (JSON.parse(d[i]!) as string[]))),
      solutions: meta.solutions.map((list) =>
        list.map((s): CandidateSolution => ({ solutionId: s[0], attempts: s[1], successes: s[2], failures: s[3], lastSuccessAt: s[4] })),
      ),
      tokenStart,
      tokenHashes,
      tokenWeights,
    };
    return { meta, columns };
  } catch {
    return undefined; // missing or torn cache: it is only derived data
  }
}

async function save(file: string, sources: CacheSources, logSize: number, lineCount: number, problems: LogProblem[], c: MatchColumns): Promise<void> {
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const intern = (v: string | null) => {
    if (v === null) return -1;
    let i = dictIndex.get(v);
    if (i === undefined) dictIndex.set(v, (i = dict.push(v) - 1));
    return i;
  };
  const generation = randomBytes(8).toString('hex');
  const meta: CacheMeta = {
    format: CACHE_FORMAT,
    generation,
    normalizerVersion: NORMALIZER_VERSION,
    kbFingerprint: sources.kbFingerprint,
    logSize,
    lineCount,
    tailHash: sha1(await readRange(sources.logFile, Math.max(0, logSize - TAIL_PROBE), logSize)),
    problems,
    ids: c.ids,
    origins: c.origins.map((o) => (o === 'kb' ? 'k' : 'l')).join(''),
    patternKeys: c.patternKeys.map((k, i) => (k === c.ids[i] ? null : k)),
    dict,
    errorCodes: c.errorCodes.map(intern),
    resourceTypes: c.resourceTypes.map(intern),
    environments: c.environments.map((e) => (e.length === 0 ? -1 : intern(JSON.stringify(e)))),
    solutions: c.solutions.map((list) => list.map((s): PackedSolution => [s.solutionId, s.attempts, s.successes, s.failures, s.lastSuccessAt])),
  };
  const n = c.ids.length;
  const m = c.tokenHashes.length;
  const bin = Buffer.alloc(24 + 4 * (n + 1) + 4 * m + m);
  bin.writeUInt32LE(MAGIC, 0);
  Buffer.from(generation, 'hex').copy(bin, 4);
  bin.writeUInt32LE(n, 12);
  bin.writeUInt32LE(m, 16);
  Buffer.from(c.tokenStart.buffer, c.tokenStart.byteOffset, c.tokenStart.byteLength).copy(bin, 24);
  Buffer.from(c.tokenHashes.buffer, c.tokenHashes.byteOffset, c.tokenHashes.byteLength).copy(bin, 24 + 4 * (n + 1));
  Buffer.from(c.tokenWeights.buffer, c.tokenWeights.byteOffset, c.tokenWeights.byteLength).copy(bin, 24 + 4 * (n + 1) + 4 * m);
  await mkdir(dirname(file), { recursive: true });
  // Write-then-rename, .bin first: the .json names the generation, so a reader never pairs halves of two writes.
  const suffix = `${process.pid}.${generation}.tmp`;
  const binFile = file.replace(/\.json$/, '.bin');
  await writeFile(`${binFile}.${suffix}`, bin);
  await rename(`${binFile}.${suffix}`, binFile);
  await writeFile(`${file}.${suffix}`, JSON.stringify(meta));
  await rename(`${file}.${suffix}`, file);
}
