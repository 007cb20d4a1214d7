import type { ErrorCategory, ErrorTool } from '../errors/types.js';

/**
 * The issue log is an append-only log of events (one JSON object per line).
 * Every event carries a unique `id`, so a log that git merged with `merge=union`
 * (lines from both sides, any order, possibly duplicated) folds to the same state:
 * folding is order-independent and de-duplicates by event id.
 */
export const EVENT_VERSION = 1;

export interface EventBase {
  v: 1;
  /** Unique event id (random, 16+ hex chars). */
  id: string;
  /** ISO-8601 timestamp of when the event happened. */
  at: string;
  issueId: string;
}

export interface SolutionAutomation {
  automated: boolean;
  /** Argument vector of the command that applies the fix, when it can be run as is. */
  command?: string[];
  /** What automation would need or do, in words. */
  notes?: string;
}

/** An error was seen (debugged or recorded). The first one for an issue id creates the issue. */
export interface IssueSeenEvent extends EventBase {
  type: 'issue.seen';
  pattern: string;
  normalizerVersion: number;
  category: ErrorCategory;
  errorCode: string | null;
  resourceType: string | null;
  tool: ErrorTool;
  /** The redacted original message (truncated), kept so later normalizer versions can re-derive the pattern. */
  message: string;
  env?: string;
  operation?: string;
  /** Number of occurrences this event stands for (imports carry counts); default 1. */
  count?: number;
  /** Imports: when the last of the `count` occurrences happened (default `at`). */
  lastAt?: string;
  /** Imports: every environment / operation the occurrences came from, beside `env` / `operation`. */
  environments?: string[];
  operations?: string[];
}

export interface SolutionAddedEvent extends EventBase {
  type: 'solution.added';
  solutionId: string;
  description: string;
  steps: string[];
  automation: SolutionAutomation;
  source: 'user' | 'import' | 'kb';
}

export interface SolutionAttemptEvent extends EventBase {
  type: 'solution.attempt';
  solutionId: string;
  outcome: 'success' | 'failure';
  seconds?: number;
  env?: string;
  /** Imports carry aggregated counts; a normal attempt stands for one. */
  attempts?: number;
  successes?: number;
  /** Imports: how many of the aggregated attempts `seconds` is the sum over (default 1). */
  timedAttempts?: number;
  /** Imports: when the last of the aggregated successes happened (default `at` when `successes` > 0). */
  lastSuccessAt?: string;
}

export interface IssueRelatedEvent extends EventBase {
  type: 'issue.related';
  relatedIssueId: string;
}

export type IssueEvent = IssueSeenEvent | SolutionAddedEvent | SolutionAttemptEvent | IssueRelatedEvent;

export interface SolutionState {
  solutionId: string;
  issueId: string;
  description: string;
  steps: string[];
  automation: SolutionAutomation;
  source: 'user' | 'import' | 'kb';
  addedAt: string;
  attempts: number;
  successes: number;
  failures: number;
  /** Sum of resolution seconds over attempts that reported them, and how many did. */
  totalSeconds: number;
  timedAttempts: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
}

export interface IssueState {
  issueId: string;
  pattern: string;
  normalizerVersion: number;
  category: ErrorCategory;
  errorCode: string | null;
  resourceType: string | null;
  tool: ErrorTool;
  message: string;
  /** A short human title (knowledge-base entries have one). */
  title?: string;
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  environments: string[];
  operations: string[];
  solutions: SolutionState[];
  related: string[];
  /** `kb` when the issue comes from the shipped starter knowledge base. */
  origin: 'log' | 'kb';
}
