/**
 * Run history of one environment (`<stateDir>/reports/<env>/history.json`): every test run's status and
 * counts, success rates and the findings trend. `appendHistory` is pure; read/write do the I/O, writes
 * are atomic (temp file in the same directory, then rename) so a crashed run never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SEVERITIES } from '../finding.js';
import type { GateStatus } from './gate.js';
import { emptySeverityCounts, type Phase, type SeverityCounts, type TestReport } from './report.js';

export const HISTORY_VERSION = 1;
/** Runs kept in the file; older ones survive only in `pruned` totals. */
export const HISTORY_MAX_RUNS = 500;

export interface HistoryRun {
  timestamp: string;
  phase: Phase;
  status: GateStatus;
  counts: {
    /** Active (unsuppressed) findings. */
    findings: number;
    bySeverity: SeverityCounts;
    suppressed: number;
    blocking: number;
    warnings: number;
  };
  /** Monthly cost estimate of that run; null when it had none. */
  monthlyCost?: number | null;
  /** The report file, relative to the history file's folder. */
  report?: string | null;
}

export type Trend = 'up' | 'down' | 'flat';

export interface EnvHistory {
  version: typeof HISTORY_VERSION;
  env: string;
  /** Oldest first. */
  runs: HistoryRun[];
  /** Runs dropped from `runs` to bound the file size, kept so the overall rate stays exact. */
  pruned: { runs: number; successes: number };
  /** A run succeeds unless its status is FAIL. Fractions 0..1; null before the first run. */
  successRate: { overall: number | null; last10: number | null };
  /** Active findings of the latest run against the previous run of the same phase. */
  trend: Trend;
  trendDelta: number;
}

export function emptyHistory(env: string): EnvHistory {
  return { version: HISTORY_VERSION, env, runs: [], pruned: { runs: 0, successes: 0 }, successRate: { overall: null, last10: null }, trend: 'flat', trendDelta: 0 };
}

const succeeded = (r: HistoryRun): boolean => r.status !== 'FAIL';
const rate = (ok: number, n: number): number | null => (n === 0 ? null : Math.round((ok / n) * 1000) / 1000);

export function runOf(report: TestReport, reportFile: string | null = null): HistoryRun {
  const bySeverity = emptySeverityCounts();
  for (const s of SEVERITIES) bySeverity[s] = report.counts.bySeverity[s];
  return {
    timestamp: report.generatedAt,
    phase: report.phase,
    status: report.status,
    counts: {
      findings: SEVERITIES.reduce((n, s) => n + bySeverity[s], 0),
      bySeverity,
      suppressed: report.counts.suppressed,
      blocking: report.gate.blocking,
      warnings: report.gate.warnings,
    },
    monthlyCost: report.cost?.monthlyTotal ?? null,
    report: reportFile,
  };
}

/** Recomputes the derived fields from runs and pruned totals. */
function summarize(h: Omit<EnvHistory, 'successRate' | 'trend' | 'trendDelta'>): EnvHistory {
  const ok = h.runs.filter(succeeded).length;
  const last10 = h.runs.slice(-10);
  const latest = h.runs.at(-1);
  const previous = latest ? [...h.runs.slice(0, -1)].reverse().find((r) => r.phase === latest.phase) : undefined;
  const trendDelta = latest && previous ? latest.counts.findings - previous.counts.findings : 0;
  return {
    ...h,
    successRate: { overall: rate(h.pruned.successes + ok, h.pruned.runs + h.runs.length), last10: rate(last10.filter(succeeded).length, last10.length) },
    trend: trendDelta > 0 ? 'up' : trendDelta < 0 ? 'down' : 'flat',
    trendDelta,
  };
}

/**
 * Adds a report's run (pure: returns a new history). Runs stay in time order; re-appending the same
 * timestamp and phase replaces the earlier entry, so a retried CI upload is not counted twice.
 */
export function appendHistory(
  history: EnvHistory | null | undefined,
  report: TestReport,
  opts: { maxRuns?: number; reportFile?: string | null } = {},
): EnvHistory {
  const base = history ?? emptyHistory(report.env);
  if (base.env !== report.env) throw new Error(`history is for environment "${base.env}", report is for "${report.env}"`);
  const run = runOf(report, opts.reportFile ?? null);
  const runs = base.runs.filter((r) => !(r.timestamp === run.timestamp && r.phase === run.phase));
  let at = runs.length;
  while (at > 0 && runs[at - 1]!.timestamp > run.timestamp) at--;
  runs.splice(at, 0, run);
  const max = Math.max(1, opts.maxRuns ?? HISTORY_MAX_RUNS);
  const dropped = runs.length > max ? runs.splice(0, runs.length - max) : [];
  return summarize({
    version: HISTORY_VERSION,
    env: base.env,
    runs,
    pruned: { runs: base.pruned.runs + dropped.length, successes: base.pruned.successes + dropped.filter(succeeded).length },
  });
}

export function historyPath(stateDir: string, env: string): string {
  const seg = env.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(stateDir, 'reports', seg === '' || /^\.+$/.test(seg) ? '_' : seg, 'history.json');
}

function isHistory(v: unknown): v is EnvHistory {
  const h = v as EnvHistory;
  return (
    typeof h === 'object' && h !== null && h.version === HISTORY_VERSION && typeof h.env === 'string' && Array.isArray(h.runs) &&
    typeof h.pruned?.runs === 'number' && typeof h.pruned?.successes === 'number' &&
    h.runs.every((r) => typeof r?.timestamp === 'string' && (r.phase === 'pre' || r.phase === 'post') && ['PASS', 'WARN', 'FAIL'].includes(r.status) && typeof r.counts?.findings === 'number')
  );
}

/** Reads a history file; a missing file is an empty history. A corrupt one is an error naming the file. */
export async function readHistory(file: string, env: string): Promise<EnvHistory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyHistory(env);
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isHistory(parsed)) throw new Error(`${file}: not an infra-ops history file (version ${HISTORY_VERSION})`);
  if (parsed.env !== env) throw new Error(`${file}: history is for environment "${parsed.env}", expected "${env}"`);
  return summarize(parsed);
}

/** Writes JSON atomically: temp file next to the target, then rename over it. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function writeHistory(file: string, history: EnvHistory): Promise<void> {
  await writeJsonAtomic(file, history);
}
