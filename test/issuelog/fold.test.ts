import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents, timeKey } from '../../src/issuelog/fold.js';
import type { IssueEvent, IssueSeenEvent, IssueState, SolutionAddedEvent, SolutionAttemptEvent } from '../../src/issuelog/types.js';

let n = 0;
const nextId = (): string => (++n).toString(16).padStart(20, '0');

function seen(issueId: string, at: string, extra: Partial<IssueSeenEvent> = {}): IssueSeenEvent {
  return {
    v: 1, id: nextId(), at, issueId, type: 'issue.seen', pattern: `pattern of ${issueId}`, normalizerVersion: 1,
    category: 'permission', errorCode: 'AccessDenied', resourceType: null, tool: 'aws', message: `message of ${issueId}`, ...extra,
  };
}
function added(issueId: string, solutionId: string, at: string, extra: Partial<SolutionAddedEvent> = {}): SolutionAddedEvent {
  return {
    v: 1, id: nextId(), at, issueId, type: 'solution.added', solutionId, description: `fix ${solutionId}`, steps: ['do it'],
    automation: { automated: false }, source: 'user', ...extra,
  };
}
function attempt(issueId: string, solutionId: string, at: string, outcome: 'success' | 'failure', extra: Partial<SolutionAttemptEvent> = {}): SolutionAttemptEvent {
  return { v: 1, id: nextId(), at, issueId, type: 'solution.attempt', solutionId, outcome, ...extra };
}
function kbIssue(): IssueState {
  return {
    issueId: 'kb-s3-denied', pattern: 'kb pattern', normalizerVersion: 1, category: 'permission', errorCode: 'AccessDenied',
    resourceType: 's3', tool: 'aws', message: 'kb message', title: 'S3 access denied', firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-11-01T00:00:00.000Z', occurrences: 0, environments: [], operations: [], related: [], origin: 'kb',
    solutions: [
      {
        solutionId: 'kb-grant', issueId: 'kb-s3-denied', description: 'Grant the action', steps: ['edit policy'],
        automation: { automated: false, notes: 'needs review' }, source: 'kb', addedAt: '2026-11-01T00:00:00.000Z', attempts: 0,
        successes: 0, failures: 0, totalSeconds: 0, timedAttempts: 0, lastSuccessAt: null, lastAttemptAt: null,
      },
    ],
  };
}

