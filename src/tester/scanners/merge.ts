/**
 * Merge findings that several tools report about the same thing: same `resource` and overlapping
 * id sets (`ruleId` ∪ `aliases`, case-insensitive) — e.g. tfsec `aws-s3-block-public-acls`
 * (aliases `AVD-AWS-0086`, `AWS-0086`) and trivy `AWS-0086`.
 *
 * The merged finding: tools and aliases are unioned, severity is the highest, every other field is
 * the first non-null one in input order (ruleId/title from the first finding). Rules:
 * - different resources never merge, and findings without a resource never merge;
 * - a tool never merges with itself: two findings of one tool with the same id on one resource
 *   are distinct occurrences (e.g. two open rules inside one `aws_security_group`).
 * Input order is kept (a merged finding sits where its first member was).
 */
import type { Finding } from '../finding.js';
import { SEVERITIES } from '../finding.js';

function ids(f: Finding): Set<string> {
  return new Set([f.ruleId, ...f.aliases].map((x) => x.toUpperCase()));
}

export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const groups: Array<{ merged: Finding; ids: Set<string> }> = [];
  for (const f of findings) {
    const fIds = ids(f);
    const target =
      f.resource === null
        ? undefined
        : groups.find(
            (g) =>
              g.merged.resource === f.resource &&
              [...fIds].some((id) => g.ids.has(id)) &&
              !f.tools.some((t) => g.merged.tools.includes(t)),
          );
    if (!target) {
      const copy: Finding = { ...f, aliases: [...f.aliases], tools: [...f.tools] };
      groups.push({ merged: copy, ids: fIds });
      out.push(copy);
      continue;
    }
    const m = target.merged;
    for (const t of f.tools) if (!m.tools.includes(t)) m.tools.push(t);
    for (const a of [f.ruleId, ...f.aliases]) if (a !== m.ruleId && !m.aliases.includes(a)) m.aliases.push(a);
    for (const id of fIds) target.ids.add(id);
    if (SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(m.severity)) m.severity = f.severity;
    if (!m.title && f.title) m.title = f.title;
    if (m.file === null) m.file = f.file;
    if (m.startLine === null && f.startLine !== null) {
      m.startLine = f.startLine;
      m.endLine = f.endLine;
    }
    m.remediation ??= f.remediation;
    m.docs ??= f.docs;
    m.suppressed ??= f.suppressed;
  }
  return out;
}
