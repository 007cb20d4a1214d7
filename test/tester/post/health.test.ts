import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffMs,
  HealthSpecError,
  redactUrl,
  runHealthChecks,
  validateHealthSpecs,
  type HealthCheckSpec,
  type HealthProgressEvent,
} from '../../../src/tester/post/health.js';

let server: Server;
let base = '';
let refusedUrl = '';
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
const seenHeaders: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    switch (path) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('status: ok');
        return;
      case '/flaky': // 503 twice, then 200
        if (n < 3) res.writeHead(503).end('warming up');
        else res.writeHead(200).end('ok');
        return;
      case '/broken':
        res.writeHead(500).end('boom');
        return;
      case '/slow': {
        const t = setTimeout(() => res.writeHead(200).end('late'), 2000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      case '/mismatch':
        res.writeHead(200).end('<html>maintenance</html>');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end();
        return;
      case '/headers':
        seenHeaders['authorization'] = req.headers['authorization'];
        res.writeHead(204).end();
        return;
      case '/big': // 2 MiB of filler, then the marker: beyond the 1 MiB we read
        res.writeHead(200);
        res.end('x'.repeat(2 * 1024 * 1024) + 'MARKER');
        return;
      case '/concurrent': {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          res.writeHead(200).end('ok');
        }, 60);
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // a port that was open and is now closed: connections are refused
  const tmp = createServer();
  await new Promise<void>((resolve) => tmp.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(tmp.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => tmp.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits.clear();
});

/** Records back-off waits instead of sleeping. */
function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('runHealthChecks against a local server', () => {
  it('passes a 200 on the first attempt', async () => {
    const [r] = await runHealthChecks([{ name: 'ok', url: `${base}/ok`, bodyMatch: 'status: ok' }]);
    expect(r).toMatchObject({ name: 'ok', status: 'passed', attempts: 1, httpStatus: 200, detail: 'HTTP 200' });
    expect(hits.get('/ok')).toBe(1);
  });

  it('retries a 503 with exponential back-off and passes on the 3rd request', async () => {
    const { sleep, waits } = fakeSleep();
    const [r] = await runHealthChecks([{ name: 'flaky', url: `${base}/flaky` }], { sleep });
    expect(r).toMatchObject({ status: 'passed', attempts: 3, httpStatus: 200, detail: 'HTTP 200 on attempt 3' });
    expect(hits.get('/flaky')).toBe(3);
    expect(waits).toEqual([2000, 4000]);
  });

  it('fails an always-500 endpoint after retries + 1 attempts', async () => {
    const { sleep, waits } = fakeSleep();
    const [r] = await runHealthChecks([{ name: 'broken', url: `${base}/broken` }], { sleep });
    expect(r).toMatchObject({ status: 'failed', attempts: 4, httpStatus: 500, detail: 'HTTP 500 after 4 attempts (expected 200..399)' });
    expect(hits.get('/broken')).toBe(4);
    expect(waits).toEqual([2000, 4000, 8000]);
  });

  it('accepts a 500 when expectStatus says so', async () => {
    const [r] = await runHealthChecks([{ name: 'b', url: `${base}/broken`, expectStatus: [500, 502] }]);
    expect(r!.status).toBe('passed');
  });

  it('times out a slow endpoint', async () => {
    const [r] = await runHealthChecks([{ name: 'slow', url: `${base}/slow`, timeoutSeconds: 0.2, retries: 1 }], { sleep: fakeSleep().sleep });
    expect(r).toMatchObject({ status: 'failed', attempts: 2, httpStatus: null, detail: 'timed out after 0.2 s (2 attempts)' });
  });

  it('fails when the body does not match', async () => {
    const [r] = await runHealthChecks([{ name: 'm', url: `${base}/mismatch`, bodyMatch: '"status":\\s*"ok"', retries: 0 }]);
    expect(r).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 200, detail: 'body did not match /"status":\\s*"ok"/' });
  });

  it('reads at most 1 MiB of body', async () => {
    const [r] = await runHealthChecks([{ name: 'big', url: `${base}/big`, bodyMatch: 'MARKER', retries: 0 }]);
    expect(r!.detail).toBe('body did not match /MARKER/');
    const [r2] = await runHealthChecks([{ name: 'big', url: `${base}/big`, bodyMatch: '^x+', retries: 0 }]);
    expect(r2!.status).toBe('passed');
  });

  it('does not follow a redirect by default; 302 passes 200..399 but not expectStatus 200', async () => {
    const [a, b, c] = await runHealthChecks(
      [
        { name: 'a', url: `${base}/redirect` },
        { name: 'b', url: `${base}/redirect`, expectStatus: 200, retries: 0 },
        { name: 'c', url: `${base}/redirect`, expectStatus: 200, followRedirects: true, bodyMatch: 'ok' },
      ],
      { concurrency: 1 },
    );
    expect(a).toMatchObject({ status: 'passed', httpStatus: 302, detail: 'HTTP 302 (redirect to /ok, not followed)' });
    expect(b).toMatchObject({ status: 'failed', httpStatus: 302, detail: 'HTTP 302 (expected 200)' });
    expect(c).toMatchObject({ status: 'passed', httpStatus: 200 });
    expect(hits.get('/ok')).toBe(1);
  });

  it('reports a refused connection', async () => {
    const [r] = await runHealthChecks([{ name: 'down', url: refusedUrl, retries: 0 }]);
    expect(r).toMatchObject({ status: 'failed', httpStatus: null, detail: 'connection refused (ECONNREFUSED)' });
  });

  it('reports a DNS failure', async () => {
    const [r] = await runHealthChecks([{ name: 'dns', url: 'http://does-not-exist.invalid/', retries: 0 }]);
    expect(r!.detail).toBe('DNS lookup failed');
  });

  it('sends configured headers and HEAD requests', async () => {
    const [r] = await runHealthChecks([{ name: 'h', url: `${base}/headers`, method: 'HEAD', headers: { Authorization: 'Bearer s3cret' } }]);
    expect(r).toMatchObject({ status: 'passed', httpStatus: 204 });
    expect(seenHeaders['authorization']).toBe('Bearer s3cret');
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });

  it('sends credentials in the URL as HTTP Basic authentication, redacted in the result', async () => {
    const url = `${base.replace('://', '://probe:p%40ss@')}/headers`;
    const [r] = await runHealthChecks([{ name: 'basic', url }]);
    expect(r).toMatchObject({ status: 'passed', httpStatus: 204, url: `${base.replace('://', '://***@')}/headers` });
    expect(seenHeaders['authorization']).toBe(`Basic ${Buffer.from('probe:p@ss').toString('base64')}`);
  });

  it('honours concurrency and keeps results in input order', async () => {
    maxInFlight = 0;
    const specs: HealthCheckSpec[] = [
      { name: 'slowest-first', url: `${base}/slow`, timeoutSeconds: 0.3, retries: 0 },
      ...Array.from({ length: 7 }, (_, i) => ({ name: `c${i}`, url: `${base}/concurrent` })),
    ];
    const results = await runHealthChecks(specs, { concurrency: 3 });
    expect(results.map((r) => r.name)).toEqual(specs.map((s) => s.name));
    expect(results[0]!.status).toBe('failed');
    expect(results.slice(1).every((r) => r.status === 'passed')).toBe(true);
    // the slow check holds one slot, so at most 2 /concurrent requests overlap
    expect(maxInFlight).toBe(2);
    maxInFlight = 0;
    await runHealthChecks(
      Array.from({ length: 6 }, (_, i) => ({ name: `d${i}`, url: `${base}/concurrent` })),
      { concurrency: 1 },
    );
    expect(maxInFlight).toBe(1);
  });

  it('emits progress events: start per attempt, retry, and a final pass/fail', async () => {
    const events: HealthProgressEvent[] = [];
    await runHealthChecks([{ name: 'flaky', url: `${base}/flaky`, backoffSeconds: 1 }], { sleep: fakeSleep().sleep, onProgress: (e) => events.push(e) });
    expect(events.map((e) => `${e.status}:${e.attempt}`)).toEqual(['start:1', 'retry:1', 'start:2', 'retry:2', 'start:3', 'pass:3']);
    expect(events[1]!.message).toBe('HTTP 503; retrying in 1 s');
    const fails: HealthProgressEvent[] = [];
    await runHealthChecks([{ name: 'down', url: refusedUrl, retries: 0 }], { onProgress: (e) => fails.push(e) });
    expect(fails.at(-1)).toMatchObject({ name: 'down', status: 'fail', message: 'connection refused (ECONNREFUSED)' });
  });

  it('redacts credentials and query tokens in results and progress messages', async () => {
    const events: HealthProgressEvent[] = [];
    const url = `http://admin:hunter2@127.0.0.1:${new URL(refusedUrl).port}/health?token=abc123&region=eu`;
    const [r] = await runHealthChecks([{ name: 'r', url, retries: 0 }], { onProgress: (e) => events.push(e) });
    const all = JSON.stringify([r, events]);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('abc123');
    expect(r!.url).toBe(`http://***@127.0.0.1:${new URL(refusedUrl).port}/health?token=***&region=eu`);
  });

  it('refuses invalid specs before sending anything, naming the check', async () => {
    await expect(runHealthChecks([{ name: 'bad-regex', url: `${base}/ok`, bodyMatch: '(unclosed' }])).rejects.toThrow(
      /healthChecks\[0\]\.bodyMatch \(check "bad-regex"\): invalid regular expression \/\(unclosed\//,
    );
    await expect(runHealthChecks([{ name: 'x', url: `${base}/ok` }], { concurrency: 0 })).rejects.toThrow(/concurrency/);
    expect(hits.size).toBe(0);
  });
});

