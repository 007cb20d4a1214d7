/**
 * Pattern similarity: a weighted Dice coefficient over the distinct tokens of two normalized
 * patterns. Placeholders (`<arn>`, `<num>`) and filler words say little about which error it is, so
 * they weigh less than codes, actions and nouns. Tokens are compared by a 32-bit hash so a large
 * index can keep them in typed arrays (a collision costs a sliver of similarity, never a crash).
 */
const TOKEN = /<[a-z0-9-]+>|[a-z0-9]+(?:[:._/-][a-z0-9]+)*/g;

const FILLER = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'is', 'be', 'was', 'are', 'and', 'or', 'with', 'at', 'by',
  'this', 'that', 'it', 'not', 'error', 'failed', 'failure', 'please', 'from', 'as', 'has', 'have', 'no',
]);

/** Base token weights in tenths (scaled by rarity, they still fit a Uint8Array). */
export function tokenWeight10(token: string): number {
  if (token.charCodeAt(0) === 0x3c /* < */) return 3;
  if (FILLER.has(token)) return 2;
  return token.length <= 2 ? 5 : 10;
}

/** FNV-1a, 32 bits. */
export function tokenHash(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Distinct tokens in order of first appearance: repetition is layout, not meaning. */
export function tokenize(pattern: string): string[] {
  return [...new Set(pattern.match(TOKEN) ?? [])];
}

/**
 * How much a token tells errors apart, learned from the knowledge base's patterns (inverse document
 * frequency): `operation`, `https`, `statuscode` appear in dozens of entries and weigh little;
 * `putobject` or `putbucketpolicy` appear in one and weigh most. Factor in [0.4, 1.2].
 */
export class TokenRarity {
  static readonly NONE = new TokenRarity(new Map(), 0);

  private constructor(
    private readonly df: Map<number, number>,
    private readonly n: number,
  ) {}

  static fromPatterns(patterns: readonly string[]): TokenRarity {
    const df = new Map<number, number>();
    for (const p of patterns) for (const t of tokenize(p)) {
      const h = tokenHash(t);
      df.set(h, (df.get(h) ?? 0) + 1);
    }
    return new TokenRarity(df, patterns.length);
  }

  factor(hash: number): number {
    if (this.n === 0) return 1;
    const df = this.df.get(hash) ?? 0;
    return 0.4 + 0.8 * (Math.log((this.n + 1) / (df + 1)) / Math.log(this.n + 1));
  }
}

export interface HashedTokens {
  hashes: number[];
  weights: number[];
}

export function hashTokens(tokens: readonly string[], rarity: TokenRarity = TokenRarity.NONE): HashedTokens {
  const seen = new Set<number>();
  const hashes: number[] = [];
  const weights: number[] = [];
  for (const t of tokens) {
    const h = tokenHash(t);
    if (seen.has(h)) continue;
    seen.add(h);
    hashes.push(h);
    // At least 1: a token that is everywhere still counts a little.
    weights.push(Math.max(1, Math.round(tokenWeight10(t) * rarity.factor(h))));
  }
  return { hashes, weights };
}

export interface QueryTokens {
  weights: Map<number, number>;
  total: number;
}

export function queryTokens(pattern: string, rarity: TokenRarity = TokenRarity.NONE): QueryTokens {
  const { hashes, weights } = hashTokens(tokenize(pattern), rarity);
  const map = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < hashes.length; i++) {
    map.set(hashes[i]!, weights[i]!);
    total += weights[i]!;
  }
  return { weights: map, total };
}

/** 2·|A∩B| / (|A|+|B|) with token weights over hashes[start, end); 1 for identical token sets. */
export function weightedDice(query: QueryTokens, hashes: ArrayLike<number>, weights: ArrayLike<number>, start: number, end: number): number {
  let total = 0;
  let shared = 0;
  for (let i = start; i < end; i++) {
    const w = weights[i]!;
    total += w;
    const q = query.weights.get(hashes[i]!);
    if (q !== undefined) shared += q < w ? q : w;
  }
  return query.total + total === 0 ? 0 : (2 * shared) / (query.total + total);
}
