import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { requireSet } from './nested-common.js';

export const sqsEncrypted: Rule = {
  id: 'IO_AWS_SQS_ENCRYPTED',
  title: 'SQS queue is not encrypted',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_27', 'aws-sqs-enable-queue-encryption', 'AWS-0096'],
  remediation: 'Set kms_master_key_id (customer managed key) or sqs_managed_sse_enabled = true.',
  docs: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html',
  resourceTypes: ['aws_sqs_queue'],
  check(r) {
    const kms = requireSet(r.body, 'kms_master_key_id');
    if (kms === 'pass') return 'pass';
    const managed = boolAttr(r.body, 'sqs_managed_sse_enabled');
    if (managed === true) return 'pass';
    if (managed === 'unknown' || kms === 'unknown') return 'unknown';
    return 'fail';
  },
};
