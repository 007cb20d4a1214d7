import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NORMALIZER_VERSION, normalizeError } from '../errors/normalize.js';
import { redactSecrets } from '../errors/redact.js';
import { progress } from '../runtime/progress.js';
import { pluginRoot } from '../project/paths.js';
import { foldEvents } from './fold.js';
import { kbEntryToIssue, type CompiledKnowledgeBase } from './kb-compiled.js';
import { columnsOf, concatColumns, indexColumns, toCandidate, type MatchIndex } from './match.js';
import { loadCandidateColumns } from './match-cache.js';
import { TokenRarity } from './similarity.js';
import { appendEvents, issueLogPath, parseEventLog, readEvents, type LogProblem } from './store.js';
import type { IssueEvent, IssueState } from './types.js';

/** Code running from src/ (tests, tsx) reads the YAML; the shipped bundle reads the compiled JSON. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

export async function loadKnowledgeBase(): Promise<IssueState[]> {
  if (!FROM_SOURCE) {
    try {
      const compiled = JSON.parse(await readFile(join(pluginRoot(), 'scripts', 'knowledge-base.json'), 'utf8')) as CompiledKnowledgeBase;
      if (compiled.format === 1) return compiled.issues;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  // yaml and ajv are loaded only on this path.
  const { readKnowledgeBaseDir } = await import('./knowledge-base.js');
  return (await readKnowledgeBaseDir(join(pluginRoot(), 'templates', 'knowledge-base'))).map(kbEntryToIssue);
}

/** Issues recorded under an older normalizer are matched by re-deriving their pattern, never orphaned. */
export function currentPattern(issue: IssueState): string {
  return issue.normalizerVersion === NORMALIZER_VERSION ? issue.pattern : normalizeError(redactSecrets(issue.message));
}

/** An issue that events touched since it was shipped: it is carried in the log-derived candidates. */
function touched(issue: IssueState): boolean {
  return issue.origin === 'log' || issue.occurrences > 0 || issue.solutions.some((s) => s.attempts > 0 || s.source !== 'kb');
}

/**
 * The project's issue log with the starter knowledge base underneath. Reads are lazy: `debug`
 * uses the cached match index and folds only the few issues it shows; `all()` folds everything.
 */
export class IssueLog {
  private logBytes?: Promise<Buffer>;
  private readonly kbById: Map<string, IssueState>;

  constructor(
    readonly stateDir: string,
    readonly knowledgeBase: readonly IssueState[],
  ) {
    this.kbById = new Map(knowledgeBase.map((i) => [i.issueId, i]));
  }

  get logFile(): string {
    return issueLogPath(this.stateDir);
  }

  private bytes(): Promise<Buffer> {
    this.logBytes ??= readFile(this.logFile).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return Buffer.alloc(0);
      throw err;
    });
    return this.logBytes;
  }

  /** Every issue, folded from the whole log. */
  async all(): Promise<{ issues: Map<string, IssueState>; problems: LogProblem[] }> {
    const { events, problems } = await readEvents(this.stateDir);
    return { issues: foldEvents(events, this.knowledgeBase), problems };
  }

  /** These issues only, folding just the log lines that mention them. Unknown ids are absent. */
  async get(ids: readonly string[]): Promise<Map<string, IssueState>> {
    const out = new Map<string, IssueState>();
    if (ids.length === 0) return out;
    const bytes = await this.bytes();
    for (const id of new Set(ids)) {
      const events = eventsMentioning(bytes, id, this.logFile);
      const base = this.kbById.get(id);
      const state = foldEvents(events.filter((e) => e.issueId === id), base ? [base] : []).get(id);
      if (!state) continue;
      // Links are two-way, and the other side's events were left out of the fold above.
      for (const e of events) {
        if (e.type !== 'issue.related') continue;
        const other = e.issueId === id ? e.relatedIssueId : e.relatedIssueId === id ? e.issueId : undefined;
        if (other && other !== id && !state.related.includes(other)) state.related.push(other);
      }
      out.set(id, state);
    }
    return out;
  }

  /** Candidates of every issue for matching; log-derived ones come from the cache when it is valid. */
  async matchIndex(): Promise<{ index: MatchIndex; problems: LogProblem[]; source: string }> {
    const shippedCandidates = this.knowledgeBase.map((i) => toCandidate(i, currentPattern(i)));
    const rarity = TokenRarity.fromPatterns(this.knowledgeBase.map(currentPattern));
    const loaded = await loadCandidateColumns(this.stateDir, {
      logFile: this.logFile,
      kbFingerprint: kbFingerprint(this.knowledgeBase),
      rarity,
      rebuild: async () => {
        const bytes = await this.bytes();
        // Seconds on a very large log: say so on stderr (never stdout, which carries the JSON).
        if (bytes.length > 8 * 1024 * 1024) progress(`indexing the issue log (${(bytes.length / 1e6).toFixed(0)} MB), once after a change git made…`);
        const logText = bytes.toString('utf8');
        const { events, problems } = parseEventLog(logText, this.logFile);
        const issues = foldEvents(events, this.knowledgeBase);
        const candidates = [...issues.values()].filter(touched).map((i) => toCandidate(i, currentPattern(i)));
        return { candidates, problems, logText };
      },
      refresh: async (ids) => [...(await this.get(ids)).values()].map((i) => toCandidate(i, currentPattern(i))),
    });
    // Shipped issues first; the log's copy of a KB issue (with this team's record) replaces it.
    const shipped = columnsOf(shippedCandidates, rarity);
    const index = indexColumns(concatColumns([shipped, loaded.columns]), rarity);
    return { index, problems: loaded.problems, source: loaded.source };
  }

  append(events: IssueEvent[]): Promise<void> {
    this.logBytes = undefined;
    return appendEvents(this.stateDir, events);
  }
}

/**
 * Parsed events on every log line that contains `"<id>"`. A byte search over the raw log, with only
 * the hit lines decoded, keeps this fast on a log of 100 MB.
 */
function eventsMentioning(log: Buffer, id: string, file: string): IssueEvent[] {
  const needle = Buffer.from(JSON.stringify(id), 'utf8');
  const lines: string[] = [];
  let lastLineStart = -1;
  for (let i = log.indexOf(needle); i !== -1; i = log.indexOf(needle, i + needle.length)) {
    const start = log.lastIndexOf(0x0a, i) + 1;
    if (start === lastLineStart) continue;
    lastLineStart = start;
    const end = log.indexOf(0x0a, i);
    lines.push(log.subarray(start, end === -1 ? log.length : end).toString('utf8'));
  }
  return parseEventLog(lines.join('\n'), file).events.filter(
    (e) => e.issueId === id || (e.type === 'issue.related' && e.relatedIssueId === id),
  );
}

function kbFingerprint(kb: readonly IssueState[]): string {
  const h = createHash('sha1');
  for (const i of kb) h.update(`${i.issueId}\0${i.pattern}\0${i.solutions.map((s) => s.solutionId).join(',')}\n`);
  return h.digest('hex');
}

export async function openIssueLog(stateDir: string, opts: { knowledgeBase: boolean }): Promise<IssueLog> {
  return new IssueLog(stateDir, opts.knowledgeBase ? await loadKnowledgeBase() : []);
}
