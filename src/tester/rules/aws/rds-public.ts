import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';

export const rdsPublic: Rule = {
  id: 'IO_AWS_RDS_PUBLIC',
  title: 'RDS instance is publicly accessible',
  severity: 'CRITICAL',
  aliases: ['CKV_AWS_17', 'aws-rds-no-public-db-access', 'AWS-0082', 'AWS-0180'],
  remediation: 'Set publicly_accessible = false and reach the database from inside the VPC (bastion, VPN, SSM port forwarding).',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
  check(r) {
    const v = boolAttr(r.body, 'publicly_accessible');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'fail' : 'pass';
  },
};
