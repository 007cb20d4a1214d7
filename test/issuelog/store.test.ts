import fc from 'fast-check';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import eventSchema from '../../schemas/issue-event.schema.json' with { type: 'json' };
import { ERROR_CATEGORIES, ERROR_TOOLS } from '../../src/errors/types.js';
import { newEventId } from '../../src/issuelog/event-id.js';
import {
  appendEvents,
  eventProblem,
  issueLogPath,
  MAX_EVENT_BYTES,
  parseEventLog,
  readEvents,
  semanticProblems,
} from '../../src/issuelog/store.js';
import type { IssueEvent } from '../../src/issuelog/types.js';
import { compileSchema } from '../../src/schema/validate.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshStateDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'issuelog-store-'));
  dirs.push(root);
  return join(root, '.infra-ops');
}

let clock = Date.parse('2026-01-01T00:00:00Z');
function at(): string {
  return new Date((clock += 1000)).toISOString();
}

function seen(issueId: string, extra: Partial<IssueEvent> = {}): IssueEvent {
  return {
    v: 1, id: newEventId(), at: at(), issueId, type: 'issue.seen', pattern: 'accessdenied on <arn>', normalizerVersion: 1,
    category: 'permission', errorCode: 'AccessDenied', resourceType: 'aws_s3_bucket', tool: 'aws',
    message: 'AccessDenied: not authorized on arn:aws:s3:::b', env: 'test', ...extra,
  } as IssueEvent;
}
function added(issueId: string, solutionId: string): IssueEvent {
  return {
    v: 1, id: newEventId(), at: at(), issueId, type: 'solution.added', solutionId, description: 'Grant s3:PutObject',
    steps: ['edit the policy', 'apply'], automation: { automated: true, command: ['terraform', 'apply'] }, source: 'user',
  };
}
function attempt(issueId: string, solutionId: string, outcome: 'success' | 'failure', extra: object = {}): IssueEvent {
  return { v: 1, id: newEventId(), at: at(), issueId, type: 'solution.attempt', solutionId, outcome, seconds: 12.5, ...extra } as IssueEvent;
}

async function ajvAccepts(value: unknown): Promise<boolean> {
  const validate = await compileSchema(eventSchema);
  return validate(value) && semanticProblems(value as IssueEvent).length === 0;
}

