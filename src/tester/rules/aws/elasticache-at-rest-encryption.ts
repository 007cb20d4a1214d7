import type { Rule } from '../types.js';
import { boolAttr, strAttr, UNKNOWN } from '../util.js';

export const elasticacheAtRestEncryption: Rule = {
  id: 'IO_AWS_ELASTICACHE_AT_REST_ENCRYPTION',
  title: 'ElastiCache replication group is not encrypted at rest',
  severity: 'HIGH',
  aliases: ['CKV_AWS_29', 'aws-elasticache-enable-at-rest-encryption', 'AWS-0045'],
  remediation: 'Set at_rest_encryption_enabled = true (optionally kms_key_id). Existing groups must be recreated.',
  docs: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/at-rest-encryption.html',
  resourceTypes: ['aws_elasticache_replication_group'],
  check(r) {
    const v = boolAttr(r.body, 'at_rest_encryption_enabled');
    if (v === 'unknown') return 'unknown';
    if (v !== undefined) return v ? 'pass' : 'fail';
    const engine = strAttr(r.body, 'engine');
    if (engine === UNKNOWN) return 'unknown';
    return engine?.toLowerCase() === 'valkey' ? 'pass' : 'fail'; // the provider defaults it on for Valkey only
  },
};
