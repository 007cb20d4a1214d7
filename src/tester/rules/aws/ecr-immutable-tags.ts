import type { Rule } from '../types.js';
import { strAttr, UNKNOWN } from '../util.js';

export const ecrImmutableTags: Rule = {
  id: 'IO_AWS_ECR_IMMUTABLE_TAGS',
  title: 'ECR repository allows image tags to be overwritten',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_51', 'aws-ecr-enforce-immutable-repository', 'AWS-0031'],
  remediation: 'Set image_tag_mutability = "IMMUTABLE" so a pushed tag always names the same image.',
  docs: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
  resourceTypes: ['aws_ecr_repository'],
  check(r) {
    const v = strAttr(r.body, 'image_tag_mutability');
    if (v === UNKNOWN) return 'unknown';
    return v !== undefined && v.toUpperCase().startsWith('IMMUTABLE') ? 'pass' : 'fail';
  },
};
