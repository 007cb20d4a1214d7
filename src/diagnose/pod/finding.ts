/**
 * What a rule returns, and the small helpers rules share to quote evidence and build commands
 * with the real names filled in.
 */
import type { Confidence, Evidence, PodEvent, RiskTier, RootCause } from '../types.js';
import type { ContainerView, PodContext } from './context.js';

export interface Finding {
  rootCause: RootCause;
  container: ContainerView | null;
  summary: string;
  evidence: Evidence[];
  commands: string[];
  steps: string[];
  confidence: Confidence;
  /** Overrides the tier computed from the commands (rarely needed). */
  riskTier?: RiskTier;
  secondary?: { rootCause: RootCause; reason: string }[];
}

export interface PodRule {
  scope: 'pod';
  /** The labels this rule can produce. */
  labels: readonly RootCause[];
  /** Lower runs first and wins over higher. */
  priority: number;
  match(ctx: PodContext): Finding | null;
}

export interface ContainerRule {
  scope: 'container';
  labels: readonly RootCause[];
  priority: number;
  match(ctx: PodContext, c: ContainerView): Finding | null;
}

export type Rule = PodRule | ContainerRule;

const MAX_TEXT = 400;
const clip = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

export const statusEv = (path: string, value: unknown): Evidence => ({ source: 'status', path, text: clip(String(value)) });
export const specEv = (path: string, value: unknown): Evidence => ({ source: 'spec', path, text: clip(String(value)) });
export const eventEv = (e: PodEvent): Evidence => ({ source: 'event', path: `event:${e.reason}`, text: clip(e.message) });
export const logEv = (container: string, previous: boolean, line: string): Evidence => ({
  source: 'log',
  path: `logs:${container}${previous ? '[previous]' : ''}`,
  text: clip(line.trim()),
});

/** `kubectl -n <ns> …` */
export const k = (ctx: PodContext, ...args: string[]) => ['kubectl', '-n', ctx.namespace, ...args].join(' ');

export const describeCmd = (ctx: PodContext) => k(ctx, 'describe', 'pod', ctx.name);
export const logsCmd = (ctx: PodContext, c: ContainerView, previous: boolean) =>
  k(ctx, 'logs', ctx.name, '-c', c.name, ...(previous ? ['--previous'] : []));
export const eventsCmd = (ctx: PodContext) =>
  k(ctx, 'get', 'events', `--field-selector=involvedObject.name=${ctx.name}`, '--sort-by=.lastTimestamp');

/** What to name in a `kubectl set …` command: the owner (deployment/web), else null (a bare pod is recreated). */
export const ownerRef = (ctx: PodContext): string | null => ctx.owner?.ref ?? null;

/** How a spec change is applied: on the owner, or by recreating a bare pod. */
export function applyStep(ctx: PodContext): string {
  return ctx.owner?.ref
    ? `Change it in the manifest of ${ctx.owner.ref} (the source of truth) and apply it; a direct \`kubectl set\`/\`edit\` is overwritten by the next deploy.`
    : `The pod has no controller: change its manifest, then delete and re-create the pod.`;
}

/** `spec.containers[name=app]` — stable across reorderings, as remediation steps say it. */
export const specRef = (c: ContainerView) => `${c.type === 'init' ? 'spec.initContainers' : 'spec.containers'}[name=${c.name}]`;

/** The latest event matching, or null. */
export function latest(events: PodEvent[], pred: (e: PodEvent) => boolean): PodEvent | null {
  for (let i = events.length - 1; i >= 0; i--) if (pred(events[i]!)) return events[i]!;
  return null;
}

/** Human duration: 45s, 12m, 3h, 2d. */
export function ago(msSpan: number): string {
  const s = Math.max(0, Math.round(msSpan / 1000));
  if (s < 90) return `${s}s`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** Strips the CRI wrapper `rpc error: code = Unknown desc = ` (once or nested) from kubelet messages. */
export const stripRpc = (m: string) => m.replace(/rpc error: code = \w+ desc = /g, '');
