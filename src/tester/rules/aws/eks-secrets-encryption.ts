import { isUnresolved } from '../../hcl/load.js';
import type { Rule } from '../types.js';
import { blocks, hasDynamic } from '../util.js';

export const eksSecretsEncryption: Rule = {
  id: 'IO_AWS_EKS_SECRETS_ENCRYPTION',
  title: 'EKS cluster does not encrypt Kubernetes secrets with KMS',
  severity: 'HIGH',
  aliases: ['CKV_AWS_58', 'aws-eks-encrypt-secrets', 'AWS-0039'],
  remediation: 'Add encryption_config { resources = ["secrets"] provider { key_arn = aws_kms_key.eks.arn } }.',
  docs: 'https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html',
  resourceTypes: ['aws_eks_cluster'],
  check(r) {
    if (hasDynamic(r.body, 'encryption_config') || typeof r.body['encryption_config'] === 'string') return 'unknown';
    let maybe = false;
    for (const cfg of blocks(r.body, 'encryption_config')) {
      const res = cfg['resources'];
      if (isUnresolved(res)) maybe = true;
      else if (Array.isArray(res) ? res.includes('secrets') : res === 'secrets') return 'pass';
    }
    return maybe ? 'unknown' : 'fail';
  },
};
