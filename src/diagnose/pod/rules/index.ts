/**
 * The ordered rule registry. Lower priority runs first and wins; pod-level rules (a finished pod,
 * eviction, scheduling, init containers, sandbox, volumes) come before the per-container rules,
 * and Healthy is what remains. Adding a rule: one file here and one line below.
 */
import type { ContainerRule, PodRule, Rule } from '../finding.js';
import { admissionRejectedRule } from './admission-rejected.js';
import { appCrashRule } from './app-crash.js';
import { badCommandRule } from './bad-command.js';
import { createContainerConfigRule } from './create-container-config.js';
import { evictedRule } from './evicted.js';
import { healthyRule } from './healthy.js';
import { imagePullRule } from './image-pull.js';
import { makeInitContainerRule } from './init-container.js';
import { invalidImageNameRule } from './invalid-image-name.js';
import { livenessProbeRule } from './liveness-probe.js';
import { oomKilledRule } from './oom-killed.js';
import { readinessProbeRule } from './readiness-probe.js';
import { runningWithRestartsRule } from './running-with-restarts.js';
import { sandboxRule } from './sandbox.js';
import { startupProbeRule } from './startup-probe.js';
import { succeededRule } from './succeeded.js';
import { unschedulableRule } from './unschedulable.js';
import { volumeMountRule } from './volume-mount.js';

/** Rules that explain one container's failure, strongest first (also used on init containers). */
export const CONTAINER_RULES: readonly ContainerRule[] = [
  imagePullRule,
  invalidImageNameRule,
  createContainerConfigRule,
  badCommandRule,
  oomKilledRule,
  startupProbeRule,
  livenessProbeRule,
  appCrashRule,
  readinessProbeRule,
  runningWithRestartsRule,
].sort((a, b) => a.priority - b.priority);

export const POD_RULES: readonly PodRule[] = [
  succeededRule,
  evictedRule,
  admissionRejectedRule,
  unschedulableRule,
  makeInitContainerRule(CONTAINER_RULES.filter((r) => r !== readinessProbeRule && r !== runningWithRestartsRule)),
  sandboxRule,
  volumeMountRule,
  healthyRule,
].sort((a, b) => a.priority - b.priority);

export const RULES: readonly Rule[] = [...POD_RULES, ...CONTAINER_RULES].sort((a, b) => a.priority - b.priority);
