import type { Rule } from '../types.js';
import { boolAttr, strAttr, UNKNOWN } from '../util.js';

export const kmsKeyRotation: Rule = {
  id: 'IO_AWS_KMS_KEY_ROTATION',
  title: 'KMS key rotation is not enabled',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_7', 'aws-kms-auto-rotate-keys', 'AWS-0065'],
  remediation: 'Set enable_key_rotation = true (symmetric encryption keys only).',
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
  resourceTypes: ['aws_kms_key'],
  check(r) {
    const spec = strAttr(r.body, 'customer_master_key_spec') ?? strAttr(r.body, 'key_spec');
    if (spec === UNKNOWN) return 'unknown';
    if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') return 'pass'; // rotation not supported: not applicable
    const usage = strAttr(r.body, 'key_usage');
    if (usage === UNKNOWN) return 'unknown';
    if (usage !== undefined && usage !== 'ENCRYPT_DECRYPT') return 'pass';
    const v = boolAttr(r.body, 'enable_key_rotation');
    if (v === 'unknown') return 'unknown';
    return v === true ? 'pass' : 'fail';
  },
};
