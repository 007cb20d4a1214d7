import type { Rule } from '../types.js';
import { publicIngressVerdict, SG_TYPES } from './sg-common.js';

export const sgSshWorld: Rule = {
  id: 'IO_AWS_SG_SSH_WORLD',
  title: 'Security group allows SSH (22) from 0.0.0.0/0 or ::/0',
  severity: 'HIGH',
  aliases: ['CKV_AWS_24'],
  remediation: 'Restrict port 22 to known CIDRs (VPN, bastion) or use SSM Session Manager instead of SSH.',
  docs: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  resourceTypes: SG_TYPES,
  check: (r) => publicIngressVerdict(r, 22),
};
