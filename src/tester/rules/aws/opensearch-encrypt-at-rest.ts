import type { Rule } from '../types.js';
import { nestedBool, requireTrue } from './nested-common.js';

export const opensearchEncryptAtRest: Rule = {
  id: 'IO_AWS_OPENSEARCH_ENCRYPT_AT_REST',
  title: 'OpenSearch/Elasticsearch domain is not encrypted at rest',
  severity: 'HIGH',
  aliases: ['CKV_AWS_5', 'aws-elastic-search-enable-domain-encryption', 'AWS-0048'],
  remediation: 'Add encrypt_at_rest { enabled = true } (optionally kms_key_id).',
  docs: 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html',
  resourceTypes: ['aws_elasticsearch_domain', 'aws_opensearch_domain'],
  check: (r) => requireTrue(nestedBool(r.body, 'encrypt_at_rest', 'enabled')),
};
