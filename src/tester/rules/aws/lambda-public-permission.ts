import type { Rule } from '../types.js';
import { strAttr, UNKNOWN } from '../util.js';

export const lambdaPublicPermission: Rule = {
  id: 'IO_AWS_LAMBDA_PUBLIC_PERMISSION',
  title: 'Lambda permission lets any principal ("*") invoke the function',
  severity: 'HIGH',
  aliases: [],
  remediation: 'Name the calling service or account as principal, and scope it with source_arn / source_account / principal_org_id.',
  docs: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
  resourceTypes: ['aws_lambda_permission'],
  check(r) {
    const p = strAttr(r.body, 'principal');
    if (p === UNKNOWN) return 'unknown';
    if (p !== '*') return 'pass';
    // a condition narrows "*" to a source
    if (['source_arn', 'source_account', 'principal_org_id'].some((k) => r.body[k] !== undefined && r.body[k] !== null)) return 'pass';
    return 'fail';
  },
};
