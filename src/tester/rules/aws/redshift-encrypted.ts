import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { requireTrue } from './nested-common.js';

export const redshiftEncrypted: Rule = {
  id: 'IO_AWS_REDSHIFT_ENCRYPTED',
  title: 'Redshift cluster is not encrypted',
  severity: 'HIGH',
  aliases: ['CKV_AWS_64'],
  remediation: 'Set encrypted = true (optionally kms_key_id).',
  docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
  resourceTypes: ['aws_redshift_cluster'],
  check: (r) => requireTrue(boolAttr(r.body, 'encrypted')),
};
