/**
 * The one finding model every scanner's output becomes (issue 3): built-in rules, checkov, tfsec,
 * trivy. Findings from several tools about the same resource and problem merge into one.
 */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ScannerTool = 'builtin' | 'checkov' | 'tfsec' | 'trivy';

export interface Finding {
  /** Our rule id for built-in rules (e.g. `IO_AWS_S3_PUBLIC_ACL`), else the tool's id in its canonical form. */
  ruleId: string;
  /** Equivalent ids in other tools: `CKV_AWS_20`, `aws-s3-no-public-access-with-acl`, `AWS-0092`. */
  aliases: string[];
  title: string;
  severity: Severity;
  /** Which tools reported it (after merging). */
  tools: ScannerTool[];
  /** Terraform address: `aws_s3_bucket.logs`, `module.web.aws_lb.this`; null when the tool gives none. */
  resource: string | null;
  /** Path relative to the scanned directory, `/` separators. */
  file: string | null;
  startLine: number | null;
  endLine: number | null;
  remediation: string | null;
  docs: string | null;
  suppressed: { reason: string | null; by: string } | null;
}
