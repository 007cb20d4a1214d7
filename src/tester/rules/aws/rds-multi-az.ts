import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { isAuroraInstance } from './rds-common.js';

export const rdsMultiAz: Rule = {
  id: 'IO_AWS_RDS_MULTI_AZ',
  title: 'RDS instance is not Multi-AZ',
  severity: 'LOW',
  aliases: ['CKV_AWS_157'],
  remediation: 'Set multi_az = true for production databases so a standby in another AZ takes over on failure.',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html',
  resourceTypes: ['aws_db_instance'],
  check(r) {
    const aurora = isAuroraInstance(r.body);
    if (aurora === true) return 'pass'; // Aurora replicates storage across AZs
    const v = boolAttr(r.body, 'multi_az');
    if (v === true) return 'pass';
    if (v === 'unknown' || aurora === 'unknown') return 'unknown';
    return 'fail';
  },
};
