/**
 * Quality gate: decides PASS / WARN / FAIL from findings and an environment's `gate` config.
 * Suppressed findings never block or warn; they are returned separately so reports can count them.
 */
import { SEVERITIES, type Finding, type Severity } from '../finding.js';

export type GateStatus = 'PASS' | 'WARN' | 'FAIL';

export interface GateConfig {
  blockOn?: Severity[];
  warnOn?: Severity[];
}

export interface GateResult {
  status: GateStatus;
  blocking: Finding[];
  warnings: Finding[];
  suppressed: Finding[];
  blockOn: Severity[];
  warnOn: Severity[];
}

export const DEFAULT_BLOCK_ON: readonly Severity[] = ['CRITICAL', 'HIGH'];
export const DEFAULT_WARN_ON: readonly Severity[] = ['MEDIUM'];

/** Sorts by severity (CRITICAL first), then file, line and rule id: a stable, readable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') ||
    (a.startLine ?? Number.MAX_SAFE_INTEGER) - (b.startLine ?? Number.MAX_SAFE_INTEGER) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.resource ?? '').localeCompare(b.resource ?? '')
  );
}

export function evaluateGate(findings: readonly Finding[], gate?: GateConfig): GateResult {
  const blockOn = [...new Set(gate?.blockOn ?? DEFAULT_BLOCK_ON)];
  // A severity that blocks is not also a warning.
  const warnOn = [...new Set(gate?.warnOn ?? DEFAULT_WARN_ON)].filter((s) => !blockOn.includes(s));
  const blocking: Finding[] = [];
  const warnings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    if (f.suppressed) suppressed.push(f);
    else if (blockOn.includes(f.severity)) blocking.push(f);
    else if (warnOn.includes(f.severity)) warnings.push(f);
  }
  blocking.sort(compareFindings);
  warnings.sort(compareFindings);
  suppressed.sort(compareFindings);
  const status: GateStatus = blocking.length > 0 ? 'FAIL' : warnings.length > 0 ? 'WARN' : 'PASS';
  return { status, blocking, warnings, suppressed, blockOn, warnOn };
}
