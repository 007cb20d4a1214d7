import { analyzeError, type ErrorAnalysis } from '../errors/analyze.js';
import { newEventId } from '../issuelog/event-id.js';
import { matchSolutions, type Confidence, type ScoreParts, type SolutionMatch } from '../issuelog/match.js';
import type { IssueLog } from '../issuelog/repository.js';
import type { IssueEvent, IssueState, SolutionAutomation } from '../issuelog/types.js';

export interface DebugRequest {
  text: string;
  env?: string;
  operation?: string;
  record: boolean;
  limit: number;
  minConfidence: Confidence;
  now: Date;
}

export interface MatchView {
  rank: number;
  issueId: string;
  issueOrigin: 'log' | 'kb';
  issueTitle: string | null;
  solutionId: string;
  description: string;
  steps: string[];
  automation: SolutionAutomation;
  attempts: number;
  successes: number;
  failures: number;
  avgResolutionSeconds: number | null;
  lastSuccessAt: string | null;
  score: ScoreParts;
  confidence: Confidence;
  /** Value for `resolve <issueId> --solution`: the id on this issue, or `<issue>/<solution>` to adopt another issue's fix. */
  solutionRef: string;
}

export interface DebugResult {
  schemaVersion: 1;
  issueId: string;
  category: ErrorAnalysis['category'];
  errorCode: string | null;
  resourceType: string | null;
  tool: ErrorAnalysis['tool'];
  provider: string | null;
  categoryReason: string;
  pattern: string;
  normalizerVersion: number;
  /** The error with secrets redacted. */
  message: string;
  env: string | null;
  operation: string | null;
  /** The stored issue with exactly this pattern, if the error was seen (or is in the knowledge base). */
  knownIssue: { issueId: string; origin: 'log' | 'kb'; title: string | null; occurrences: number; firstSeen: string; lastSeen: string } | null;
  matches: MatchView[];
  /** No solution at or above the minimum confidence: "no known solution". */
  novel: boolean;
  recorded: { issueId: string; newIssue: boolean; relatedTo: string[] } | null;
  logProblems: { file: string; line: number; reason: string }[];
}

function view(m: SolutionMatch, issue: IssueState, rank: number, issueId: string): MatchView {
  const s = issue.solutions.find((x) => x.solutionId === m.solution.solutionId)!;
  return {
    rank,
    issueId: issue.issueId,
    issueOrigin: issue.origin,
    issueTitle: issue.title ?? null,
    solutionId: s.solutionId,
    description: s.description,
    steps: s.steps,
    automation: s.automation,
    attempts: s.attempts,
    successes: s.successes,
    failures: s.failures,
    avgResolutionSeconds: s.timedAttempts > 0 ? Math.round(s.totalSeconds / s.timedAttempts) : null,
    lastSuccessAt: s.lastSuccessAt,
    score: m.score,
    confidence: m.confidence,
    solutionRef: issue.issueId === issueId ? s.solutionId : `${issue.issueId}/${s.solutionId}`,
  };
}

/** categorize → search → rank → record: the debugging workflow's deterministic half. */
export async function debugError(req: DebugRequest, log: IssueLog): Promise<DebugResult> {
  const analysis = analyzeError(req.text);
  const { index, problems } = await log.matchIndex();
  const exactAt = index.byPatternKey.get(analysis.issueId);
  const exactId = exactAt === undefined ? undefined : index.ids[exactAt];
  const found = matchSolutions(
    { pattern: analysis.pattern, errorCode: analysis.errorCode, resourceType: analysis.resourceType, env: req.env },
    index,
    { now: req.now, minConfidence: req.minConfidence, limit: req.limit },
  );
  // Only the issues shown are read in full (descriptions, steps): the index holds just their records.
  const details = await log.get([...(exactId ? [exactId] : []), ...found.map((m) => m.issueId)]);
  const exact: IssueState | undefined = exactId ? details.get(exactId) : undefined;
  const matches = found.filter((m) => details.get(m.issueId)?.solutions.some((s) => s.solutionId === m.solution.solutionId));

  const issueId = exact?.issueId ?? analysis.issueId;
  let recorded: DebugResult['recorded'] = null;
  if (req.record) {
    const at = req.now.toISOString();
    const events: IssueEvent[] = [
      {
        v: 1,
        type: 'issue.seen',
        id: newEventId(),
        at,
        issueId,
        pattern: analysis.pattern,
        normalizerVersion: analysis.normalizerVersion,
        category: analysis.category,
        errorCode: analysis.errorCode,
        resourceType: analysis.resourceType,
        tool: analysis.tool,
        message: analysis.message,
        ...(req.env ? { env: req.env } : {}),
        ...(req.operation ? { operation: req.operation } : {}),
      },
    ];
    const relatedTo: string[] = [];
    // A new pattern close to a known issue is linked to it, so the log shows families of errors.
    if (!exact) {
      for (const m of matches) {
        const other = m.issueId;
        if (other !== issueId && !relatedTo.includes(other) && relatedTo.length < 3) {
          relatedTo.push(other);
          events.push({ v: 1, type: 'issue.related', id: newEventId(), at, issueId, relatedIssueId: other });
        }
      }
    }
    await log.append(events);
    recorded = { issueId, newIssue: !exact || (exact.origin === 'kb' && exact.occurrences === 0), relatedTo };
  }

  return {
    schemaVersion: 1,
    issueId,
    category: analysis.category,
    errorCode: analysis.errorCode,
    resourceType: analysis.resourceType,
    tool: analysis.tool,
    provider: analysis.provider,
    categoryReason: analysis.reason,
    pattern: analysis.pattern,
    normalizerVersion: analysis.normalizerVersion,
    message: analysis.message,
    env: req.env ?? null,
    operation: req.operation ?? null,
    knownIssue: exact
      ? {
          issueId: exact.issueId,
          origin: exact.origin,
          title: exact.title ?? null,
          occurrences: exact.occurrences,
          firstSeen: exact.firstSeen,
          lastSeen: exact.lastSeen,
        }
      : null,
    matches: matches.map((m, i) => view(m, details.get(m.issueId)!, i + 1, issueId)),
    novel: matches.length === 0,
    recorded,
    logProblems: problems.map((p) => ({ file: p.file, line: p.line, reason: p.reason })),
  };
}
