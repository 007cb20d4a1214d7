import { join } from 'node:path';
import { analyzeError } from '../errors/analyze.js';
import { NORMALIZER_VERSION, normalizeError } from '../errors/normalize.js';
import { redactSecrets } from '../errors/redact.js';
import { pluginRoot } from '../project/paths.js';
import { foldEvents } from './fold.js';
import { kbIssueId, readKnowledgeBaseDir, type KbEntry } from './knowledge-base.js';
import { appendEvents, readEvents, type LogProblem } from './store.js';
import type { IssueEvent, IssueState } from './types.js';

/** The project's issue log folded into issues, with the starter knowledge base underneath. */
export interface IssueLog {
  stateDir: string;
  issues: Map<string, IssueState>;
  problems: LogProblem[];
  append(events: IssueEvent[]): Promise<void>;
}

export const KB_DATE = '2026-11-01T00:00:00.000Z';

export function kbEntryToIssue(entry: KbEntry): IssueState {
  const issueId = kbIssueId(entry.id);
  const analysis = analyzeError(entry.example);
  return {
    issueId,
    pattern: analysis.pattern,
    normalizerVersion: analysis.normalizerVersion,
    category: entry.category,
    errorCode: entry.errorCode,
    resourceType: entry.resourceType,
    tool: entry.tool,
    message: analysis.message,
    title: entry.title,
    firstSeen: KB_DATE,
    lastSeen: KB_DATE,
    occurrences: 0,
    environments: [],
    operations: [],
    related: [],
    origin: 'kb',
    solutions: entry.solutions.map((s) => ({
      solutionId: s.id,
      issueId,
      description: s.description,
      steps: s.steps,
      automation: s.automation,
      source: 'kb' as const,
      addedAt: KB_DATE,
      attempts: 0,
      successes: 0,
      failures: 0,
      totalSeconds: 0,
      timedAttempts: 0,
      lastSuccessAt: null,
      lastAttemptAt: null,
    })),
  };
}

export async function loadKnowledgeBase(dir = join(pluginRoot(), 'templates', 'knowledge-base')): Promise<IssueState[]> {
  return (await readKnowledgeBaseDir(dir)).map(kbEntryToIssue);
}

/** Issues recorded under an older normalizer are matched by re-deriving their pattern, never orphaned. */
export function currentPattern(issue: IssueState): string {
  return issue.normalizerVersion === NORMALIZER_VERSION ? issue.pattern : normalizeError(redactSecrets(issue.message));
}

export async function openIssueLog(stateDir: string, opts: { knowledgeBase: boolean }): Promise<IssueLog> {
  const [base, read] = await Promise.all([opts.knowledgeBase ? loadKnowledgeBase() : Promise.resolve([]), readEvents(stateDir)]);
  const issues = foldEvents(read.events, base);
  return {
    stateDir,
    issues,
    problems: read.problems,
    append: (events) => appendEvents(stateDir, events),
  };
}
