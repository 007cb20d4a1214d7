/**
 * Post-deployment HTTP(S) health checks (issue 3): each check requests a URL, expects a status
 * (default: any of 200..399) and optionally a body matching a regex, with a per-attempt timeout and
 * retries with exponential back-off. Checks run in parallel (bounded); results keep input order.
 *
 * Uses Node's global fetch. Not supported: skipping TLS verification (`insecureSkipVerify`) — a
 * health check that accepts any certificate would pass against the wrong host; use a trusted CA
 * (NODE_EXTRA_CA_CERTS) instead. Redirects are not followed unless `followRedirects: true`, so by
 * default a 3xx answer is judged as it is (and passes the default 200..399 expectation).
 * Credentials in URLs (`https://user:pass@host/`) are sent as HTTP Basic authentication; they and
 * secret-looking query parameters are redacted in every result and message.
 */
import type { HealthCheckConfig } from '../../config/types.js';

/** One check as configured under `environments.<env>.healthChecks` (defaults in HEALTH_DEFAULTS). */
export type HealthCheckSpec = HealthCheckConfig;

export type HealthProgressStatus = 'start' | 'retry' | 'pass' | 'fail';

export interface HealthProgressEvent {
  name: string;
  attempt: number;
  status: HealthProgressStatus;
  message: string;
}

export interface HealthRunOptions {
  /** Checks in flight at once. Default 4. */
  concurrency?: number;
  onProgress?: (e: HealthProgressEvent) => void;
  /** Back-off wait; injectable so tests need not wait. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HealthResult {
  name: string;
  /** The URL with credentials and secret query values redacted. */
  url: string;
  status: 'passed' | 'failed';
  attempts: number;
  /** Status of the last response, null when none arrived. */
  httpStatus: number | null;
  durationMs: number;
  /** One line: `HTTP 200`, `HTTP 503 after 4 attempts (expected 200..399)`, `timed out after 10 s`, ... */
  detail: string;
}

export const HEALTH_DEFAULTS = {
  method: 'GET',
  timeoutSeconds: 10,
  retries: 3,
  backoffSeconds: 2,
  maxBackoffSeconds: 30,
  concurrency: 4,
  maxBodyBytes: 1024 * 1024,
} as const;

const KNOWN_KEYS = new Set([
  'name',
  'url',
  'method',
  'expectStatus',
  'bodyMatch',
  'timeoutSeconds',
  'retries',
  'backoffSeconds',
  'followRedirects',
  'headers',
]);

const SECRET_PARAM = /token|key|secret|pass|pwd|sig|auth|credential|session|code/i;

/** Redacts `user:pass@` and secret-looking query values in one URL string. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//***@');
  }
  let out = `${u.protocol}//${u.username || u.password ? '***@' : ''}${u.host}${u.pathname}`;
  if (u.search) {
    const parts = u.search
      .slice(1)
      .split('&')
      .map((p) => {
        const eq = p.indexOf('=');
        if (eq === -1) return p;
        const key = p.slice(0, eq);
        let decoded = key;
        try {
          decoded = decodeURIComponent(key);
        } catch {
          /* keep raw */
        }
        return SECRET_PARAM.test(decoded) ? `${key}=***` : p;
      });
    out += `?${parts.join('&')}`;
  }
  return out + u.hash;
}

/** Redacts every URL (`scheme://...`) appearing in free text. */
export function redactText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (m) => redactUrl(m));
}

