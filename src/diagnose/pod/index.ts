/**
 * `diagnosePod`: one root cause for a pod, with the evidence it relied on, the failing container,
 * a remediation with real names, its risk tier and a confidence. Pure and synchronous: the input
 * is what `kubectl get pod -o json`, the pod's events and its logs returned (or files holding them).
 */
import type { Evidence, PodDiagnosis, PodInput, RootCause } from '../types.js';
import { MINUTE, buildContext, obj, str, type PodContext } from './context.js';
import { describeCmd, eventsCmd, statusEv, type Finding } from './finding.js';
import { remediationTier } from './risk.js';
import { RULES } from './rules/index.js';

export { RULES, CONTAINER_RULES, POD_RULES } from './rules/index.js';
export { commandTier, remediationTier, RISK_TABLE } from './risk.js';

interface Ranked {
  f: Finding;
  priority: number;
}

function collect(ctx: PodContext): Ranked[] {
  const found: Ranked[] = [];
  const explained = new Set<string>();
  for (const rule of RULES) {
    if (rule.scope === 'pod') {
      const f = rule.match(ctx);
      if (f) found.push({ f, priority: rule.priority });
      continue;
    }
    for (const c of ctx.containers) {
      if (explained.has(c.name)) continue;
      const f = rule.match(ctx, c);
      if (f) {
        found.push({ f, priority: rule.priority });
        explained.add(c.name);
      }
    }
  }
  return found.sort((a, b) => a.priority - b.priority);
}

/** Nothing matched: say so with a low-confidence best guess rather than inventing certainty. */
function fallback(ctx: PodContext): Finding {
  const created = Date.parse(str(obj(ctx.pod.metadata).creationTimestamp) ?? '');
  const young = !Number.isNaN(created) && ctx.now - created < 3 * MINUTE;
  const base = { container: null, commands: [describeCmd(ctx), eventsCmd(ctx)], confidence: 'low' as const, evidence: [statusEv('status.phase', ctx.phase)] };
  if (ctx.phase === 'Unknown') {
    return { ...base, rootCause: 'Evicted', summary: `Pod phase is Unknown: the node ${ctx.nodeName ?? ''} stopped reporting; its pods will be evicted and replaced.`, steps: ['Check the node: `kubectl get nodes`.'] };
  }
  if (ctx.phase === 'Failed') {
    return { ...base, rootCause: 'AppCrash', summary: `Pod failed${ctx.message ? `: ${ctx.message}` : ''}; no container status explains it.`, steps: ['Read the pod\'s events and its containers\' logs.'] };
  }
  const lastEvent = ctx.events.at(-1);
  const progressing = !!lastEvent && /^(Scheduled|Pulling|Pulled|Created|Started|SuccessfulAttachVolume)$/.test(lastEvent.reason);
  if (ctx.phase === 'Pending' && ctx.nodeName && !young && !progressing) {
    const hasVolumes = ctx.volumes.some((v) => !('projected' in v) && !('emptyDir' in v) && !('downwardAPI' in v));
    return {
      ...base,
      rootCause: hasVolumes ? 'VolumeMountFailure' : 'PodSandboxFailure',
      summary: `Pod is on node ${ctx.nodeName} but its containers have not started and no event says why (events expire after an hour); ${hasVolumes ? 'a volume that cannot be mounted' : 'a sandbox/network failure'} is the likely cause.`,
      steps: ['Read the events of the pod and of its node (`kubectl get events -A --field-selector involvedObject.name=<node>`).'],
    };
  }
  return {
    ...base,
    rootCause: 'Healthy',
    summary: ctx.terminating
      ? `Pod is being deleted (metadata.deletionTimestamp is set); its containers are stopping.`
      : young || progressing ? `Pod is starting${lastEvent && progressing ? ` (last event: ${lastEvent.reason} ${lastEvent.message})` : ''}; nothing has failed yet.` : `Pod is ${ctx.phase} and no rule found a failure.`,
    steps: ['Nothing to fix yet; look again in a minute if it does not become ready.'],
  };
}

function dedupeEvidence(ev: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const key = `${e.path}\u0000${e.text}`;
    if (seen.has(key) || !e.text) return false;
    seen.add(key);
    return true;
  });
}

export function diagnosePod(input: PodInput): PodDiagnosis {
  const ctx = buildContext(input);
  const ranked = collect(ctx);
  const best = ranked[0]?.f ?? fallback(ctx);
  const secondary: { rootCause: RootCause; reason: string }[] = [...(best.secondary ?? [])];
  // An evicted or finished pod's containers were stopped by the kubelet: their exits are not causes.
  const terminal = best.rootCause === 'Evicted' || ctx.phase === 'Succeeded';
  for (const { f } of terminal ? [] : ranked.slice(1)) {
    if (f.rootCause === 'Healthy') continue;
    if (f.rootCause === best.rootCause && f.container === best.container) continue;
    secondary.push({ rootCause: f.rootCause, reason: f.summary });
  }
  const seen = new Set<string>();
  const commands = [...new Set(best.commands)];
  const all = [...ctx.containers];
  const restarts = [...ctx.initContainers, ...ctx.containers].reduce((n, c) => n + c.restartCount, 0);
  return {
    kind: 'Pod',
    name: ctx.name,
    namespace: ctx.namespace,
    rootCause: best.rootCause,
    container: best.container?.name ?? null,
    containerType: best.container?.type ?? null,
    summary: best.summary,
    evidence: dedupeEvidence(best.evidence),
    remediation: { commands, steps: best.steps },
    riskTier: best.riskTier ?? remediationTier(commands, ctx.namespace),
    confidence: best.confidence,
    secondary: secondary.filter((s) => {
      const key = `${s.rootCause}\u0000${s.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    state: {
      phase: ctx.phase,
      ready: `${all.filter((c) => c.ready).length}/${all.length}`,
      restarts,
      owner: ctx.owner ? (ctx.owner.ref ?? `${ctx.owner.kind.toLowerCase()}/${ctx.owner.name}`) : null,
    },
  };
}
