import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import issueLogSchema from '../../schemas/issue-log.schema.json' with { type: 'json' };
import { exportIssueLog, importIssueLog } from '../../src/issuelog/export.js';
import { foldEvents } from '../../src/issuelog/fold.js';
import { appendEvents, readEvents } from '../../src/issuelog/store.js';
import type { IssueEvent, IssueState } from '../../src/issuelog/types.js';
import { validateAgainst } from '../../src/schema/validate.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The interchange document of the earlier system, as given. */
function seedDocument() {
  return {
    issues: [
      {
        issue_id: 'abc123',
        first_seen: '2025-10-20T10:00:00Z',
        last_seen: '2025-10-28T15:30:00Z',
        occurrence_count: 8,
        error: {
          category: 'permission',
          message: 'AccessDenied: User not authorized for s3:PutObject',
          normalized_message: 'accessdenied: user not authorized for s3:putobject',
          code: 'AccessDenied',
          context: { environment: 'test', operation: 'deploy', resource_type: 'S3' },
        },
        solutions: [
          {
            solution_id: 'xyz789',
            description: 'Grant s3:PutObject permission',
            steps: ['…'],
            automation: { automated: true, skill: 'infra-permission-manager', operation: 'auto-grant' },
            success_rate: { attempts: 22, successes: 21, failures: 1, percentage: 95.5 },
            avg_resolution_time_seconds: 45,
          },
        ],
      },
    ],
    statistics: {
      total_issues: 45, total_resolutions: 123, avg_resolution_time_seconds: 52, automation_rate: 78.5,
      most_common_categories: { permission: 28 },
    },
  };
}

const IMPORTED_AT = '2026-06-01T12:00:00.000Z';

/** A log with what the seed format cannot say: several environments, links, commands, fractional timings. */
function richLog(): IssueEvent[] {
  let k = 0;
  const id = (): string => (++k).toString(16).padStart(20, 'a');
  const base = { v: 1 as const };
  return [
    { ...base, id: id(), at: '2026-01-01T00:00:00.000Z', issueId: 'p1', type: 'issue.seen', pattern: 'throttling: rate exceeded', normalizerVersion: 3, category: 'quota', errorCode: 'Throttling', resourceType: 'aws_lambda_function', tool: 'aws', message: 'Throttling: Rate exceeded', env: 'prod', operation: 'apply' },
    { ...base, id: id(), at: '2026-01-03T00:00:00.000Z', issueId: 'p1', type: 'issue.seen', pattern: 'x', normalizerVersion: 3, category: 'quota', errorCode: 'Throttling', resourceType: 'aws_lambda_function', tool: 'aws', message: 'Throttling: Rate exceeded', env: 'test', operation: 'plan', count: 4 },
    { ...base, id: id(), at: '2026-01-02T00:00:00.000Z', issueId: 'p2', type: 'issue.seen', pattern: 'error acquiring the state lock', normalizerVersion: 3, category: 'state', errorCode: null, resourceType: null, tool: 'terraform', message: 'Error acquiring the state lock' },
    { ...base, id: id(), at: '2026-01-02T00:00:01.000Z', issueId: 'p2', type: 'issue.related', relatedIssueId: 'p1' },
    { ...base, id: id(), at: '2026-01-01T01:00:00.000Z', issueId: 'p1', type: 'solution.added', solutionId: 'retry', description: 'Retry with backoff', steps: ['wait', 'retry'], automation: { automated: true, command: ['terraform', 'apply', '-parallelism=2'], notes: 'lower parallelism' }, source: 'user' },
    { ...base, id: id(), at: '2026-01-01T01:00:00.000Z', issueId: 'p1', type: 'solution.added', solutionId: 'quota', description: 'Ask for a higher limit', steps: [], automation: { automated: false }, source: 'user' },
    { ...base, id: id(), at: '2026-01-01T02:00:00.000Z', issueId: 'p1', type: 'solution.attempt', solutionId: 'retry', outcome: 'success', seconds: 10.3 },
    { ...base, id: id(), at: '2026-01-01T03:00:00.000Z', issueId: 'p1', type: 'solution.attempt', solutionId: 'retry', outcome: 'failure' },
    { ...base, id: id(), at: '2026-01-01T04:00:00.000Z', issueId: 'p1', type: 'solution.attempt', solutionId: 'retry', outcome: 'success', seconds: 20.1, env: 'prod' },
    { ...base, id: id(), at: '2026-01-02T05:00:00.000Z', issueId: 'p2', type: 'solution.added', solutionId: 'unlock', description: 'terraform force-unlock', steps: ['find the lock id', 'force-unlock'], automation: { automated: false }, source: 'user' },
    { ...base, id: id(), at: '2026-01-02T06:00:00.000Z', issueId: 'p2', type: 'solution.attempt', solutionId: 'unlock', outcome: 'failure', seconds: 100 },
  ];
}

