import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';

export const cloudtrailMultiRegion: Rule = {
  id: 'IO_AWS_CLOUDTRAIL_MULTI_REGION',
  title: 'CloudTrail trail is not multi-region',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_67', 'aws-cloudtrail-enable-all-regions', 'AWS-0014'],
  remediation: 'Set is_multi_region_trail = true so API activity in every region is recorded.',
  docs: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
  resourceTypes: ['aws_cloudtrail'],
  check(r) {
    const v = boolAttr(r.body, 'is_multi_region_trail');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
