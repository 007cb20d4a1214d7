/**
 * SARIF 2.1.0 output (one run) for GitHub code scanning and other SARIF consumers.
 * Suppressed findings are kept, with an `inSource` suppression, so consumers can show them as dismissed.
 */
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

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations?: {
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; endLine?: number } };
    logicalLocations?: { fullyQualifiedName: string; kind: string }[];
  }[];
  suppressions?: { kind: 'inSource'; justification?: string }[];
  properties: { severity: Severity; tools: string[]; resource?: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [{ tool: { driver: { name: 'infra-ops'; version?: string; informationUri?: string; rules: SarifRule[] } }; results: SarifResult[] }];
}

/** A relative URI reference with `/` separators, each segment percent-encoded. */
export function toArtifactUri(file: string): string {
  const p = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  return p.split('/').map(encodeURIComponent).join('/');
}

function isUri(s: string | null): s is string {
  if (!s) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

export function toSarif(findings: readonly Finding[], opts: { toolVersion?: string; informationUri?: string } = {}): SarifLog {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  for (const f of findings) {
    let i = index.get(f.ruleId);
    if (i === undefined) {
      i = rules.length;
      index.set(f.ruleId, i);
      rules.push({
        id: f.ruleId,
        shortDescription: { text: f.title || f.ruleId },
        ...(isUri(f.docs) ? { helpUri: f.docs } : {}),
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
    if (!rule.helpUri && isUri(f.docs)) rule.helpUri = f.docs;
    for (const t of ['security', 'terraform', ...f.tools, ...f.aliases]) if (!rule.properties.tags.includes(t)) rule.properties.tags.push(t);
  }

  const results: SarifResult[] = findings.map((f) => {
    const r: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.resource ? `${f.title} (${f.resource})` : f.title || f.ruleId },
      properties: { severity: f.severity, tools: [...f.tools], ...(f.resource ? { resource: f.resource } : {}) },
    };
    if (f.file) {
      const start = f.startLine != null && f.startLine >= 1 ? f.startLine : null;
      const region = start != null ? { startLine: start, ...(f.endLine != null && f.endLine >= start ? { endLine: f.endLine } : {}) } : undefined;
      r.locations = [
        {
          physicalLocation: { artifactLocation: { uri: toArtifactUri(f.file) }, ...(region ? { region } : {}) },
          ...(f.resource ? { logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }] } : {}),
        },
      ];
    }
    if (f.suppressed) {
      const justification = f.suppressed.reason ?? `suppressed by ${f.suppressed.by}`;
      r.suppressions = [{ kind: 'inSource', justification }];
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
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
}
