/**
 * The JSON test report (schemas/test-report.schema.json): one run of `test` for one environment and
 * phase (pre = before apply, post = after). Pure: the caller supplies the clock and writes the file.
 */
import { join } from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../finding.js';
import { compareFindings, evaluateGate, type GateConfig, type GateStatus } from './gate.js';

export const REPORT_SCHEMA_VERSION = 1;
export const TOP_COST_DRIVERS = 5;

export type Phase = 'pre' | 'post';
/** `error`: the check could not run to completion (tool crashed, timed out, printed garbage). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** Why it failed or was skipped, e.g. `skipped: not installed`. */
  detail: string | null;
  /** Wall time of the check; null when not measured. */
  durationMs?: number | null;
  /**
   * false for checks whose failure is their findings (rules, scanners, compliance) or the budget:
   * the gate judges those, so a HIGH finding blocks only where the environment's gate says so.
   * Default true: a failed parse or `terraform validate` always fails the run. Not serialized.
   */
  gating?: boolean;
}

export interface CostInput {
  monthlyTotal: number;
  currency: string;
  budget: number | null;
  /** Budget use (percent) from which the run warns; default 80. */
  warnAtPercent?: number;
  byResource: { address: string; monthly: number; type?: string; basis?: string }[];
  /** `price-table` (shipped, dated) or `infracost`. */
  source?: string;
  assumptions?: string[];
  unpriced?: { address: string; type: string; reason: string }[];
}

export interface BuildReportInput {
  env: string;
  phase: Phase;
  /** ISO 8601 timestamp (or a Date) of the run. */
  generatedAt: string | Date;
  findings: readonly Finding[];
  checks: readonly CheckResult[];
  cost?: CostInput | null;
  gate?: GateConfig;
  dir?: string | null;
  durationMs?: number | null;
}

/** What the gate did with a finding. `info` = neither blocks nor warns (e.g. LOW by default). */
export type FindingOutcome = 'block' | 'warn' | 'info' | 'suppressed';

export type ReportFinding = Finding & { outcome: FindingOutcome };

export interface Recommendation {
  ruleId: string;
  title: string;
  severity: Severity;
  remediation: string;
  docs: string | null;
  /** Affected resources (or `file:line` when the finding has no address), deduplicated. */
  resources: string[];
  count: number;
}

export interface CostDriver {
  address: string;
  monthly: number;
  /** Fraction of the monthly total, 0..1. */
  share: number;
}

export interface CostSummary {
  monthlyTotal: number;
  currency: string;
  budget: number | null;
  /** `fail` over budget, `warn` at or over warnAtPercent, `pass` below; null without a budget. */
  budgetStatus: 'pass' | 'warn' | 'fail' | null;
  warnAtPercent: number;
  overBudget: boolean;
  /** monthlyTotal / budget * 100, rounded to one decimal; null without a (positive) budget. */
  budgetUsedPercent: number | null;
  resourceCount: number;
  topDrivers: CostDriver[];
  source: string;
  /** Every priced resource, most expensive first. */
  resources: { address: string; type: string | null; monthly: number; basis: string | null }[];
  unpriced: { address: string; type: string; reason: string }[];
  assumptions: string[];
}

export type SeverityCounts = Record<Severity, number>;

