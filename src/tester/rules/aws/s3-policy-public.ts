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

/**
 * Condition keys that, bound to fixed values, limit a `"*"` principal to known callers or networks —
 * the keys AWS itself accepts when it decides a bucket policy is not public.
 */
const NARROWING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceIp',
    'aws:VpceAccount',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:Ec2InstanceSourceVpc',
    'ec2:SourceInstanceArn',
    'lambda:SourceFunctionArn',
    'ssm:SourceInstanceArn',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

/** Operators that require the key to match (the `Not` forms and `IfExists` let other callers through). */
const MATCHING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress']);

/** Is this one value fixed enough to narrow the audience? (`key` lower-case) */
export function fixedValue(key: string, value: string): boolean {
  if (key === 'aws:sourceip') {
    const m = /\/(\d+)$/.exec(value.trim());
    const prefix = m ? Number(m[1]) : value.includes(':') ? 128 : 32;
    return value.includes(':') ? prefix >= 16 : prefix >= 8; // 0.0.0.0/0 and other huge ranges are "anyone"
  }
  if (value.startsWith('arn:')) {
    // an ARN narrows when it names one account (`arn:aws:iam::*` or `arn:aws:iam::*:role/x` do not)
    const account = value.split(':')[4] ?? '';
    if (account === '') return !value.includes('*') && !value.includes('?');
    return !/[*?]/.test(account);
  }
  return !value.includes('*') && !value.includes('?');
}

/** One `operator → key → values` clause: does it narrow the principal? */
function clauseNarrows(operator: string, key: string, values: unknown): Tri {
  const op = operator.replace(/^For(Any|All)Value:/i, '').toLowerCase();
  if (!MATCHING_OPERATORS.has(op) || !NARROWING_KEYS.has(key.toLowerCase())) return 'no';
  const vs = list(values);
  if (vs.length === 0) return 'no';
  if (vs.some((v) => typeof v !== 'string' || isUnresolved(v))) return 'maybe';
  return vs.every((v) => fixedValue(key.toLowerCase(), v as string)) ? 'yes' : 'no';
}

/** Clauses of a statement are ANDed: one narrowing clause is enough. */
function anyNarrows(clauses: Tri[]): Tri {
  if (clauses.includes('yes')) return 'yes';
  return clauses.includes('maybe') ? 'maybe' : 'no';
}

function jsonConditionNarrows(condition: unknown): Tri {
  if (condition === undefined || condition === null) return 'no';
  if (typeof condition !== 'object' || Array.isArray(condition)) return 'maybe';
  const clauses: Tri[] = [];
  for (const [op, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      clauses.push('maybe');
      continue;
    }
    for (const [key, values] of Object.entries(keys as Record<string, unknown>)) clauses.push(clauseNarrows(op, key, values));
  }
  return anyNarrows(clauses);
}

function statementVerdict(effect: unknown, anyone: Tri, narrows: Tri): Verdict {
  if (effect === 'Deny') return 'pass';
  if (typeof effect !== 'string' || isUnresolved(effect)) return 'unknown';
  if (anyone === 'no' || narrows === 'yes') return 'pass';
  return anyone === 'yes' && narrows === 'no' ? 'fail' : 'unknown';
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
      return statementVerdict(st['Effect'] ?? 'Allow', principalIsAnyone(st['Principal']), jsonConditionNarrows(st['Condition']));
    }),
  );
}

function dataVerdict(d: TfResource): Verdict {
  const v = worst(
    blocks(d.body, 'statement').map((st): Verdict => {
      if ('not_principals' in st || 'dynamic' in st) return 'unknown';
      let anyone: Tri = 'no';
      for (const p of blocks(st, 'principals')) {
        const type = p['type'];
        const ids = list(p['identifiers']);
        if (isUnresolved(type) || isUnresolved(ids)) anyone = anyone === 'yes' ? 'yes' : 'maybe';
        else if ((type === '*' || type === 'AWS') && ids.includes('*')) anyone = 'yes';
      }
      const clauses = blocks(st, 'condition').map((c): Tri => {
        const test = c['test'];
        const variable = c['variable'];
        if (typeof test !== 'string' || typeof variable !== 'string' || isUnresolved(test) || isUnresolved(variable)) return 'maybe';
        return clauseNarrows(test, variable, c['values']);
      });
      return statementVerdict(st['effect'] ?? 'Allow', anyone, anyNarrows(clauses));
    }),
  );
  const more = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json', 'dynamic'].some((k) => k in d.body);
  return v === 'pass' && more ? 'unknown' : v;
}

export const s3PolicyPublic: Rule = {
  id: 'IO_AWS_S3_POLICY_PUBLIC',
  title: 'S3 bucket policy allows any principal ("*") without a narrowing condition',
  severity: 'HIGH',
  aliases: ['CKV_AWS_70'],
  remediation:
    'Name the principals that need access, or bind statements with Principal "*" to fixed callers (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn of one account...). Serve public content through CloudFront with origin access control.',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
  resourceTypes: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
  check(r, ctx) {
    const policy = r.body['policy'];
    // no inline (legacy) policy on the bucket: nothing to judge here (an aws_s3_bucket_policy is judged itself)
    if (r.type === 'aws_s3_bucket' && (policy === undefined || policy === null || policy === '')) return 'pass';
    const doc = ctx.dataSource(r, policy, 'aws_iam_policy_document');
    if (doc) return dataVerdict(doc);
    return jsonVerdict(policyDocument(policy));
  },
};
