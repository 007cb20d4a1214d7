import type { PlatformConfig } from '../platform/types.js';

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
  /** Default GET. */
  method?: 'GET' | 'HEAD';
  /** Accepted status code(s). Default: any status from 200 to 399. */
  expectStatus?: number | number[];
  /** A regular expression (JavaScript syntax) the response body must match; not with HEAD. */
  bodyMatch?: string;
  /** Per attempt, including reading the body. Default 10. */
  timeoutSeconds?: number;
  /** Extra attempts after the first failure. Default 3 (so up to 4 attempts). */
  retries?: number;
  /** First back-off delay; doubles each retry (2, 4, 8, ...), capped at 30 s. Default 2. */
  backoffSeconds?: number;
  /** Follow 3xx redirects and judge the final response. Default false. */
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
  approval?: ApprovalConfig;
  /** `platform:` — health gates and phases (see src/platform/types.ts). */
  platform?: PlatformConfig;
  /** `operate:` — Day-2 sessions (`infra-ops operate`). */
  operate?: { sessionTtlMinutes?: number };
}

export type ApprovalTier = 'trivial' | 'low' | 'medium' | 'critical';

/** `approval:` — risk tiers of cluster actions and their review SLAs (see src/approval/tier-rules.ts). */
export interface ApprovalConfig {
  /** Review SLA in minutes per tier; null = no deadline. Defaults: trivial null, low 5, medium 30, critical 120. */
  sla?: Partial<Record<ApprovalTier, number | null>>;
  /** Tier of a built-in rule (or floor) by id, e.g. `delete-pod-prod: trivial`. */
  tiers?: Record<string, ApprovalTier>;
  /** Own rules, checked before the built-in table; the first match wins. */
  rules?: ApprovalRuleConfig[];
}

export interface ApprovalRuleConfig {
  id: string;
  description?: string;
  when: { verbs?: string[]; kinds?: string[]; namespaces?: string[]; environments?: string[]; production?: boolean };
  tier: ApprovalTier;
}
