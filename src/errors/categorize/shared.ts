import type { ErrorCategory } from '../types.js';

/**
 * Only the head of a message is scanned: real diagnostics put the signal first, and a
 * bound keeps every rule's cost flat even when a caller hands over a 1 MB log.
 */
export const MAX_SCAN_CHARS = 64 * 1024;

/** One row of the ordered category table; `on` says whether it reads the text or the extracted code. */
export interface CategoryRule {
  id: string;
  on: 'text' | 'code';
  test: RegExp | ((subject: string) => boolean);
  category: ErrorCategory;
  /** A text rule that applies only when the extracted code matches this (e.g. phrases that override a generic `Invalid…` code). */
  code?: RegExp;
}

export function ruleMatches(rule: CategoryRule, subject: string): boolean {
  return typeof rule.test === 'function' ? rule.test(subject) : rule.test.test(subject);
}

/** First non-empty capture of the first pattern that matches, in table order. */
export function firstCapture(text: string, patterns: readonly RegExp[]): string | null {
  for (const re of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    for (let i = 1; i < m.length; i++) {
      const g = m[i];
      if (g) return g;
    }
  }
  return null;
}

/** A pattern paired with how to turn its match into a value, so resolvers stay tabular. */
export interface Resolver {
  re: RegExp;
  map: (m: RegExpExecArray) => string | null;
}

export function firstResolved(text: string, resolvers: readonly Resolver[]): string | null {
  for (const r of resolvers) {
    const m = r.re.exec(text);
    if (!m) continue;
    const v = r.map(m);
    if (v) return v;
  }
  return null;
}

/** An AWS-style error code token: CamelCase with optional dotted suffixes (`InvalidGroup.NotFound`). */
export const CODE_TOKEN = String.raw`[A-Z][A-Za-z0-9]{1,80}(?:\.[A-Z][A-Za-z0-9]{1,60}){0,4}`;