describe('appendEvents / readEvents', () => {
  it('round-trips every event type, one schema-valid line each, and sets up git merging', async () => {
    const stateDir = freshStateDir();
    const first = [seen('i1'), added('i1', 's1'), attempt('i1', 's1', 'success')];
    const second = [
      attempt('i1', 's1', 'failure', { env: 'prod' }),
      { v: 1, id: newEventId(), at: at(), issueId: 'i1', type: 'issue.related', relatedIssueId: 'i2' } as IssueEvent,
      seen('i2', { message: 'ünïcödé ✓ 𝄞', count: 3, environments: ['a', 'b'], lastAt: '2026-02-01T00:00:00Z' }),
    ];
    await appendEvents(stateDir, first);
    await appendEvents(stateDir, second);

    const { events, problems } = await readEvents(stateDir);
    expect(problems).toEqual([]);
    expect(events).toEqual([...first, ...second]);

    const text = readFileSync(issueLogPath(stateDir), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(await ajvAccepts(JSON.parse(line))).toBe(true);

    expect(readFileSync(join(stateDir, '.gitattributes'), 'utf8')).toBe('issue-log/*.jsonl merge=union\n');
    expect(readFileSync(join(stateDir, '.gitignore'), 'utf8')).toBe('cache/\n');
  });

  it('adds the union-merge line to an existing .gitattributes once, keeping what was there', async () => {
    const stateDir = freshStateDir();
    await appendEvents(stateDir, [seen('i1')]);
    rmSync(issueLogPath(stateDir));
    writeFileSync(join(stateDir, '.gitattributes'), '*.png binary');
    writeFileSync(join(stateDir, '.gitignore'), 'cache/\nscratch/\n');
    await appendEvents(stateDir, [seen('i1')]);
    rmSync(issueLogPath(stateDir));
    await appendEvents(stateDir, [seen('i1')]);
    expect(readFileSync(join(stateDir, '.gitattributes'), 'utf8')).toBe('*.png binary\nissue-log/*.jsonl merge=union\n');
    expect(readFileSync(join(stateDir, '.gitignore'), 'utf8')).toBe('cache/\nscratch/\n');
  });

  it('reads a missing log as empty', async () => {
    expect(await readEvents(freshStateDir())).toEqual({ events: [], problems: [] });
  });

  it('rejects an invalid event naming the field, and writes nothing of the batch', async () => {
    const stateDir = freshStateDir();
    const cases: [IssueEvent, RegExp][] = [
      [seen('i1', { category: 'disk' as never }), /\/category must be one of the allowed values/],
      [{ ...attempt('i1', 's1', 'success'), outcome: undefined } as unknown as IssueEvent, /\/outcome is required/],
      [{ ...seen('i1'), bogus: 1 } as unknown as IssueEvent, /\/bogus is not a known field/],
      [seen('i1', { at: '2026-01-01 10:00' }), /\/at must match pattern/],
      [attempt('i1', 's1', 'success', { attempts: 2, successes: 3 }), /\/successes must not exceed attempts/],
      [{ ...added('i1', 's1'), automation: { automated: 'yes' } } as unknown as IssueEvent, /\/automation\/automated must be boolean/],
    ];
    for (const [bad, message] of cases) {
      await expect(appendEvents(stateDir, [seen('ok'), bad])).rejects.toThrow(message);
      await expect(appendEvents(stateDir, [seen('ok'), bad])).rejects.toThrow(/^issue event 1 /);
    }
    expect(existsSync(issueLogPath(stateDir))).toBe(false);
  });

  it('rejects an event over the line size limit with a clear error', async () => {
    const stateDir = freshStateDir();
    const big = seen('i1', { message: 'x'.repeat(MAX_EVENT_BYTES) });
    await expect(appendEvents(stateDir, [big])).rejects.toThrow(/issue event 0 \(issue\.seen [0-9a-f]+\) is \d+ bytes, over the 65536-byte limit/);
    expect(existsSync(issueLogPath(stateDir))).toBe(false);
    await appendEvents(stateDir, [seen('i1', { message: 'x'.repeat(MAX_EVENT_BYTES - 1000) })]);
    expect((await readEvents(stateDir)).events).toHaveLength(1);
  });
});

describe('crash safety', () => {
  it('reports a torn last line, loads everything before it, and heals on the next append', async () => {
    const stateDir = freshStateDir();
    const before = [seen('i1'), added('i1', 's1'), attempt('i1', 's1', 'success')];
    await appendEvents(stateDir, before);
    const torn = JSON.stringify(attempt('i1', 's1', 'failure'));
    appendFileSync(issueLogPath(stateDir), torn.slice(0, Math.floor(torn.length / 2)));

    const afterCrash = await readEvents(stateDir);
    expect(afterCrash.events).toEqual(before);
    expect(afterCrash.problems).toEqual([{ file: issueLogPath(stateDir), line: 4, reason: 'torn write at end of file' }]);

    const later = [attempt('i1', 's1', 'success'), attempt('i1', 's1', 'failure')];
    await appendEvents(stateDir, later);
    const healed = await readEvents(stateDir);
    expect(healed.events).toEqual([...before, ...later]);
    expect(healed.problems).toHaveLength(1);
    expect(healed.problems[0]).toMatchObject({ line: 4, reason: expect.stringMatching(/^not valid JSON/) });
    // The new events start on their own line right after the torn one.
    expect(readFileSync(issueLogPath(stateDir), 'utf8').split('\n')[4]).toBe(JSON.stringify(later[0]));
  });

  it('reports garbage and schema-invalid lines in the middle with their line numbers and loads the rest', async () => {
    const stateDir = freshStateDir();
    const a = [seen('i1'), added('i1', 's1')];
    const b = [attempt('i1', 's1', 'success')];
    const c = [attempt('i1', 's1', 'failure')];
    await appendEvents(stateDir, a);
    appendFileSync(issueLogPath(stateDir), '<<<<<<< HEAD\n');
    await appendEvents(stateDir, b);
    appendFileSync(issueLogPath(stateDir), `${JSON.stringify({ ...c[0], outcome: 'maybe' })}\n\n`);
    await appendEvents(stateDir, c);

    const { events, problems } = await readEvents(stateDir);
    expect(events).toEqual([...a, ...b, ...c]);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [3, expect.stringMatching(/^not valid JSON/)],
      [5, '/outcome is invalid'],
    ]);
  });

  it('accepts a complete last event that lacks only its newline', () => {
    const e = seen('i1');
    expect(parseEventLog(JSON.stringify(e), 'f')).toEqual({ events: [e], problems: [] });
  });
});

