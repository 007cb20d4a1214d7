/**
 * `forbidDeleteKinds`: no deleting objects of the listed kinds (param `kinds`, e.g. PersistentVolumeClaim,
 * PersistentVolume, Namespace). `kubectl delete -f FILE` is judged by the file's objects when the
 * caller passes them (`PolicyInput.files`); otherwise it is flagged: it cannot be shown to spare those kinds.
 */
import { canonicalKind } from './kinds.js';
import { describeSubject, type RuleCheck } from './subject.js';

export const forbidDeleteKinds: RuleCheck = {
  name: 'forbidDeleteKinds',
  check(s, params, ctx) {
    if (!s.verbs.includes('delete')) return [];
    const kinds = new Set((params.kinds as string[]).map(canonicalKind));
    if (s.fromFile !== undefined) {
      return [`${describeSubject(s, ctx)}: deletes whatever ${s.fromFile} holds, which may include ${[...kinds].join(', ')}; delete named objects instead`];
    }
    if (!s.kind || !kinds.has(s.kind)) return [];
    const which = s.name ? '' : s.selector === '--all' ? ' (every one in the namespace: --all)' : s.selector ? ` (every one matching ${s.selector})` : ' (every one)';
    return [`${describeSubject(s, ctx)}: deletes a ${s.kind}${which}; its data or contents would be lost`];
  },
};
