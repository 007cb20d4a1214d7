/**
 * checkov `-o json` → findings. Handles the three shapes checkov prints:
 * - one report dict `{check_type, results:{failed_checks,passed_checks,skipped_checks,parsing_errors}, summary}`
 *   (a single framework ran);
 * - a list of such dicts (several frameworks ran, e.g. `terraform` + `terraform_plan`);
 * - the bare summary object `{passed, failed, skipped, parsing_errors, resource_count, checkov_version}`
 *   when nothing was scanned: zero findings.
 * Only failed checks become findings (passed ones are ignored); skipped checks (`#checkov:skip=`)
 * become suppressed findings, as do failed checks carrying a `suppress_comment`.
 */
import type { Finding, Severity } from '../finding.js';
import {
  type ParseOptions,
  type ParseResult,
  ScannerParseError,
  int,
  isObject,
  normaliseSeverity,
  parseJson,
  relPath,
  str,
  uniq,
} from './common.js';

/**
 * checkov only fills `severity` when run with a Prisma Cloud API key; otherwise it is null. For a
 * null severity we use this table — OUR OWN judgement of common AWS checks (impact if exploited),
 * not Prisma's ratings — and MEDIUM for every id not listed here.
 */
export const CHECKOV_DEFAULT_SEVERITY: Readonly<Record<string, Severity>> = {
  CKV_AWS_41: 'CRITICAL', // hard-coded AWS access key in provider block
  CKV_AWS_1: 'CRITICAL', // IAM policy document allows "*:*" admin
  CKV_AWS_62: 'CRITICAL', // IAM role policy allows "*:*" admin
  CKV_AWS_20: 'HIGH', // S3 bucket ACL allows public READ
  CKV_AWS_57: 'HIGH', // S3 bucket ACL allows public WRITE
  CKV_AWS_24: 'HIGH', // security group ingress 0.0.0.0/0 to port 22
  CKV_AWS_25: 'HIGH', // security group ingress 0.0.0.0/0 to port 3389
  CKV_AWS_260: 'HIGH', // security group ingress 0.0.0.0/0 to port 80
  CKV_AWS_16: 'HIGH', // RDS storage not encrypted
  CKV_AWS_17: 'HIGH', // RDS instance publicly accessible
  CKV_AWS_46: 'HIGH', // secrets in EC2 user data
  CKV_AWS_79: 'HIGH', // EC2 instance metadata v1 enabled (IMDSv2 not required)
  CKV_AWS_3: 'HIGH', // EBS volume not encrypted
  CKV_AWS_8: 'MEDIUM', // launch configuration / instance EBS not encrypted
  CKV_AWS_2: 'MEDIUM', // ALB listener not HTTPS
  CKV_AWS_131: 'MEDIUM', // ALB does not drop invalid HTTP headers
  CKV_AWS_161: 'MEDIUM', // RDS IAM authentication disabled
  CKV_AWS_355: 'MEDIUM', // IAM policy "*" resource for restrictable actions
  CKV_AWS_288: 'MEDIUM', // IAM policy allows data exfiltration
  CKV_AWS_23: 'LOW', // security group / rule without description
  CKV_AWS_18: 'LOW', // S3 access logging disabled
  CKV_AWS_21: 'LOW', // S3 versioning disabled
  CKV_AWS_144: 'LOW', // S3 cross-region replication disabled
  CKV_AWS_145: 'LOW', // S3 not encrypted with KMS CMK (default SSE still on)
  CKV_AWS_91: 'LOW', // ALB access logging disabled
  CKV_AWS_150: 'LOW', // ALB deletion protection disabled
  CKV_AWS_126: 'LOW', // EC2 detailed monitoring disabled
  CKV_AWS_135: 'LOW', // EC2 not EBS-optimised
  CKV_AWS_118: 'LOW', // RDS enhanced monitoring disabled
  CKV_AWS_129: 'LOW', // RDS log exports disabled
  CKV_AWS_157: 'LOW', // RDS not multi-AZ
};
export const CHECKOV_FALLBACK_SEVERITY: Severity = 'MEDIUM';

const TERRAFORM_TYPES = new Set(['terraform', 'terraform_plan', 'terraform_json']);