describe('fast structural check', () => {
  const timestamp = fc
    .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom(0, 1, 3, 9))
    .map(([d, digits]) => d.toISOString().slice(0, 19) + (digits ? `.${'123456789'.slice(0, digits)}` : '') + 'Z');
  const refId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
  const base = { v: fc.constant(1 as const), id: fc.stringMatching(/^[0-9a-f]{20}$/), at: timestamp, issueId: refId };
  const candidate: fc.Arbitrary<IssueEvent> = fc.oneof(
    fc.record(
      {
        ...base, type: fc.constant('issue.seen' as const), pattern: text, normalizerVersion: fc.nat(5),
        category: fc.constantFrom(...ERROR_CATEGORIES), errorCode: fc.option(text), resourceType: fc.option(text),
        tool: fc.constantFrom(...ERROR_TOOLS), message: text, env: name, operation: name, count: fc.nat(100),
        lastAt: timestamp, environments: fc.array(name, { maxLength: 3 }), operations: fc.array(name, { maxLength: 3 }),
      },
      { requiredKeys: ['v', 'id', 'at', 'issueId', 'type', 'pattern', 'normalizerVersion', 'category', 'errorCode', 'resourceType', 'tool', 'message'] },
    ),
    fc.record({
      ...base, type: fc.constant('solution.added' as const), solutionId: refId, description: fc.string({ minLength: 1 }),
      steps: fc.array(text, { maxLength: 3 }),
      automation: fc.record({ automated: fc.boolean(), command: fc.array(text, { minLength: 1, maxLength: 3 }), notes: text }, { requiredKeys: ['automated'] }),
      source: fc.constantFrom('user' as const, 'import' as const, 'kb' as const),
    }),
    fc.record(
      {
        ...base, type: fc.constant('solution.attempt' as const), solutionId: refId, outcome: fc.constantFrom('success' as const, 'failure' as const),
        seconds: fc.double({ min: 0, max: 1e6, noNaN: true }), env: name, attempts: fc.integer({ min: 1, max: 50 }),
        successes: fc.nat(3), timedAttempts: fc.integer({ min: 1, max: 50 }), lastSuccessAt: timestamp,
      },
      { requiredKeys: ['v', 'id', 'at', 'issueId', 'type', 'solutionId', 'outcome'] },
    ),
    fc.record({ ...base, type: fc.constant('issue.related' as const), relatedIssueId: refId }),
  );
  // Values on either side of every limit in the schema, where a hand-written check is likeliest to drift.
  const boundary = fc.constantFrom<unknown>(
    -1, 0, 1, 2, 1.5, -0.5, 1e9, 1e9 + 1, Number.MAX_SAFE_INTEGER, '', 'a', 'A-1', '-a', 'a b', 'a/b',
    'a'.repeat(128), 'a'.repeat(129), 'a'.repeat(200), 'a'.repeat(201), '😀'.repeat(150), '😀'.repeat(201), 'a'.repeat(8193),
    null, true, false, [], [''], ['a'], ['😀'.repeat(150)], ['a'.repeat(201)], {}, { automated: true }, { automated: true, command: [] },
    { automated: false, command: ['x'], notes: 'n' }, { automated: true, extra: 1 }, '2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00.1234567890Z', '2026-01-01T00:00:00.Z',
    'abcdef0123456789', 'ABCDEF0123456789', 'abcdef012345678', 'a'.repeat(65), 'success', 'failure', 'user', 'kb', 'issue.seen',
    'solution.attempt', 'issue.related', 'permission', 'aws',
  );
  // A candidate with one field replaced by an arbitrary or boundary value, removed, or one unknown field added.
  const mutated = fc
    .tuple(candidate, fc.nat(), fc.constantFrom('replace', 'delete', 'add'), fc.oneof(fc.jsonValue({ maxDepth: 2 }), boundary, boundary), fc.string({ maxLength: 8 }))
    .map(([event, n, how, value, key]) => {
      const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
      const keys = Object.keys(copy);
      const target = keys[n % keys.length]!;
      if (how === 'replace') copy[target] = value;
      else if (how === 'delete') delete copy[target];
      // defineProperty: a key like `__proto__` must become a field, as JSON.parse would make it.
      else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    });
  const special = fc.constantFrom<unknown>(
    null, [], 'x', 7,
    { v: 1, id: 'a'.repeat(20), at: '2026-01-01T00:00:00Z', issueId: 'i', type: 'toString' },
    { v: 1, id: 'a'.repeat(20), at: '2026-13-01T00:00:00Z', issueId: 'i', type: 'issue.related', relatedIssueId: 'j' },
    { v: 1, id: 'a'.repeat(20), at: '2026-01-01T00:00:00Z', issueId: 'i', type: 'issue.seen', pattern: '', normalizerVersion: 1, category: 'quota', errorCode: null, resourceType: '😀'.repeat(200), tool: 'aws', message: '' },
    { v: 1, id: 'a'.repeat(20), at: '2026-01-01T00:00:00Z', issueId: 'i', type: 'issue.seen', pattern: '', normalizerVersion: 1, category: 'quota', errorCode: null, resourceType: '😀'.repeat(201), tool: 'aws', message: '' },
  );

  it('gives the same verdict as ajv with the JSON Schema (plus the semantic rules)', async () => {
    const validate = await compileSchema(eventSchema);
    const agree = (value: unknown): void => {
      const viaAjv = validate(value) && semanticProblems(value as IssueEvent).length === 0;
      expect(eventProblem(value) === null, JSON.stringify(value)).toBe(viaAjv);
    };
    fc.assert(fc.property(candidate, (e) => { agree(JSON.parse(JSON.stringify(e))); }), { numRuns: 500 });
    fc.assert(fc.property(mutated, agree), { numRuns: 6000 });
    fc.assert(fc.property(special, agree));
  });

  it('schema enums match the TypeScript constants', () => {
    const branches = (eventSchema as unknown as { allOf: { then: { properties: Record<string, { enum?: string[] }> } }[] }).allOf;
    const seenProps = branches[0]!.then.properties;
    expect(seenProps['category']!.enum).toEqual([...ERROR_CATEGORIES]);
    expect(seenProps['tool']!.enum).toEqual([...ERROR_TOOLS]);
  });
});