function fold(events: IssueEvent[]): IssueState[] {
  return [...foldEvents(events).values()];
}

describe('importIssueLog', () => {
  it('imports the seed document of the earlier system', async () => {
    const events = await importIssueLog(seedDocument(), IMPORTED_AT);
    const issue = foldEvents(events).get('abc123')!;
    expect(issue).toMatchObject({
      pattern: 'accessdenied: user not authorized for s3:putobject', normalizerVersion: 0, category: 'permission',
      errorCode: 'AccessDenied', resourceType: 'S3', tool: 'unknown', message: 'AccessDenied: User not authorized for s3:PutObject',
      firstSeen: '2025-10-20T10:00:00Z', lastSeen: '2025-10-28T15:30:00Z', occurrences: 8, environments: ['test'],
      operations: ['deploy'], origin: 'log',
    });
    expect(issue.solutions).toEqual([
      {
        solutionId: 'xyz789', issueId: 'abc123', description: 'Grant s3:PutObject permission', steps: ['…'],
        automation: { automated: true, notes: 'skill: infra-permission-manager; operation: auto-grant' }, source: 'import',
        addedAt: '2025-10-20T10:00:00Z', attempts: 22, successes: 21, failures: 1, totalSeconds: 45 * 21, timedAttempts: 21,
        lastSuccessAt: '2025-10-28T15:30:00Z', lastAttemptAt: '2025-10-28T15:30:00Z',
      },
    ]);
  });

  it('produces events the log accepts, so an import can be appended and read back', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'issuelog-import-')), '.infra-ops');
    dirs.push(stateDir);
    const events = [...(await importIssueLog(seedDocument(), IMPORTED_AT)), ...(await importIssueLog(exportIssueLog(fold(richLog()), IMPORTED_AT), IMPORTED_AT))];
    await appendEvents(stateDir, events);
    const read = await readEvents(stateDir);
    expect(read.problems).toEqual([]);
    expect(read.events).toEqual(events);
  });

  it('does not double counts when the same document is imported twice', async () => {
    const once = await importIssueLog(seedDocument(), IMPORTED_AT);
    const again = await importIssueLog(seedDocument(), '2026-07-01T00:00:00.000Z');
    expect(again.map((e) => e.id)).toEqual(once.map((e) => e.id));
    const stateDir = join(mkdtempSync(join(tmpdir(), 'issuelog-import-')), '.infra-ops');
    dirs.push(stateDir);
    await appendEvents(stateDir, once);
    await appendEvents(stateDir, again);
    const twice = foldEvents((await readEvents(stateDir)).events).get('abc123')!;
    expect(twice.occurrences).toBe(8);
    expect(twice.solutions[0]).toMatchObject({ attempts: 22, successes: 21 });
    expect(foldEvents([...once, ...again])).toEqual(foldEvents(once));
  });

  it('fills what the seed format leaves out with sensible defaults', async () => {
    const minimal = { issues: [{ issue_id: 'm1', error: { category: 'network', message: 'dial tcp: i/o timeout' }, solutions: [{ solution_id: 's', description: 'retry' }] }] };
    const issue = foldEvents(await importIssueLog(minimal, IMPORTED_AT)).get('m1')!;
    expect(issue).toMatchObject({
      pattern: 'dial tcp: i/o timeout', normalizerVersion: 0, errorCode: null, resourceType: null, tool: 'unknown',
      firstSeen: IMPORTED_AT, lastSeen: IMPORTED_AT, occurrences: 1, environments: [], operations: [],
    });
    expect(issue.solutions[0]).toMatchObject({ steps: [], automation: { automated: false }, attempts: 0, lastAttemptAt: null });
  });

  it('rejects a bad document naming the JSON path of each problem', async () => {
    const cases: [unknown, string[]][] = [
      [(() => { const d = seedDocument(); (d.issues[0]!.solutions[0]!.success_rate as { attempts: unknown }).attempts = '22'; return d; })(),
        ['/issues/0/solutions/0/success_rate/attempts must be integer']],
      [(() => { const d = seedDocument(); (d.issues[0]!.error as { category: string }).category = 'disk'; delete (d.issues[0] as { first_seen?: string }).first_seen; (d.issues[0] as Record<string, unknown>)['color'] = 1; return d; })(),
        ['/issues/0/error/category must be one of the allowed values (allowed: "permission", "config", "resource", "state", "network", "quota")', '/issues/0/color is not a known field']],
      [(() => { const d = seedDocument(); d.issues[0]!.solutions[0]!.success_rate.successes = 23; return d; })(),
        ['/issues/0/solutions/0/success_rate/successes must not exceed attempts']],
      [(() => { const d = seedDocument(); d.issues.push(structuredClone(d.issues[0]!)); d.issues[1]!.first_seen = '2025-02-30T99:00:00Z'; return d; })(),
        ['/issues/1/issue_id duplicates /issues/0/issue_id', '/issues/1/first_seen is not a real date and time']],
      [{ issues: {} }, ['/issues must be array']],
      ['nope', ['/ must be object']],
      [{ issues: [{ issue_id: 'big', error: { category: 'config', message: 'x'.repeat(70_000) } }] }, ['/issues/0 is too large for one log line']],
    ];
    for (const [doc, expected] of cases) {
      const error = await importIssueLog(doc, IMPORTED_AT).then(() => null, (e: unknown) => e as Error);
      expect(error, JSON.stringify(expected)).toBeInstanceOf(Error);
      for (const line of expected) expect(error!.message).toContain(line);
    }
  });
});

