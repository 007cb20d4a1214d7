import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import eventSchema from '../../schemas/issue-event.schema.json' with { type: 'json' };
import { CliError, EXIT } from '../cli/exit-codes.js';
import { ERROR_CATEGORIES, ERROR_TOOLS } from '../errors/types.js';
import { compileSchema, describeAjvErrors, type SchemaProblem } from '../schema/validate.js';
import type { IssueEvent } from './types.js';

/**
 * Storage of the issue log: `<stateDir>/issue-log/events.jsonl`, one JSON event per `\n`-terminated line.
 *
 * Writers only ever append whole lines with one `write(2)` on an `O_APPEND` descriptor, so concurrent
 * processes never interleave; readers skip (and report) any line that is not a valid event, so a torn
 * write or a bad merge never hides the good lines around it.
 */

export const ISSUE_LOG_DIR = 'issue-log';
export const ISSUE_LOG_FILE = 'events.jsonl';
/** Largest serialized event (line included). Messages are truncated upstream; this catches what slipped through. */
export const MAX_EVENT_BYTES = 64 * 1024;

const GITATTRIBUTES_LINE = 'issue-log/*.jsonl merge=union';
const GITIGNORE_LINE = 'cache/';

export interface LogProblem {
  file: string;
  /** 1-based line number in the log file. */
  line: number;
  reason: string;
}

export interface ReadResult {
  events: IssueEvent[];
  problems: LogProblem[];
}

export function issueLogPath(stateDir: string): string {
  return join(stateDir, ISSUE_LOG_DIR, ISSUE_LOG_FILE);
}

/**
 * Validate and append `events` as one write, then fsync. Throws a CliError (nothing written) when any
 * event breaks the schema or is larger than MAX_EVENT_BYTES.
 */
export async function appendEvents(stateDir: string, events: readonly IssueEvent[]): Promise<void> {
  if (events.length === 0) return;
  const validate = await compileSchema(eventSchema);
  const lines: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const line = JSON.stringify(event);
    const label = `issue event ${i} (${String(event.type)} ${String(event.id)})`;
    const bytes = Buffer.byteLength(line) + 1;
    if (bytes > MAX_EVENT_BYTES) {
      throw new CliError(
        `${label} is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte limit of one log line: shorten its message or steps`,
        EXIT.usage,
        'issuelog.event-too-large',
      );
    }
    // Validate what will be on disk (JSON drops undefined, turns NaN into null), not the in-memory object.
    const written = JSON.parse(line) as unknown;
    const problems: SchemaProblem[] = validate(written) ? semanticProblems(written as IssueEvent) : describeAjvErrors(validate.errors);
    if (problems.length > 0) {
      const text = problems
        .map((p) => `${p.path} ${p.message}${p.allowed ? ` (allowed: ${p.allowed.map((a) => JSON.stringify(a)).join(', ')})` : ''}`)
        .join('; ');
      throw new CliError(`${label} is invalid: ${text}`, EXIT.usage, 'issuelog.event-invalid', problems);
    }
    lines.push(line);
  }

  const dir = join(stateDir, ISSUE_LOG_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, ISSUE_LOG_FILE);
  // a+ = O_APPEND|O_CREAT|O_RDWR: appends land at the end whatever other writers did, and the last byte stays readable.
  const handle = await open(file, 'a+');
  let created = false;
  try {
    const size = (await handle.stat()).size;
    created = size === 0;
    // Before the first line, so a crash can never leave a log that git would merge line-blind.
    if (created) await ensureGitFiles(stateDir);
    // A crash left a torn line: start on a fresh line so our events stay parseable.
    const prefix = (await endsTorn(handle, size)) ? '\n' : '';
    const buffer = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    const { bytesWritten } = await handle.write(buffer, 0, buffer.length, null);
    if (bytesWritten !== buffer.length) {
      // Writing the rest separately could interleave with another process; readers will report the torn line.
      throw new Error(`short write to ${file}: ${bytesWritten} of ${buffer.length} bytes (disk full?)`);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await syncDir(dir);
}

/**
 * Whether the file ends inside a line. Another process's append grows the file page by page, so a
 * last byte that is not `\n` may just be a write in progress: only a size that stays put means a
 * crash. A rare wrong guess costs a blank line, which readers skip.
 */
async function endsTorn(handle: FileHandle, initialSize: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  let size = initialSize;
  for (let tries = 0; size > 0; tries++) {
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return false;
    if (tries === 20) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const now = (await handle.stat()).size;
    if (now === size) return true;
    size = now;
  }
  return false;
}

/**
 * Read every valid event; invalid lines become problems (1-based line numbers) and are skipped, never
 * hiding the lines around them. A missing log reads as empty. Lines are checked by eventProblem, which
 * agrees with the JSON Schema but costs a fraction of ajv. A line another process is still writing
 * reads as a torn last line until its write completes.
 */
export async function readEvents(stateDir: string): Promise<ReadResult> {
  const file = issueLogPath(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], problems: [] };
    throw err;
  }
  return parseEventLog(text, file);
}

