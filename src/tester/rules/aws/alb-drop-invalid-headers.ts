import type { Rule } from '../types.js';
import { boolAttr, UNKNOWN } from '../util.js';
import { LB_TYPES, lbType } from './lb-common.js';

export const albDropInvalidHeaders: Rule = {
  id: 'IO_AWS_ALB_DROP_INVALID_HEADERS',
  title: 'Application load balancer does not drop invalid HTTP header fields',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_131', 'aws-elb-drop-invalid-headers', 'AWS-0052'],
  remediation: 'Set drop_invalid_header_fields = true on the application load balancer (mitigates request smuggling).',
  docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes',
  resourceTypes: LB_TYPES,
  check(r) {
    const t = lbType(r);
    if (t === UNKNOWN) return 'unknown';
    if (t !== 'application') return 'pass'; // not applicable
    const v = boolAttr(r.body, 'drop_invalid_header_fields');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
