import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/tester/report/markdown.js';
import { buildReport } from '../../../src/tester/report/report.js';
import { finding, sampleInput } from './fixtures.js';

describe('renderMarkdown', () => {
  const md = renderMarkdown(buildReport(sampleInput));

  it('starts with a status line naming status, env and phase', () => {
    expect(md.split('\n')[0]).toMatch(/FAIL.*staging \(pre\)/);
  });

  it('has a severity table with counts and the suppressed count', () => {
    expect(md).toContain('| CRITICAL | 1 |');
    expect(md).toContain('| HIGH | 2 |');
    expect(md).toContain('| MEDIUM | 1 |');
    expect(md).toContain('| LOW | 1 |');
    expect(md).toContain('| suppressed | 1 |');
  });

  it('lists top findings with file:line and remediation, most severe first, not the suppressed one', () => {
    const findings = md.slice(md.indexOf('### Top findings'));
    expect(findings).toContain('`main.tf:3`');
    expect(findings).toContain('Fix: Restrict ingress to known CIDRs.');
    expect(findings.indexOf('IO_AWS_SG_OPEN_SSH')).toBeLessThan(findings.indexOf('IO_AWS_S3_PUBLIC_ACL'));
    expect(md).not.toContain('IO_AWS_RDS_PUBLIC');
  });

  it('shows skipped checks and the cost with top drivers and budget', () => {
    expect(md).toMatch(/### Skipped checks\n\n- checkov: skipped: not installed\n- tfsec: skipped: not installed/);
    expect(md).toContain('1234.50 USD');
    expect(md).toContain('over budget');
    expect(md).toContain('| `aws_db_instance.main` | 600.00 USD | 49% |');
  });

  it('limits top findings and keeps hostile text on one line without breaking tables', () => {
    const many = Array.from({ length: 15 }, (_, i) => finding({ ruleId: `R${i}`, title: `bad | title\n# injected ${i}` }));
    const out = renderMarkdown(buildReport({ ...sampleInput, findings: many, cost: null, checks: [] }), { topFindings: 3 });
    expect(out).toContain('Top findings (3 of 15)');
    expect(out.match(/^- \*\*HIGH\*\*/gm)).toHaveLength(3);
    expect(out).not.toMatch(/^# injected/m);
    expect(out).toContain('bad \\| title');
  });

  it('a clean run is short and says PASS', () => {
    const out = renderMarkdown(buildReport({ env: 'dev', phase: 'post', generatedAt: new Date(0), findings: [], checks: [] }));
    expect(out).toMatch(/^## .*PASS/);
    expect(out).not.toContain('### Top findings');
    expect(out).not.toContain('### Cost');
  });
});
