import type { Rule, Verdict } from '../types.js';
import { blocks, companionVerdict, strAttr, UNKNOWN } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

/** `rule { apply_server_side_encryption_by_default { sse_algorithm } }` inside either resource shape. */
function sseVerdict(container: Record<string, unknown>): Verdict {
  const defaults = blocks(container, 'rule').flatMap((r) => blocks(r, 'apply_server_side_encryption_by_default'));
  if (defaults.length === 0) return 'fail';
  for (const d of defaults) {
    const alg = strAttr(d, 'sse_algorithm');
    if (alg === UNKNOWN) return 'unknown';
    if (alg !== undefined && alg !== '') return 'pass';
  }
  return 'fail';
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
    const legacy = blocks(resource.body, 'server_side_encryption_configuration');
    if (legacy.length > 0) return sseVerdict(legacy[0]!);
    return companionVerdict(ctx.companions(resource, 'aws_s3_bucket_server_side_encryption_configuration'), (r) => sseVerdict(r.body));
  },
};
