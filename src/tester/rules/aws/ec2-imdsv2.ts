import type { Rule } from '../types.js';
import { imdsV2Verdict } from './imds-common.js';

export const ec2Imdsv2: Rule = {
  id: 'IO_AWS_EC2_IMDSV2',
  title: 'EC2 instance does not require IMDSv2 session tokens',
  severity: 'HIGH',
  aliases: ['CKV_AWS_79', 'aws-ec2-enforce-http-token-imds', 'AWS-0028'],
  remediation: 'Add metadata_options { http_tokens = "required" } (or http_endpoint = "disabled" if the instance needs no metadata).',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
  resourceTypes: ['aws_instance'],
  check(r) {
    const v = imdsV2Verdict(r.body);
    // without its own metadata_options, an instance launched from a template inherits the template's
    if (v === 'fail' && r.body['metadata_options'] === undefined && r.body['launch_template'] !== undefined) return 'unknown';
    return v;
  },
};
