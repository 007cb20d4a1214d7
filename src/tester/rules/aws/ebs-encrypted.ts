import type { Rule } from '../types.js';
import { boolAttr } from '../util.js';

export const ebsEncrypted: Rule = {
  id: 'IO_AWS_EBS_ENCRYPTED',
  title: 'EBS volume is not encrypted',
  severity: 'HIGH',
  aliases: ['CKV_AWS_3', 'aws-ebs-enable-volume-encryption', 'AWS-0026'],
  remediation: 'Set encrypted = true (optionally kms_key_id), or enable aws_ebs_encryption_by_default for the account and region.',
  docs: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
  resourceTypes: ['aws_ebs_volume'],
  check(r, ctx) {
    const v = boolAttr(r.body, 'encrypted');
    if (v === true) return 'pass';
    if (v === 'unknown') return 'unknown';
    const byDefault = ctx.resources.filter((x) => x.type === 'aws_ebs_encryption_by_default').map((x) => boolAttr(x.body, 'enabled') ?? true);
    if (v === undefined && byDefault.includes(true)) return 'pass';
    if (v === undefined && byDefault.includes('unknown')) return 'unknown';
    if (v === undefined && r.body['snapshot_id'] !== undefined) return 'unknown'; // inherits the snapshot's encryption
    return 'fail';
  },
};
