import type { IssueState, SolutionState } from './types.js';
import { tokenWeights, totalWeight, weightedDice, type TokenWeights } from './similarity.js';
import { wilsonLowerBound } from './wilson.js';

export type Confidence = 'high' | 'medium' | 'low';

/**
 * Confidence thresholds on the final score (documented in docs/matching.md).
 * Below LOW the engine says "no known solution".
 */
export const CONFIDENCE_THRESHOLDS: Record<Confidence, number> = { high: 0.6, medium: 0.4, low: 0.22 };

/** Weights of the relevance factors; they sum to 1. */
export const RELEVANCE_WEIGHTS = { pattern: 0.6, errorCode: 0.2, resourceType: 0.1, environment: 0.1 } as const;

/** Half-life-like decay of the recency bonus, in days. */
export const RECENCY_DAYS = 90;

export interface MatchQuery {
  pattern: string;
  errorCode: string | null;
  resourceType: string | null;
  env?: string;
}

export interface ScoreParts {
  /** Weighted Dice similarity of the two patterns, 0..1. */
  pattern: number;
  errorCode: number;
  resourceType: number;
  environment: number;
  /** Weighted sum of the four parts above: is this the same error? 0..1 */
  relevance: number;
  /** Wilson lower bound of the solution's success rate (Laplace-smoothed), 0..1. */
  successRate: number;
  /** 0.8..1: a recent success counts a little more than an old one. */
  recency: number;
  /** relevance × (0.55 + 0.45 × successRate) × recency */
  total: number;
}

export interface SolutionMatch {
  issue: IssueState;
  solution: SolutionState;
  score: ScoreParts;
  confidence: Confidence;
}

/** Exact-pattern comparisons are worth a precomputed index: most recurring errors hit it. */
export interface MatchIndex {
  byPattern: Map<string, IssueState>;
  entries: { issue: IssueState; pattern: string; weights: TokenWeights; total: number }[];
}

export function buildMatchIndex(issues: Iterable<IssueState>, currentPattern: (issue: IssueState) => string): MatchIndex {
  const byPattern = new Map<string, IssueState>();
  const entries: MatchIndex['entries'] = [];
  for (const issue of issues) {
    const pattern = currentPattern(issue);
    // The log wins over the knowledge base for the same pattern: it carries this team's evidence.
    const prior = byPattern.get(pattern);
    if (!prior || (prior.origin === 'kb' && issue.origin === 'log')) byPattern.set(pattern, issue);
    const weights = tokenWeights(pattern);
    entries.push({ issue, pattern, weights, total: totalWeight(weights) });
  }
  return { byPattern, entries };
}

function codeScore(a: string | null, b: string | null): number {
  if (a === null && b === null) return 0.5;
  if (a === null || b === null) return 0.25;
  return a.toLowerCase() === b.toLowerCase() ? 1 : 0;
}

function environmentScore(issue: IssueState, env: string | undefined): number {
  if (!env || issue.environments.length === 0) return 0.5;
  return issue.environments.includes(env) ? 1 : 0.25;
}

export function solutionQuality(solution: SolutionState | null): number {
  if (!solution) return 0;
  // One pseudo-success and one pseudo-failure: an untried solution is neither proven nor disproven.
  return wilsonLowerBound(solution.successes + 1, solution.attempts + 2);
}

export function recencyFactor(lastSuccessAt: string | null, now: Date): number {
  if (!lastSuccessAt) return 0.8;
  const ageDays = Math.max(0, (now.getTime() - Date.parse(lastSuccessAt)) / 86_400_000);
  return 0.8 + 0.2 * Math.exp(-ageDays / RECENCY_DAYS);
}

export function confidenceOf(total: number): Confidence | null {
  if (total >= CONFIDENCE_THRESHOLDS.high) return 'high';
  if (total >= CONFIDENCE_THRESHOLDS.medium) return 'medium';
  if (total >= CONFIDENCE_THRESHOLDS.low) return 'low';
  return null;
}

export function scoreSolution(
  relevanceParts: Pick<ScoreParts, 'pattern' | 'errorCode' | 'resourceType' | 'environment'>,
  solution: SolutionState | null,
  now: Date,
): ScoreParts {
  const w = RELEVANCE_WEIGHTS;
  const relevance =
    w.pattern * relevanceParts.pattern +
    w.errorCode * relevanceParts.errorCode +
    w.resourceType * relevanceParts.resourceType +
    w.environment * relevanceParts.environment;
  const successRate = solutionQuality(solution);
  const recency = recencyFactor(solution?.lastSuccessAt ?? null, now);
  // A failure-only record drags a solution down; an issue with no solution scores on relevance alone.
  const total = relevance * (0.55 + 0.45 * successRate) * recency;
  return { ...relevanceParts, relevance, successRate, recency, total };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export interface MatchOptions {
  now: Date;
  /** Weakest confidence to return. */
  minConfidence?: Confidence;
  /** Most results returned (best + alternatives). */
  limit?: number;
}

/**
 * Rank every known solution of every stored issue against one error: exact-pattern issues whose
 * solution has not failed more than it worked first, then by total score.
 */
export function matchSolutions(query: MatchQuery, index: MatchIndex, opts: MatchOptions): SolutionMatch[] {
  const qWeights = tokenWeights(query.pattern);
  const qTotal = totalWeight(qWeights);
  const floor = CONFIDENCE_THRESHOLDS[opts.minConfidence ?? 'low'];
  const exact = index.byPattern.get(query.pattern);
  const results: SolutionMatch[] = [];
  for (const entry of index.entries) {
    const { issue } = entry;
    if (issue.solutions.length === 0) continue;
    const similarity = entry.pattern === query.pattern ? 1 : weightedDice(qWeights, qTotal, entry.weights, entry.total);
    // Cheap cut before scoring: even perfect other factors cannot lift a weak pattern over the floor.
    if (RELEVANCE_WEIGHTS.pattern * similarity + 1 - RELEVANCE_WEIGHTS.pattern < floor) continue;
    const parts = {
      pattern: similarity,
      errorCode: codeScore(query.errorCode, issue.errorCode),
      resourceType: codeScore(query.resourceType, issue.resourceType),
      environment: environmentScore(issue, query.env),
    };
    for (const solution of issue.solutions) {
      const score = scoreSolution(parts, solution, opts.now);
      const confidence = confidenceOf(score.total);
      if (!confidence || score.total < floor) continue;
      results.push({ issue, solution, score, confidence });
    }
  }
  // The same error's own fix comes before a similar error's fix, unless it has failed more than it worked:
  // `s3:PutObject` denied is not fixed by granting `s3:GetObject`, however well that fix is proven.
  const tier = (m: SolutionMatch) => (m.score.pattern === 1 && m.solution.successes >= m.solution.failures ? 0 : 1);
  results.sort((a, b) => {
    if (tier(a) !== tier(b)) return tier(a) - tier(b);
    if (b.score.total !== a.score.total) return b.score.total - a.score.total;
    if ((a.issue === exact) !== (b.issue === exact)) return a.issue === exact ? -1 : 1;
    return `${a.issue.issueId}/${a.solution.solutionId}`.localeCompare(`${b.issue.issueId}/${b.solution.solutionId}`);
  });
  return results.slice(0, opts.limit ?? 10).map((r) => ({
    ...r,
    score: Object.fromEntries(Object.entries(r.score).map(([k, v]) => [k, round(v)])) as unknown as ScoreParts,
  }));
}
