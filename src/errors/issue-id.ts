import { createHash } from 'node:crypto';

/** Issue id of a normalized error pattern: `iss-` + the first 16 hex digits of its SHA-256. */
export function issueIdFor(pattern: string): string {
  return `iss-${createHash('sha256').update(pattern, 'utf8').digest('hex').slice(0, 16)}`;
}