describe('foldEvents semantics', () => {
  it('builds an issue from its earliest seen event and sums occurrences, times and environments', () => {
    const events = [
      seen('i1', '2026-01-02T00:00:00.000Z', { pattern: 'later pattern', env: 'prod', operation: 'apply' }),
      seen('i1', '2026-01-01T00:00:00Z', { env: 'test', count: 5, lastAt: '2026-01-03T00:00:00Z' }),
      seen('i1', '2026-01-01T12:00:00.000Z', { environments: ['staging', 'test'], operations: ['plan'] }),
    ];
    const issue = foldEvents(events).get('i1')!;
    expect(issue).toMatchObject({
      pattern: 'pattern of i1', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-03T00:00:00Z', occurrences: 7,
      environments: ['prod', 'staging', 'test'], operations: ['apply', 'plan'], origin: 'log', solutions: [], related: [],
    });
  });

  it('compares timestamps as instants whatever their precision', () => {
    // As strings '10:00:00Z' > '10:00:00.500Z'; as times it is earlier.
    const events = [seen('i1', '2026-01-01T10:00:00.500Z', { pattern: 'second' }), seen('i1', '2026-01-01T10:00:00Z', { pattern: 'first' })];
    expect(foldEvents(events).get('i1')).toMatchObject({ pattern: 'first', firstSeen: '2026-01-01T10:00:00Z', lastSeen: '2026-01-01T10:00:00.500Z' });
    expect(timeKey('2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000Z');
    expect(timeKey('2026-01-01T10:00:00.123456789Z')).toBe('2026-01-01T10:00:00.123Z');
    expect(timeKey('2026-01-01T10:00:00.5Z')).toBe('2026-01-01T10:00:00.500Z');
    expect(timeKey('not a date')).toBe('');
  });

  it('keeps the first-added solution, aggregates attempts and reports orphans', () => {
    const orphans: [string, string][] = [];
    const events: IssueEvent[] = [
      seen('i1', '2026-01-01T00:00:00.000Z'),
      added('i1', 's1', '2026-01-02T00:00:00.000Z', { description: 'second add' }),
      added('i1', 's1', '2026-01-01T06:00:00.000Z', { description: 'first add', automation: { automated: true, command: ['kubectl', 'apply'] } }),
      attempt('i1', 's1', '2026-01-03T00:00:00.000Z', 'success', { seconds: 30 }),
      attempt('i1', 's1', '2026-01-04T00:00:00.000Z', 'failure'),
      attempt('i1', 's1', '2026-01-02T00:00:00.000Z', 'success', { attempts: 10, successes: 7, seconds: 700, timedAttempts: 7, lastSuccessAt: '2026-01-01T20:00:00.000Z' }),
      attempt('i1', 'nope', '2026-01-03T00:00:00.000Z', 'success'),
      attempt('ghost', 's1', '2026-01-03T00:00:00.000Z', 'success'),
      added('ghost', 's9', '2026-01-03T00:00:00.000Z'),
      { v: 1, id: nextId(), at: '2026-01-03T00:00:00.000Z', issueId: 'i1', type: 'issue.related', relatedIssueId: 'i1' },
    ];
    const state = foldEvents(events, [], { onOrphan: (e, reason) => orphans.push([e.id, reason]) });
    const s = state.get('i1')!.solutions;
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      description: 'first add', addedAt: '2026-01-01T06:00:00.000Z', automation: { automated: true, command: ['kubectl', 'apply'] },
      attempts: 12, successes: 8, failures: 4, totalSeconds: 730, timedAttempts: 8,
      lastAttemptAt: '2026-01-04T00:00:00.000Z', lastSuccessAt: '2026-01-03T00:00:00.000Z',
    });
    expect(orphans.map(([, r]) => r)).toEqual([
      'solution s9 added to unknown issue ghost',
      'attempt on unknown solution nope of issue i1',
      'attempt on unknown issue ghost',
      'issue i1 related to itself',
    ]);
    expect(state.has('ghost')).toBe(false);
  });

  it('sums seconds in time order, so floating-point rounding cannot depend on line order', () => {
    const events: IssueEvent[] = [seen('i1', '2026-01-01T00:00:00.000Z'), added('i1', 's1', '2026-01-01T00:00:00.000Z')];
    [0.1, 0.2, 0.3].forEach((seconds, k) => events.push(attempt('i1', 's1', `2026-01-0${k + 2}T00:00:00.000Z`, 'success', { seconds })));
    // (0.1 + 0.2) + 0.3 and (0.3 + 0.2) + 0.1 differ in the last bit.
    expect(foldEvents(events).get('i1')!.solutions[0]!.totalSeconds).toBe(0.1 + 0.2 + 0.3);
    expect(foldEvents([...events].reverse()).get('i1')!.solutions[0]!.totalSeconds).toBe(0.1 + 0.2 + 0.3);
  });

  it('links related issues both ways', () => {
    const state = foldEvents([
      seen('a', '2026-01-01T00:00:00.000Z'),
      seen('b', '2026-01-01T00:00:00.000Z'),
      seen('c', '2026-01-01T00:00:00.000Z'),
      { v: 1, id: nextId(), at: '2026-01-01T00:00:00.000Z', issueId: 'b', type: 'issue.related', relatedIssueId: 'a' },
      { v: 1, id: nextId(), at: '2026-01-01T00:00:00.000Z', issueId: 'c', type: 'issue.related', relatedIssueId: 'a' },
      { v: 1, id: nextId(), at: '2026-01-01T00:00:00.000Z', issueId: 'a', type: 'issue.related', relatedIssueId: 'b' },
    ]);
    expect(state.get('a')!.related).toEqual(['b', 'c']);
    expect(state.get('b')!.related).toEqual(['a']);
    expect(state.get('c')!.related).toEqual(['a']);
  });

  it('overlays events on a copy of the knowledge base without changing it', () => {
    const base = [kbIssue()];
    const snapshot = structuredClone(base);
    const state = foldEvents(
      [
        seen('kb-s3-denied', '2026-11-05T00:00:00.000Z', { pattern: 'user pattern', env: 'prod', count: 2 }),
        attempt('kb-s3-denied', 'kb-grant', '2026-11-05T00:01:00.000Z', 'success', { seconds: 40 }),
        added('kb-s3-denied', 'kb-grant', '2026-10-01T00:00:00.000Z', { description: 'attempt to replace the KB text' }),
        added('kb-s3-denied', 'mine', '2026-11-05T00:02:00.000Z'),
        attempt('kb-s3-denied', 'mine', '2026-11-05T00:03:00.000Z', 'failure'),
      ],
      base,
    );
    expect(base).toEqual(snapshot);
    const issue = state.get('kb-s3-denied')!;
    expect(issue).toMatchObject({
      origin: 'kb', title: 'S3 access denied', pattern: 'kb pattern', occurrences: 2, environments: ['prod'],
      firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-05T00:00:00.000Z',
    });
    expect(issue.solutions.map((s) => [s.solutionId, s.description, s.source, s.attempts, s.successes])).toEqual([
      ['kb-grant', 'Grant the action', 'kb', 1, 1],
      ['mine', 'fix mine', 'user', 1, 0],
    ]);
    // Without the base the same events are orphans, not errors.
    const orphans: string[] = [];
    foldEvents([attempt('kb-s3-denied', 'kb-grant', '2026-11-05T00:01:00.000Z', 'success')], [], { onOrphan: (e) => orphans.push(e.id) });
    expect(orphans).toHaveLength(1);
  });
});

