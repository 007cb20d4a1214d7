import type { Rule } from '../types.js';
import { blocks } from '../util.js';
import { nestedBool } from './nested-common.js';

export const opensearchEnforceHttps: Rule = {
  id: 'IO_AWS_OPENSEARCH_ENFORCE_HTTPS',
  title: 'OpenSearch/Elasticsearch domain does not enforce HTTPS',
  severity: 'HIGH',
  aliases: ['CKV_AWS_83', 'aws-elastic-search-enforce-https', 'AWS-0046'],
  remediation: 'Add domain_endpoint_options { enforce_https = true, tls_security_policy = "Policy-Min-TLS-1-2-2019-07" }.',
  docs: 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html',
  resourceTypes: ['aws_elasticsearch_domain', 'aws_opensearch_domain'],
  check(r) {
    const v = nestedBool(r.body, 'domain_endpoint_options', 'enforce_https');
    if (v === 'unknown') return 'unknown';
    if (v === true) return 'pass';
    if (v === false) return 'fail';
    // inside the block the provider defaults enforce_https to true; without the block the API default is off
    return blocks(r.body, 'domain_endpoint_options').length > 0 ? 'pass' : 'fail';
  },
};
