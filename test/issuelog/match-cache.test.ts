import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeError } from '../../src/errors/analyze.js';
import { newEventId } from '../../src/issuelog/event-id.js';
import { matchSolutions } from '../../src/issuelog/match.js';
import { cachePath } from '../../src/issuelog/match-cache.js';
import { IssueLog } from '../../src/issuelog/repository.js';
import { appendEvents, issueLogPath } from '../../src/issuelog/store.js';
import type { IssueEvent } from '../../src/issuelog/types.js';

const NOW = new Date('2026-11-23T00:00:00Z');

function issueEvents(text: string, attempts: ('success' | 'failure')[], at = '2026-11-01T00:00:00.000Z'): IssueEvent[] {
  const a = analyzeError(text);
  const events: IssueEvent[] = [
    { v: 1, type: 'issue.seen', id: newEventId(), at, issueId: a.issueId, pattern: a.pattern, normalizerVersion: a.normalizerVersion, category: a.category, errorCode: a.errorCode, resourceType: a.resourceType, tool: a.tool, message: a.message, env: 'test' },
    { v: 1, type: 'solution.added', id: newEventId(), at, issueId: a.issueId, solutionId: 'sol-a', description: `fix for ${a.errorCode}`, steps: ['do it'], automation: { automated: false }, source: 'user' },
  ];
  for (const outcome of attempts) events.push({ v: 1, type: 'solution.attempt', id: newEventId(), at, issueId: a.issueId, solutionId: 'sol-a', outcome });
  return events;
}

const errors = [
  'operation error S3: PutObject, https response error StatusCode: 403, RequestID: A1, api error AccessDenied: Access Denied',
  'operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: B2, api error InvalidParameterValue: Value (t9.huge) for parameter instanceType is invalid',
  'Error: Error acquiring the state lock: ConditionalCheckFailedException: The conditional request failed',
  'Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "shop"',
];

async function ranked(stateDir: string, text: string) {
  const log = new IssueLog(stateDir, []);
  const { index, source } = await log.matchIndex();
  const a = analyzeError(text);
  const m = matchSolutions({ pattern: a.pattern, errorCode: a.errorCode, resourceType: a.resourceType, env: 'test' }, index, { now: NOW });
  return { source, matches: m.map((x) => `${x.issueId}/${x.solution.solutionId}:${x.solution.successes}/${x.solution.attempts}:${x.score.total}`) };
}

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'match-cache-')), '.infra-ops');
}

describe('match index cache', () => {
  it('is built on first use, reused while the log is unchanged, and gives the same ranking as no cache', async () => {
    const dir = freshDir();
    await appendEvents(dir, errors.flatMap((e, i) => issueEvents(e, i % 2 ? ['success'] : ['failure', 'success'])));
    const first = await ranked(dir, errors[0]!);
    expect(first.source).toBe('rebuilt');
    const second = await ranked(dir, errors[0]!);
    expect(second.source).toBe('cache');
    expect(second.matches).toEqual(first.matches);
    rmSync(join(dir, 'cache'), { recursive: true });
    expect((await ranked(dir, errors[0]!)).matches).toEqual(first.matches);
  });

  it('folds in appended events without a rebuild, and they change the ranking', async () => {
    const dir = freshDir();
    await appendEvents(dir, errors.flatMap((e) => issueEvents(e, [])));
    const before = await ranked(dir, errors[1]!);
    const id = analyzeError(errors[1]!).issueId;
    await appendEvents(dir, [1, 2, 3].map(() => ({ v: 1 as const, type: 'solution.attempt' as const, id: newEventId(), at: '2026-11-20T00:00:00.000Z', issueId: id, solutionId: 'sol-a', outcome: 'success' as const })));
    const after = await ranked(dir, errors[1]!);
    expect(after.source).toBe('cache+tail');
    expect(after.matches[0]).toMatch(new RegExp(`^${id}/sol-a:3/3:`));
    expect(after.matches[0]).not.toEqual(before.matches[0]);
    rmSync(join(dir, 'cache'), { recursive: true });
    expect((await ranked(dir, errors[1]!)).matches).toEqual(after.matches);
  });

  it('rebuilds when the log was rewritten (a merge, an edit) rather than trusting stale data', async () => {
    const dir = freshDir();
    await appendEvents(dir, errors.flatMap((e) => issueEvents(e, ['success'])));
    await ranked(dir, errors[0]!);
    const file = issueLogPath(dir);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    // A union merge reorders and adds lines: same size or larger, different bytes before the cached end.
    const extra = issueEvents(errors[0]!, ['failure', 'failure', 'failure']).slice(2).map((e) => JSON.stringify(e));
    writeFileSync(file, `${[...extra, ...lines].join('\n')}\n`);
    const r = await ranked(dir, errors[0]!);
    expect(r.source).toBe('rebuilt');
    expect(r.matches[0]).toMatch(/sol-a:1\/4:/);
  });

  it('treats a torn or mismatched cache as absent', async () => {
    const dir = freshDir();
    await appendEvents(dir, errors.flatMap((e) => issueEvents(e, ['success'])));
    const good = await ranked(dir, errors[2]!);
    const meta = cachePath(dir);
    writeFileSync(meta, readFileSync(meta, 'utf8').slice(0, 100));
    expect(await ranked(dir, errors[2]!)).toEqual(good);
    const bin = meta.replace(/\.json$/, '.bin');
    const bytes = readFileSync(bin);
    bytes[5] = bytes[5]! ^ 0xff; // another generation's .bin
    writeFileSync(bin, bytes);
    const r = await ranked(dir, errors[2]!);
    expect(r.source).toBe('rebuilt');
    expect(r.matches).toEqual(good.matches);
  });

  it('reports a torn tail line with its line number, from the cache path too', async () => {
    const dir = freshDir();
    await appendEvents(dir, errors.flatMap((e) => issueEvents(e, [])));
    await ranked(dir, errors[0]!);
    const lineCount = readFileSync(issueLogPath(dir), 'utf8').split('\n').length - 1;
    appendFileSync(issueLogPath(dir), '{"v":1,"type":"solution.att');
    await appendEvents(dir, issueEvents(errors[3]!, ['success']).slice(2));
    const log = new IssueLog(dir, []);
    const { problems, source } = await log.matchIndex();
    expect(source).toBe('cache+tail');
    expect(problems).toEqual([expect.objectContaining({ line: lineCount + 1 })]);
  });
});
