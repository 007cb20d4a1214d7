import { isUnresolved, type TfResource } from '../../hcl/load.js';
import type { Rule, Verdict } from '../types.js';
import { blocks, worst } from '../util.js';
import { policyDocument } from './iam-policy-doc.js';

type Tri = 'yes' | 'no' | 'maybe';

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Is the JSON `Principal` anyone: `"*"` or `{ "AWS": "*" }`? */
function principalIsAnyone(p: unknown): Tri {
  if (p === undefined || p === null) return 'no';
  if (typeof p === 'string') return isUnresolved(p) ? 'maybe' : p === '*' ? 'yes' : 'no';
  if (typeof p !== 'object' || Array.isArray(p)) return 'maybe';
  const aws = list((p as Record<string, unknown>)['AWS']);
  if (aws.includes('*')) return 'yes';
  return aws.some((x) => typeof x !== 'string' || isUnresolved(x)) ? 'maybe' : 'no';
}

function statementVerdict(effect: unknown, anyone: Tri, hasCondition: boolean): Verdict {
  if (effect === 'Deny') return 'pass';
  if (typeof effect !== 'string' || isUnresolved(effect)) return 'unknown';
  if (anyone === 'no' || hasCondition) return 'pass'; // a condition (source VPC, org, IP...) narrows "*"
  return anyone === 'yes' ? 'fail' : 'unknown';
}

function jsonVerdict(doc: unknown): Verdict {
  if (doc === 'unknown' || doc === null || typeof doc !== 'object') return 'unknown';
  const statements = list((doc as Record<string, unknown>)['Statement']);
  if (statements.length === 0) return 'pass';
  return worst(
    statements.map((s): Verdict => {
      if (s === null || typeof s !== 'object') return 'unknown';
      const st = s as Record<string, unknown>;
      if ('NotPrincipal' in st) return 'unknown';
      return statementVerdict(st['Effect'] ?? 'Allow', principalIsAnyone(st['Principal']), st['Condition'] !== undefined);
    }),
  );
}

function dataVerdict(d: TfResource): Verdict {
  const v = worst(
    blocks(d.body, 'statement').map((st): Verdict => {
      if ('not_principals' in st || hasDynamicKey(st)) return 'unknown';
      let anyone: Tri = 'no';
      for (const p of blocks(st, 'principals')) {
        const type = p['type'];
        const ids = list(p['identifiers']);
        if (isUnresolved(type) || isUnresolved(ids)) anyone = anyone === 'yes' ? 'yes' : 'maybe';
        else if ((type === '*' || type === 'AWS') && ids.includes('*')) anyone = 'yes';
      }
      return statementVerdict(st['effect'] ?? 'Allow', anyone, blocks(st, 'condition').length > 0);
    }),
  );
  const more = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json', 'dynamic'].some((k) => k in d.body);
  return v === 'pass' && more ? 'unknown' : v;
}

function hasDynamicKey(st: Record<string, unknown>): boolean {
  return 'dynamic' in st;
}

export const s3PolicyPublic: Rule = {
  id: 'IO_AWS_S3_POLICY_PUBLIC',
  title: 'S3 bucket policy allows any principal ("*") without a condition',
  severity: 'HIGH',
  aliases: [],
  remediation: 'Name the principals that need access, or add a Condition (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn...) to statements with Principal "*". Serve public content through CloudFront with origin access control.',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
  resourceTypes: ['aws_s3_bucket_policy'],
  check(r, ctx) {
    const doc = ctx.dataSource(r, r.body['policy'], 'aws_iam_policy_document');
    if (doc) return dataVerdict(doc);
    return jsonVerdict(policyDocument(r.body['policy']));
  },
};
