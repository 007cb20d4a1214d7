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

/** Token weights in tenths, so they fit a Uint8Array. */
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

export interface HashedTokens {
  hashes: number[];
  weights: number[];
}

export function hashTokens(tokens: readonly string[]): HashedTokens {
  const seen = new Set<number>();
  const hashes: number[] = [];
  const weights: number[] = [];
  for (const t of tokens) {
    const h = tokenHash(t);
    if (seen.has(h)) continue;
    seen.add(h);
    hashes.push(h);
    weights.push(tokenWeight10(t));
  }
  return { hashes, weights };
}

export interface QueryTokens {
  weights: Map<number, number>;
  total: number;
}

export function queryTokens(pattern: string): QueryTokens {
  const { hashes, weights } = hashTokens(tokenize(pattern));
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
