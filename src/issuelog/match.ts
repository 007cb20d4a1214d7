import { issueIdFor } from '../errors/issue-id.js';
import { queryTokens, tokenize, weightedDice } from './similarity.js';
import type { IssueState } from './types.js';
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

/** What matching needs of a solution: its record, not its text. */
export interface CandidateSolution {
  solutionId: string;
  attempts: number;
  successes: number;
  failures: number;
  lastSuccessAt: string | null;
}

/** What matching needs of an issue; small enough to cache for very large logs (see match-cache.ts). */
export interface MatchCandidate {
  issueId: string;
  origin: 'log' | 'kb';
  /** issueIdFor(current pattern): equal for equal patterns. */
  patternKey: string;
  tokens: string[];
  errorCode: string | null;
  resourceType: string | null;
  environments: string[];
  solutions: CandidateSolution[];
}

export interface SolutionMatch {
  candidate: MatchCandidate;
  solution: CandidateSolution;
  score: ScoreParts;
  confidence: Confidence;
}

export function toCandidate(issue: IssueState, pattern: string): MatchCandidate {
  return {
    issueId: issue.issueId,
    origin: issue.origin,
    patternKey: issueIdFor(pattern),
    tokens: tokenize(pattern),
    errorCode: issue.errorCode,
    resourceType: issue.resourceType,
    environments: issue.environments,
    solutions: issue.solutions.map((s) => ({
      solutionId: s.solutionId,
      attempts: s.attempts,
      successes: s.successes,
      failures: s.failures,
      lastSuccessAt: s.lastSuccessAt,
    })),
  };
}

/** Exact-pattern look-ups are worth an index: most recurring errors hit it. */
export interface MatchIndex {
  byPatternKey: Map<string, MatchCandidate>;
  candidates: MatchCandidate[];
}

export function buildMatchIndex(candidates: Iterable<MatchCandidate>): MatchIndex {
  const byPatternKey = new Map<string, MatchCandidate>();
  const list: MatchCandidate[] = [];
  for (const c of candidates) {
    // The log wins over the knowledge base for the same pattern: it carries this team's evidence.
    const prior = byPatternKey.get(c.patternKey);
    if (!prior || (prior.origin === 'kb' && c.origin === 'log')) byPatternKey.set(c.patternKey, c);
    list.push(c);
  }
  return { byPatternKey, candidates: list };
}

function codeScore(a: string | null, b: string | null): number {
  if (a === null && b === null) return 0.5;
  if (a === null || b === null) return 0.25;
  return a.toLowerCase() === b.toLowerCase() ? 1 : 0;
}

function environmentScore(candidate: MatchCandidate, env: string | undefined): number {
  if (!env || candidate.environments.length === 0) return 0.5;
  return candidate.environments.includes(env) ? 1 : 0.25;
}

export function solutionQuality(solution: CandidateSolution | null): number {
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
  solution: CandidateSolution | null,
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
  // A failure-only record drags a solution down; an untried one scores mostly on relevance.
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
  const q = queryTokens(query.pattern);
  const queryKey = issueIdFor(query.pattern);
  const floor = CONFIDENCE_THRESHOLDS[opts.minConfidence ?? 'low'];
  const exact = index.byPatternKey.get(queryKey);
  const results: SolutionMatch[] = [];
  for (const candidate of index.candidates) {
    if (candidate.solutions.length === 0) continue;
    const similarity = candidate.patternKey === queryKey ? 1 : weightedDice(q, candidate.tokens);
    // Cheap cut before scoring: even perfect other factors cannot lift a weak pattern over the floor.
    if (RELEVANCE_WEIGHTS.pattern * similarity + 1 - RELEVANCE_WEIGHTS.pattern < floor) continue;
    const parts = {
      pattern: similarity,
      errorCode: codeScore(query.errorCode, candidate.errorCode),
      resourceType: codeScore(query.resourceType, candidate.resourceType),
      environment: environmentScore(candidate, query.env),
    };
    for (const solution of candidate.solutions) {
      const score = scoreSolution(parts, solution, opts.now);
      const confidence = confidenceOf(score.total);
      if (!confidence || score.total < floor) continue;
      results.push({ candidate, solution, score, confidence });
    }
  }
  // The same error's own fix comes before a similar error's fix, unless it has failed more than it worked:
  // `s3:PutObject` denied is not fixed by granting `s3:GetObject`, however well that fix is proven.
  const tier = (m: SolutionMatch) => (m.score.pattern === 1 && m.solution.successes >= m.solution.failures ? 0 : 1);
  results.sort((a, b) => {
    if (tier(a) !== tier(b)) return tier(a) - tier(b);
    if (b.score.total !== a.score.total) return b.score.total - a.score.total;
    if ((a.candidate === exact) !== (b.candidate === exact)) return a.candidate === exact ? -1 : 1;
    return `${a.candidate.issueId}/${a.solution.solutionId}`.localeCompare(`${b.candidate.issueId}/${b.solution.solutionId}`);
  });
  return results.slice(0, opts.limit ?? 10).map((r) => ({
    ...r,
    score: Object.fromEntries(Object.entries(r.score).map(([k, v]) => [k, round(v)])) as unknown as ScoreParts,
  }));
}
