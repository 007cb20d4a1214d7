import { analyzeError } from '../errors/analyze.js';
import type { KbEntry } from './knowledge-base.js';
import type { IssueState } from './types.js';

/**
 * The knowledge base as the bundle ships it (`scripts/knowledge-base.json`): entries already
 * validated and turned into issues with their patterns, so `debug` needs neither a YAML parser
 * nor a schema compiler at run time. Built from templates/knowledge-base/*.yaml by `npm run build`.
 */
export interface CompiledKnowledgeBase {
  format: 1;
  normalizerVersion: number;
  issues: IssueState[];
}

/** A shipped issue has not been seen yet: empty times, which the fold replaces with the first real occurrence. */
export const KB_UNSEEN = '';

export function kbIssueIdOf(entryId: string): string {
  return `kb-${entryId}`;
}

export function kbEntryToIssue(entry: KbEntry): IssueState {
  const issueId = kbIssueIdOf(entry.id);
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
    firstSeen: KB_UNSEEN,
    lastSeen: KB_UNSEEN,
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
      addedAt: KB_UNSEEN,
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

export function compileKnowledgeBase(entries: KbEntry[], normalizerVersion: number): CompiledKnowledgeBase {
  return { format: 1, normalizerVersion, issues: entries.map(kbEntryToIssue) };
}
