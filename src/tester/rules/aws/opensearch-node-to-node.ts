import type { Rule } from '../types.js';
import { nestedBool, requireTrue } from './nested-common.js';

export const opensearchNodeToNode: Rule = {
  id: 'IO_AWS_OPENSEARCH_NODE_TO_NODE',
  title: 'OpenSearch/Elasticsearch domain does not encrypt node-to-node traffic',
  severity: 'HIGH',
  aliases: ['CKV_AWS_6', 'aws-elastic-search-enable-in-transit-encryption', 'AWS-0043'],
  remediation: 'Add node_to_node_encryption { enabled = true }.',
  docs: 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html',
  resourceTypes: ['aws_elasticsearch_domain', 'aws_opensearch_domain'],
  check: (r) => requireTrue(nestedBool(r.body, 'node_to_node_encryption', 'enabled')),
};
