import type { Rule, Verdict } from '../types.js';
import { boolAttr, companionVerdict } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

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
  title: 'S3 bucket has no complete public access block',
  severity: 'HIGH',
  aliases: [
    'CKV2_AWS_6',
    'CKV_AWS_53',
    'CKV_AWS_54',
    'CKV_AWS_55',
    'CKV_AWS_56',
    'aws-s3-specify-public-access-block',
    'aws-s3-block-public-acls',
    'aws-s3-block-public-policy',
    'aws-s3-ignore-public-acls',
    'aws-s3-no-public-buckets',
    'AWS-0094',
    'AWS-0086',
    'AWS-0087',
    'AWS-0091',
    'AWS-0093',
  ],
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
