import type { Rule } from '../types.js';
import { imdsV2Verdict } from './imds-common.js';

export const launchTemplateImdsv2: Rule = {
  id: 'IO_AWS_LAUNCH_TEMPLATE_IMDSV2',
  title: 'Launch template/configuration does not require IMDSv2 session tokens',
  severity: 'HIGH',
  aliases: ['CKV_AWS_79', 'aws-ec2-enforce-launch-config-http-token-imds', 'AWS-0130'],
  remediation: 'Add metadata_options { http_tokens = "required" } so every instance launched from it enforces IMDSv2.',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
  resourceTypes: ['aws_launch_template', 'aws_launch_configuration'],
  check: (r) => imdsV2Verdict(r.body),
};