/** Parse log text (the body of readEvents, separate so it can be measured and tested on strings). */
export function parseEventLog(text: string, file: string): ReadResult {
  const events: IssueEvent[] = [];
  const problems: LogProblem[] = [];
  const lines = text.split('\n');
  // The text after the last '\n' is a line only if non-empty; without a newline it may be a torn write.
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!;
    // Blank lines come from two writers both healing the same torn line: harmless, not a problem.
    if (line.length === 0 || (line.charCodeAt(0) !== 0x7b && line.trim() === '')) continue;
    let value: unknown;
    let reason: string | null;
    try {
      value = JSON.parse(line);
      reason = eventProblem(value);
    } catch (err) {
      reason = `not valid JSON (${(err as Error).message})`;
    }
    if (reason === null) {
      events.push(value as IssueEvent);
    } else {
      problems.push({ file, line: i + 1, reason: i === last ? 'torn write at end of file' : reason });
    }
  }
  return { events, problems };
}

/** Schedules a `.gitattributes` union merge for the log and ignores the cache, appending to files users may own. */
async function ensureGitFiles(stateDir: string): Promise<void> {
  await ensureLine(join(stateDir, '.gitattributes'), GITATTRIBUTES_LINE);
  await ensureLine(join(stateDir, '.gitignore'), GITIGNORE_LINE);
}

async function ensureLine(file: string, line: string): Promise<void> {
  try {
    // wx: create only if absent, so two first writers do not both write a fresh file.
    await writeFile(file, `${line}\n`, { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = await readFile(file, 'utf8');
  if (text.split(/\r?\n/).some((l) => l.trim() === line)) return;
  await writeFile(file, `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}${line}\n`, { flag: 'a' });
}

export async function syncDir(dir: string): Promise<void> {
  // Makes the new file's directory entry durable; some platforms cannot open directories, which is fine.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

// ---------------------------------------------------------------------------------------------
// Fast structural check. Mirrors schemas/issue-event.schema.json exactly (a property test compares
// it with ajv) because running ajv on every line of a 300k-line log costs more than parsing it.

const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/;
const EVENT_ID = /^[0-9a-f]{16,64}$/;
const REF_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_COUNT = 1_000_000_000;
const CATEGORIES: ReadonlySet<unknown> = new Set(ERROR_CATEGORIES);
const TOOLS: ReadonlySet<unknown> = new Set(ERROR_TOOLS);

const BASE_KEYS = ['v', 'id', 'at', 'issueId', 'type'];
const KEYS: Record<IssueEvent['type'], ReadonlySet<string>> = {
  'issue.seen': new Set([...BASE_KEYS, 'pattern', 'normalizerVersion', 'category', 'errorCode', 'resourceType', 'tool',
    'message', 'env', 'operation', 'count', 'lastAt', 'environments', 'operations']),
  'solution.added': new Set([...BASE_KEYS, 'solutionId', 'description', 'steps', 'automation', 'source']),
  'solution.attempt': new Set([...BASE_KEYS, 'solutionId', 'outcome', 'seconds', 'env', 'attempts', 'successes',
    'timedAttempts', 'lastSuccessAt']),
  'issue.related': new Set([...BASE_KEYS, 'relatedIssueId']),
};

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Length in code points, as JSON Schema counts it (only computed when UTF-16 length could exceed max). */
function withinLength(s: string, min: number, max: number): boolean {
  if (s.length <= max) return s.length >= min || [...s].length >= min;
  let n = 0;
  for (const _ of s) if (++n > max) return false;
  return n >= min;
}

// Module-level predicates, not closures: this runs once per line of a log that can hold 300k lines.
function field(obj: Obj, key: string, required: boolean, ok: (v: unknown) => boolean): string | null {
  const v = obj[key];
  if (v === undefined) return required ? `/${key} is required` : null;
  return ok(v) ? null : `/${key} is invalid`;
}
function isString(v: unknown): boolean {
  return typeof v === 'string';
}
function isNonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}
function isTimestamp(v: unknown): boolean {
  return typeof v === 'string' && TIMESTAMP.test(v);
}
function isRefId(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 128 && REF_ID.test(v);
}
function isName(v: unknown): boolean {
  return typeof v === 'string' && withinLength(v, 1, 200);
}
function isPattern(v: unknown): boolean {
  return typeof v === 'string' && withinLength(v, 0, 8192);
}
function isShortNullable(v: unknown): boolean {
  return v === null || (typeof v === 'string' && withinLength(v, 0, 200));
}
function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
function isVersion(v: unknown): boolean {
  return isInt(v, 0, Number.MAX_VALUE);
}
function isCount(v: unknown): boolean {
  return isInt(v, 0, MAX_COUNT);
}
function isPositiveCount(v: unknown): boolean {
  return isInt(v, 1, MAX_COUNT);
}
function isSeconds(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}
function isCategory(v: unknown): boolean {
  return CATEGORIES.has(v);
}
function isTool(v: unknown): boolean {
  return TOOLS.has(v);
}
function isSource(v: unknown): boolean {
  return v === 'user' || v === 'import' || v === 'kb';
}
function isOutcome(v: unknown): boolean {
  return v === 'success' || v === 'failure';
}
function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'string') return false;
  return true;
}
function isNameList(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 1000) return false;
  for (const x of v) if (!isName(x)) return false;
  return true;
}

