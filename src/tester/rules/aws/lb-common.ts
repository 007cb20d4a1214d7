import type { TfResource } from '../../hcl/load.js';
import type { RuleContext } from '../types.js';
import { strAttr, UNKNOWN } from '../util.js';

export const LB_TYPES = ['aws_lb', 'aws_alb'];
export const LISTENER_TYPES = ['aws_lb_listener', 'aws_alb_listener'];

/** `application` | `network` | `gateway`, or UNKNOWN. `aws_lb` defaults to application. */
export function lbType(r: TfResource): string | typeof UNKNOWN {
  const t = strAttr(r.body, 'load_balancer_type');
  if (t === UNKNOWN) return UNKNOWN;
  return (t ?? 'application').toLowerCase();
}

/** The load balancer a listener's `load_balancer_arn` refers to, in the same module. */
export function listenerLb(listener: TfResource, ctx: RuleContext): TfResource | undefined {
  const v = listener.body['load_balancer_arn'];
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{(aws_lb|aws_alb)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.(arn|id)\}$/.exec(v.trim());
  if (!m) return undefined;
  return ctx.resources.find((x) => x.type === m[1] && x.name === m[2] && x.module === listener.module);
}
