import { categorizeError } from './categorize.js';
import { issueIdFor } from './issue-id.js';
import { NORMALIZER_VERSION, normalizeError } from './normalize.js';
import { redactSecrets } from './redact.js';
import type { Categorization } from './types.js';

/** Longest redacted message kept in a record; patterns come from the whole text. */
export const MAX_STORED_MESSAGE = 4000;

export interface ErrorAnalysis extends Categorization {
  /** The message with secrets redacted and truncated to MAX_STORED_MESSAGE: safe to store and print. */
  message: string;
  pattern: string;
  normalizerVersion: number;
  /** Stable id of the pattern: the same error with other identifiers gets the same id. */
  issueId: string;
}

export function analyzeError(text: string): ErrorAnalysis {
  const redacted = redactSecrets(text);
  const pattern = normalizeError(redacted);
  const message = redacted.length > MAX_STORED_MESSAGE ? `${redacted.slice(0, MAX_STORED_MESSAGE)}…[truncated]` : redacted;
  return {
    ...categorizeError(redacted),
    message,
    pattern,
    normalizerVersion: NORMALIZER_VERSION,
    issueId: issueIdFor(pattern),
  };
}