describe('backoffMs', () => {
  it('doubles from the base and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n))).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffMs(1, 0)).toBe(0);
  });
});

describe('redactUrl', () => {
  it('hides user info and secret query values, keeps the rest', () => {
    expect(redactUrl('https://user:pass@example.com/x')).toBe('https://***@example.com/x');
    expect(redactUrl('https://example.com/h?api_key=1&X-Amz-Signature=2&page=3')).toBe('https://example.com/h?api_key=***&X-Amz-Signature=***&page=3');
    expect(redactUrl('https://example.com/health')).toBe('https://example.com/health');
  });
});

describe('validateHealthSpecs', () => {
  const where = 'environments.test.healthChecks';

  it('accepts a valid list and nothing at all', () => {
    const raw = [
      { name: 'web', url: 'https://example.com/health', expectStatus: [200, 204], bodyMatch: 'ok', timeoutSeconds: 5, retries: 2, backoffSeconds: 1, headers: { 'X-Probe': '1' } },
      { name: 'head', url: 'http://example.com/', method: 'HEAD' },
    ];
    expect(validateHealthSpecs(raw, where)).toEqual({ specs: raw, errors: [] });
    expect(validateHealthSpecs(undefined, where)).toEqual({ specs: [], errors: [] });
  });

  it('names each bad field with its path', () => {
    const { specs, errors } = validateHealthSpecs(
      [
        { name: 'ok', url: 'https://example.com' },
        { name: 'ftp', url: 'ftp://example.com/file' },
        { name: 'ok', url: 'https://example.com', method: 'POST', expectStatus: 99 },
        { name: 'r', url: 'https://example.com', bodyMatch: '[', timeoutSeconds: 0, retries: 1.5, backoffSeconds: -1 },
        { name: 'h', url: 'https://example.com', method: 'HEAD', bodyMatch: 'ok', headers: { 'bad name': 'x', ok: 1 } },
        { name: 'tls', url: 'https://example.com', insecureSkipVerify: true, expectedStatus: 200 },
        'not-an-object',
      ],
      where,
    );
    expect(specs.map((s) => s.name)).toEqual(['ok']);
    expect(errors).toEqual([
      `${where}[1].url: must be an http(s) URL, got "ftp://example.com/file"`,
      `${where}[2].name: "ok" is already used by ${where}[0]`,
      `${where}[2].method: must be GET or HEAD, got "POST"`,
      `${where}[2].expectStatus: must be an HTTP status code (100-599) or a non-empty list of them, got 99`,
      `${where}[3].bodyMatch (check "r"): invalid regular expression /[/: Unterminated character class`,
      `${where}[3].timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got 0`,
      `${where}[3].retries: must be a whole number from 0 to 20, got 1.5`,
      `${where}[3].backoffSeconds: must be a number of seconds from 0 to 300, got -1`,
      `${where}[4].bodyMatch (check "h"): a HEAD request has no body; use method GET`,
      `${where}[4].headers: "bad name" is not a valid header name`,
      `${where}[4].headers.ok: must be a string`,
      `${where}[5].insecureSkipVerify: not supported; TLS certificates are always verified (add a private CA with NODE_EXTRA_CA_CERTS)`,
      `${where}[5].expectedStatus: unknown field (allowed: name, url, method, expectStatus, bodyMatch, timeoutSeconds, retries, backoffSeconds, followRedirects, headers)`,
      `${where}[6]: must be an object with at least name and url`,
    ]);
  });

  it('rejects a non-list and a missing url', () => {
    expect(validateHealthSpecs({ url: 'x' }, where).errors).toEqual([`${where}: must be a list of health checks`]);
    expect(validateHealthSpecs([{ name: 'n' }], where).errors).toEqual([`${where}[0].url: must be an http(s) URL`]);
  });

  it('redacts credentials in an error about the url', () => {
    const { errors } = validateHealthSpecs([{ name: 'n', url: 'ftp://u:secret@host/' }], where);
    expect(errors[0]).not.toContain('secret');
  });
});
