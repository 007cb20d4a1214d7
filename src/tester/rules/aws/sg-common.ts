import { isUnresolved, type TfResource } from '../../hcl/load.js';
import type { Verdict } from '../types.js';
import { blocks, hasDynamic, numAttr, worst } from '../util.js';

export const SG_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];

const WORLD = new Set(['0.0.0.0/0', '::/0']);
type Tri = 'yes' | 'no' | 'maybe';

interface Ingress {
  world: Tri;
  /** Does the rule cover `port` (or, for `null`, every port)? */
  covers(port: number | null): Tri;
}

function worldOpen(values: unknown[]): Tri {
  let maybe = false;
  for (const v of values) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && isUnresolved(v)) {
      maybe = true;
      continue;
    }
    const list = Array.isArray(v) ? v : [v];
    for (const c of list) {
      if (typeof c !== 'string') continue;
      if (isUnresolved(c)) maybe = true;
      else if (WORLD.has(c.trim())) return 'yes';
    }
  }
  return maybe ? 'maybe' : 'no';
}

function portCoverage(body: Record<string, unknown>, protocolKey: string, tcpOnly: boolean): (port: number | null) => Tri {
  const proto = body[protocolKey];
  const from = numAttr(body, 'from_port');
  const to = numAttr(body, 'to_port');
  return (port) => {
    if (typeof proto === 'string' && isUnresolved(proto)) return 'maybe';
    const p = String(proto ?? '').toLowerCase();
    if (p === '-1' || p === 'all') return 'yes';
    if (tcpOnly && port !== null && !(p === 'tcp' || p === '6')) return 'no';
    if (from === 'unknown' || to === 'unknown') return 'maybe';
    if (from === undefined || to === undefined) return 'maybe';
    if (from === -1 && to === -1) return 'yes'; // -1 is the API's "all"
    if (port === null) return from <= 0 && to >= 65535 ? 'yes' : 'no';
    return from <= port && port <= to ? 'yes' : 'no';
  };
}

/** Ingress entries declared by the resource; `null` when they cannot be known (dynamic blocks). */
function ingressOf(r: TfResource): Ingress[] | null {
  const b = r.body;
  if (r.type === 'aws_security_group') {
    if (hasDynamic(b, 'ingress')) return null;
    if (typeof b['ingress'] === 'string') return null; // `ingress = var.rules`
    return blocks(b, 'ingress').map((i) => ({
      world: worldOpen([i['cidr_blocks'], i['ipv6_cidr_blocks']]),
      covers: portCoverage(i, 'protocol', true),
    }));
  }
  if (r.type === 'aws_security_group_rule') {
    const t = b['type'];
    if (typeof t === 'string' && isUnresolved(t)) return null;
    if (t !== 'ingress') return [];
    return [{ world: worldOpen([b['cidr_blocks'], b['ipv6_cidr_blocks']]), covers: portCoverage(b, 'protocol', true) }];
  }
  if (r.type === 'aws_vpc_security_group_ingress_rule') {
    return [{ world: worldOpen([b['cidr_ipv4'], b['cidr_ipv6']]), covers: portCoverage(b, 'ip_protocol', true) }];
  }
  return [];
}

/** fail when some ingress is open to 0.0.0.0/0 or ::/0 on `port` (`null`: on all ports). */
export function publicIngressVerdict(r: TfResource, port: number | null): Verdict {
  const entries = ingressOf(r);
  if (entries === null) return 'unknown';
  return worst(
    entries.map((e) => {
      const c = e.covers(port);
      if (e.world === 'no' || c === 'no') return 'pass';
      if (e.world === 'yes' && c === 'yes') return 'fail';
      return 'unknown';
    }),
  );
}
