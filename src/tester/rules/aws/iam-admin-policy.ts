import { isUnresolved } from '../../hcl/load.js';
import type { Rule, Verdict } from '../types.js';
import { blocks, worst } from '../util.js';
import type { TfResource } from '../../hcl/load.js';
import { policyDocument } from './iam-policy-doc.js';

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** 'yes' if the list contains "*", 'maybe' if it has unresolved entries. */
function hasStar(v: unknown): 'yes' | 'no' | 'maybe' {
  let maybe = false;
  for (const x of asList(v)) {
    if (x === '*') return 'yes';
    if (typeof x !== 'string' || isUnresolved(x)) maybe = true;
  }
  return maybe ? 'maybe' : 'no';
}

export function adminStatementVerdict(doc: unknown): Verdict {
  if (doc === 'unknown' || doc === null || typeof doc !== 'object') return 'unknown';
  const statements = asList((doc as Record<string, unknown>)['Statement']);
  return worst(
    statements.map((s): Verdict => {
      if (s === null || typeof s !== 'object') return 'unknown';
      const st = s as Record<string, unknown>;
      const effect = st['Effect'] ?? 'Allow';
      if (effect === 'Deny') return 'pass';
      if (typeof effect !== 'string' || isUnresolved(effect)) return 'unknown';
      const a = hasStar(st['Action']);
      const r = hasStar(st['Resource']);
      if (a === 'no' || r === 'no') return 'pass';
      if (a === 'yes' && r === 'yes') return 'fail';
      return 'unknown';
    }),
  );
}

export const iamAdminPolicy: Rule = {
  id: 'IO_AWS_IAM_ADMIN_POLICY',
  title: 'IAM policy allows "*" actions on "*" resources',
  severity: 'HIGH',
  aliases: ['CKV_AWS_62'],
  remediation: 'Grant only the actions and resources the principal needs; use AWS managed job-function policies or access-analyzer generated policies as a start.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  resourceTypes: ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'],
  check(r, ctx) {
    const doc = ctx.dataSource(r, r.body['policy'], 'aws_iam_policy_document');
    if (doc) return policyDocumentDataVerdict(doc);
    return adminStatementVerdict(policyDocument(r.body['policy']));
  },
};

/** `data "aws_iam_policy_document"`: `statement { effect, actions, resources }` blocks. */
export function policyDocumentDataVerdict(d: TfResource): Verdict {
  const statements = blocks(d.body, 'statement').map((st) => ({
    Effect: st['effect'] ?? 'Allow',
    Action: st['actions'],
    Resource: st['resources'],
  }));
  const v = adminStatementVerdict({ Statement: statements });
  const more = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json', 'dynamic'].some((k) => k in d.body);
  return v === 'pass' && more ? 'unknown' : v;
}
