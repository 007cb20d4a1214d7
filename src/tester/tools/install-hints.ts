/** How to install each external tool `infra-ops test` can use, for "skipped: not installed (install: …)". */
export type ExternalTool = 'terraform' | 'tofu' | 'checkov' | 'tfsec' | 'trivy';

export const INSTALL_HINTS: Readonly<Record<ExternalTool, string>> = {
  terraform: 'https://developer.hashicorp.com/terraform/install (or `brew install hashicorp/tap/terraform`)',
  tofu: 'https://opentofu.org/docs/intro/install/ (or `brew install opentofu`)',
  checkov: '`pipx install checkov` (or `pip install checkov`, `brew install checkov`)',
  tfsec: '`brew install tfsec` or a release binary from https://github.com/aquasecurity/tfsec/releases (tfsec is now part of trivy)',
  trivy: 'https://trivy.dev/latest/getting-started/installation/ (or `brew install trivy`)',
};

/** `not installed (install: …)` for one tool. */
export function notInstalled(tool: ExternalTool): string {
  return `not installed (install: ${INSTALL_HINTS[tool]})`;
}
