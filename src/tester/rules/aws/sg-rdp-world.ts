import type { Rule } from '../types.js';
import { publicIngressVerdict, SG_TYPES } from './sg-common.js';

export const sgRdpWorld: Rule = {
  id: 'IO_AWS_SG_RDP_WORLD',
  title: 'Security group allows RDP (3389) from 0.0.0.0/0 or ::/0',
  severity: 'HIGH',
  aliases: ['CKV_AWS_25'],
  remediation: 'Restrict port 3389 to known CIDRs (VPN) or use SSM Fleet Manager / a bastion.',
  docs: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  resourceTypes: SG_TYPES,
  check: (r) => publicIngressVerdict(r, 3389),
};
