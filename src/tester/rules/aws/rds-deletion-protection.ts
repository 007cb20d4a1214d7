import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { isAuroraInstance } from './rds-common.js';

export const rdsDeletionProtection: Rule = {
  id: 'IO_AWS_RDS_DELETION_PROTECTION',
  title: 'RDS deletion protection is not enabled',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_293', 'CKV_AWS_139', 'aws-rds-enable-deletion-protection', 'AWS-0177', 'aws-rds-enable-cluster-deletion-protection', 'AWS-0343'],
  remediation: 'Set deletion_protection = true (disable it deliberately, in a separate apply, before a planned destroy).',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection',
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  check(r) {
    if (r.type === 'aws_db_instance') {
      const aurora = isAuroraInstance(r.body);
      if (aurora === true) return 'pass'; // set on the cluster
      if (aurora === 'unknown') return 'unknown';
    }
    const v = boolAttr(r.body, 'deletion_protection');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
