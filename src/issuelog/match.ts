import { issueIdFor } from '../errors/issue-id.js';
import { hashTokens, queryTokens, tokenize, TokenRarity, weightedDice } from './similarity.js';
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
  issueId: string;
  origin: 'log' | 'kb';
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

/**
 * Every candidate in columns: token hashes and weights in typed arrays (so a cached index of 100k
 * issues loads without building 100k objects), the rest in plain arrays.
 */
export interface MatchColumns {
  ids: string[];
  origins: ('log' | 'kb')[];
  patternKeys: string[];
  errorCodes: (string | null)[];
  resourceTypes: (string | null)[];
  environments: string[][];
  solutions: CandidateSolution[][];
  /** Token range of candidate i: [tokenStart[i], tokenStart[i + 1]). */
  tokenStart: Uint32Array;
  tokenHashes: Uint32Array;
  tokenWeights: Uint8Array;
}

export interface MatchIndex extends MatchColumns {
  byPatternKey: Map<string, number>;
  /** The rarity the columns' token weights were computed with; queries must use the same. */
  rarity: TokenRarity;
}

export function columnsOf(candidates: readonly MatchCandidate[], rarity: TokenRarity = TokenRarity.NONE): MatchColumns {
  const hashed = candidates.map((c) => hashTokens(c.tokens, rarity));
  const tokenStart = new Uint32Array(candidates.length + 1);
  for (let i = 0; i < hashed.length; i++) tokenStart[i + 1] = tokenStart[i]! + hashed[i]!.hashes.length;
  const tokenHashes = new Uint32Array(tokenStart[candidates.length]!);
  const tokenWeights = new Uint8Array(tokenHashes.length);
  hashed.forEach((h, i) => {
    tokenHashes.set(h.hashes, tokenStart[i]!);
    tokenWeights.set(h.weights, tokenStart[i]!);
  });
  return {
    ids: candidates.map((c) => c.issueId),
    origins: candidates.map((c) => c.origin),
    patternKeys: candidates.map((c) => c.patternKey),
    errorCodes: candidates.map((c) => c.errorCode),
    resourceTypes: candidates.map((c) => c.resourceType),
    environments: candidates.map((c) => c.environments),
    solutions: candidates.map((c) => c.solutions),
    tokenStart,
    tokenHashes,
    tokenWeights,
  };
}

/** Concatenate column sets; later ones win for the same issue id (a refreshed issue replaces its cached copy). */
export function concatColumns(parts: readonly MatchColumns[]): MatchColumns {
  const lastIndexOf = new Map<string, string>();
  parts.forEach((p, pi) => p.ids.forEach((id, i) => lastIndexOf.set(id, `${pi}:${i}`)));
  const keep = parts.map((p, pi) => p.ids.map((id, i) => lastIndexOf.get(id) === `${pi}:${i}`));
  const out: MatchColumns = {
    ids: [], origins: [], patternKeys: [], errorCodes: [], resourceTypes: [], environments: [], solutions: [],
    tokenStart: new Uint32Array(0), tokenHashes: new Uint32Array(0), tokenWeights: new Uint8Array(0),
  };
  let tokens = 0;
  let count = 0;
  parts.forEach((p, pi) => p.ids.forEach((_id, i) => {
    if (!keep[pi]![i]) return;
    count++;
    tokens += p.tokenStart[i + 1]! - p.tokenStart[i]!;
  }));
  out.tokenStart = new Uint32Array(count + 1);
  out.tokenHashes = new Uint32Array(tokens);
  out.tokenWeights = new Uint8Array(tokens);
  let n = 0;
  let t = 0;
  parts.forEach((p, pi) => {
    for (let i = 0; i < p.ids.length; i++) {
      if (!keep[pi]![i]) continue;
      out.ids.push(p.ids[i]!);
      out.origins.push(p.origins[i]!);
      out.patternKeys.push(p.patternKeys[i]!);
      out.errorCodes.push(p.errorCodes[i]!);
      out.resourceTypes.push(p.resourceTypes[i]!);
      out.environments.push(p.environments[i]!);
      out.solutions.push(p.solutions[i]!);
      const a = p.tokenStart[i]!;
      const b = p.tokenStart[i + 1]!;
      out.tokenHashes.set(p.tokenHashes.subarray(a, b), t);
      out.tokenWeights.set(p.tokenWeights.subarray(a, b), t);
      t += b - a;
      out.tokenStart[++n] = t;
    }
  });
  return out;
}

export function indexColumns(columns: MatchColumns, rarity: TokenRarity = TokenRarity.NONE): MatchIndex {
  const byPatternKey = new Map<string, number>();
  for (let i = 0; i < columns.ids.length; i++) {
    // The log wins over the knowledge base for the same pattern: it carries this team's evidence.
    const prior = byPatternKey.get(columns.patternKeys[i]!);
    if (prior === undefined || (columns.origins[prior] === 'kb' && columns.origins[i] === 'log')) byPatternKey.set(columns.patternKeys[i]!, i);
  }
  return { ...columns, byPatternKey, rarity };
}

