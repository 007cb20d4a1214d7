import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { requireTrue } from './nested-common.js';

export const elasticacheAtRestEncryption: Rule = {
  id: 'IO_AWS_ELASTICACHE_AT_REST_ENCRYPTION',
  title: 'ElastiCache replication group is not encrypted at rest',
  severity: 'HIGH',
  aliases: ['CKV_AWS_29', 'aws-elasticache-enable-at-rest-encryption', 'AWS-0045'],
  remediation: 'Set at_rest_encryption_enabled = true (optionally kms_key_id). Existing groups must be recreated.',
  docs: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/at-rest-encryption.html',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: (r) => requireTrue(boolAttr(r.body, 'at_rest_encryption_enabled')),
};
