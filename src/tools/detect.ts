import { INSTALL_HINTS } from '../tester/tools/install-hints.js';

/** External tools infra-ops runs when present, how to ask their version, and how to install them. */
export interface ToolSpec {
  name: string;
  versionArgs: string[];
  install: string;
}

export const TOOLS: ToolSpec[] = [
  { name: 'terraform', versionArgs: ['version', '-json'], install: INSTALL_HINTS.terraform },
  { name: 'tofu', versionArgs: ['version', '-json'], install: INSTALL_HINTS.tofu },
  { name: 'checkov', versionArgs: ['--version'], install: INSTALL_HINTS.checkov },
  { name: 'tfsec', versionArgs: ['--version'], install: INSTALL_HINTS.tfsec },
  { name: 'trivy', versionArgs: ['--version'], install: INSTALL_HINTS.trivy },
  { name: 'infracost', versionArgs: ['--version'], install: 'https://www.infracost.io/docs/#quick-start' },
  { name: 'kubectl', versionArgs: ['version', '--client', '-o', 'json'], install: 'apt-get install kubectl (or https://kubernetes.io/docs/tasks/tools/)' },
  { name: 'helm', versionArgs: ['version', '--short'], install: 'https://helm.sh/docs/intro/install/' },
];

export interface ToolStatus {
  name: string;
  installed: boolean;
  version: string | null;
  install: string;
}

/** First version-looking token of a tool's output (`Terraform v1.9.5`, `{"terraform_version":"1.9.5"}`, `v3.14.0+g…`). */
export function parseVersion(output: string): string | null {
  const m = /v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?)/.exec(output);
  return m?.[1] ?? null;
}

export async function detectTool(spec: ToolSpec, timeoutMs = 5000): Promise<ToolStatus> {
  const { execa } = await import('execa');
  try {
    const r = await execa(spec.name, spec.versionArgs, { timeout: timeoutMs, reject: false, stdin: 'ignore' });
    if (r.failed && (r as { code?: string }).code === 'ENOENT') return { name: spec.name, installed: false, version: null, install: spec.install };
    return { name: spec.name, installed: true, version: parseVersion(`${r.stdout}\n${r.stderr}`), install: spec.install };
  } catch {
    return { name: spec.name, installed: false, version: null, install: spec.install };
  }
}

export async function detectTools(specs: ToolSpec[] = TOOLS): Promise<ToolStatus[]> {
  return Promise.all(specs.map((s) => detectTool(s)));
}
