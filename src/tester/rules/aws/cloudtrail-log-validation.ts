import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';

export const cloudtrailLogValidation: Rule = {
  id: 'IO_AWS_CLOUDTRAIL_LOG_VALIDATION',
  title: 'CloudTrail log file validation is not enabled',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_36', 'aws-cloudtrail-enable-log-validation', 'AWS-0016'],
  remediation: 'Set enable_log_file_validation = true so tampering with delivered log files can be detected.',
  docs: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
  resourceTypes: ['aws_cloudtrail'],
  check(r) {
    const v = boolAttr(r.body, 'enable_log_file_validation');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
