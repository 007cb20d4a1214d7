import type { Rule, Verdict } from '../types.js';
import { blocks, boolAttr, companionVerdict, strAttr, UNKNOWN } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

function statusVerdict(r: TfResource): Verdict {
  const cfg = blocks(r.body, 'versioning_configuration')[0];
  if (!cfg) return 'fail';
  const status = strAttr(cfg, 'status');
  if (status === UNKNOWN) return 'unknown';
  return status === 'Enabled' ? 'pass' : 'fail';
}

export const s3Versioning: Rule = {
  id: 'IO_AWS_S3_VERSIONING',
  title: 'S3 bucket versioning is not enabled',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_21', 'aws-s3-enable-versioning', 'AWS-0090'],
  remediation: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
  resourceTypes: ['aws_s3_bucket'],
  check(resource: TfResource, ctx) {
    const legacy = blocks(resource.body, 'versioning')[0];
    if (legacy) {
      const enabled = boolAttr(legacy, 'enabled');
      if (enabled === 'unknown') return 'unknown';
      if (enabled === true) return 'pass';
    }
    return companionVerdict(ctx.companions(resource, 'aws_s3_bucket_versioning'), statusVerdict);
  },
};
