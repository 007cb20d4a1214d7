import type { Rule } from '../types.js';
import { nestedBool, requireTrue } from './nested-common.js';

export const dynamodbPitr: Rule = {
  id: 'IO_AWS_DYNAMODB_PITR',
  title: 'DynamoDB table has no point-in-time recovery',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_28', 'aws-dynamodb-enable-recovery', 'AWS-0024'],
  remediation: 'Add point_in_time_recovery { enabled = true } so the table can be restored to any second in the last 35 days.',
  docs: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html',
  resourceTypes: ['aws_dynamodb_table'],
  check: (r) => requireTrue(nestedBool(r.body, 'point_in_time_recovery', 'enabled')),
};
