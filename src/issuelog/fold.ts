import type {
  IssueEvent,
  IssueRelatedEvent,
  IssueSeenEvent,
  IssueState,
  SolutionAddedEvent,
  SolutionAttemptEvent,
  SolutionState,
} from './types.js';

export interface FoldOptions {
  /**
   * Called once per (de-duplicated) event the fold had to ignore because it refers to an issue or
   * solution that neither the log nor the base defines, or relates an issue to itself.
   */
  onOrphan?: (event: IssueEvent, reason: string) => void;
}

interface Working {
  state: IssueState;
  /** timeKey of firstSeen / lastSeen, kept to compare without re-deriving. */
  firstT: string;
  lastT: string;
}

/**
 * Fold events into issue states, on top of a copy of `base` (the shipped knowledge base).
 *
 * The result depends only on the *set* of events: duplicates (same `id`) count once, and events are
 * applied in (`at`, `id`) order whatever order they came in, so a log that git union-merged (both
 * sides' lines, any order) folds the same as either history. Creation comes first: all `issue.seen`,
 * then `solution.added`, then attempts and links, so an event never depends on clock skew between
 * machines to find its issue. The issue's descriptive fields come from its earliest `issue.seen`; for
 * base issues they stay the base's (only times, counts and environments change), and a solution id the
 * base already has is never replaced. Events on unknown issues/solutions go to `options.onOrphan`.
 *
 * Events must be valid (as readEvents / importIssueLog return them); `base` is not modified.
 */
export function foldEvents(
  events: Iterable<IssueEvent>,
  base: readonly IssueState[] = [],
  options: FoldOptions = {},
): Map<string, IssueState> {
  const seen: IssueSeenEvent[] = [];
  const added: SolutionAddedEvent[] = [];
  const attempts: SolutionAttemptEvent[] = [];
  const related: IssueRelatedEvent[] = [];
  for (const e of dedupe(events).values()) {
    if (e.type === 'issue.seen') seen.push(e);
    else if (e.type === 'solution.added') added.push(e);
    else if (e.type === 'solution.attempt') attempts.push(e);
    else related.push(e);
  }
  // An appended log is already nearly in time order, which makes these sorts close to linear.
  seen.sort(byTimeThenId);
  added.sort(byTimeThenId);
  attempts.sort(byTimeThenId);
  related.sort(byTimeThenId);
  const orphan = options.onOrphan ?? (() => {});

  const issues = new Map<string, Working>();
  for (const b of base) {
    const state = structuredClone(b);
    issues.set(state.issueId, { state, firstT: timeKey(state.firstSeen), lastT: timeKey(state.lastSeen) });
  }

  for (const e of seen) {
    const t = timeKey(e.at);
    let w = issues.get(e.issueId);
    if (!w) {
      // Sorted by time: the first seen event of an issue is its earliest, which defines it.
      w = {
        state: {
          issueId: e.issueId, pattern: e.pattern, normalizerVersion: e.normalizerVersion, category: e.category,
          errorCode: e.errorCode, resourceType: e.resourceType, tool: e.tool, message: e.message,
          firstSeen: e.at, lastSeen: e.at, occurrences: 0, environments: [], operations: [], solutions: [],
          related: [], origin: 'log',
        },
        firstT: t,
        lastT: t,
      };
      issues.set(e.issueId, w);
    }
    const s = w.state;
    s.occurrences += e.count ?? 1;
    if (t < w.firstT || w.firstT === '') {
      w.firstT = t;
      s.firstSeen = e.at;
    }
    const lastT = e.lastAt === undefined ? t : timeKey(e.lastAt);
    if (lastT > w.lastT) {
      w.lastT = lastT;
      s.lastSeen = e.lastAt ?? e.at;
    }
    if (e.env !== undefined) addOnce(s.environments, e.env);
    if (e.operation !== undefined) addOnce(s.operations, e.operation);
    if (e.environments) for (const env of e.environments) addOnce(s.environments, env);
    if (e.operations) for (const op of e.operations) addOnce(s.operations, op);
  }

  for (const e of added) {
    const w = issues.get(e.issueId);
    if (!w) {
      orphan(e, `solution ${e.solutionId} added to unknown issue ${e.issueId}`);
      continue;
    }
    // Sorted by time: an id already present was added earlier (or by the base) and wins.
    if (findSolution(w.state, e.solutionId)) continue;
    w.state.solutions.push({
      solutionId: e.solutionId, issueId: e.issueId, description: e.description, steps: [...e.steps],
      automation: copyAutomation(e.automation), source: e.source, addedAt: e.at, attempts: 0, successes: 0,
      failures: 0, totalSeconds: 0, timedAttempts: 0, lastSuccessAt: null, lastAttemptAt: null,
    });
  }

  for (const e of attempts) {
    const w = issues.get(e.issueId);
    const s = w && findSolution(w.state, e.solutionId);
    if (!s) {
      orphan(e, w ? `attempt on unknown solution ${e.solutionId} of issue ${e.issueId}` : `attempt on unknown issue ${e.issueId}`);
      continue;
    }
    const n = e.attempts ?? 1;
    const ok = Math.min(e.successes ?? (e.outcome === 'success' ? 1 : 0), n);
    s.attempts += n;
    s.successes += ok;
    s.failures += n - ok;
    // Applied in sorted order, so the floating-point sum is the same for any input order.
    if (e.seconds !== undefined) {
      s.totalSeconds += e.seconds;
      s.timedAttempts += e.timedAttempts ?? 1;
    }
    s.lastAttemptAt = later(s.lastAttemptAt, e.at);
    if (ok > 0) s.lastSuccessAt = later(s.lastSuccessAt, e.lastSuccessAt ?? e.at);
  }

  for (const e of related) {
    const a = issues.get(e.issueId);
    const b = issues.get(e.relatedIssueId);
    if (!a || !b || a === b) {
      const reason = a && a === b
        ? `issue ${e.issueId} related to itself`
        : `relation between ${e.issueId} and unknown issue ${a ? e.relatedIssueId : e.issueId}`;
      orphan(e, reason);
      continue;
    }
    addOnce(a.state.related, e.relatedIssueId);
    addOnce(b.state.related, e.issueId);
  }

  const out = new Map<string, IssueState>();
  for (const [id, { state }] of issues) {
    // Sets are kept sorted so the state does not depend on which event named a value first.
    state.environments.sort();
    state.operations.sort();
    state.related.sort();
    out.set(id, state);
  }
  return out;
}