export function parseCheckovJson(text: string, opts: ParseOptions = {}): ParseResult {
  const file = opts.file ?? '<input>';
  const data = parseJson('checkov', file, text);
  const reports = Array.isArray(data) ? data : [data];
  const findings: Finding[] = [];
  const problems: string[] = [];

  reports.forEach((report, i) => {
    const where = Array.isArray(data) ? `report #${i}` : 'report';
    if (!isObject(report)) throw new ScannerParseError('checkov', file, `${where} is not an object`);
    if (report.results === undefined) {
      // Summary-only output (nothing scanned) has `passed`/`failed` counters at the top level.
      const summary = isObject(report.summary) ? report.summary : report;
      if (typeof summary.failed !== 'number' && typeof summary.passed !== 'number') {
        throw new ScannerParseError('checkov', file, `${where} has neither "results" nor summary counters; not checkov JSON output`);
      }
      return;
    }
    if (!isObject(report.results)) throw new ScannerParseError('checkov', file, `${where}: "results" is not an object`);
    const checkType = str(report.check_type) ?? 'unknown';
    const results = report.results;
    for (const key of ['failed_checks', 'skipped_checks'] as const) {
      const list = results[key] ?? [];
      if (!Array.isArray(list)) throw new ScannerParseError('checkov', file, `${where}: results.${key} is not a list`);
      list.forEach((c, j) => {
        if (!isObject(c) || !str(c.check_id)) {
          throw new ScannerParseError('checkov', file, `${where}: results.${key}[${j}] has no check_id`);
        }
        findings.push(toFinding(c, checkType, key === 'skipped_checks', opts, problems));
      });
    }
    const errs = results.parsing_errors;
    if (Array.isArray(errs) && errs.length > 0) {
      problems.push(`checkov ${checkType}: ${errs.length} file(s) could not be parsed: ${errs.map(String).join(', ')}`);
    } else if (isObject(report.summary) && typeof report.summary.parsing_errors === 'number' && report.summary.parsing_errors > 0) {
      problems.push(`checkov ${checkType}: ${report.summary.parsing_errors} file(s) could not be parsed`);
    }
  });
  return { findings, problems };
}

function toFinding(
  c: Record<string, unknown>,
  checkType: string,
  skipped: boolean,
  opts: ParseOptions,
  problems: string[],
): Finding {
  const id = String(c.check_id);
  const severity =
    normaliseSeverity(c.severity) ?? CHECKOV_DEFAULT_SEVERITY[id] ?? CHECKOV_FALLBACK_SEVERITY;
  if (c.severity != null && normaliseSeverity(c.severity) === null) {
    problems.push(`checkov ${id}: unknown severity ${JSON.stringify(c.severity)}, used ${severity}`);
  }
  const range = Array.isArray(c.file_line_range) ? c.file_line_range : [];
  const startLine = int(range[0]);
  const checkResult = isObject(c.check_result) ? c.check_result : {};
  const suppressComment = str(checkResult.suppress_comment) ?? str(c.suppress_comment);
  return {
    ruleId: id,
    aliases: uniq([str(c.bc_check_id)], id),
    title: str(c.check_name) ?? str(c.short_description) ?? id,
    severity,
    tools: ['checkov'],
    // Non-Terraform frameworks (dockerfile, …) have no Terraform address.
    resource: TERRAFORM_TYPES.has(checkType) ? (str(c.resource_address) ?? str(c.resource)) : null,
    file: checkovFile(c, opts),
    startLine,
    endLine: startLine === null ? null : (int(range[1]) ?? startLine),
    remediation: null,
    docs: str(c.guideline),
    suppressed: skipped || suppressComment ? { reason: suppressComment, by: 'checkov' } : null,
  };
}

/**
 * checkov's `file_path` is relative to the scanned directory with a leading `/` (`/modules/a/main.tf`)
 * for `-d` runs, but absolute for `-f /abs/file.tf` runs; when `baseDir` is given and
 * `file_abs_path` lies under it, that is the reliable source.
 */
function checkovFile(c: Record<string, unknown>, opts: ParseOptions): string | null {
  if (opts.baseDir) {
    const abs = str(c.file_abs_path);
    const base = opts.baseDir.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    if (abs && abs.replace(/\\/g, '/').startsWith(base)) return relPath(abs, { baseDir: opts.baseDir });
  }
  return relPath(c.file_path ?? c.repo_file_path, { baseDir: opts.baseDir, leadingSlashIsRoot: true });
}
