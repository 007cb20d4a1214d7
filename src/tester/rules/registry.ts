/**
 * The built-in rule set and the runner that turns failing verdicts into findings.
 */
import type { Finding } from '../finding.js';
import { normalizeRuleId, type Suppression, type TfResource } from '../hcl/load.js';
import { cloudtrailLogValidation } from './aws/cloudtrail-log-validation.js';
import { cloudtrailMultiRegion } from './aws/cloudtrail-multi-region.js';
import { ebsEncrypted } from './aws/ebs-encrypted.js';
import { iamAdminPolicy } from './aws/iam-admin-policy.js';
import { kmsKeyRotation } from './aws/kms-key-rotation.js';
import { rdsBackupRetention } from './aws/rds-backup-retention.js';
import { rdsDeletionProtection } from './aws/rds-deletion-protection.js';
import { rdsPublic } from './aws/rds-public.js';
import { rdsStorageEncrypted } from './aws/rds-storage-encrypted.js';
import { s3Encryption } from './aws/s3-encryption.js';
import { s3Logging } from './aws/s3-logging.js';
import { s3PublicAccessBlock } from './aws/s3-public-access-block.js';
import { s3PublicAcl } from './aws/s3-public-acl.js';
import { s3Versioning } from './aws/s3-versioning.js';
import { sgAllPortsWorld } from './aws/sg-all-ports-world.js';
import { sgRdpWorld } from './aws/sg-rdp-world.js';
import { sgSshWorld } from './aws/sg-ssh-world.js';
import { albDropInvalidHeaders } from './aws/alb-drop-invalid-headers.js';
import { apigwAccessLogging } from './aws/apigw-access-logging.js';
import { cloudtrailKms } from './aws/cloudtrail-kms.js';
import { dynamodbPitr } from './aws/dynamodb-pitr.js';
import { ec2Imdsv2 } from './aws/ec2-imdsv2.js';
import { ecrImmutableTags } from './aws/ecr-immutable-tags.js';
import { ecrScanOnPush } from './aws/ecr-scan-on-push.js';
import { efsEncrypted } from './aws/efs-encrypted.js';
import { eksPublicEndpointWorld } from './aws/eks-public-endpoint-world.js';
import { eksSecretsEncryption } from './aws/eks-secrets-encryption.js';
import { elasticacheAtRestEncryption } from './aws/elasticache-at-rest-encryption.js';
import { elasticacheInTransitEncryption } from './aws/elasticache-in-transit-encryption.js';
import { lambdaPublicPermission } from './aws/lambda-public-permission.js';
import { launchTemplateImdsv2 } from './aws/launch-template-imdsv2.js';
import { lbHttpListener } from './aws/lb-http-listener.js';
import { opensearchEncryptAtRest } from './aws/opensearch-encrypt-at-rest.js';
import { opensearchEnforceHttps } from './aws/opensearch-enforce-https.js';
import { opensearchNodeToNode } from './aws/opensearch-node-to-node.js';
import { rdsIamAuth } from './aws/rds-iam-auth.js';
import { rdsMultiAz } from './aws/rds-multi-az.js';
import { redshiftEncrypted } from './aws/redshift-encrypted.js';
import { s3PolicyPublic } from './aws/s3-policy-public.js';
import { snsEncrypted } from './aws/sns-encrypted.js';
import { sqsEncrypted } from './aws/sqs-encrypted.js';
import { cloudfrontHttps } from './aws/cloudfront-https.js';
import type { Rule, Verdict } from './types.js';
import { makeContext } from './util.js';

export type { Rule, RuleContext, Verdict } from './types.js';

export const RULES: readonly Rule[] = [
  s3PublicAcl,
  s3PublicAccessBlock,
  s3Encryption,
  s3Versioning,
  s3Logging,
  sgSshWorld,
  sgRdpWorld,
  sgAllPortsWorld,
  rdsStorageEncrypted,
  rdsPublic,
  rdsBackupRetention,
  rdsDeletionProtection,
  ebsEncrypted,
  iamAdminPolicy,
  cloudtrailMultiRegion,
  cloudtrailLogValidation,
  kmsKeyRotation,
  albDropInvalidHeaders,
  apigwAccessLogging,
  cloudtrailKms,
  dynamodbPitr,
  ec2Imdsv2,
  ecrImmutableTags,
  ecrScanOnPush,
  efsEncrypted,
  eksPublicEndpointWorld,
  eksSecretsEncryption,
  elasticacheAtRestEncryption,
  elasticacheInTransitEncryption,
  lambdaPublicPermission,
  launchTemplateImdsv2,
  lbHttpListener,
  opensearchEncryptAtRest,
  opensearchEnforceHttps,
  opensearchNodeToNode,
  rdsIamAuth,
  rdsMultiAz,
  redshiftEncrypted,
  s3PolicyPublic,
  snsEncrypted,
  sqsEncrypted,
  cloudfrontHttps,
];

export function getRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export interface Evaluation {
  rule: Rule;
  resource: TfResource;
  verdict: Verdict;
}

/** Every applicable (rule, resource) pair with its verdict. */
export function evaluate(resources: TfResource[], rules: readonly Rule[] = RULES, data: TfResource[] = []): Evaluation[] {
  const ctx = makeContext(resources, data);
  const out: Evaluation[] = [];
  for (const resource of resources) {
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      let verdict: Verdict;
      try {
        verdict = rule.check(resource, ctx);
      } catch {
        verdict = 'unknown';
      }
      out.push({ rule, resource, verdict });
    }
  }
  return out;
}

/** The suppression on `resource` that names the rule's id or one of its aliases. */
export function findSuppression(rule: Rule, resource: TfResource): Suppression | undefined {
  const ids = new Set([rule.id, ...rule.aliases].map(normalizeRuleId));
  return resource.suppressions.find((s) => ids.has(normalizeRuleId(s.id)));
}

/** Findings for failing verdicts (unknown is not a failure). Pass `data` (from the loader) to let rules follow `data.*` references. */
export function runRules(resources: TfResource[], rules: readonly Rule[] = RULES, data: TfResource[] = []): Finding[] {
  return evaluate(resources, rules, data)
    .filter((e) => e.verdict === 'fail')
    .map(({ rule, resource }): Finding => {
      const s = findSuppression(rule, resource);
      return {
        ruleId: rule.id,
        aliases: [...rule.aliases],
        title: rule.title,
        severity: rule.severity,
        tools: ['builtin'],
        resource: resource.address,
        file: resource.file,
        startLine: resource.startLine,
        endLine: resource.endLine,
        remediation: rule.remediation,
        docs: rule.docs,
        suppressed: s ? { reason: s.reason, by: s.by } : null,
      };
    });
}