export function buildMatchIndex(candidates: readonly MatchCandidate[], rarity: TokenRarity = TokenRarity.NONE): MatchIndex {
  return indexColumns(columnsOf(candidates, rarity), rarity);
}

function codeScore(a: string | null, b: string | null): number {
  if (a === null && b === null) return 0.5;
  if (a === null || b === null) return 0.25;
  return a.toLowerCase() === b.toLowerCase() ? 1 : 0;
}

/**
 * The service behind a resource type, so a Terraform type and the SDK's service name meet:
 * `aws_s3_object` and `s3` → `s3`; `google_compute_instance` and `compute.instances` → `compute`.
 */
export function resourceFamily(type: string): string {
  const t = type.toLowerCase();
  const tf = /^(?:aws|google|azurerm|kubernetes|helm)_([a-z0-9]+)/.exec(t);
  if (tf) return tf[1]!;
  return t.split(/[./_]/)[0]!;
}

function resourceTypeScore(a: string | null, b: string | null): number {
  const exact = codeScore(a, b);
  if (exact !== 0 || a === null || b === null) return exact;
  return resourceFamily(a) === resourceFamily(b) ? 0.6 : 0;
}

function environmentScore(environments: string[], env: string | undefined): number {
  if (!env || environments.length === 0) return 0.5;
  return environments.includes(env) ? 1 : 0.25;
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

interface Ranked {
  at: number;
  /** Position of the solution in its issue: the author's order breaks ties (best first). */
  nth: number;
  solution: CandidateSolution;
  parts: Pick<ScoreParts, 'pattern' | 'errorCode' | 'resourceType' | 'environment'>;
  total: number;
  tier: number;
}

/**
 * Rank every known solution of every stored issue against one error: exact-pattern issues whose
 * solution has not failed more than it worked first, then by total score. Only the best `limit`
 * are kept while scanning, so a log of 100k issues allocates almost nothing.
 */
export function matchSolutions(query: MatchQuery, index: MatchIndex, opts: MatchOptions): SolutionMatch[] {
  const q = queryTokens(query.pattern, index.rarity);
  const queryKey = issueIdFor(query.pattern);
  const floor = CONFIDENCE_THRESHOLDS[opts.minConfidence ?? 'low'];
  const limit = Math.max(1, opts.limit ?? 10);
  const exact = index.byPatternKey.get(queryKey);
  const w = RELEVANCE_WEIGHTS;
  const top: Ranked[] = [];
  // Order: tier, then total, then the exact issue, then ids (stable output).
  const before = (a: Ranked, b: Ranked) =>
    a.tier !== b.tier ? a.tier < b.tier
    : a.total !== b.total ? a.total > b.total
    : (a.at === exact) !== (b.at === exact) ? a.at === exact
    : a.at !== b.at ? index.ids[a.at]! < index.ids[b.at]!
    : a.nth < b.nth;
  for (let i = 0; i < index.ids.length; i++) {
    const solutions = index.solutions[i]!;
    if (solutions.length === 0) continue;
    const errorCode = codeScore(query.errorCode, index.errorCodes[i]!);
    const resourceType = resourceTypeScore(query.resourceType, index.resourceTypes[i]!);
    const environment = environmentScore(index.environments[i]!, query.env);
    const rest = w.errorCode * errorCode + w.resourceType * resourceType + w.environment * environment;
    // The best a solution can add is ×1, so a pattern too weak for the floor is skipped before hashing its tokens.
    if (w.pattern + rest < floor) continue;
    const pattern =
      index.patternKeys[i] === queryKey ? 1 : weightedDice(q, index.tokenHashes, index.tokenWeights, index.tokenStart[i]!, index.tokenStart[i + 1]!);
    const relevance = w.pattern * pattern + rest;
    if (relevance < floor) continue;
    for (let nth = 0; nth < solutions.length; nth++) {
      const solution = solutions[nth]!;
      const total = relevance * (0.55 + 0.45 * solutionQuality(solution)) * recencyFactor(solution.lastSuccessAt, opts.now);
      if (total < floor) continue;
      // The same error's own fix comes before a similar error's fix, unless it has failed more than it worked:
      // `s3:PutObject` denied is not fixed by granting `s3:GetObject`, however well that fix is proven.
      const r: Ranked = { at: i, nth, solution, parts: { pattern, errorCode, resourceType, environment }, total, tier: pattern === 1 && solution.successes >= solution.failures ? 0 : 1 };
      if (top.length === limit && !before(r, top[limit - 1]!)) continue;
      let k = top.length;
      while (k > 0 && before(r, top[k - 1]!)) k--;
      top.splice(k, 0, r);
      if (top.length > limit) top.pop();
    }
  }
  return top.map((r) => {
    const score = scoreSolution(r.parts, r.solution, opts.now);
    return {
      issueId: index.ids[r.at]!,
      origin: index.origins[r.at]!,
      solution: r.solution,
      score: Object.fromEntries(Object.entries(score).map(([k, v]) => [k, round(v)])) as unknown as ScoreParts,
      confidence: confidenceOf(score.total)!,
    };
  });
}
