import type { Rule } from '../types.js';
import { nestedBool } from './nested-common.js';

export const ecrScanOnPush: Rule = {
  id: 'IO_AWS_ECR_SCAN_ON_PUSH',
  title: 'ECR repository does not scan images on push',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_163', 'aws-ecr-enable-image-scans', 'AWS-0030'],
  remediation: 'Add image_scanning_configuration { scan_on_push = true }, or configure registry-wide scanning.',
  docs: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html',
  resourceTypes: ['aws_ecr_repository'],
  check(r, ctx) {
    const v = nestedBool(r.body, 'image_scanning_configuration', 'scan_on_push');
    if (v === true) return 'pass';
    if (v === 'unknown') return 'unknown';
    // registry-level scanning rules may cover this repository
    if (ctx.resources.some((x) => x.type === 'aws_ecr_registry_scanning_configuration' && x.module === r.module)) return 'unknown';
    return 'fail';
  },
};
