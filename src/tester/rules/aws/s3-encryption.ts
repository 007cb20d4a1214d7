import type { Rule, Verdict } from '../types.js';
import { blocksWithDynamic, companionVerdict, strAttr, UNKNOWN } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

/** The algorithms S3 accepts for default encryption; anything else is rejected by the API. */
const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/**
 * `rule { apply_server_side_encryption_by_default { sse_algorithm } }` inside either resource shape.
 * Blocks produced by `dynamic` count as unknown when they are good (they may expand to nothing) and
 * as failing when they are bad (nothing, or a bad algorithm, is a failure either way).
 */
function sseVerdict(container: Record<string, unknown>): Verdict {
  const rules = blocksWithDynamic(container, 'rule');
  let maybe = rules.dynamic === 'maybe';
  const verdicts: Verdict[] = [];
  for (const rule of rules.blocks) {
    const defaults = blocksWithDynamic(rule, 'apply_server_side_encryption_by_default');
    if (defaults.dynamic === 'maybe') maybe = true;
    for (const d of defaults.blocks) {
      const alg = strAttr(d, 'sse_algorithm');
      verdicts.push(alg === UNKNOWN ? 'unknown' : alg !== undefined && SSE_ALGORITHMS.has(alg) ? 'pass' : 'fail');
    }
  }
  if (verdicts.length === 0 || verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('unknown') || maybe) return 'unknown';
  return 'pass';
}

export const s3Encryption: Rule = {
  id: 'IO_AWS_S3_ENCRYPTION',
  title: 'S3 bucket has no default server-side encryption configured',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_19', 'aws-s3-enable-bucket-encryption', 'AWS-0088'],
  remediation:
    'Add an aws_s3_bucket_server_side_encryption_configuration with apply_server_side_encryption_by_default (sse_algorithm = "aws:kms" with a customer key, or "AES256").',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
  resourceTypes: ['aws_s3_bucket'],
  check(resource: TfResource, ctx) {
    const companion = () => companionVerdict(ctx.companions(resource, 'aws_s3_bucket_server_side_encryption_configuration'), (r) => sseVerdict(r.body));
    const legacy = blocksWithDynamic(resource.body, 'server_side_encryption_configuration');
    if (legacy.blocks.length === 0) return companion();
    const own = legacy.blocks.map(sseVerdict);
    if (own.includes('fail')) return 'fail';
    if (!own.includes('unknown') && legacy.dynamic !== 'maybe') return 'pass';
    return companion() === 'pass' ? 'pass' : 'unknown';
  },
};