export interface TestReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  env: string;
  phase: Phase;
  generatedAt: string;
  /** Scanned directory as given (relative to the project when possible); null when not applicable. */
  dir: string | null;
  /** Wall time of the whole run; null when not measured. */
  durationMs: number | null;
  status: GateStatus;
  /** Why the status is not PASS, one line each; empty when PASS. */
  statusReasons: string[];
  gate: { blockOn: Severity[]; warnOn: Severity[]; blocking: number; warnings: number };
  counts: {
    /** All findings, suppressed included. */
    total: number;
    /** Active (unsuppressed) findings by severity. */
    bySeverity: SeverityCounts;
    suppressed: number;
    checks: Record<CheckStatus, number>;
  };
  findings: ReportFinding[];
  checks: CheckResult[];
  recommendations: Recommendation[];
  cost: CostSummary | null;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function isoTimestamp(at: string | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid report timestamp: ${String(at)}`);
  return d.toISOString();
}

export function emptySeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
}

export function findingLocation(f: Pick<Finding, 'file' | 'startLine'>): string | null {
  if (!f.file) return null;
  return f.startLine != null ? `${f.file}:${f.startLine}` : f.file;
}

function recommendationsOf(findings: readonly Finding[]): Recommendation[] {
  const byKey = new Map<string, Recommendation>();
  for (const f of [...findings].sort(compareFindings)) {
    if (f.suppressed || !f.remediation?.trim()) continue;
    const remediation = f.remediation.trim();
    const key = `${f.ruleId}\u0000${remediation}`;
    let rec = byKey.get(key);
    if (!rec) {
      rec = { ruleId: f.ruleId, title: f.title, severity: f.severity, remediation, docs: f.docs, resources: [], count: 0 };
      byKey.set(key, rec);
    }
    rec.count++;
    const where = f.resource ?? findingLocation(f);
    if (where && !rec.resources.includes(where)) rec.resources.push(where);
  }
  return [...byKey.values()].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.count - a.count || a.ruleId.localeCompare(b.ruleId),
  );
}

export function summarizeCost(cost: CostInput): CostSummary {
  const monthlyTotal = round2(cost.monthlyTotal);
  const budget = cost.budget ?? null;
  const warnAtPercent = cost.warnAtPercent ?? 80;
  const used = budget != null && budget > 0 ? (cost.monthlyTotal / budget) * 100 : null;
  const budgetStatus: CostSummary['budgetStatus'] =
    budget == null ? null : cost.monthlyTotal > budget ? 'fail' : used != null && used >= warnAtPercent ? 'warn' : 'pass';
  const topDrivers = [...cost.byResource]
    .sort((a, b) => b.monthly - a.monthly || a.address.localeCompare(b.address))
    .slice(0, TOP_COST_DRIVERS)
    .map((r) => ({
      address: r.address,
      monthly: round2(r.monthly),
      share: cost.monthlyTotal > 0 ? Math.round((r.monthly / cost.monthlyTotal) * 1000) / 1000 : 0,
    }));
  return {
    monthlyTotal,
    currency: cost.currency,
    budget,
    budgetStatus,
    warnAtPercent,
    overBudget: budgetStatus === 'fail',
    budgetUsedPercent: used != null ? Math.round(used * 10) / 10 : null,
    resourceCount: cost.byResource.length,
    topDrivers,
    source: cost.source ?? 'price-table',
    resources: [...cost.byResource]
      .sort((a, b) => b.monthly - a.monthly || a.address.localeCompare(b.address))
      .map((r) => ({ address: r.address, type: r.type ?? null, monthly: round2(r.monthly), basis: r.basis ?? null })),
    unpriced: [...(cost.unpriced ?? [])],
    assumptions: [...(cost.assumptions ?? [])],
  };
}

export function buildReport(input: BuildReportInput): TestReport {
  const gate = evaluateGate(input.findings, input.gate);
  const blocking = new Set(gate.blocking);
  const warnings = new Set(gate.warnings);
  const findings: ReportFinding[] = [...input.findings].sort(compareFindings).map((f) => ({
    ...f,
    outcome: f.suppressed ? 'suppressed' : blocking.has(f) ? 'block' : warnings.has(f) ? 'warn' : 'info',
  }));

  const bySeverity = emptySeverityCounts();
  for (const f of input.findings) if (!f.suppressed) bySeverity[f.severity]++;
  const checkCounts: Record<CheckStatus, number> = { passed: 0, failed: 0, skipped: 0, error: 0 };
  for (const c of input.checks) checkCounts[c.status]++;
  const cost = input.cost ? summarizeCost(input.cost) : null;

  // Overall status: the worst of the findings gate, failed checks (FAIL) and an exceeded budget (WARN).
  const statusReasons: string[] = [];
  let status: GateStatus = gate.status;
  if (gate.blocking.length) statusReasons.push(`${gate.blocking.length} blocking finding(s) (${gate.blockOn.join(', ')})`);
  if (gate.warnings.length) statusReasons.push(`${gate.warnings.length} warning finding(s) (${gate.warnOn.join(', ')})`);
  const failed = input.checks.filter((c) => c.status === 'failed' && c.gating !== false);
  if (failed.length) {
    status = 'FAIL';
    statusReasons.push(`failed check(s): ${failed.map((c) => c.name).join(', ')}`);
  }
  const errored = input.checks.filter((c) => c.status === 'error');
  if (errored.length) {
    if (status === 'PASS') status = 'WARN';
    statusReasons.push(`check(s) could not run: ${errored.map((c) => c.name).join(', ')}`);
  }
  if (cost?.budgetStatus === 'fail') {
    status = 'FAIL';
    statusReasons.push(`monthly cost ${cost.monthlyTotal} ${cost.currency} exceeds the budget of ${cost.budget} ${cost.currency}`);
  } else if (cost?.budgetStatus === 'warn') {
    if (status === 'PASS') status = 'WARN';
    statusReasons.push(`monthly cost ${cost.monthlyTotal} ${cost.currency} is ${cost.budgetUsedPercent}% of the ${cost.budget} ${cost.currency} budget (warn at ${cost.warnAtPercent}%)`);
  }

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    env: input.env,
    phase: input.phase,
    generatedAt: isoTimestamp(input.generatedAt),
    dir: input.dir ?? null,
    durationMs: input.durationMs ?? null,
    status,
    statusReasons,
    gate: { blockOn: gate.blockOn, warnOn: gate.warnOn, blocking: gate.blocking.length, warnings: gate.warnings.length },
    counts: { total: input.findings.length, bySeverity, suppressed: gate.suppressed.length, checks: checkCounts },
    findings,
    checks: input.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail ?? null, durationMs: c.durationMs ?? null })),
    recommendations: recommendationsOf(input.findings),
    cost,
  };
}

/** `2026-11-23T11:15:54.123Z` → `20261123T111554123Z`: sortable, no `:` (invalid on Windows). */
export function fileTimestamp(at: string | Date): string {
  return isoTimestamp(at).replace(/[-:.]/g, '');
}

/** Keeps an environment name to one safe path segment. */
function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || /^\.+$/.test(s) ? '_' : s;
}

/** `<stateDir>/reports/<env>/<timestamp>-<phase>.json`, stateDir usually `.infra-ops`. */
export function reportPath(stateDir: string, env: string, generatedAt: string | Date, phase: Phase): string {
  return join(stateDir, 'reports', safeSegment(env), `${fileTimestamp(generatedAt)}-${phase}.json`);
}