/**
 * One event per id. Two different events with the same id (a re-import of a changed document)
 * resolve to the earlier one, then the smaller serialization, so the choice never depends on input order.
 */
function dedupe(events: Iterable<IssueEvent>): Map<string, IssueEvent> {
  const byId = new Map<string, IssueEvent>();
  for (const event of events) {
    const prior = byId.get(event.id);
    if (prior === undefined) {
      byId.set(event.id, event);
      continue;
    }
    if (prior === event) continue;
    const t = timeKey(event.at);
    const priorT = timeKey(prior.at);
    if (t < priorT || (t === priorT && JSON.stringify(event) < JSON.stringify(prior))) byId.set(event.id, event);
  }
  return byId;
}

function byTimeThenId(a: IssueEvent, b: IssueEvent): number {
  const ta = timeKey(a.at);
  const tb = timeKey(b.at);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A string that sorts like the instant `at` names, at millisecond precision as Date.parse has.
 * Event timestamps are validated UTC (`…SS[.f{1,9}]Z`); most are toISOString's 24-char form, which
 * already sorts chronologically, so only the others ('10:00:00Z' sorts after '10:00:00.5Z') are rebuilt.
 * Anything unparseable maps to '' (sorts first), so a broken base date is replaced by any real one.
 */
export function timeKey(at: string): string {
  const n = at.length;
  if (n === 24 && at.charCodeAt(19) === 0x2e && at.charCodeAt(23) === 0x5a) return at;
  if (n >= 20 && at.charCodeAt(n - 1) === 0x5a && (n === 20 || (n >= 22 && at.charCodeAt(19) === 0x2e))) {
    const fraction = n === 20 ? '' : at.slice(20, -1);
    return `${at.slice(0, 19)}.${`${fraction}000`.slice(0, 3)}Z`;
  }
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

function later(current: string | null, candidate: string): string {
  return current === null || timeKey(candidate) > timeKey(current) ? candidate : current;
}

function addOnce(list: string[], value: string): void {
  // Lists are short (a few environments or links), so a scan beats allocating a Set per issue.
  if (!list.includes(value)) list.push(value);
}

function findSolution(issue: IssueState, solutionId: string): SolutionState | undefined {
  for (const s of issue.solutions) if (s.solutionId === solutionId) return s;
  return undefined;
}

function copyAutomation(a: SolutionAddedEvent['automation']): SolutionAddedEvent['automation'] {
  const out: SolutionAddedEvent['automation'] = { automated: a.automated };
  if (a.command !== undefined) out.command = [...a.command];
  if (a.notes !== undefined) out.notes = a.notes;
  return out;
}
