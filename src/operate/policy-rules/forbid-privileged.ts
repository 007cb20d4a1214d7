/** `forbidPrivileged`: no container runs with `securityContext.privileged: true`. */
import { containersOf, describeSubject, field, podSpecOf, type RuleCheck } from './subject.js';

export const forbidPrivileged: RuleCheck = {
  name: 'forbidPrivileged',
  check(s, _params, ctx) {
    return containersOf(podSpecOf(s.kind, s.object), ['initContainers', 'containers', 'ephemeralContainers'])
      .filter((c) => field(c.container, 'securityContext', 'privileged') === true)
      .map((c) => `${describeSubject(s, ctx)}: container "${c.name}" runs privileged (securityContext.privileged: true)`);
  },
};