export interface HealthSpecValidation {
  specs: HealthCheckSpec[];
  /** Each names the field: `environments.test.healthChecks[1].url: must be an http(s) URL`. */
  errors: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isStatusCode(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599;
}

/**
 * Checks raw config (parsed YAML/JSON) for a list of health checks. `where` is the path of the
 * list in the config, used as the prefix of each error.
 */
export function validateHealthSpecs(raw: unknown, where: string): HealthSpecValidation {
  const errors: string[] = [];
  const specs: HealthCheckSpec[] = [];
  if (raw === undefined || raw === null) return { specs, errors };
  if (!Array.isArray(raw)) {
    return { specs, errors: [`${where}: must be a list of health checks`] };
  }
  const names = new Map<string, number>();
  raw.forEach((item, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(item)) {
      errors.push(`${at}: must be an object with at least name and url`);
      return;
    }
    const before = errors.length;
    const label = typeof item['name'] === 'string' && item['name'].trim() !== '' ? ` (check "${item['name']}")` : '';
    for (const key of Object.keys(item)) {
      if (key === 'insecureSkipVerify') {
        errors.push(`${at}.insecureSkipVerify: not supported; TLS certificates are always verified (add a private CA with NODE_EXTRA_CA_CERTS)`);
      } else if (!KNOWN_KEYS.has(key)) {
        errors.push(`${at}.${key}: unknown field (allowed: ${[...KNOWN_KEYS].join(', ')})`);
      }
    }
    const name = item['name'];
    if (typeof name !== 'string' || name.trim() === '') {
      errors.push(`${at}.name: must be a non-empty string`);
    } else if (names.has(name)) {
      errors.push(`${at}.name: "${name}" is already used by ${where}[${names.get(name)}]`);
    } else {
      names.set(name, i);
    }
    const url = item['url'];
    let urlOk = false;
    if (typeof url === 'string') {
      try {
        const u = new URL(url);
        urlOk = u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        urlOk = false;
      }
    }
    if (!urlOk) errors.push(`${at}.url: must be an http(s) URL${typeof url === 'string' ? `, got "${redactText(url)}"` : ''}`);
    const method = item['method'];
    if (method !== undefined && method !== 'GET' && method !== 'HEAD') {
      errors.push(`${at}.method: must be GET or HEAD, got ${JSON.stringify(method)}`);
    }
    const expect = item['expectStatus'];
    if (expect !== undefined) {
      const ok = Array.isArray(expect) ? expect.length > 0 && expect.every(isStatusCode) : isStatusCode(expect);
      if (!ok) errors.push(`${at}.expectStatus: must be an HTTP status code (100-599) or a non-empty list of them, got ${JSON.stringify(expect)}`);
    }
    const bodyMatch = item['bodyMatch'];
    if (bodyMatch !== undefined) {
      if (typeof bodyMatch !== 'string' || bodyMatch === '') {
        errors.push(`${at}.bodyMatch${label}: must be a non-empty regular expression string`);
      } else {
        try {
          new RegExp(bodyMatch);
        } catch (err) {
          errors.push(`${at}.bodyMatch${label}: invalid regular expression /${bodyMatch}/: ${(err as Error).message.replace(`Invalid regular expression: /${bodyMatch}/: `, '')}`);
        }
        if (method === 'HEAD') errors.push(`${at}.bodyMatch${label}: a HEAD request has no body; use method GET`);
      }
    }
    const timeout = item['timeoutSeconds'];
    if (timeout !== undefined && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 && timeout <= 300)) {
      errors.push(`${at}.timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got ${JSON.stringify(timeout)}`);
    }
    const retries = item['retries'];
    if (retries !== undefined && !(typeof retries === 'number' && Number.isInteger(retries) && retries >= 0 && retries <= 20)) {
      errors.push(`${at}.retries: must be a whole number from 0 to 20, got ${JSON.stringify(retries)}`);
    }
    const backoff = item['backoffSeconds'];
    if (backoff !== undefined && !(typeof backoff === 'number' && Number.isFinite(backoff) && backoff >= 0 && backoff <= 300)) {
      errors.push(`${at}.backoffSeconds: must be a number of seconds from 0 to 300, got ${JSON.stringify(backoff)}`);
    }
    const follow = item['followRedirects'];
    if (follow !== undefined && typeof follow !== 'boolean') {
      errors.push(`${at}.followRedirects: must be true or false, got ${JSON.stringify(follow)}`);
    }
    const headers = item['headers'];
    if (headers !== undefined) {
      if (!isPlainObject(headers)) {
        errors.push(`${at}.headers: must be a map of header name to string value`);
      } else {
        for (const [k, v] of Object.entries(headers)) {
          if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) errors.push(`${at}.headers: "${k}" is not a valid header name`);
          else if (typeof v !== 'string') errors.push(`${at}.headers.${k}: must be a string`);
        }
      }
    }
    if (errors.length === before) specs.push(item as unknown as HealthCheckSpec);
  });
  return { specs, errors };
}

