import type { Rule, Verdict } from '../types.js';
import { boolAttr, companionVerdict } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

/** The two settings that stop a bucket being made public (by ACL or by policy); absent means false. */
const FLAGS = ['block_public_acls', 'block_public_policy'] as const;

export function publicAccessBlockVerdict(body: Record<string, unknown>): Verdict {
  let unknown = false;
  for (const f of FLAGS) {
    const v = boolAttr(body, f);
    if (v === 'unknown') unknown = true;
    else if (v !== true) return 'fail'; // absent defaults to false
  }
  return unknown ? 'unknown' : 'pass';
}

export const s3PublicAccessBlock: Rule = {
  id: 'IO_AWS_S3_PUBLIC_ACCESS_BLOCK',
  title: 'S3 bucket has no public access block that blocks public ACLs and public policies',
  severity: 'HIGH',
  aliases: ['CKV2_AWS_6'],
  remediation:
    'Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true (or an account-level aws_s3_account_public_access_block).',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  resourceTypes: ['aws_s3_bucket'],
  check(resource: TfResource, ctx) {
    const account = ctx.resources.filter((r) => r.type === 'aws_s3_account_public_access_block');
    if (account.some((a) => publicAccessBlockVerdict(a.body) === 'pass')) return 'pass';
    const v = companionVerdict(ctx.companions(resource, 'aws_s3_bucket_public_access_block'), (r) => publicAccessBlockVerdict(r.body));
    if (v === 'fail' && account.some((a) => publicAccessBlockVerdict(a.body) === 'unknown')) return 'unknown';
    return v;
  },
};
