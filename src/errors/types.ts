/** The six categories every error falls into (DESIGN.md item 4). */
export const ERROR_CATEGORIES = ['permission', 'config', 'resource', 'state', 'network', 'quota'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** Which tool or provider produced the message. */
export const ERROR_TOOLS = [
  'terraform', 'aws', 'kubernetes', 'helm', 'eksctl', 'karpenter', 'gcp', 'azure', 'unknown',
] as const;
export type ErrorTool = (typeof ERROR_TOOLS)[number];

export interface Categorization {
  category: ErrorCategory;
  /** Provider/tool error code as written in the message (e.g. `AccessDenied`, `Forbidden`, `PERMISSION_DENIED`), or null. */
  errorCode: string | null;
  /** Terraform resource type (`aws_s3_bucket`) when named, else a service or kind (`s3`, `pod`), or null. */
  resourceType: string | null;
  tool: ErrorTool;
  /** Cloud provider behind the error when known: aws, gcp, azure, kubernetes. */
  provider: string | null;
  /** Why this category was chosen: the rule id that fired, or `default`. */
  reason: string;
}
