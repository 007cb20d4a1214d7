import type { Rule, Verdict } from '../types.js';
import { blocks, hasDynamic, strAttr, UNKNOWN } from '../util.js';

function behaviorVerdict(b: Record<string, unknown>): Verdict {
  const p = strAttr(b, 'viewer_protocol_policy');
  if (p === UNKNOWN) return 'unknown';
  return p === 'allow-all' ? 'fail' : 'pass';
}

export const cloudfrontHttps: Rule = {
  id: 'IO_AWS_CLOUDFRONT_HTTPS',
  title: 'CloudFront distribution serves viewers over plain HTTP',
  severity: 'HIGH',
  aliases: ['CKV_AWS_34', 'aws-cloudfront-enforce-https', 'AWS-0012'],
  remediation: 'Set viewer_protocol_policy = "redirect-to-https" (or "https-only") on the default and every ordered cache behavior.',
  docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html',
  resourceTypes: ['aws_cloudfront_distribution'],
  check(r) {
    const behaviors = [...blocks(r.body, 'default_cache_behavior'), ...blocks(r.body, 'ordered_cache_behavior')];
    const vs = behaviors.map(behaviorVerdict);
    if (vs.includes('fail')) return 'fail';
    if (hasDynamic(r.body, 'ordered_cache_behavior') || typeof r.body['ordered_cache_behavior'] === 'string') return 'unknown';
    if (vs.includes('unknown') || blocks(r.body, 'default_cache_behavior').length === 0) return 'unknown';
    return 'pass';
  },
};
