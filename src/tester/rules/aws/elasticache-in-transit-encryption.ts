import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { requireTrue } from './nested-common.js';

export const elasticacheInTransitEncryption: Rule = {
  id: 'IO_AWS_ELASTICACHE_IN_TRANSIT_ENCRYPTION',
  title: 'ElastiCache replication group does not encrypt traffic in transit',
  severity: 'HIGH',
  aliases: ['CKV_AWS_30', 'aws-elasticache-enable-in-transit-encryption', 'AWS-0051'],
  remediation: 'Set transit_encryption_enabled = true and connect clients over TLS.',
  docs: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/in-transit-encryption.html',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: (r) => requireTrue(boolAttr(r.body, 'transit_encryption_enabled')),
};
