/**
 * tfsec `--format json` → findings. Two schemas:
 * - modern (tfsec ≥1.0, defsec): `rule_id` is the AVD id (`AVD-AWS-0086`), `long_id` the readable id
 *   (`aws-s3-block-public-acls`), `resource`, numeric `status` (0 failed, 1 passed, 2 ignored);
 * - legacy 0.x: `rule_id` is the long id, `legacy_rule_id` the old code (`AWS050`), `status` a
 *   string (`"failed"`), and the resource only inside `description` as `module.A:module.B:aws_x.y`.
 * ruleId is the long id; aliases are the AVD id, the trivy form (`AWS-0086`) and the legacy code.
 */
import type { Finding } from '../finding.js';
import {
  type ParseOptions,
  type ParseResult,
  ScannerParseError,
  avdForms,
  int,
  isObject,
  normaliseSeverity,
  parseJson,
  relPath,
  str,
  uniq,
} from './common.js';

/** defsec `scan.Status`: 0 failed, 1 passed, 2 ignored (tfsec:ignore / ignore file). */
function statusOf(v: unknown): 'failed' | 'passed' | 'ignored' {
  if (v === undefined || v === null || v === 0 || v === 'failed' || v === 'FAILED') return 'failed';
  if (v === 1 || v === 'passed' || v === 'PASSED') return 'passed';
  return 'ignored';
}

/** `module.EKS:module.lc["workers"]:aws_launch_configuration.this` → dotted Terraform address. */
export function legacyResourceFromDescription(description: string | null): string | null {
  if (!description) return null;
  const m = /Resource '([^']+)'/.exec(description);
  if (!m || !m[1]) return null;
  let out = '';
  let depth = 0;
  for (const ch of m[1]) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    out += ch === ':' && depth === 0 ? '.' : ch;
  }
  return out;
}

export function parseTfsecJson(text: string, opts: ParseOptions = {}): ParseResult {
  const file = opts.file ?? '<input>';
  const data = parseJson('tfsec', file, text);
  if (!isObject(data) || !('results' in data)) {
    throw new ScannerParseError('tfsec', file, 'expected an object with "results" (tfsec --format json)');
  }
  // tfsec prints `"results": null` when there is nothing to report.
  const results = data.results ?? [];
  if (!Array.isArray(results)) throw new ScannerParseError('tfsec', file, '"results" is not a list');
  const findings: Finding[] = [];
  const problems: string[] = [];
  let absolute = 0;
  results.forEach((r, i) => {
    if (!isObject(r) || !str(r.rule_id)) throw new ScannerParseError('tfsec', file, `results[${i}] has no rule_id`);
    const status = statusOf(r.status);
    if (status === 'passed') return;
    const ruleIdField = String(r.rule_id);
    const avd = avdForms(ruleIdField);
    const longId = str(r.long_id) ?? (avd ? null : ruleIdField);
    const ruleId = longId ?? ruleIdField;
    const severity = normaliseSeverity(r.severity);
    if (severity === null) problems.push(`tfsec ${ruleId}: unknown severity ${JSON.stringify(r.severity)}, used MEDIUM`);
    const loc = isObject(r.location) ? r.location : {};
    const startLine = int(loc.start_line);
    const links = Array.isArray(r.links) ? r.links.filter((l): l is string => typeof l === 'string') : [];
    const description = str(r.description);
    findings.push({
      ruleId,
      aliases: uniq([avd?.avd, avd?.short, str(r.legacy_rule_id)], ruleId),
      title: str(r.rule_description) ?? description ?? ruleId,
      severity: severity ?? 'MEDIUM',
      tools: ['tfsec'],
      resource: str(r.resource) ?? legacyResourceFromDescription(description),
      file: relPath(loc.filename, { baseDir: opts.baseDir }, () => absolute++),
      startLine,
      endLine: startLine === null ? null : (int(loc.end_line) ?? startLine),
      remediation: str(r.resolution),
      docs: links[0] ?? null,
      suppressed: status === 'ignored' ? { reason: null, by: 'tfsec' } : null,
    });
  });
  if (absolute > 0) {
    problems.push(`tfsec: ${absolute} finding(s) have absolute file paths; pass baseDir (the scanned directory) to make them relative`);
  }
  return { findings, problems };
}