describe('exportIssueLog', () => {
  it('writes the seed shape plus statistics, valid against the document schema', async () => {
    const doc = exportIssueLog(fold(await importIssueLog(seedDocument(), IMPORTED_AT)), '2026-06-02T00:00:00.000Z');
    expect(await validateAgainst(issueLogSchema, doc)).toEqual([]);
    expect(doc).toEqual({
      generated_at: '2026-06-02T00:00:00.000Z',
      issues: [
        {
          issue_id: 'abc123', first_seen: '2025-10-20T10:00:00Z', last_seen: '2025-10-28T15:30:00Z', occurrence_count: 8,
          error: {
            category: 'permission', message: 'AccessDenied: User not authorized for s3:PutObject',
            normalized_message: 'accessdenied: user not authorized for s3:putobject', code: 'AccessDenied',
            context: { environment: 'test', operation: 'deploy', resource_type: 'S3' },
          },
          solutions: [
            {
              solution_id: 'xyz789', description: 'Grant s3:PutObject permission', steps: ['…'],
              automation: { automated: true, notes: 'skill: infra-permission-manager; operation: auto-grant' },
              success_rate: { attempts: 22, successes: 21, failures: 1, percentage: 95.5 }, avg_resolution_time_seconds: 45,
              added_at: '2025-10-20T10:00:00Z', timed_attempts: 21, last_attempt_at: '2025-10-28T15:30:00Z', last_success_at: '2025-10-28T15:30:00Z',
            },
          ],
          pattern: 'accessdenied: user not authorized for s3:putobject', normalizer_version: 0, tool: 'unknown',
        },
      ],
      statistics: {
        total_issues: 1, total_occurrences: 8, total_solutions: 1, total_attempts: 22, total_resolutions: 21,
        avg_resolution_time_seconds: 45, automation_rate: 100, solution_automation_rate: 100, success_rate: 95.5,
        most_common_categories: { permission: 1 },
      },
    });
  });

  it('round-trips: export → import → export gives the same document', async () => {
    const issues = fold(richLog());
    const first = exportIssueLog(issues, IMPORTED_AT);
    expect(await validateAgainst(issueLogSchema, first)).toEqual([]);
    const p1 = first.issues.find((i) => i.issue_id === 'p1')!;
    expect(p1).toMatchObject({ environments: ['prod', 'test'], operations: ['apply', 'plan'], related: ['p2'], occurrence_count: 5 });
    expect(p1.solutions!.find((s) => s.solution_id === 'retry')).toMatchObject({
      avg_resolution_time_seconds: 15.2, timed_attempts: 2, success_rate: { attempts: 3, successes: 2, failures: 1, percentage: 66.7 },
      automation: { automated: true, command: ['terraform', 'apply', '-parallelism=2'], notes: 'lower parallelism' },
    });

    const second = exportIssueLog(fold(await importIssueLog(first, '2026-09-09T09:09:09.000Z')), IMPORTED_AT);
    expect(second).toEqual(first);
    const third = exportIssueLog(fold(await importIssueLog(JSON.parse(JSON.stringify(second)), IMPORTED_AT)), IMPORTED_AT);
    expect(third).toEqual(first);
  });
});
