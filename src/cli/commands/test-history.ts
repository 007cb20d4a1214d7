import type { Command } from 'commander';
import { historyPath, readHistory, type EnvHistory, type HistoryRun } from '../../tester/report/history.js';
import { parseCount, projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

export interface TestHistoryResult {
  schemaVersion: 1;
  env: string;
  file: string;
  totalRuns: number;
  successRate: EnvHistory['successRate'];
  /** Latest run against the previous run of the same phase. */
  trend: { findings: EnvHistory['trend']; findingsDelta: number; monthlyCostDelta: number | null };
  /** Most recent last. */
  runs: HistoryRun[];
}

const pct = (x: number | null): string => (x == null ? 'n/a' : `${Math.round(x * 100)}%`);

/** Latest monthly cost minus the previous run's (same phase) that had one. */
function costDelta(runs: HistoryRun[]): number | null {
  const withCost = runs.filter((r) => typeof r.monthlyCost === 'number');
  const last = withCost.at(-1);
  const prev = last ? [...withCost.slice(0, -1)].reverse().find((r) => r.phase === last.phase) : undefined;
  return last && prev ? Math.round(((last.monthlyCost as number) - (prev.monthlyCost as number)) * 100) / 100 : null;
}

export async function testHistoryCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<CommonOptions & { env?: string; limit?: string }>();
  if (!opts.env) throw new CliError('--env <name> is required (e.g. infra-ops test history --env test)', EXIT.usage, 'input.missing');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(opts.env)) throw new CliError(`--env: invalid environment name "${opts.env}"`, EXIT.usage, 'input.invalid');
  const limit = parseCount(opts.limit, '--limit', 20);
  const ctx = projectContext(opts);
  const file = historyPath(ctx.stateDir, opts.env);
  let h: EnvHistory;
  try {
    h = await readHistory(file, opts.env);
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.usage, 'history.invalid');
  }
  const data: TestHistoryResult = {
    schemaVersion: 1,
    env: opts.env,
    file,
    totalRuns: h.pruned.runs + h.runs.length,
    successRate: h.successRate,
    trend: { findings: h.trend, findingsDelta: h.trendDelta, monthlyCostDelta: costDelta(h.runs) },
    runs: limit === 0 ? [] : h.runs.slice(-limit),
  };
  emit(
    {
      data,
      human: (d) => {
        if (d.totalRuns === 0) return `no test runs recorded for ${d.env} yet (run \`infra-ops test --env ${d.env}\`)`;
        const colour = { PASS: 'green', WARN: 'yellow', FAIL: 'red' } as const;
        const lines = [
          `${d.env}: ${d.totalRuns} run(s), pass rate ${pct(d.successRate.overall)} overall, ${pct(d.successRate.last10)} over the last 10 (WARN counts as a pass)`,
          `findings trend: ${d.trend.findings} (${d.trend.findingsDelta >= 0 ? '+' : ''}${d.trend.findingsDelta})${d.trend.monthlyCostDelta != null ? `; cost ${d.trend.monthlyCostDelta >= 0 ? '+' : ''}${d.trend.monthlyCostDelta.toFixed(2)}/month` : ''}`,
          '',
          `${'when'.padEnd(24)} phase status findings (C/H/M/L)    cost/month`,
        ];
        for (const r of d.runs) {
          const s = r.counts.bySeverity;
          const sev = `${r.counts.findings} (${s.CRITICAL}/${s.HIGH}/${s.MEDIUM}/${s.LOW})`;
          lines.push(`${r.timestamp.padEnd(24)} ${r.phase.padEnd(5)} ${paint(r.status.padEnd(6), colour[r.status])} ${sev.padEnd(21)} ${r.monthlyCost != null ? r.monthlyCost.toFixed(2).padStart(10) : ''}`);
        }
        return lines.join('\n');
      },
    },
    opts,
  );
}