export class HealthSpecError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid health checks:\n  ${errors.join('\n  ')}`);
    this.name = 'HealthSpecError';
  }
}

function describeExpected(expect: number | number[] | undefined): string {
  if (expect === undefined) return '200..399';
  return Array.isArray(expect) ? expect.join(', ') : String(expect);
}

function statusAccepted(status: number, expect: number | number[] | undefined): boolean {
  if (expect === undefined) return status >= 200 && status <= 399;
  return Array.isArray(expect) ? expect.includes(status) : status === expect;
}

function seconds(s: number): string {
  return `${Number(s.toFixed(3))} s`;
}

/** Reads up to `limit` bytes of a body as UTF-8 and abandons the rest. */
async function readBody(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - total;
      const part = value.byteLength > room ? value.subarray(0, room) : value;
      chunks.push(part);
      total += part.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const rec = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof rec.code === 'string') return rec.code;
    if (Array.isArray(rec.errors) && rec.errors.length > 0) {
      const first = rec.errors.find((x) => x && typeof x === 'object' && typeof (x as { code?: unknown }).code === 'string') as { code: string } | undefined;
      if (first) return first.code;
    }
    e = rec.cause;
  }
  return undefined;
}

/** One line for a failed fetch (never includes the URL's secrets). */
function describeError(err: unknown, timeoutSeconds: number): string {
  const name = err && typeof err === 'object' ? (err as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${seconds(timeoutSeconds)}`;
  const code = errorCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return 'DNS lookup failed';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connection timed out (${code})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `host unreachable (${code})`;
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return `TLS certificate error (${code})`;
  const cause = err && typeof err === 'object' ? (err as { cause?: unknown }).cause : undefined;
  const msg = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return redactText(`request failed: ${msg}${code ? ` (${code})` : ''}`).split('\n')[0]!;
}

interface Attempt {
  ok: boolean;
  httpStatus: number | null;
  reason: string;
}

/**
 * fetch refuses URLs with credentials; send `user:pass@` as HTTP Basic authentication instead
 * (unless an Authorization header is configured), as curl does.
 */
function requestTarget(spec: HealthCheckSpec): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  const u = new URL(spec.url);
  if (!u.username && !u.password) return { url: spec.url, headers };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
    headers['Authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  return { url: u.toString(), headers };
}

async function attemptOnce(spec: HealthCheckSpec, regex: RegExp | null): Promise<Attempt> {
  const timeoutSeconds = spec.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds;
  let res: Response;
  const signal = AbortSignal.timeout(Math.max(1, Math.round(timeoutSeconds * 1000)));
  const target = requestTarget(spec);
  try {
    res = await fetch(target.url, {
      method: spec.method ?? HEALTH_DEFAULTS.method,
      headers: target.headers,
      redirect: spec.followRedirects ? 'follow' : 'manual',
      signal,
    });
  } catch (err) {
    return { ok: false, httpStatus: null, reason: describeError(err, timeoutSeconds) };
  }
  const status = res.status;
  if (!statusAccepted(status, spec.expectStatus)) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, httpStatus: status, reason: `HTTP ${status}` };
  }
  if (regex) {
    let body: string;
    try {
      body = await readBody(res, HEALTH_DEFAULTS.maxBodyBytes);
    } catch (err) {
      return { ok: false, httpStatus: status, reason: describeError(err, timeoutSeconds) };
    }
    if (!regex.test(body)) return { ok: false, httpStatus: status, reason: `body did not match /${spec.bodyMatch}/` };
  } else {
    await res.body?.cancel().catch(() => undefined);
  }
  const location = status >= 300 && status <= 399 ? res.headers.get('location') : null;
  return { ok: true, httpStatus: status, reason: `HTTP ${status}${location ? ` (redirect to ${redactText(location)}, not followed)` : ''}` };
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Back-off before retry number `retry` (1-based): base, 2·base, 4·base, ... capped at 30 s. */
export function backoffMs(retry: number, baseSeconds: number = HEALTH_DEFAULTS.backoffSeconds): number {
  return Math.min(baseSeconds * 2 ** (retry - 1), HEALTH_DEFAULTS.maxBackoffSeconds) * 1000;
}

