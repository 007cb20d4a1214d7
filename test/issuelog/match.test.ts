import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMatchIndex, confidenceOf, matchSolutions, recencyFactor, scoreSolution, solutionQuality, toCandidate, CONFIDENCE_THRESHOLDS } from '../../src/issuelog/match.js';
import type { IssueState, SolutionState } from '../../src/issuelog/types.js';
import { wilsonLowerBound } from '../../src/issuelog/wilson.js';

const NOW = new Date('2026-11-23T12:00:00Z');

function solution(id: string, successes: number, attempts: number, lastSuccessAt: string | null = null): SolutionState {
  return {
    solutionId: id, issueId: 'x', description: id, steps: [], automation: { automated: false }, source: 'user', addedAt: '2026-01-01T00:00:00Z',
    attempts, successes, failures: attempts - successes, totalSeconds: 0, timedAttempts: 0, lastSuccessAt, lastAttemptAt: lastSuccessAt,
  };
}

function issue(id: string, pattern: string, solutions: SolutionState[], extra: Partial<IssueState> = {}): IssueState {
  return {
    issueId: id, pattern, normalizerVersion: 1, category: 'permission', errorCode: 'AccessDenied', resourceType: 's3', tool: 'aws',
    message: pattern, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z', occurrences: 1, environments: [], operations: [],
    solutions: solutions.map((s) => ({ ...s, issueId: id })), related: [], origin: 'log', ...extra,
  };
}

describe('wilsonLowerBound', () => {
  it('puts 95 of 100 far above 1 of 1', () => {
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 3);
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.8883, 3);
  });
  it('is 0 without trials and never leaves [0, 1]', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    fc.assert(fc.property(fc.nat(1000), fc.nat(1000), (s, extra) => {
      const lb = wilsonLowerBound(s, s + extra);
      return lb >= 0 && lb <= 1;
    }));
  });
  it('grows with successes at a fixed number of trials', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(499), (n, k) => {
      const s = k % n;
      return wilsonLowerBound(s + 1, n) > wilsonLowerBound(s, n);
    }));
  });
  it('grows with evidence at the same observed rate', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 2, max: 20 }), (n, k, factor) => {
      const s = Math.min(k, n);
      return wilsonLowerBound(s * factor, n * factor) >= wilsonLowerBound(s, n) - 1e-12;
    }));
  });
});

describe('scoring', () => {
  const same = { pattern: 1, errorCode: 1, resourceType: 1, environment: 0.5 };
  it('ranks a long record above a single success of the same error', () => {
    const recent = '2026-11-20T00:00:00Z';
    const oneOfOne = scoreSolution(same, solution('a', 1, 1, recent), NOW);
    const many = scoreSolution(same, solution('b', 95, 100, recent), NOW);
    expect(many.total).toBeGreaterThan(oneOfOne.total);
  });
  it('ranks a solution that keeps failing below an untried one', () => {
    expect(solutionQuality(solution('f', 0, 6))).toBeLessThan(solutionQuality(solution('u', 0, 0)));
  });
  it('prefers a recent success to an old one, with everything else equal', () => {
    const recent = scoreSolution(same, solution('r', 5, 5, '2026-11-22T00:00:00Z'), NOW);
    const old = scoreSolution(same, solution('o', 5, 5, '2024-11-22T00:00:00Z'), NOW);
    expect(recent.total).toBeGreaterThan(old.total);
    expect(recencyFactor(null, NOW)).toBeLessThan(recencyFactor('2026-11-22T00:00:00Z', NOW));
  });
  it('keeps every score in [0, 1] and the confidence consistent with the thresholds', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(200), fc.nat(200),
      (p, c, s, extra) => {
        const score = scoreSolution({ pattern: p, errorCode: c, resourceType: c, environment: 0.5 }, solution('x', s, s + extra), NOW);
        const conf = confidenceOf(score.total);
        const okRange = score.total >= 0 && score.total <= 1;
        const okConf = conf === null ? score.total < CONFIDENCE_THRESHOLDS.low : score.total >= CONFIDENCE_THRESHOLDS[conf];
        return okRange && okConf;
      },
    ));
  });
});

describe('matchSolutions', () => {
  const s3put = 'operation error s3: putobject, https response error statuscode: 403, requestid: <request-id>, api error accessdenied: access denied';
  const s3get = 'operation error s3: getobject, https response error statuscode: 403, requestid: <request-id>, api error accessdenied: access denied';
  const lock = 'error acquiring the state lock: conditionalcheckfailedexception: the conditional request failed lock info: id: <uuid>';
  const issues = [
    issue('put', s3put, [solution('grant-put', 3, 4, '2026-11-01T00:00:00Z'), solution('check-kms', 0, 0)]),
    issue('get', s3get, [solution('grant-get', 9, 10, '2026-11-01T00:00:00Z')]),
    issue('lock', lock, [solution('wait', 5, 5)], { category: 'state', errorCode: 'ConditionalCheckFailedException', resourceType: null, tool: 'terraform' }),
  ];
  const index = buildMatchIndex(issues.map((i) => toCandidate(i, i.pattern)));

  it('puts the exact issue first and a similar one after it', () => {
    const m = matchSolutions({ pattern: s3put, errorCode: 'AccessDenied', resourceType: 's3' }, index, { now: NOW });
    expect(m[0]?.issueId).toBe('put');
    expect(m[0]?.solution.solutionId).toBe('grant-put');
    expect(m.map((x) => x.issueId)).toContain('get');
    expect(m.map((x) => x.issueId)).not.toContain('lock');
    expect(m[0]?.score.pattern).toBe(1);
  });
  it('says nothing for an unrelated error', () => {
    const m = matchSolutions({ pattern: 'helm: unable to build kubernetes objects from release manifest', errorCode: null, resourceType: null }, index, { now: NOW });
    expect(m).toEqual([]);
  });
  it('respects a higher minimum confidence', () => {
    const all = matchSolutions({ pattern: s3put, errorCode: 'AccessDenied', resourceType: 's3' }, index, { now: NOW, minConfidence: 'low' });
    const high = matchSolutions({ pattern: s3put, errorCode: 'AccessDenied', resourceType: 's3' }, index, { now: NOW, minConfidence: 'high' });
    expect(high.length).toBeLessThan(all.length);
    expect(high.every((x) => x.confidence === 'high')).toBe(true);
  });
  it('lets the environment tip the balance between equally good matches', () => {
    const a = issue('a', s3put, [solution('sa', 2, 2)], { environments: ['prod'] });
    const b = issue('b', s3put.replace('putobject', 'putobjectacl'), [solution('sb', 2, 2)], { environments: ['test'] });
    const idx = buildMatchIndex([a, b].map((i) => toCandidate(i, i.pattern)));
    const q = { pattern: s3put.replace('putobject', 'putobjectx'), errorCode: 'AccessDenied', resourceType: 's3' };
    expect(matchSolutions({ ...q, env: 'test' }, idx, { now: NOW })[0]?.issueId).toBe('b');
    expect(matchSolutions({ ...q, env: 'prod' }, idx, { now: NOW })[0]?.issueId).toBe('a');
  });
});
