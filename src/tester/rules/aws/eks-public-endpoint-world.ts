import { isUnresolved } from '../../hcl/load.js';
import type { Rule } from '../types.js';
import { blocks, boolAttr, hasDynamic } from '../util.js';

export const eksPublicEndpointWorld: Rule = {
  id: 'IO_AWS_EKS_PUBLIC_ENDPOINT_WORLD',
  title: 'EKS cluster API endpoint is public and open to 0.0.0.0/0',
  severity: 'HIGH',
  aliases: ['CKV_AWS_38', 'aws-eks-no-public-cluster-access-to-cidr', 'AWS-0041'],
  remediation: 'Set vpc_config { endpoint_public_access = false }, or restrict public_access_cidrs to known ranges (the default is 0.0.0.0/0).',
  docs: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  resourceTypes: ['aws_eks_cluster'],
  check(r) {
    if (hasDynamic(r.body, 'vpc_config') || typeof r.body['vpc_config'] === 'string') return 'unknown';
    const vpc = blocks(r.body, 'vpc_config')[0] ?? {};
    const pub = boolAttr(vpc, 'endpoint_public_access');
    if (pub === false) return 'pass';
    if (pub === 'unknown') return 'unknown';
    const cidrs = vpc['public_access_cidrs'];
    if (cidrs === undefined || cidrs === null) return 'fail'; // defaults to 0.0.0.0/0
    if (typeof cidrs === 'string') return 'unknown';
    if (!Array.isArray(cidrs)) return 'unknown';
    if (cidrs.some((c) => typeof c === 'string' && c.trim() === '0.0.0.0/0')) return 'fail';
    return isUnresolved(cidrs) ? 'unknown' : 'pass';
  },
};
