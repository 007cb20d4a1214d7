/**
 * Pattern similarity: a weighted Dice coefficient over the tokens of two normalized patterns.
 * Placeholders (`<arn>`, `<num>`) and filler words say little about which error it is, so
 * they weigh less than codes, actions and nouns.
 */
const TOKEN = /<[a-z0-9-]+>|[a-z0-9]+(?:[:._/-][a-z0-9]+)*/g;

const FILLER = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'is', 'be', 'was', 'are', 'and', 'or', 'with', 'at', 'by',
  'this', 'that', 'it', 'not', 'error', 'failed', 'failure', 'please', 'from', 'as', 'has', 'have', 'no',
]);

export type TokenWeights = Map<string, number>;

export function tokenWeights(pattern: string): TokenWeights {
  const weights: TokenWeights = new Map();
  for (const token of pattern.match(TOKEN) ?? []) {
    const w = token.startsWith('<') ? 0.3 : FILLER.has(token) ? 0.2 : token.length <= 2 ? 0.5 : 1;
    // A token repeated in one message counts once: repetition is layout, not meaning.
    if ((weights.get(token) ?? 0) < w) weights.set(token, w);
  }
  return weights;
}

export function totalWeight(w: TokenWeights): number {
  let sum = 0;
  for (const v of w.values()) sum += v;
  return sum;
}

/** 2·|A∩B| / (|A|+|B|) with token weights; 1 for identical token sets, 0 for disjoint ones. */
export function weightedDice(a: TokenWeights, aTotal: number, b: TokenWeights, bTotal: number): number {
  if (aTotal + bTotal === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [token, w] of small) {
    const other = large.get(token);
    if (other !== undefined) shared += Math.min(w, other);
  }
  return (2 * shared) / (aTotal + bTotal);
}
