/**
 * JUnit XML for CI test tabs: one <testsuite> per report (phase), one <testcase> per check and per finding.
 * Blocking findings and failed checks are <failure>; suppressed findings and skipped checks are <skipped>;
 * warnings and informational findings pass (their text goes to <system-out>).
 */
import { findingLocation, type ReportFinding, type TestReport } from './report.js';

/** Drops characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF). */
export function stripInvalidXmlChars(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

export function escapeXmlText(s: string): string {
  return stripInvalidXmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: also quotes, and tab/newline as references so parsers do not normalise them away. */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

interface Case {
  classname: string;
  name: string;
  time?: number;
  failure?: { message: string; type: string; body: string };
  error?: { message: string; type: string; body: string };
  skipped?: { message: string };
  out?: string;
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

function findingBody(f: ReportFinding): string {
  return [
    `${f.severity} ${f.ruleId}: ${f.title}`,
    f.resource ? `resource: ${f.resource}` : null,
    findingLocation(f) ? `location: ${findingLocation(f)}` : null,
    f.remediation ? `remediation: ${f.remediation}` : null,
    f.docs ? `docs: ${f.docs}` : null,
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}

function casesOf(report: TestReport): Case[] {
  const base = `infra-ops.${report.env}.${report.phase}`;
  const cases: Case[] = [];
  for (const c of report.checks) {
    const tc: Case = { classname: `${base}.checks`, name: c.name, time: (c.durationMs ?? 0) / 1000 };
    if (c.status === 'failed') tc.failure = { message: c.detail ?? 'check failed', type: 'check', body: c.detail ?? '' };
    else if (c.status === 'error') tc.error = { message: c.detail ?? 'check could not run', type: 'error', body: c.detail ?? '' };
    else if (c.status === 'skipped') tc.skipped = { message: c.detail ?? 'skipped' };
    else if (c.detail) tc.out = c.detail;
    cases.push(tc);
  }
  for (const f of report.findings) {
    const where = f.resource ?? findingLocation(f);
    const tc: Case = { classname: `${base}.findings`, name: where ? `${f.ruleId} ${where}` : f.ruleId };
    if (f.outcome === 'block') tc.failure = { message: `${f.severity}: ${f.title}`, type: f.severity, body: findingBody(f) };
    else if (f.outcome === 'suppressed') tc.skipped = { message: `suppressed (${f.suppressed?.by ?? 'unknown'}): ${f.suppressed?.reason ?? 'no reason given'}` };
    else tc.out = findingBody(f);
    cases.push(tc);
  }
  return cases;
}

export function toJUnit(reports: TestReport | readonly TestReport[]): string {
  const list = Array.isArray(reports) ? (reports as readonly TestReport[]) : [reports as TestReport];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  let errors = 0;
  for (const r of list) {
    const cases = casesOf(r);
    const f = cases.filter((c) => c.failure).length;
    const s = cases.filter((c) => c.skipped).length;
    const e = cases.filter((c) => c.error).length;
    tests += cases.length;
    failures += f;
    skipped += s;
    errors += e;
    const lines = [
      `  <testsuite${attrs({ name: `infra-ops ${r.env} ${r.phase}`, tests: cases.length, failures: f, errors: e, skipped: s, time: (r.durationMs ?? 0) / 1000, timestamp: r.generatedAt.replace(/Z$/, '') })}>`,
      `    <properties>`,
      `      <property${attrs({ name: 'status', value: r.status })}/>`,
      `      <property${attrs({ name: 'env', value: r.env })}/>`,
      `      <property${attrs({ name: 'phase', value: r.phase })}/>`,
      `    </properties>`,
    ];
    for (const c of cases) {
      const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: c.time ?? 0 })}`;
      const inner: string[] = [];
      if (c.failure) inner.push(`      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${escapeXmlText(c.failure.body)}</failure>`);
      if (c.error) inner.push(`      <error${attrs({ message: c.error.message, type: c.error.type })}>${escapeXmlText(c.error.body)}</error>`);
      if (c.skipped) inner.push(`      <skipped${attrs({ message: c.skipped.message })}/>`);
      if (c.out) inner.push(`      <system-out>${escapeXmlText(c.out)}</system-out>`);
      lines.push(inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`);
    }
    lines.push('  </testsuite>');
    suites.push(lines.join('\n'));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'infra-ops', tests, failures, errors, skipped })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
