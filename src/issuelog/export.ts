import issueLogSchema from '../../schemas/issue-log.schema.json' with { type: 'json' };
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { ErrorCategory, ErrorTool } from '../errors/types.js';
import { validateAgainst, type SchemaProblem } from '../schema/validate.js';
import { derivedEventId } from './event-id.js';
import { timeKey } from './fold.js';
import { computeStats } from './stats.js';
import { isRealTimestamp, MAX_EVENT_BYTES } from './store.js';
import type { IssueEvent, IssueSeenEvent, IssueState, SolutionAttemptEvent, SolutionAutomation, SolutionState } from './types.js';

/**
 * The issue log as one JSON document (`issue-log.json`), the interchange format inherited from an
 * earlier system (snake_case). Our own fields (pattern, normalizer_version, tool, environments,
 * operations, related, timing fields of solutions) are optional extras, so documents of the earlier
 * system import as they are and ours round-trip. schemas/issue-log.schema.json is the contract.
 */
export interface IssueLogDocument {
  generated_at?: string;
  issues: DocIssue[];
  /** Derived from the issues; ignored on import. */
  statistics?: DocStatistics;
}

export interface DocIssue {
  issue_id: string;
  first_seen?: string;
  last_seen?: string;
  occurrence_count?: number;
  error: {
    category: ErrorCategory;
    message: string;
    normalized_message?: string;
    code?: string | null;
    context?: { environment?: string; operation?: string; resource_type?: string | null };
  };
  solutions?: DocSolution[];
  pattern?: string;
  normalizer_version?: number;
  tool?: ErrorTool;
  environments?: string[];
  operations?: string[];
  related?: string[];
}

export interface DocSolution {
  solution_id: string;
  description: string;
  steps?: string[];
  automation?: { automated: boolean; skill?: string; operation?: string; command?: string[]; notes?: string };
  success_rate?: { attempts: number; successes: number; failures?: number; percentage?: number };
  avg_resolution_time_seconds?: number | null;
  timed_attempts?: number;
  added_at?: string;
  last_attempt_at?: string;
  last_success_at?: string;
}

export interface DocStatistics {
  total_issues: number;
  total_occurrences: number;
  total_solutions: number;
  total_attempts: number;
  /** Successful attempts. */
  total_resolutions: number;
  avg_resolution_time_seconds: number | null;
  /** Percent of successful resolutions done by automated solutions (the earlier system's meaning). */
  automation_rate: number | null;
  /** Percent of solutions that can be applied automatically. */
  solution_automation_rate: number | null;
  success_rate: number | null;
  /** Issues per category, most common first. */
  most_common_categories: Partial<Record<ErrorCategory, number>>;
}

/** Issues (as folded) → the single document; deterministic for the same issues and `generatedAt`. */
export function exportIssueLog(issues: readonly IssueState[], generatedAt: string): IssueLogDocument & { generated_at: string; statistics: DocStatistics } {
  const sorted = [...issues].sort((a, b) => compare(a.issueId, b.issueId));
  return {
    generated_at: generatedAt,
    issues: sorted.map(exportIssue),
    statistics: exportStatistics(sorted),
  };
}

function exportIssue(i: IssueState): DocIssue {
  const context: NonNullable<DocIssue['error']['context']> = {};
  // The earlier format has one environment/operation; the full sets go in the extras when there are more.
  if (i.environments[0] !== undefined) context.environment = i.environments[0];
  if (i.operations[0] !== undefined) context.operation = i.operations[0];
  context.resource_type = i.resourceType;
  const doc: DocIssue = {
    issue_id: i.issueId,
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    occurrence_count: i.occurrences,
    error: { category: i.category, message: i.message, normalized_message: i.pattern, code: i.errorCode, context },
    // Sorted by content, not fold order, which depends on event ids that an import re-derives.
    solutions: [...i.solutions]
      .sort((a, b) => compare(timeKey(a.addedAt), timeKey(b.addedAt)) || compare(a.solutionId, b.solutionId))
      .map(exportSolution),
    pattern: i.pattern,
    normalizer_version: i.normalizerVersion,
    tool: i.tool,
  };
  if (i.environments.length > 1) doc.environments = [...i.environments];
  if (i.operations.length > 1) doc.operations = [...i.operations];
  if (i.related.length > 0) doc.related = [...i.related];
  return doc;
}

function exportSolution(s: SolutionState): DocSolution {
  const automation: NonNullable<DocSolution['automation']> = { automated: s.automation.automated };
  if (s.automation.command) automation.command = [...s.automation.command];
  if (s.automation.notes !== undefined) automation.notes = s.automation.notes;
  const doc: DocSolution = {
    solution_id: s.solutionId,
    description: s.description,
    steps: [...s.steps],
    automation,
    success_rate: {
      attempts: s.attempts,
      successes: s.successes,
      failures: s.failures,
      percentage: s.attempts > 0 ? round1((100 * s.successes) / s.attempts) : 0,
    },
    avg_resolution_time_seconds: s.timedAttempts > 0 ? round1(s.totalSeconds / s.timedAttempts) : null,
    added_at: s.addedAt,
  };
  if (s.timedAttempts > 0) doc.timed_attempts = s.timedAttempts;
  if (s.lastAttemptAt !== null) doc.last_attempt_at = s.lastAttemptAt;
  if (s.lastSuccessAt !== null) doc.last_success_at = s.lastSuccessAt;
  return doc;
}

