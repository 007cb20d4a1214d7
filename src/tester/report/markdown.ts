/** A concise human summary of a test report, for a PR comment or a terminal. */
import { SEVERITIES } from '../finding.js';
import { findingLocation, type TestReport } from './report.js';

export const MARKDOWN_TOP_FINDINGS = 10;

/** One line of inline Markdown: no newlines, table pipes and HTML-ish brackets escaped. */
function inline(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/([\\`*_[\]|<>])/g, '\\$1')
    .trim();
}

function code(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function money(n: number, currency: string): string {
  return `${n.toFixed(2)} ${currency}`;
}

const ICON = { PASS: '✅', WARN: '⚠️', FAIL: '❌' } as const;

export function renderMarkdown(report: TestReport, opts: { topFindings?: number } = {}): string {
  const top = opts.topFindings ?? MARKDOWN_TOP_FINDINGS;
  const out: string[] = [];
  out.push(`## ${ICON[report.status]} infra-ops test: **${report.status}** — ${inline(report.env)} (${report.phase})`);
  out.push('');
  out.push(`_${report.generatedAt}_ · gate blocks on ${report.gate.blockOn.join(', ') || 'nothing'}, warns on ${report.gate.warnOn.join(', ') || 'nothing'}`);
  if (report.statusReasons.length) {
    out.push('');
    for (const r of report.statusReasons) out.push(`- ${inline(r)}`);
  }

  out.push('', '| Severity | Findings |', '| --- | ---: |');
  for (const s of SEVERITIES) out.push(`| ${s} | ${report.counts.bySeverity[s]} |`);
  out.push(`| suppressed | ${report.counts.suppressed} |`);

  const active = report.findings.filter((f) => f.outcome !== 'suppressed');
  if (active.length) {
    out.push('', `### Top findings${active.length > top ? ` (${top} of ${active.length})` : ''}`, '');
    for (const f of active.slice(0, top)) {
      const where = findingLocation(f);
      const what = [f.resource ? code(f.resource) : null, where ? code(where) : null].filter(Boolean).join(' at ');
      out.push(`- **${f.severity}** ${code(f.ruleId)} ${inline(f.title)}${what ? ` — ${what}` : ''}${f.outcome === 'block' ? ' (blocking)' : ''}`);
      if (f.remediation) out.push(`  - Fix: ${inline(f.remediation)}`);
    }
  }

  const failed = report.checks.filter((c) => c.status === 'failed');
  if (failed.length) {
    out.push('', '### Failed checks', '');
    for (const c of failed) out.push(`- ${inline(c.name)}${c.detail ? `: ${inline(c.detail)}` : ''}`);
  }
  const errored = report.checks.filter((c) => c.status === 'error');
  if (errored.length) {
    out.push('', '### Checks that could not run', '');
    for (const c of errored) out.push(`- ${inline(c.name)}${c.detail ? `: ${inline(c.detail)}` : ''}`);
  }
  const skipped = report.checks.filter((c) => c.status === 'skipped');
  if (skipped.length) {
    out.push('', '### Skipped checks', '');
    for (const c of skipped) out.push(`- ${inline(c.name)}${c.detail ? `: ${inline(c.detail)}` : ''}`);
  }

  const cost = report.cost;
  if (cost) {
    out.push('', '### Cost', '');
    let line = `Monthly estimate: **${money(cost.monthlyTotal, cost.currency)}**`;
    if (cost.budget != null) {
      line += ` of budget ${money(cost.budget, cost.currency)}`;
      if (cost.budgetUsedPercent != null) line += ` (${cost.budgetUsedPercent}%)`;
      if (cost.budgetStatus === 'fail') line += ' — **over budget**';
      else if (cost.budgetStatus === 'warn') line += ` — over ${cost.warnAtPercent}% of budget`;
    }
    out.push(line);
    if (cost.topDrivers.length) {
      out.push('', '| Resource | Monthly | Share |', '| --- | ---: | ---: |');
      for (const d of cost.topDrivers) out.push(`| ${code(d.address)} | ${money(d.monthly, cost.currency)} | ${Math.round(d.share * 100)}% |`);
    }
    if (cost.unpriced.length) out.push('', `${cost.unpriced.length} resource(s) not priced; the total is a lower bound.`);
    if (cost.assumptions.length) out.push('', `_Assumptions: ${cost.assumptions.map(inline).join('; ')}_`);
  }
  return out.join('\n') + '\n';
}
