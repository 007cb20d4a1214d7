import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, toJUnit } from '../../../src/tester/report/junit.js';
import { buildReport } from '../../../src/tester/report/report.js';
import { finding, sampleInput } from './fixtures.js';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** A strict little XML 1.0 parser (enough for JUnit): throws on anything not well-formed. */
function parseXml(xml: string): El {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)) throw new Error('invalid XML character');
  const decode = (s: string): string => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bare & in ${JSON.stringify(s)}`);
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  };
  let i = 0;
  const decl = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const root: El = { name: '#doc', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/y;
  while (i < xml.length) {
    if (xml[i] === '<') {
      tag.lastIndex = i;
      const m = tag.exec(xml);
      if (!m) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
      i = tag.lastIndex;
      const [, close, name, rawAttrs, selfClose] = m;
      if (close) {
        const top = stack.pop()!;
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!);
      }
      const el: El = { name: name!, attrs, children: [], text: '' };
      stack.at(-1)!.children.push(el);
      if (!selfClose) stack.push(el);
    } else {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? undefined : next);
      if (raw.includes('>')) throw new Error('bare > in text (allowed, but we never emit it)');
      stack.at(-1)!.text += decode(raw);
      i = next < 0 ? xml.length : next;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1) throw new Error('expected exactly one root element');
  return root.children[0]!;
}

const all = (el: El, name: string): El[] => el.children.flatMap((c) => (c.name === name ? [c] : [])).concat(el.children.flatMap((c) => all(c, name)));

describe('toJUnit', () => {
  const pre = buildReport(sampleInput);
  const post = buildReport({ ...sampleInput, phase: 'post', findings: [], checks: [{ name: 'smoke http', status: 'failed', detail: 'GET / returned 502' }] });
  const doc = parseXml(toJUnit([pre, post]));
  const suites = all(doc, 'testsuite');

  it('is well-formed with one testsuite per phase', () => {
    expect(doc.name).toBe('testsuites');
    expect(suites.map((s) => s.attrs.name)).toEqual(['infra-ops staging pre', 'infra-ops staging post']);
  });

  it('one testcase per check and per finding', () => {
    expect(all(suites[0]!, 'testcase')).toHaveLength(sampleInput.checks.length + sampleInput.findings.length);
    expect(all(suites[1]!, 'testcase')).toHaveLength(1);
  });

  it('failures for blocking findings and failed checks; skipped for suppressed findings and skipped checks', () => {
    const cases = all(suites[0]!, 'testcase');
    const failed = cases.filter((c) => all(c, 'failure').length);
    expect(failed).toHaveLength(pre.gate.blocking);
    expect(failed.every((c) => c.attrs.classname!.endsWith('.findings'))).toBe(true);
    const skipped = cases.filter((c) => all(c, 'skipped').length);
    expect(skipped.map((c) => c.attrs.name)).toEqual(expect.arrayContaining(['checkov', 'tfsec', 'IO_AWS_RDS_PUBLIC aws_db_instance.legacy']));
    expect(skipped).toHaveLength(3);
    expect(all(skipped.find((c) => c.attrs.name === 'checkov')!, 'skipped')[0]!.attrs.message).toBe('skipped: not installed');
    const smoke = all(suites[1]!, 'testcase')[0]!;
    expect(all(smoke, 'failure')[0]!.attrs.message).toBe('GET / returned 502');
    // A MEDIUM warning passes.
    const warn = cases.find((c) => c.attrs.name!.startsWith('IO_AWS_S3_NO_VERSIONING'))!;
    expect(all(warn, 'failure').concat(all(warn, 'skipped'))).toHaveLength(0);
  });

  it('counts in attributes agree with the testcases, per suite and in total', () => {
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    for (const s of suites) {
      const cases = all(s, 'testcase');
      const f = cases.filter((c) => all(c, 'failure').length).length;
      const k = cases.filter((c) => all(c, 'skipped').length).length;
      expect(Number(s.attrs.tests)).toBe(cases.length);
      expect(Number(s.attrs.failures)).toBe(f);
      expect(Number(s.attrs.skipped)).toBe(k);
      expect(s.attrs.errors).toBe('0');
      tests += cases.length;
      failures += f;
      skipped += k;
    }
    expect([Number(doc.attrs.tests), Number(doc.attrs.failures), Number(doc.attrs.skipped)]).toEqual([tests, failures, skipped]);
    expect([tests, failures, skipped]).toEqual([11, 4, 3]);
  });

  it('escapes hostile text: <&"\' and control characters survive or vanish, never break the XML', () => {
    const hostile = `x<y>&z"q'\u0000\u0007\u001b\ttab\nline</testcase>]]>\ud800`;
    const report = buildReport({
      env: 'e<v>',
      phase: 'pre',
      generatedAt: new Date(0),
      findings: [finding({ title: hostile, resource: hostile, remediation: hostile, file: `a&b/<c>.tf` })],
      checks: [{ name: hostile, status: 'failed', detail: hostile }],
    });
    const xml = toJUnit(report);
    const parsed = parseXml(xml);
    const cases = all(parsed, 'testcase');
    expect(cases).toHaveLength(2);
    const expected = `x<y>&z"q'\ttab\nline</testcase>]]>`;
    expect(cases[0]!.attrs.name).toBe(expected);
    expect(all(cases[0]!, 'failure')[0]!.attrs.message).toBe(expected);
    expect(all(cases[1]!, 'failure')[0]!.text).toContain(`remediation: ${expected}`);
    expect(all(parsed, 'testsuite')[0]!.attrs.name).toBe('infra-ops e<v> pre');
  });

  it('escape helpers', () => {
    expect(escapeXmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(escapeXmlAttr(`"'\n`)).toBe('&quot;&apos;&#10;');
    expect(escapeXmlText('ok \u{1F600}')).toBe('ok \u{1F600}'); // valid surrogate pairs are kept
  });

  it('a single report is accepted and an empty run is valid', () => {
    const empty = parseXml(toJUnit(buildReport({ env: 'dev', phase: 'pre', generatedAt: new Date(0), findings: [], checks: [] })));
    expect(all(empty, 'testsuite')).toHaveLength(1);
    expect(empty.attrs.tests).toBe('0');
  });
});
