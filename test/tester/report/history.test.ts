import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, emptyHistory, historyPath, readHistory, writeHistory, type EnvHistory } from '../../../src/tester/report/history.js';
import { buildReport, type Phase } from '../../../src/tester/report/report.js';
import { finding } from './fixtures.js';

/** A report at day `day` with `high` HIGH findings (FAIL if > 0) and `medium` MEDIUM ones. */
function report(day: number, high: number, opts: { medium?: number; phase?: Phase; env?: string } = {}) {
  return buildReport({
    env: opts.env ?? 'prod',
    phase: opts.phase ?? 'pre',
    generatedAt: new Date(Date.UTC(2026, 0, day, 12)),
    findings: [
      ...Array.from({ length: high }, (_, i) => finding({ ruleId: `H${i}` })),
      ...Array.from({ length: opts.medium ?? 0 }, (_, i) => finding({ ruleId: `M${i}`, severity: 'MEDIUM' })),
    ],
    checks: [],
  });
}

function replay(...reports: ReturnType<typeof report>[]): EnvHistory {
  return reports.reduce<EnvHistory | null>((h, r) => appendHistory(h, r), null)!;
}

describe('appendHistory', () => {
  it('records timestamp, phase, status and counts per run', () => {
    const h = replay(report(1, 2, { medium: 1 }));
    expect(h.env).toBe('prod');
    expect(h.runs).toEqual([
      {
        timestamp: '2026-01-01T12:00:00.000Z',
        phase: 'pre',
        status: 'FAIL',
        counts: { findings: 3, bySeverity: { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0 }, suppressed: 0, blocking: 2, warnings: 1 },
        monthlyCost: null,
        report: null,
      },
    ]);
  });

  it('is pure: the input history is not modified', () => {
    const h1 = replay(report(1, 0));
    const copy = structuredClone(h1);
    appendHistory(h1, report(2, 1));
    expect(h1).toEqual(copy);
  });

  it('success rate overall and over the last 10 runs (WARN counts as success)', () => {
    // 5 failures then 10 successes (one of them WARN).
    const reports = [...Array.from({ length: 5 }, (_, i) => report(i + 1, 1)), ...Array.from({ length: 10 }, (_, i) => report(i + 6, 0, { medium: i === 0 ? 1 : 0 }))];
    const h = replay(...reports);
    expect(h.runs).toHaveLength(15);
    expect(h.successRate.overall).toBeCloseTo(10 / 15, 3);
    expect(h.successRate.last10).toBe(1);
    expect(emptyHistory('x').successRate).toEqual({ overall: null, last10: null });
  });

  it('trend of active findings: up, down, flat against the previous run of the same phase', () => {
    expect(replay(report(1, 1)).trend).toBe('flat');
    expect(replay(report(1, 1), report(2, 3)).trend).toBe('up');
    const down = replay(report(1, 3), report(2, 1));
    expect([down.trend, down.trendDelta]).toEqual(['down', -2]);
    expect(replay(report(1, 2), report(2, 2)).trend).toBe('flat');
    // A post run with 0 findings is compared with the earlier post run, not the pre run in between.
    const mixed = replay(report(1, 0, { phase: 'post' }), report(2, 5, { phase: 'pre' }), report(3, 1, { phase: 'post' }));
    expect([mixed.trend, mixed.trendDelta]).toEqual(['up', 1]);
  });

  it('keeps runs in time order and replaces a re-appended run (CI retry) instead of double counting', () => {
    const h = replay(report(3, 0), report(1, 1), report(2, 0), report(3, 1));
    expect(h.runs.map((r) => r.timestamp.slice(0, 10))).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(h.runs.at(-1)!.status).toBe('FAIL');
    expect(h.successRate.overall).toBeCloseTo(1 / 3, 3);
  });

  it('bounds the run list but keeps the overall rate exact', () => {
    let h: EnvHistory | null = null;
    for (let d = 1; d <= 20; d++) h = appendHistory(h, report(d, d <= 4 ? 1 : 0), { maxRuns: 8 });
    expect(h!.runs).toHaveLength(8);
    expect(h!.pruned).toEqual({ runs: 12, successes: 8 });
    expect(h!.successRate.overall).toBe(0.8);
  });

  it('refuses a report for another environment', () => {
    expect(() => appendHistory(emptyHistory('dev'), report(1, 0))).toThrow(/dev.*prod/);
  });
});

describe('history files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infra-ops-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('path is <stateDir>/reports/<env>/history.json', () => {
    expect(historyPath('.infra-ops', 'prod').split(/[\\/]/)).toEqual(['.infra-ops', 'reports', 'prod', 'history.json']);
  });

  it('missing file reads as empty; write then read round-trips; no temp files left behind', async () => {
    const file = historyPath(dir, 'prod');
    const empty = await readHistory(file, 'prod');
    expect(empty).toEqual(emptyHistory('prod'));
    const h = appendHistory(appendHistory(empty, report(1, 1)), report(2, 0));
    await writeHistory(file, h);
    await writeHistory(file, h); // overwrite works
    expect(await readHistory(file, 'prod')).toEqual(h);
    expect(await readdir(join(dir, 'reports', 'prod'))).toEqual(['history.json']);
    expect(JSON.parse(await readFile(file, 'utf8')).successRate.overall).toBe(0.5);
  });

  it('a corrupt or foreign file is a clear error, not silently reset', async () => {
    const file = join(dir, 'history.json');
    await writeFile(file, '{"runs": [');
    await expect(readHistory(file, 'prod')).rejects.toThrow(/not valid JSON/);
    await writeFile(file, JSON.stringify({ hello: 1 }));
    await expect(readHistory(file, 'prod')).rejects.toThrow(/not an infra-ops history/);
    await writeFile(file, JSON.stringify(emptyHistory('dev')));
    await expect(readHistory(file, 'prod')).rejects.toThrow(/"dev"/);
  });

  it('a failed write leaves the previous file intact and removes the temp file', async () => {
    const file = historyPath(dir, 'prod');
    const h = appendHistory(null, report(1, 0));
    await writeHistory(file, h);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(writeHistory(file, cyclic as unknown as EnvHistory)).rejects.toThrow();
    expect(await readHistory(file, 'prod')).toEqual(h);
    expect(await readdir(join(dir, 'reports', 'prod'))).toEqual(['history.json']);
  });
});
