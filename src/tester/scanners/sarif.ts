/**
 * SARIF 2.1.0 from checkov (`-o sarif`), tfsec (`--format sarif`, driver name `defsec`/`tfsec`) and
 * trivy (`--format sarif`) → findings.
 *
 * Severity: `properties["security-severity"]` (result, else rule) is a CVSS-like score:
 * ≥ 9 CRITICAL, ≥ 7 HIGH, ≥ 4 MEDIUM, else LOW. Without it the SARIF level decides:
 * error → HIGH, warning → MEDIUM, note/none → LOW (level defaults to the rule's
 * `defaultConfiguration.level`, then to SARIF's default `warning`). checkov SARIF marks every
 * result `error`, so all checkov SARIF findings come out HIGH: prefer checkov's JSON output.
 *
 * Files: `artifactLocation.uri` is relative to `uriBaseId` (trivy uses `ROOTPATH`); when
 * `run.originalUriBaseIds` gives that base we drop it, and a `file://` absolute uri is made
 * relative to `baseDir`. Resources: SARIF from these tools carries no Terraform address per result,
 * so `resource` is null (SARIF findings therefore never merge with JSON findings).
 */
import type { Finding, ScannerTool, Severity } from '../finding.js';
import {
  type ParseOptions,
  type ParseResult,
  ScannerParseError,
  avdForms,
  int,
  isObject,
  parseJson,
  relPath,
  str,
  uniq,
} from './common.js';
import { normaliseTrivyId } from './trivy.js';

type SarifTool = Exclude<ScannerTool, 'builtin'>;

const DRIVER_NAMES: Record<SarifTool, RegExp> = {
  checkov: /checkov/i,
  tfsec: /tfsec|defsec/i,
  trivy: /trivy/i,
};

export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

export function severityFromLevel(level: string): Severity {
  if (level === 'error') return 'HIGH';
  if (level === 'warning') return 'MEDIUM';
  return 'LOW';
}

function score(props: unknown): number | null {
  if (!isObject(props)) return null;
  const v = props['security-severity'];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function parseSarif(text: string, tool: SarifTool, opts: ParseOptions = {}): ParseResult {
  const file = opts.file ?? '<input>';
  const data = parseJson(tool, file, text);
  if (!isObject(data) || !Array.isArray(data.runs)) {
    throw new ScannerParseError(tool, file, 'expected a SARIF log with "runs"');
  }
  const problems: string[] = [];
  if (data.version !== '2.1.0') problems.push(`${tool}: SARIF version ${JSON.stringify(data.version)} (expected 2.1.0)`);
  const findings: Finding[] = [];
  let absolute = 0;

  data.runs.forEach((run, ri) => {
    if (!isObject(run)) throw new ScannerParseError(tool, file, `runs[${ri}] is not an object`);
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : null;
    if (!driver) throw new ScannerParseError(tool, file, `runs[${ri}].tool.driver is missing`);
    const driverName = str(driver.name) ?? '?';
    if (!DRIVER_NAMES[tool].test(driverName)) {
      problems.push(`${tool}: runs[${ri}] was produced by "${driverName}", not ${tool}`);
    }
    const rules = Array.isArray(driver.rules) ? driver.rules.filter(isObject) : [];
    const byId = new Map(rules.map((r) => [String(r.id), r]));
    const bases = isObject(run.originalUriBaseIds) ? run.originalUriBaseIds : {};
    const results = run.results ?? [];
    if (!Array.isArray(results)) throw new ScannerParseError(tool, file, `runs[${ri}].results is not a list`);

    results.forEach((res, i) => {
      if (!isObject(res)) throw new ScannerParseError(tool, file, `runs[${ri}].results[${i}] is not an object`);
      if (res.kind !== undefined && res.kind !== 'fail') return; // pass / notApplicable / informational
      const idx = typeof res.ruleIndex === 'number' ? res.ruleIndex : -1;
      const rawId = str(res.ruleId) ?? (idx >= 0 ? str(rules[idx]?.id) : null);
      if (!rawId) throw new ScannerParseError(tool, file, `runs[${ri}].results[${i}] has no ruleId`);
      const rule = byId.get(rawId) ?? (idx >= 0 ? rules[idx] : undefined) ?? {};

      let ruleId = rawId;
      let aliases: string[] = [];
      if (tool === 'trivy') ({ ruleId, aliases } = normaliseTrivyId(rawId));
      else if (tool === 'tfsec') {
        const avd = avdForms(rawId);
        if (avd) aliases = uniq([avd.avd, avd.short], rawId);
      }

      const s = score(res.properties) ?? score(rule.properties);
      const defaultLevel = isObject(rule.defaultConfiguration) ? str(rule.defaultConfiguration.level) : null;
      const level = str(res.level) ?? defaultLevel ?? 'warning';
      const severity = s !== null ? severityFromScore(s) : severityFromLevel(level);

      const loc0 = Array.isArray(res.locations) ? res.locations[0] : undefined;
      const phys = isObject(loc0) && isObject(loc0.physicalLocation) ? loc0.physicalLocation : {};
      const art = isObject(phys.artifactLocation) ? phys.artifactLocation : {};
      const region = isObject(phys.region) ? phys.region : {};
      let uri = str(art.uri);
      const baseId = str(art.uriBaseId);
      if (uri && baseId) {
        const base = bases[baseId];
        const baseUri = isObject(base) ? str(base.uri) : null;
        // A relative uri against a known absolute base: resolve, then relativise to baseDir.
        if (baseUri && !/^[a-z]+:/i.test(uri) && opts.baseDir) uri = baseUri.replace(/\/?$/, '/') + uri;
      }
      if (uri && !uri.startsWith('file:')) uri = decodeURIComponent(uri);
      const startLine = int(region.startLine);
      const suppressions = Array.isArray(res.suppressions) ? res.suppressions.filter(isObject) : [];
      const active = suppressions.find((x) => x.status === undefined || x.status === 'accepted');

      const shortDesc = isObject(rule.shortDescription) ? str(rule.shortDescription.text) : null;
      const message = isObject(res.message) ? str(res.message.text) : null;
      findings.push({
        ruleId,
        aliases,
        title: shortDesc ?? str(rule.name) ?? message ?? ruleId,
        severity,
        tools: [tool],
        resource: null,
        file: relPath(uri, { baseDir: opts.baseDir }, () => absolute++),
        startLine,
        endLine: startLine === null ? null : (int(region.endLine) ?? startLine),
        remediation: null,
        docs: str(rule.helpUri),
        suppressed: active ? { reason: str(active.justification), by: tool } : null,
      });
    });
  });
  if (absolute > 0) problems.push(`${tool}: ${absolute} finding(s) have absolute file uris; pass baseDir to make them relative`);
  return { findings, problems };
}
