/**
 * A finding about one Terraform resource from one of our own checks (rules, compliance, drift,
 * monitoring): location from the resource, suppression from its inline comments.
 */
import type { Finding, Severity } from './finding.js';
import { normalizeRuleId, type TfResource } from './hcl/load.js';

export interface CheckMeta {
  id: string;
  aliases?: readonly string[];
  title: string;
  severity: Severity;
  docs: string | null;
}

/** The resource's suppression naming the check's id or one of its aliases, as the finding field. */
export function suppressionOf(r: TfResource, id: string, aliases: readonly string[] = []): Finding['suppressed'] {
  const ids = new Set([id, ...aliases].map(normalizeRuleId));
  const s = r.suppressions.find((x) => ids.has(normalizeRuleId(x.id)));
  return s ? { reason: s.reason, by: s.by } : null;
}

export function resourceFinding(
  check: CheckMeta,
  r: TfResource,
  detail: { remediation: string | null; title?: string; resource?: string },
): Finding {
  const aliases = [...(check.aliases ?? [])];
  return {
    ruleId: check.id,
    aliases,
    title: detail.title ?? check.title,
    severity: check.severity,
    tools: ['builtin'],
    resource: detail.resource ?? r.address,
    file: r.file,
    startLine: r.startLine,
    endLine: r.endLine,
    remediation: detail.remediation,
    docs: check.docs,
    suppressed: suppressionOf(r, check.id, aliases),
  };
}
