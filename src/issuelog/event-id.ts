import { createHash, randomBytes } from 'node:crypto';

/** A fresh event id: 80 random bits as 20 lowercase hex chars, so ids from different machines never collide. */
export function newEventId(): string {
  return randomBytes(10).toString('hex');
}

/**
 * An id derived from content (same shape as `newEventId`): events built twice from the same
 * input get the same id, so the fold's de-duplication makes repeating them a no-op.
 */
export function derivedEventId(...parts: string[]): string {
  // JSON keeps part boundaries unambiguous ('a','bc' vs 'ab','c').
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/** Now as UTC ISO-8601 with milliseconds, the timestamp form every event uses. */
export function nowIso(): string {
  return new Date().toISOString();
}
