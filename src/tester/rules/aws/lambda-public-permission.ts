import { isUnresolved } from '../../hcl/load.js';
import type { Rule } from '../types.js';
import { strAttr, UNKNOWN } from '../util.js';
import { fixedValue } from './s3-policy-public.js';

/** The permission's arguments that become conditions on the policy statement, with their condition keys. */
const SOURCES: Array<[string, string]> = [
  ['source_arn', 'aws:sourcearn'],
  ['source_account', 'aws:sourceaccount'],
  ['principal_org_id', 'aws:principalorgid'],
];

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
    // source_arn / source_account / principal_org_id narrow "*" to one caller, unless they are wildcards
    let maybe = false;
    for (const [attr, key] of SOURCES) {
      const v = r.body[attr];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || isUnresolved(v)) maybe = true;
      else if (fixedValue(key, v)) return 'pass';
    }
    return maybe ? 'unknown' : 'fail';
  },
};