describe('foldEvents is a function of the set of events', () => {
  // Few ids and instants, so generated events collide on issues, solutions and times; the same instants
  // are written in several precisions; seconds are fractional so summation order would show.
  const instants = ['2026-03-01T10:00:00', '2026-03-01T10:00:01', '2026-03-02T08:30:00'];
  const at = fc
    .tuple(fc.constantFrom(...instants), fc.constantFrom('Z', '.000Z', '.5Z', '.500000001Z', '.25Z'))
    .map(([t, suffix]) => t + suffix);
  const issueId = fc.constantFrom('i1', 'i2', 'kb-s3-denied');
  const solutionId = fc.constantFrom('s1', 'kb-grant');
  const id = fc.stringMatching(/^[0-9a-f]{20}$/);
  const env = fc.constantFrom('test', 'prod', 'dev');
  const event: fc.Arbitrary<IssueEvent> = fc.oneof(
    fc.record(
      {
        v: fc.constant(1 as const), id, at, issueId, type: fc.constant('issue.seen' as const), pattern: fc.constantFrom('p1', 'p2'),
        normalizerVersion: fc.constantFrom(1, 2), category: fc.constantFrom('permission' as const, 'quota' as const),
        errorCode: fc.option(fc.constant('E1')), resourceType: fc.constant(null), tool: fc.constant('aws' as const),
        message: fc.string({ maxLength: 5 }), env, operation: fc.constantFrom('plan', 'apply'), count: fc.nat(4), lastAt: at,
        environments: fc.array(env, { maxLength: 2 }),
      },
      { requiredKeys: ['v', 'id', 'at', 'issueId', 'type', 'pattern', 'normalizerVersion', 'category', 'errorCode', 'resourceType', 'tool', 'message'] },
    ),
    fc.record({
      v: fc.constant(1 as const), id, at, issueId, type: fc.constant('solution.added' as const), solutionId,
      description: fc.constantFrom('a', 'b'), steps: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
      automation: fc.record({ automated: fc.boolean() }), source: fc.constantFrom('user' as const, 'import' as const),
    }),
    { weight: 2, arbitrary: fc.record(
      {
        v: fc.constant(1 as const), id, at, issueId, type: fc.constant('solution.attempt' as const), solutionId,
        outcome: fc.constantFrom('success' as const, 'failure' as const), seconds: fc.oneof(fc.constantFrom(0.1, 0.2, 0.3, 0.7), fc.integer({ min: 0, max: 99_999 }).map((k) => k / 7)),
        attempts: fc.integer({ min: 1, max: 5 }), successes: fc.nat(5), timedAttempts: fc.integer({ min: 1, max: 5 }), lastSuccessAt: at,
      },
      { requiredKeys: ['v', 'id', 'at', 'issueId', 'type', 'solutionId', 'outcome'] },
    ) },
    fc.record({ v: fc.constant(1 as const), id, at, issueId, type: fc.constant('issue.related' as const), relatedIssueId: issueId }),
  );
  // A log, plus what a union merge may do to it: reorder lines, repeat some, and (re-imports) hold a
  // different event under an id already used.
  const scenario = fc
    .array(event, { minLength: 1, maxLength: 60 })
    .chain((events) =>
      fc.record({
        events: fc.constant(events),
        reordered: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        repeats: fc.array(fc.nat(events.length - 1), { maxLength: 10 }),
        conflicts: fc.array(fc.tuple(fc.nat(events.length - 1), at), { maxLength: 3 }),
      }),
    );

  function foldWithOrphans(events: IssueEvent[], base: IssueState[]): { state: Map<string, IssueState>; orphans: string[] } {
    const orphans: string[] = [];
    const state = foldEvents(events, base, { onOrphan: (e, reason) => orphans.push(`${e.id} ${reason}`) });
    return { state, orphans: orphans.sort() };
  }

  it('gives the same state for any order, with duplicates, with or without a base', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ events, reordered, repeats, conflicts }, withBase) => {
        const base = withBase ? [kbIssue()] : [];
        const variants = conflicts.map(([i, t]) => ({ ...events[i]!, at: t }) as IssueEvent);
        const original = [...events, ...variants];
        const merged = [...variants.slice().reverse(), ...reordered, ...repeats.map((i) => structuredClone(events[i]!))];
        const a = foldWithOrphans(original, base);
        const b = foldWithOrphans(merged, base);
        expect(b.state).toEqual(a.state);
        expect([...b.state.keys()].sort()).toEqual([...a.state.keys()].sort());
        expect(b.orphans).toEqual(a.orphans);
        // Idempotent: folding the log twice over is folding it once.
        expect(foldEvents([...original, ...original], base)).toEqual(a.state);
      }),
      { numRuns: 400 },
    );
  });
});