async function runOne(spec: HealthCheckSpec, options: HealthRunOptions): Promise<HealthResult> {
  const emit = options.onProgress ?? (() => undefined);
  const sleep = options.sleep ?? realSleep;
  const url = redactUrl(spec.url);
  const retries = spec.retries ?? HEALTH_DEFAULTS.retries;
  const regex = spec.bodyMatch !== undefined ? new RegExp(spec.bodyMatch) : null;
  const expected = describeExpected(spec.expectStatus);
  const started = performance.now();
  let last: Attempt = { ok: false, httpStatus: null, reason: 'not run' };
  let attempt = 0;
  for (attempt = 1; attempt <= retries + 1; attempt++) {
    emit({ name: spec.name, attempt, status: 'start', message: `${spec.method ?? 'GET'} ${url} (attempt ${attempt}/${retries + 1})` });
    last = await attemptOnce(spec, regex);
    if (last.ok) break;
    if (attempt <= retries) {
      const wait = backoffMs(attempt, spec.backoffSeconds ?? HEALTH_DEFAULTS.backoffSeconds);
      emit({ name: spec.name, attempt, status: 'retry', message: `${last.reason}; retrying in ${seconds(wait / 1000)}` });
      await sleep(wait);
    }
  }
  const attempts = Math.min(attempt, retries + 1);
  const durationMs = Math.round(performance.now() - started);
  if (last.ok) {
    const detail = attempts > 1 ? `${last.reason} on attempt ${attempts}` : last.reason;
    emit({ name: spec.name, attempt: attempts, status: 'pass', message: detail });
    return { name: spec.name, url, status: 'passed', attempts, httpStatus: last.httpStatus, durationMs, detail };
  }
  let detail = last.reason;
  // 'HTTP 503 after 4 attempts'; 'timed out after 10 s (4 attempts)'
  if (attempts > 1) detail += / after \d/.test(last.reason) ? ` (${attempts} attempts)` : ` after ${attempts} attempts`;
  if (last.reason.startsWith('HTTP ')) detail += ` (expected ${expected})`;
  emit({ name: spec.name, attempt: attempts, status: 'fail', message: detail });
  return { name: spec.name, url, status: 'failed', attempts, httpStatus: last.httpStatus, durationMs, detail };
}

/**
 * Runs the checks, at most `concurrency` at a time. Throws HealthSpecError (listing every bad
 * field) before sending anything when a spec is invalid. Results are in the order of `specs`.
 */
export async function runHealthChecks(specs: HealthCheckSpec[], options: HealthRunOptions = {}): Promise<HealthResult[]> {
  const { errors } = validateHealthSpecs(specs, 'healthChecks');
  if (errors.length > 0) throw new HealthSpecError(errors);
  const concurrency = options.concurrency ?? HEALTH_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency: must be a whole number of at least 1, got ${concurrency}`);
  const results = new Array<HealthResult>(specs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      results[i] = await runOne(specs[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
  return results;
}
