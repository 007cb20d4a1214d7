import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/issuelog/stats.js';
import type { IssueState, SolutionState } from '../../src/issuelog/types.js';

function solution(solutionId: string, automated: boolean, counts: Partial<SolutionState>): SolutionState {
  return {
    solutionId, issueId: 'x', description: solutionId, steps: [], automation: { automated }, source: 'user',
    addedAt: '2026-01-01T00:00:00.000Z', attempts: 0, successes: 0, failures: 0, totalSeconds: 0, timedAttempts: 0,
    lastSuccessAt: null, lastAttemptAt: null, ...counts,
  };
}
function issue(issueId: string, category: IssueState['category'], occurrences: number, lastSeen: string, solutions: SolutionState[] = []): IssueState {
  return {
    issueId, pattern: `pattern ${issueId}`, normalizerVersion: 1, category, errorCode: null, resourceType: null, tool: 'aws',
    message: issueId, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen, occurrences, environments: [], operations: [],
    solutions, related: [], origin: 'log',
  };
}

describe('computeStats', () => {
  const issues = [
    issue('a', 'permission', 10, '2026-02-01T00:00:00.000Z', [
      // One automated solution that is rarely used, one manual solution that does most of the fixing:
      // the two automation rates must then differ.
      solution('auto', true, { attempts: 2, successes: 1, failures: 1, totalSeconds: 30, timedAttempts: 1 }),
      solution('manual', false, { attempts: 6, successes: 5, failures: 1, totalSeconds: 500, timedAttempts: 4 }),
    ]),
    issue('b', 'permission', 3, '2026-03-01T00:00:00Z', [solution('manual2', false, { attempts: 1, failures: 1 })]),
    issue('c', 'network', 3, '2026-03-01T00:00:00.500Z'),
    issue('d', 'quota', 0, '2026-01-01T00:00:00.000Z'),
  ];

  it('totals, per-category figures and the two automation rates', () => {
    const s = computeStats(issues);
    expect(s.totals).toEqual({ issues: 4, occurrences: 16, solutions: 3, attempts: 9, resolutions: 6, failures: 3 });
    expect(s.byCategory.permission).toEqual({ issues: 2, occurrences: 13, resolutions: 6 });
    expect(s.byCategory.network).toEqual({ issues: 1, occurrences: 3, resolutions: 0 });
    expect(s.byCategory.config).toEqual({ issues: 0, occurrences: 0, resolutions: 0 });
    expect(s.solutionAutomationRate).toBeCloseTo(100 / 3);
    expect(s.resolutionAutomationRate).toBeCloseTo(100 / 6);
    expect(s.successRate).toBeCloseTo((100 * 6) / 9);
  });

  it('averages resolution time over the attempts that reported one only', () => {
    expect(computeStats(issues).avgResolutionSeconds).toBe(530 / 5);
  });

  it('lists recurring issues by occurrences, then most recent, leaving out never-seen ones', () => {
    const top = computeStats(issues).topRecurring;
    // b and c tie on occurrences; c was seen half a second later (though its timestamp sorts first as text).
    expect(top.map((t) => t.issueId)).toEqual(['a', 'c', 'b']);
    expect(top[0]).toEqual({ issueId: 'a', title: null, pattern: 'pattern a', category: 'permission', occurrences: 10, lastSeen: '2026-02-01T00:00:00.000Z' });
    expect(computeStats(issues, 1).topRecurring).toHaveLength(1);
  });

  it('reports undefined rates as null rather than zero', () => {
    const s = computeStats([]);
    expect(s).toMatchObject({ solutionAutomationRate: null, resolutionAutomationRate: null, successRate: null, avgResolutionSeconds: null, topRecurring: [] });
    expect(s.totals.issues).toBe(0);
  });
});
