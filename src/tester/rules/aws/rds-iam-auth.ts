import type { Rule } from '../types.js';
import { boolAttr, strAttr, UNKNOWN } from '../util.js';
import { isAuroraInstance } from './rds-common.js';

/** Engines the rule applies to: MySQL and PostgreSQL (as checkov CKV_AWS_161 and trivy AWS-0176 judge). */
const IAM_ENGINES = ['mysql', 'postgres'];

export const rdsIamAuth: Rule = {
  id: 'IO_AWS_RDS_IAM_AUTH',
  title: 'RDS instance does not enable IAM database authentication',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_161', 'aws-rds-enable-iam-auth', 'AWS-0176'],
  remediation: 'Set iam_database_authentication_enabled = true and have applications use short-lived IAM auth tokens instead of passwords.',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html',
  resourceTypes: ['aws_db_instance'],
  check(r) {
    const aurora = isAuroraInstance(r.body);
    if (aurora === true) return 'pass'; // configured on the cluster
    const engine = strAttr(r.body, 'engine');
    if (engine === UNKNOWN || aurora === 'unknown') return 'unknown';
    if (engine === undefined) return 'unknown'; // replica or snapshot restore: engine inherited
    if (!IAM_ENGINES.includes(engine.toLowerCase())) return 'pass'; // not supported: not applicable
    const v = boolAttr(r.body, 'iam_database_authentication_enabled');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
