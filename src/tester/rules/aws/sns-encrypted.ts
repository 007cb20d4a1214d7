import type { Rule } from '../types.js';
import { requireSet } from './nested-common.js';

export const snsEncrypted: Rule = {
  id: 'IO_AWS_SNS_ENCRYPTED',
  title: 'SNS topic is not encrypted',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_26', 'aws-sns-enable-topic-encryption', 'AWS-0095'],
  remediation: 'Set kms_master_key_id (a customer managed key, or "alias/aws/sns").',
  docs: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
  resourceTypes: ['aws_sns_topic'],
  check: (r) => requireSet(r.body, 'kms_master_key_id'),
};
