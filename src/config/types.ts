/** Mirrors schemas/config.schema.json (the schema is the source of truth; tests check both agree on the template). */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export interface EnvironmentConfig {
  description?: string;
  production?: boolean;
  requireApproval: boolean;
  budget: { monthly: number; currency?: 'USD'; warnAtPercent?: number };
  requiredTags?: string[];
  naming?: { pattern?: string; byResourceType?: Record<string, string> };
  gate?: { blockOn?: Severity[]; warnOn?: Severity[] };
  /** Variable files, relative to the Terraform directory. */
  tfvars?: string[];
  healthChecks?: HealthCheckConfig[];
  monitoring?: { enabled?: boolean };
}

export interface HealthCheckConfig {
  name: string;
  url: string;
  method?: 'GET' | 'HEAD';
  expectStatus?: number | number[];
  bodyMatch?: string;
  timeoutSeconds?: number;
  retries?: number;
  backoffSeconds?: number;
  followRedirects?: boolean;
  headers?: Record<string, string>;
}

export type ScannerName = 'builtin' | 'checkov' | 'tfsec' | 'trivy';
export type ReportFormat = 'md' | 'sarif' | 'junit';

export interface InfraOpsConfig {
  version: 1;
  project?: string;
  iac?: { tool?: 'auto' | 'terraform' | 'tofu'; dir?: string };
  environments: Record<string, EnvironmentConfig>;
  test?: { scanners?: ScannerName[]; timeoutSeconds?: number; formats?: ReportFormat[] };
  debug?: { minConfidence?: 'low' | 'medium' | 'high'; maxAlternatives?: number; useKnowledgeBase?: boolean };
}
