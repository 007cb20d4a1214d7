import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { requireTrue } from './nested-common.js';

export const efsEncrypted: Rule = {
  id: 'IO_AWS_EFS_ENCRYPTED',
  title: 'EFS file system is not encrypted at rest',
  severity: 'HIGH',
  aliases: ['CKV_AWS_42', 'aws-efs-enable-at-rest-encryption', 'AWS-0037'],
  remediation: 'Set encrypted = true (optionally kms_key_id). Existing file systems must be recreated and the data copied.',
  docs: 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html',
  resourceTypes: ['aws_efs_file_system'],
  check: (r) => requireTrue(boolAttr(r.body, 'encrypted')),
};
