import type { Rule } from '../types.js';
import { blocks, companionVerdict } from '../util.js';
import type { TfResource } from '../../hcl/load.js';

export const s3Logging: Rule = {
  id: 'IO_AWS_S3_LOGGING',
  title: 'S3 bucket access logging is not enabled',
  severity: 'LOW',
  aliases: ['CKV_AWS_18', 'aws-s3-enable-bucket-logging', 'AWS-0089'],
  remediation: 'Add an aws_s3_bucket_logging for the bucket with a target_bucket (a dedicated log bucket).',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html',
  resourceTypes: ['aws_s3_bucket'],
  check(resource: TfResource, ctx) {
    if (blocks(resource.body, 'logging').length > 0) return 'pass';
    return companionVerdict(ctx.companions(resource, 'aws_s3_bucket_logging'), (r) => ('target_bucket' in r.body ? 'pass' : 'fail'));
  },
};