function exportStatistics(issues: readonly IssueState[]): DocStatistics {
  const stats = computeStats(issues);
  const categories = Object.entries(stats.byCategory)
    .filter(([, c]) => c.issues > 0)
    .sort(([a, x], [b, y]) => y.issues - x.issues || compare(a, b));
  return {
    total_issues: stats.totals.issues,
    total_occurrences: stats.totals.occurrences,
    total_solutions: stats.totals.solutions,
    total_attempts: stats.totals.attempts,
    total_resolutions: stats.totals.resolutions,
    avg_resolution_time_seconds: roundOrNull(stats.avgResolutionSeconds),
    automation_rate: roundOrNull(stats.resolutionAutomationRate),
    solution_automation_rate: roundOrNull(stats.solutionAutomationRate),
    success_rate: roundOrNull(stats.successRate),
    most_common_categories: Object.fromEntries(categories.map(([c, v]) => [c, v.issues])),
  };
}

/**
 * Validate a document and turn it into events (async: the validator loads on first use).
 *
 * Issue and solution ids are kept. Every event id is derived from the ids it describes, so importing
 * the same document twice yields the same events and folding de-duplicates them: counts never double.
 * Counts travel as `count` on one issue.seen per issue and as aggregated attempts/successes on one
 * solution.attempt per solution. (A *changed* document re-imported does not add its new counts: the
 * fold keeps one event per id.) `at` (the import time) stands in for a missing `first_seen`.
 * Throws a CliError listing every problem with its JSON path, e.g.
 * `/issues/3/solutions/0/success_rate/attempts must be integer`.
 */
export async function importIssueLog(doc: unknown, at: string): Promise<IssueEvent[]> {
  const schemaProblems = await validateAgainst(issueLogSchema, doc);
  if (schemaProblems.length > 0) throw invalid(schemaProblems);
  const valid = doc as IssueLogDocument;
  const problems = semanticProblems(valid);
  if (problems.length > 0) throw invalid(problems);

  const events: IssueEvent[] = [];
  const sizeProblems: SchemaProblem[] = [];
  const push = (event: IssueEvent, path: string): void => {
    const bytes = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (bytes > MAX_EVENT_BYTES) sizeProblems.push({ path, message: `is too large for one log line (${bytes} bytes, limit ${MAX_EVENT_BYTES})` });
    events.push(event);
  };
  valid.issues.forEach((issue, i) => {
    const issueId = issue.issue_id;
    const firstSeen = issue.first_seen ?? at;
    const context = issue.error.context ?? {};
    const seen: IssueSeenEvent = {
      v: 1,
      id: derivedEventId('import', 'issue.seen', issueId),
      at: firstSeen,
      issueId,
      type: 'issue.seen',
      pattern: issue.pattern ?? issue.error.normalized_message ?? issue.error.message,
      // 0: the pattern was not made by our normalizer, so matching re-derives it from the message.
      normalizerVersion: issue.normalizer_version ?? 0,
      category: issue.error.category,
      errorCode: issue.error.code ?? null,
      resourceType: context.resource_type ?? null,
      tool: issue.tool ?? 'unknown',
      message: issue.error.message,
      count: issue.occurrence_count ?? 1,
    };
    if (issue.last_seen !== undefined && issue.last_seen !== firstSeen) seen.lastAt = issue.last_seen;
    if (context.environment !== undefined) seen.env = context.environment;
    if (context.operation !== undefined) seen.operation = context.operation;
    if (issue.environments?.length) seen.environments = [...issue.environments];
    if (issue.operations?.length) seen.operations = [...issue.operations];
    push(seen, `/issues/${i}`);

    for (const other of issue.related ?? []) {
      // One id per pair, whichever side lists it: the fold links both ways anyway.
      const [a, b] = issueId < other ? [issueId, other] : [other, issueId];
      push({ v: 1, id: derivedEventId('import', 'issue.related', a, b), at: firstSeen, issueId, type: 'issue.related', relatedIssueId: other }, `/issues/${i}/related`);
    }

    (issue.solutions ?? []).forEach((sol, j) => {
      const path = `/issues/${i}/solutions/${j}`;
      const solutionId = sol.solution_id;
      push(
        {
          v: 1,
          id: derivedEventId('import', 'solution.added', issueId, solutionId),
          at: sol.added_at ?? firstSeen,
          issueId,
          type: 'solution.added',
          solutionId,
          description: sol.description,
          steps: [...(sol.steps ?? [])],
          automation: importAutomation(sol.automation),
          source: 'import',
        },
        path,
      );
      const rate = sol.success_rate;
      if (!rate || rate.attempts === 0) return;
      const attempt: SolutionAttemptEvent = {
        v: 1,
        id: derivedEventId('import', 'solution.attempt', issueId, solutionId),
        // Attempts happen when the issue does: its last sighting is the best stand-in for the last attempt.
        at: sol.last_attempt_at ?? issue.last_seen ?? firstSeen,
        issueId,
        type: 'solution.attempt',
        solutionId,
        outcome: rate.successes > 0 ? 'success' : 'failure',
        attempts: rate.attempts,
        successes: rate.successes,
      };
      const avg = sol.avg_resolution_time_seconds;
      if (avg !== undefined && avg !== null) {
        // The average is over resolutions unless the document says how many attempts it covers.
        const timed = sol.timed_attempts ?? (rate.successes > 0 ? rate.successes : rate.attempts);
        attempt.seconds = avg * timed;
        attempt.timedAttempts = timed;
      }
      if (sol.last_success_at !== undefined && rate.successes > 0) attempt.lastSuccessAt = sol.last_success_at;
      push(attempt, `${path}/success_rate`);
    });
  });
  if (sizeProblems.length > 0) throw invalid(sizeProblems);
  return events;
}

