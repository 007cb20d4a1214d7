import type { Rule } from '../types.js';
import { requireSet } from './nested-common.js';

export const cloudtrailKms: Rule = {
  id: 'IO_AWS_CLOUDTRAIL_KMS',
  title: 'CloudTrail logs are not encrypted with a KMS key',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_35', 'aws-cloudtrail-enable-at-rest-encryption', 'aws-cloudtrail-encryption-customer-managed-key', 'AWS-0015'],
  remediation: 'Set kms_key_id to a customer managed KMS key whose policy lets CloudTrail encrypt.',
  docs: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html',
  resourceTypes: ['aws_cloudtrail'],
  check: (r) => requireSet(r.body, 'kms_key_id'),
};
