import type { Rule, Verdict } from '../types.js';
import { blocks, hasDynamic, strAttr, UNKNOWN } from '../util.js';
import { LISTENER_TYPES, lbType, listenerLb } from './lb-common.js';

/** Does the listener's default action redirect to HTTPS? */
function redirectsToHttps(body: Record<string, unknown>): Verdict {
  if (hasDynamic(body, 'default_action') || typeof body['default_action'] === 'string') return 'unknown';
  const actions = blocks(body, 'default_action');
  let maybe = false;
  for (const a of actions) {
    const type = strAttr(a, 'type');
    if (type === UNKNOWN) {
      maybe = true;
      continue;
    }
    if (type !== 'redirect') continue;
    for (const rd of blocks(a, 'redirect')) {
      const p = strAttr(rd, 'protocol');
      if (p === UNKNOWN) maybe = true;
      else if (p?.toUpperCase() === 'HTTPS') return 'pass';
    }
  }
  return maybe ? 'unknown' : 'fail';
}

export const lbHttpListener: Rule = {
  id: 'IO_AWS_LB_HTTP_LISTENER',
  title: 'Load balancer listener serves plain HTTP without redirecting to HTTPS',
  severity: 'HIGH',
  aliases: ['CKV_AWS_2', 'aws-elb-http-not-used', 'AWS-0054'],
  remediation: 'Use protocol = "HTTPS" with a certificate, or make the HTTP listener\'s default_action a redirect with protocol = "HTTPS".',
  docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html',
  resourceTypes: LISTENER_TYPES,
  check(r, ctx) {
    const proto = strAttr(r.body, 'protocol');
    // whatever the protocol, a listener that redirects everything to HTTPS serves nothing over HTTP
    if (proto === UNKNOWN) return redirectsToHttps(r.body) === 'pass' ? 'pass' : 'unknown';
    if (proto !== undefined && proto.toUpperCase() !== 'HTTP') return 'pass';
    if (proto === undefined) {
      // without a protocol, network/gateway listeners are not HTTP; only a known ALB defaults to HTTP
      const lb = listenerLb(r, ctx);
      if (!lb) return 'unknown';
      const t = lbType(lb);
      if (t === UNKNOWN) return 'unknown';
      if (t !== 'application') return 'pass';
    }
    return redirectsToHttps(r.body);
  },
};
