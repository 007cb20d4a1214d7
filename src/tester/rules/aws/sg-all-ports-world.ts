import type { Rule } from '../types.js';
import { publicIngressVerdict, SG_TYPES } from './sg-common.js';

export const sgAllPortsWorld: Rule = {
  id: 'IO_AWS_SG_ALL_PORTS_WORLD',
  title: 'Security group allows all ports from 0.0.0.0/0 or ::/0',
  severity: 'CRITICAL',
  aliases: ['CKV_AWS_277'],
  remediation: 'Open only the ports the service needs (e.g. 443) and restrict the sources.',
  docs: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  resourceTypes: SG_TYPES,
  check: (r) => publicIngressVerdict(r, null),
};
