import type { Rule, Verdict } from '../types.js';
import { blocks, strAttr, UNKNOWN, worst } from '../util.js';
import type { TfResource } from '../../hcl/load.js';
import { isUnresolved } from '../../hcl/load.js';

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read', 'website']);
const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

function aclVerdict(body: Record<string, unknown>): Verdict {
  const verdicts: Verdict[] = [];
  const acl = strAttr(body, 'acl');
  if (acl === UNKNOWN) verdicts.push('unknown');
  else if (acl !== undefined) verdicts.push(PUBLIC_ACLS.has(acl) ? 'fail' : 'pass');
  // inline `grant { uri = ... }` (legacy bucket) and `access_control_policy { grant { grantee { uri } } }`
  const grants = [...blocks(body, 'grant'), ...blocks(body, 'access_control_policy').flatMap((p) => blocks(p, 'grant'))];
  for (const g of grants) {
    const uris = [g['uri'], ...blocks(g, 'grantee').map((x) => x['uri'])];
    for (const u of uris) {
      if (typeof u !== 'string') continue;
      if (isUnresolved(u)) verdicts.push('unknown');
      else verdicts.push(PUBLIC_GROUPS.test(u) ? 'fail' : 'pass');
    }
  }
  return worst(verdicts);
}

export const s3PublicAcl: Rule = {
  id: 'IO_AWS_S3_PUBLIC_ACL',
  title: 'S3 bucket ACL grants public access',
  severity: 'HIGH',
  aliases: ['CKV_AWS_20', 'aws-s3-no-public-access-with-acl', 'AWS-0092'],
  remediation: 'Use a private ACL (or BucketOwnerEnforced object ownership with no ACL) and serve public content through CloudFront with origin access control.',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl',
  resourceTypes: ['aws_s3_bucket'],
  check(resource: TfResource, ctx) {
    const acls = ctx.companions(resource, 'aws_s3_bucket_acl');
    const verdicts = [aclVerdict(resource.body), ...acls.matches.map((a) => aclVerdict(a.body))];
    const v = worst(verdicts);
    // an ACL resource we cannot attribute might be a public one on this bucket
    return v === 'pass' && acls.ambiguous ? 'unknown' : v;
  },
};
