import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';
import { isAuroraInstance, isReplica } from './rds-common.js';

export const rdsStorageEncrypted: Rule = {
  id: 'IO_AWS_RDS_STORAGE_ENCRYPTED',
  title: 'RDS instance storage is not encrypted',
  severity: 'HIGH',
  aliases: ['CKV_AWS_16', 'aws-rds-encrypt-instance-storage-data', 'AWS-0080'],
  remediation: 'Set storage_encrypted = true (optionally with kms_key_id). Existing instances must be restored from an encrypted snapshot copy.',
  docs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
  resourceTypes: ['aws_db_instance'],
  check(r) {
    const aurora = isAuroraInstance(r.body);
    if (aurora === true) return 'pass'; // governed by the cluster
    const v = boolAttr(r.body, 'storage_encrypted');
    if (v === true) return 'pass';
    if (v === 'unknown' || aurora === 'unknown') return 'unknown';
    if (isReplica(r.body) && v === undefined) return 'unknown'; // inherits from the source
    if (v === undefined && r.body['snapshot_identifier'] !== undefined && r.body['snapshot_identifier'] !== null) return 'unknown'; // inherits the snapshot's
    return 'fail';
  },
};
