import type { Rule } from '../types.js';
import { nestedBool, requireTrue } from './nested-common.js';

export const opensearchEnforceHttps: Rule = {
  id: 'IO_AWS_OPENSEARCH_ENFORCE_HTTPS',
  title: 'OpenSearch/Elasticsearch domain does not enforce HTTPS',
  severity: 'HIGH',
  aliases: ['CKV_AWS_83', 'aws-elastic-search-enforce-https', 'AWS-0046'],
  remediation: 'Add domain_endpoint_options { enforce_https = true, tls_security_policy = "Policy-Min-TLS-1-2-2019-07" }.',
  docs: 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html',
  resourceTypes: ['aws_elasticsearch_domain', 'aws_opensearch_domain'],
  check: (r) => requireTrue(nestedBool(r.body, 'domain_endpoint_options', 'enforce_https')),
};
