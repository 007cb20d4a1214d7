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
}

export interface InfraOpsConfig {
  version: 1;
  project?: string;
  iac?: { tool?: 'auto' | 'terraform' | 'tofu'; dir?: string };
  environments: Record<string, EnvironmentConfig>;
  debug?: { minConfidence?: 'low' | 'medium' | 'high'; maxAlternatives?: number; useKnowledgeBase?: boolean };
}
