import type { Severity } from '../finding.js';
import type { TfResource } from '../hcl/load.js';

export type Verdict = 'pass' | 'fail' | 'unknown';

export interface Companions {
  /** Resources of the requested type that reference the subject (same module). */
  matches: TfResource[];
  /** True when some resource of that type points at a bucket/key we cannot resolve, so it might be ours. */
  ambiguous: boolean;
}

export interface RuleContext {
  /** Every loaded resource. */
  resources: TfResource[];
  /** Loaded `data` blocks (may be empty when the caller did not pass them). */
  data: TfResource[];
  /** The data block a `${data.<type>.<name>...}` expression refers to, in the subject's module. */
  dataSource(subject: TfResource, expression: unknown, type: string): TfResource | undefined;
  /**
   * Resources of `type` whose `attr` refers to `subject` (`${aws_s3_bucket.x.id}`, `.bucket`, `.arn`,
   * `[0]`/`[each.key]` forms, or the subject's literal `nameAttr` value), in the subject's module.
   */
  companions(subject: TfResource, type: string, attr?: string, nameAttr?: string): Companions;
}

export interface Rule {
  /** `IO_AWS_...` */
  id: string;
  title: string;
  severity: Severity;
  /** Equivalent checkov / tfsec / trivy ids. Only ids known to be the same check. */
  aliases: string[];
  remediation: string;
  docs: string;
  resourceTypes: string[];
  check(resource: TfResource, ctx: RuleContext): Verdict;
}
