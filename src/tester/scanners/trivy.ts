/**
 * `trivy config --format json` (SchemaVersion 2) → findings: `Results[].Misconfigurations[]` with
 * `Status: "FAIL"` only. Check ids come in two forms: `AWS-0086` (checks bundle ≥ 2025) and the
 * older `AVD-AWS-0086` (+ `AVDID`; some old checks even had `ID: "s3-bucket-logging"` with the AVD
 * id only in `AVDID`). Both normalise to ruleId `AWS-0086`, with the AVD form (and any odd old id)
 * as aliases. Findings inside downloaded modules keep the target path trivy reports
 * (`terraform-aws-modules/s3-bucket/aws/main.tf`) and `CauseMetadata.Resource` (`module.bucket`).
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

export function normaliseTrivyId(id: string, avdid?: string | null): { ruleId: string; aliases: string[] } {
  const forms = avdForms(avdid ?? '') ?? avdForms(id);
  if (!forms) return { ruleId: id, aliases: [] };
  return { ruleId: forms.short, aliases: uniq([forms.avd, id], forms.short) };
}

export function parseTrivyJson(text: string, opts: ParseOptions = {}): ParseResult {
  const file = opts.file ?? '<input>';
  const data = parseJson('trivy', file, text);
  if (!isObject(data)) throw new ScannerParseError('trivy', file, 'expected a JSON object (trivy --format json)');
  const problems: string[] = [];
  if (data.SchemaVersion !== 2) {
    if (data.SchemaVersion === undefined && !('Results' in data)) {
      throw new ScannerParseError('trivy', file, 'no "SchemaVersion"/"Results": not trivy JSON output');
    }
    problems.push(`trivy: SchemaVersion ${JSON.stringify(data.SchemaVersion)} (expected 2); parsed as version 2`);
  }
  const results = data.Results ?? [];
  if (!Array.isArray(results)) throw new ScannerParseError('trivy', file, '"Results" is not a list');
  const findings: Finding[] = [];
  let absolute = 0;
  results.forEach((res, i) => {
    if (!isObject(res)) throw new ScannerParseError('trivy', file, `Results[${i}] is not an object`);
    const target = str(res.Target);
    const mis = res.Misconfigurations ?? [];
    if (!Array.isArray(mis)) throw new ScannerParseError('trivy', file, `Results[${i}].Misconfigurations is not a list`);
    mis.forEach((m, j) => {
      if (!isObject(m) || !str(m.ID)) throw new ScannerParseError('trivy', file, `Results[${i}].Misconfigurations[${j}] has no ID`);
      if (m.Status !== 'FAIL') return;
      const { ruleId, aliases } = normaliseTrivyId(String(m.ID), str(m.AVDID));
      const cause = isObject(m.CauseMetadata) ? m.CauseMetadata : {};
      const severity = normaliseSeverity(m.Severity);
      if (severity === null) problems.push(`trivy ${ruleId}: unknown severity ${JSON.stringify(m.Severity)}, used MEDIUM`);
      const startLine = int(cause.StartLine);
      const refs = Array.isArray(m.References) ? m.References.filter((x): x is string => typeof x === 'string') : [];
      findings.push({
        ruleId,
        aliases,
        title: str(m.Title) ?? str(m.Message) ?? ruleId,
        severity: severity ?? 'MEDIUM',
        tools: ['trivy'],
        resource: str(cause.Resource),
        file: relPath(target, { baseDir: opts.baseDir }, () => absolute++),
        startLine,
        endLine: startLine === null ? null : (int(cause.EndLine) ?? startLine),
        remediation: str(m.Resolution),
        docs: str(m.PrimaryURL) ?? refs[0] ?? null,
        suppressed: null,
      });
    });
  });
  if (absolute > 0) problems.push(`trivy: ${absolute} finding(s) have absolute targets; pass baseDir to make them relative`);
  return { findings, problems };
}
