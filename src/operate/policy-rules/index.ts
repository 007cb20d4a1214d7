/** The built-in policy predicates, by the name a policy file's `check` uses (one module each). */
import { forbidDeleteKinds } from './forbid-delete-kinds.js';
import { forbidLatestTag } from './forbid-latest-tag.js';
import { forbidPrivileged } from './forbid-privileged.js';
import { minReplicas } from './min-replicas.js';
import { requirePdbForReplicas } from './require-pdb-for-replicas.js';
import { requireProbes } from './require-probes.js';
import { requireResources } from './require-resources.js';
import type { RuleCheck } from './subject.js';

export const RULE_CHECKS: Readonly<Record<string, RuleCheck>> = Object.fromEntries(
  [forbidLatestTag, requireResources, minReplicas, forbidDeleteKinds, requirePdbForReplicas, forbidPrivileged, requireProbes].map((r) => [r.name, r]),
);
export type CheckName = 'forbidLatestTag' | 'requireResources' | 'minReplicas' | 'forbidDeleteKinds' | 'requirePdbForReplicas' | 'forbidPrivileged' | 'requireProbes';
