import type { Rule } from '../types.js';
import { numAttr } from '../util.js';
import { isAuroraInstance, isReplica } from './rds-common.js';

/** Below this many days (AWS's API default is 1) counts as no real backup policy. */
const MIN_DAYS = 2;

export const rdsBackupRetention: Rule = {
  id: 'IO_AWS_RDS_BACKUP_RETENTION',
  title: 'RDS backup retention is missing or shorter than 2 days',
  severity: 'MEDIUM',
  aliases: ['aws-rds-specify-backup-retention', 'AWS-0077'],
  remediation: 'Set backup_retention_period to at least 7 (days) so point-in-time recovery covers a working week.',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html',
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  check(r) {
    if (r.type === 'aws_db_instance') {
      const aurora = isAuroraInstance(r.body);
      if (aurora === true || isReplica(r.body)) return 'pass'; // not applicable
      if (aurora === 'unknown') return 'unknown';
    }
    const days = numAttr(r.body, 'backup_retention_period');
    if (days === 'unknown') return 'unknown';
    return days !== undefined && days >= MIN_DAYS ? 'pass' : 'fail';
  },
};
