import { ERROR_CATEGORIES, type ErrorCategory } from '../errors/types.js';
import { timeKey } from './fold.js';
import type { IssueState } from './types.js';

export interface CategoryStats {
  issues: number;
  occurrences: number;
  /** Successful attempts on this category's solutions. */
  resolutions: number;
}

export interface RecurringIssue {
  issueId: string;
  title: string | null;
  pattern: string;
  category: ErrorCategory;
  occurrences: number;
  lastSeen: string;
}

export interface IssueLogStats {
  totals: {
    issues: number;
    occurrences: number;
    solutions: number;
    attempts: number;
    /** Successful attempts: the issue was resolved. */
    resolutions: number;
    failures: number;
  };
  byCategory: Record<ErrorCategory, CategoryStats>;
  /** Percent (0–100) of recorded solutions that can be applied automatically (`automation.automated`); null without solutions. */
  solutionAutomationRate: number | null;
  /** Percent (0–100) of successful resolutions that were done by such an automated solution; null without resolutions. */
  resolutionAutomationRate: number | null;
  /** Percent (0–100) of attempts that succeeded; null without attempts. */
  successRate: number | null;
  /** Mean resolution seconds over the attempts that reported a duration; null when none did. */
  avgResolutionSeconds: number | null;
  /** Most frequent issues first (ties: most recent, then id). */
  topRecurring: RecurringIssue[];
}

/** Aggregate figures over folded issues; pass only the issues the figures should cover (e.g. without unused KB entries). */
export function computeStats(issues: Iterable<IssueState>, top = 10): IssueLogStats {
  const byCategory = Object.fromEntries(
    ERROR_CATEGORIES.map((c) => [c, { issues: 0, occurrences: 0, resolutions: 0 }]),
  ) as Record<ErrorCategory, CategoryStats>;
  const totals = { issues: 0, occurrences: 0, solutions: 0, attempts: 0, resolutions: 0, failures: 0 };
  let automatedSolutions = 0;
  let automatedResolutions = 0;
  let seconds = 0;
  let timed = 0;
  const all: IssueState[] = [];

  for (const issue of issues) {
    all.push(issue);
    const cat = byCategory[issue.category];
    totals.issues++;
    totals.occurrences += issue.occurrences;
    cat.issues++;
    cat.occurrences += issue.occurrences;
    for (const s of issue.solutions) {
      totals.solutions++;
      totals.attempts += s.attempts;
      totals.resolutions += s.successes;
      totals.failures += s.failures;
      cat.resolutions += s.successes;
      if (s.automation.automated) {
        automatedSolutions++;
        automatedResolutions += s.successes;
      }
      seconds += s.totalSeconds;
      timed += s.timedAttempts;
    }
  }

  const topRecurring = all
    .filter((i) => i.occurrences > 0)
    .sort((a, b) => b.occurrences - a.occurrences || compare(timeKey(b.lastSeen), timeKey(a.lastSeen)) || compare(a.issueId, b.issueId))
    .slice(0, top)
    .map((i) => ({
      issueId: i.issueId,
      title: i.title ?? null,
      pattern: i.pattern,
      category: i.category,
      occurrences: i.occurrences,
      lastSeen: i.lastSeen,
    }));

  return {
    totals,
    byCategory,
    solutionAutomationRate: percent(automatedSolutions, totals.solutions),
    resolutionAutomationRate: percent(automatedResolutions, totals.resolutions),
    successRate: percent(totals.resolutions, totals.attempts),
    avgResolutionSeconds: timed > 0 ? seconds / timed : null,
    topRecurring,
  };
}

function percent(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