/**
 * Why `value` is not a valid event, or null when it is. Same verdict as the JSON Schema plus the
 * checks a schema cannot express (see semanticProblems); the reason is a short `path message`.
 */
export function eventProblem(value: unknown): string | null {
  if (!isObject(value)) return 'is not a JSON object';
  const type = value['type'];
  if (type === undefined) return '/type is required';
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) return '/type must be one of the allowed values';
  const keys = KEYS[type as IssueEvent['type']];
  if (value['v'] === undefined) return '/v is required';
  if (value['v'] !== 1) return '/v must be 1';
  if (value['id'] === undefined) return '/id is required';
  if (typeof value['id'] !== 'string' || !EVENT_ID.test(value['id'])) return '/id must be 16-64 lowercase hex chars';
  if (value['at'] === undefined) return '/at is required';
  if (!isTimestamp(value['at'])) return '/at must be a UTC ISO-8601 timestamp';
  if (value['issueId'] === undefined) return '/issueId is required';
  if (!isRefId(value['issueId'])) return '/issueId is not a valid id';
  for (const k in value) if (!keys.has(k)) return `/${k} is not a known field`;

  let problem: string | null = null;
  switch (type as IssueEvent['type']) {
    case 'issue.seen':
      problem =
        field(value, 'pattern', true, isPattern) ??
        field(value, 'normalizerVersion', true, isVersion) ??
        field(value, 'category', true, isCategory) ??
        field(value, 'errorCode', true, isShortNullable) ??
        field(value, 'resourceType', true, isShortNullable) ??
        field(value, 'tool', true, isTool) ??
        field(value, 'message', true, isString) ??
        field(value, 'env', false, isName) ??
        field(value, 'operation', false, isName) ??
        field(value, 'count', false, isCount) ??
        field(value, 'lastAt', false, isTimestamp) ??
        field(value, 'environments', false, isNameList) ??
        field(value, 'operations', false, isNameList);
      break;
    case 'solution.added':
      problem =
        field(value, 'solutionId', true, isRefId) ??
        field(value, 'description', true, isNonEmptyString) ??
        field(value, 'steps', true, isStringArray) ??
        field(value, 'automation', true, isAutomation) ??
        field(value, 'source', true, isSource);
      break;
    case 'solution.attempt':
      problem =
        field(value, 'solutionId', true, isRefId) ??
        field(value, 'outcome', true, isOutcome) ??
        field(value, 'seconds', false, isSeconds) ??
        field(value, 'env', false, isName) ??
        field(value, 'attempts', false, isPositiveCount) ??
        field(value, 'successes', false, isCount) ??
        field(value, 'timedAttempts', false, isPositiveCount) ??
        field(value, 'lastSuccessAt', false, isTimestamp);
      break;
    case 'issue.related':
      problem = field(value, 'relatedIssueId', true, isRefId);
      break;
  }
  if (problem !== null) return problem;
  const semantic = semanticProblems(value as unknown as IssueEvent)[0];
  return semantic ? `${semantic.path} ${semantic.message}` : null;
}

function isAutomation(x: unknown): boolean {
  if (!isObject(x) || typeof x['automated'] !== 'boolean') return false;
  for (const k in x) if (k !== 'automated' && k !== 'command' && k !== 'notes') return false;
  if (x['command'] !== undefined && !(isStringArray(x['command']) && (x['command'] as unknown[]).length > 0)) return false;
  return x['notes'] === undefined || typeof x['notes'] === 'string';
}

/** Rules the schema cannot state: real dates and times, successes within attempts. */
export function semanticProblems(event: IssueEvent): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!isRealTimestamp(event.at)) out.push({ path: '/at', message: 'is not a real date and time' });
  if (event.type === 'issue.seen' && event.lastAt !== undefined && !isRealTimestamp(event.lastAt)) {
    out.push({ path: '/lastAt', message: 'is not a real date and time' });
  }
  if (event.type === 'solution.attempt') {
    if ((event.successes ?? 0) > (event.attempts ?? 1)) {
      out.push({ path: '/successes', message: 'must not exceed attempts' });
    }
    if (event.lastSuccessAt !== undefined && !isRealTimestamp(event.lastSuccessAt)) {
      out.push({ path: '/lastSuccessAt', message: 'is not a real date and time' });
    }
  }
  return out;
}

/**
 * Whether a string of the schema's timestamp shape names a real time: month 1–12, day 1–31,
 * hour < 24, minute and second < 60. Field ranges, not Date.parse, which is slow on hot paths and
 * lenient in engine-specific ways (`T24:00:00`).
 */
export function isRealTimestamp(at: string): boolean {
  if (!TIMESTAMP.test(at)) return false;
  const month = twoDigits(at, 5);
  const day = twoDigits(at, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && twoDigits(at, 11) < 24 && twoDigits(at, 14) < 60 && twoDigits(at, 17) < 60;
}

function twoDigits(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);
}
