/**
 * SARIF 2.1.0 output (one run) for GitHub code scanning and other SARIF consumers. The log is valid
 * against the official OASIS schema (checked in test/tester/report/sarif.test.ts) and meets what
 * GitHub code scanning needs on upload:
 * - every result has a location with a non-empty relative `artifactLocation.uri` (GitHub rejects the
 *   whole file when a result has none); findings without a file point at the scanned directory;
 * - `region.startLine` (≥ 1) whenever the finding has a line;
 * - every `ruleId` is in `tool.driver.rules`, each rule with `shortDescription.text`, a numeric
 *   `security-severity` string, `tags`, and `helpUri` when the finding's docs are a valid URL.
 * Suppressed findings are kept, with an `inSource` suppression, so consumers can show them as dismissed.
 */
import { posix } from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../finding.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export const SECURITY_SEVERITY: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0' };
export const SARIF_LEVEL: Record<Severity, SarifLevel> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note' };

export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: { text: string };
  helpUri?: string;
  help?: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { 'security-severity': string; tags: string[] };
}

export interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; endLine?: number } };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: [SarifLocation];
  suppressions?: { kind: 'inSource'; justification: string }[];
  properties: { severity: Severity; tools: string[]; resource?: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [{ tool: { driver: { name: 'infra-ops'; version?: string; informationUri?: string; rules: SarifRule[] } }; results: SarifResult[] }];
}

export interface SarifOptions {
  toolVersion?: string;
  /** Absolute URL of the tool's documentation; dropped when not a valid URI. */
  informationUri?: string;
  /**
   * Path of the scanned directory relative to the repository root (`infra/envs/prod`). Finding files
   * are relative to the scanned directory, while GitHub resolves `artifactLocation.uri` against the
   * repository root; giving the prefix makes alerts land on the right files. Default: none.
   */
  pathPrefix?: string;
}

const PCT = /%(?![0-9A-Fa-f]{2})/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const AUTHORITY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:%]*@)?(?:\[[0-9A-Za-z\-._~!$&'()*+,;=:]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;
const PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const QUERY = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;

/** True when `s` is an absolute URI per RFC 3986 (what the schema's `format: uri` means). */
export function isAbsoluteUri(s: string): boolean {
  // RFC 3986 appendix B split, then each part checked against its grammar.
  const m = /^([^:/?#]+):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m || !SCHEME.test(m[1]!) || PCT.test(s)) return false;
  const [, , authority, path, query, fragment] = m;
  if (authority !== undefined && !AUTHORITY.test(authority)) return false;
  if (authority === undefined && path!.startsWith('//')) return false;
  return PATH.test(path!) && (query === undefined || QUERY.test(query)) && (fragment === undefined || QUERY.test(fragment));
}

/** A `helpUri`: the docs link as given when it is a valid http(s) URI, else its WHATWG-normalised form, else none. */
function helpUri(docs: string | null): string | undefined {
  if (!docs) return undefined;
  const s = docs.trim();
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (isAbsoluteUri(s)) return s;
  return isAbsoluteUri(url.href) ? url.href : undefined;
}

/**
 * A relative URI reference with `/` separators, each segment percent-encoded (spaces, non-ASCII,
 * `:` and `%` included), `.`/`..` segments resolved where possible. `''` for an empty path.
 */
export function toArtifactUri(file: string, pathPrefix = ''): string {
  const clean = (p: string) => p.replace(/\\/g, '/').replace(/^\/+/, '');
  const joined = posix.normalize(posix.join(clean(pathPrefix) || '.', clean(file) || '.'));
  if (joined === '.' || joined === './') return '';
  return joined
    .replace(/^\.\//, '')
    .replace(/\/$/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

function location(f: Finding, pathPrefix: string): SarifLocation {
  const logical = f.resource ? { logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }] } : {};
  const fileUri = f.file ? toArtifactUri(f.file, pathPrefix) : '';
  if (!fileUri) {
    // No file known: the scanned directory itself, so the result still has the location GitHub requires.
    return { physicalLocation: { artifactLocation: { uri: toArtifactUri('.', pathPrefix) || './' } }, ...logical };
  }
  const start = Number.isInteger(f.startLine) && f.startLine! >= 1 ? f.startLine! : null;
  const end = start !== null && Number.isInteger(f.endLine) && f.endLine! >= start ? f.endLine! : null;
  const region = start !== null ? { region: { startLine: start, ...(end !== null ? { endLine: end } : {}) } } : {};
  return { physicalLocation: { artifactLocation: { uri: fileUri }, ...region }, ...logical };
}

export function toSarif(findings: readonly Finding[], opts: SarifOptions = {}): SarifLog {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  for (const f of findings) {
    const docs = helpUri(f.docs);
    let i = index.get(f.ruleId);
    if (i === undefined) {
      i = rules.length;
      index.set(f.ruleId, i);
      rules.push({
        id: f.ruleId,
        shortDescription: { text: f.title || f.ruleId },
        ...(docs ? { helpUri: docs } : {}),
        ...(f.remediation ? { help: { text: f.remediation } } : {}),
        defaultConfiguration: { level: SARIF_LEVEL[f.severity] },
        properties: { 'security-severity': SECURITY_SEVERITY[f.severity], tags: [] },
      });
    }
    const rule = rules[i]!;
    // A rule's severity is the highest any of its findings has.
    const current = SEVERITIES.find((s) => SECURITY_SEVERITY[s] === rule.properties['security-severity'])!;
    if (SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(current)) {
      rule.properties['security-severity'] = SECURITY_SEVERITY[f.severity];
      rule.defaultConfiguration.level = SARIF_LEVEL[f.severity];
    }
    if (!rule.helpUri && docs) rule.helpUri = docs;
    if (!rule.help && f.remediation) rule.help = { text: f.remediation };
    for (const t of ['security', 'terraform', ...f.tools, ...f.aliases]) if (t && !rule.properties.tags.includes(t)) rule.properties.tags.push(t);
  }

  const pathPrefix = opts.pathPrefix ?? '';
  const results: SarifResult[] = findings.map((f) => {
    const title = f.title || f.ruleId;
    const r: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.resource ? `${title} (${f.resource})` : title },
      locations: [location(f, pathPrefix)],
      properties: { severity: f.severity, tools: [...f.tools], ...(f.resource ? { resource: f.resource } : {}) },
    };
    if (f.suppressed) {
      r.suppressions = [{ kind: 'inSource', justification: f.suppressed.reason || `suppressed by ${f.suppressed.by}` }];
    }
    return r;
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'infra-ops',
            ...(opts.toolVersion ? { version: opts.toolVersion } : {}),
            ...(opts.informationUri && isAbsoluteUri(opts.informationUri) ? { informationUri: opts.informationUri } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
}
