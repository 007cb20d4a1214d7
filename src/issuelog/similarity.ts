/**
 * Pattern similarity: a weighted Dice coefficient over the distinct tokens of two normalized
 * patterns. Placeholders (`<arn>`, `<num>`) and filler words say little about which error it is, so
 * they weigh less than codes, actions and nouns.
 */
const TOKEN = /<[a-z0-9-]+>|[a-z0-9]+(?:[:._/-][a-z0-9]+)*/g;

const FILLER = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'is', 'be', 'was', 'are', 'and', 'or', 'with', 'at', 'by',
  'this', 'that', 'it', 'not', 'error', 'failed', 'failure', 'please', 'from', 'as', 'has', 'have', 'no',
]);

export function tokenWeight(token: string): number {
  if (token.charCodeAt(0) === 0x3c /* < */) return 0.3;
  if (FILLER.has(token)) return 0.2;
  return token.length <= 2 ? 0.5 : 1;
}

/** Distinct tokens in order of first appearance: repetition is layout, not meaning. */
export function tokenize(pattern: string): string[] {
  return [...new Set(pattern.match(TOKEN) ?? [])];
}

export interface QueryTokens {
  weights: Map<string, number>;
  total: number;
}

export function queryTokens(pattern: string): QueryTokens {
  const weights = new Map<string, number>();
  let total = 0;
  for (const t of tokenize(pattern)) {
    const w = tokenWeight(t);
    weights.set(t, w);
    total += w;
  }
  return { weights, total };
}

/** 2·|A∩B| / (|A|+|B|) with token weights; 1 for identical token sets, 0 for disjoint ones. */
export function weightedDice(query: QueryTokens, tokens: readonly string[]): number {
  let total = 0;
  let shared = 0;
  for (const t of tokens) {
    const w = tokenWeight(t);
    total += w;
    const q = query.weights.get(t);
    if (q !== undefined) shared += Math.min(q, w);
  }
  return query.total + total === 0 ? 0 : (2 * shared) / (query.total + total);
}