function importAutomation(a: DocSolution['automation']): SolutionAutomation {
  if (!a) return { automated: false };
  const out: SolutionAutomation = { automated: a.automated };
  if (a.command) out.command = [...a.command];
  // The earlier system named a skill and operation that ran the fix; we keep that as words.
  const notes = [
    a.notes,
    a.skill !== undefined ? `skill: ${a.skill}` : undefined,
    a.operation !== undefined ? `operation: ${a.operation}` : undefined,
  ].filter((n): n is string => n !== undefined && n.length > 0);
  if (notes.length > 0) out.notes = notes.join('; ');
  return out;
}

/** What the schema cannot say: unique ids, consistent counts, real dates, time order. */
function semanticProblems(doc: IssueLogDocument): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const issueIndex = new Map<string, number>();
  const date = (value: string | undefined, path: string): void => {
    if (value !== undefined && !isRealTimestamp(value)) out.push({ path, message: 'is not a real date and time' });
  };
  doc.issues.forEach((issue, i) => {
    const p = `/issues/${i}`;
    const prior = issueIndex.get(issue.issue_id);
    if (prior !== undefined) out.push({ path: `${p}/issue_id`, message: `duplicates /issues/${prior}/issue_id` });
    else issueIndex.set(issue.issue_id, i);
    date(issue.first_seen, `${p}/first_seen`);
    date(issue.last_seen, `${p}/last_seen`);
    if (issue.first_seen !== undefined && issue.last_seen !== undefined && timeKey(issue.last_seen) < timeKey(issue.first_seen)) {
      out.push({ path: `${p}/last_seen`, message: 'must not be before first_seen' });
    }
    (issue.related ?? []).forEach((r, k) => {
      if (r === issue.issue_id) out.push({ path: `${p}/related/${k}`, message: 'must not name the issue itself' });
    });
    const solutionIndex = new Map<string, number>();
    (issue.solutions ?? []).forEach((sol, j) => {
      const sp = `${p}/solutions/${j}`;
      const priorSol = solutionIndex.get(sol.solution_id);
      if (priorSol !== undefined) out.push({ path: `${sp}/solution_id`, message: `duplicates ${p}/solutions/${priorSol}/solution_id` });
      else solutionIndex.set(sol.solution_id, j);
      date(sol.added_at, `${sp}/added_at`);
      date(sol.last_attempt_at, `${sp}/last_attempt_at`);
      date(sol.last_success_at, `${sp}/last_success_at`);
      const rate = sol.success_rate;
      if (!rate) return;
      if (rate.successes > rate.attempts) out.push({ path: `${sp}/success_rate/successes`, message: 'must not exceed attempts' });
      else if (rate.failures !== undefined && rate.failures !== rate.attempts - rate.successes) {
        out.push({ path: `${sp}/success_rate/failures`, message: `must equal attempts - successes (${rate.attempts - rate.successes})` });
      }
      if (sol.timed_attempts !== undefined && sol.timed_attempts > rate.attempts) {
        out.push({ path: `${sp}/timed_attempts`, message: 'must not exceed success_rate/attempts' });
      }
    });
  });
  return out;
}

function invalid(problems: SchemaProblem[]): CliError {
  const shown = problems.slice(0, 20).map((p) => {
    const allowed = p.allowed ? ` (allowed: ${p.allowed.map((a) => JSON.stringify(a)).join(', ')})` : '';
    return `  ${p.path} ${p.message}${allowed}`;
  });
  if (problems.length > shown.length) shown.push(`  … and ${problems.length - shown.length} more`);
  return new CliError(`issue log document is invalid:\n${shown.join('\n')}`, EXIT.usage, 'issuelog.import-invalid', problems);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round1(x);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
