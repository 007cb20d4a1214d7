/**
 * ReadinessProbeFailure: the container runs but its readiness probe fails NOW, so the pod gets no
 * traffic. Readiness failures that stopped (the container is ready again) are not a problem.
 */
import { eventTime } from '../../events.js';
import { MINUTE, type ContainerView, type PodContext } from '../context.js';
import { applyStep, describeCmd, eventEv, logsCmd, specEv, specRef, statusEv, type ContainerRule, type Finding } from '../finding.js';
import { probeFailures } from '../signals.js';

/** A readiness failure this recent (or after the pod last turned unready) still explains "not ready". */
const RECENT = 15 * MINUTE;

function match(ctx: PodContext, c: ContainerView): Finding | null {
  if (!c.running || c.ready) return null;
  if (ctx.phase !== 'Running') return null;
  const failures = probeFailures(ctx, c, 'Readiness');
  const readyCond = ctx.conditions.find((x) => x.type === 'Ready');
  const since = readyCond?.status === 'False' ? readyCond.lastTransitionTime : null;
  const current = failures.filter((e) => {
    const t = eventTime(e);
    return t === null || ctx.now - t <= RECENT || (since !== null && t >= since - MINUTE);
  });
  const probe = c.spec.readinessProbe;
  const runningFor = c.running.startedAt !== null ? ctx.now - c.running.startedAt : null;
  let confidence: Finding['confidence'];
  if (current.length > 0) confidence = 'medium';
  else if (probe !== undefined && c.started !== false && (runningFor === null || runningFor > 2 * MINUTE)) confidence = 'low';
  else return null;
  const evidence = [statusEv(`${c.statusPath}.ready`, 'false')];
  if (readyCond?.message) evidence.push(statusEv(`status.conditions[${readyCond.index}].message`, readyCond.message));
  const last = current.at(-1);
  if (last) evidence.push(eventEv(last));
  const h = probe && typeof probe === 'object' ? (probe as Record<string, unknown>).httpGet : undefined;
  const path = h && typeof h === 'object' ? (h as Record<string, unknown>).path : undefined;
  if (typeof path === 'string') evidence.push(specEv(`${c.specPath}.readinessProbe.httpGet.path`, path));
  const detail = last ? last.message.replace(/^Readiness probe failed:\s*/, '').trim() : null;
  return {
    rootCause: 'ReadinessProbeFailure',
    container: c,
    summary: `Container ${c.name} is running but not ready: its readiness probe fails${detail ? ` (${detail}${last && last.count > 1 ? `, ${last.count} times` : ''})` : ''}${confidence === 'low' ? ' — inferred, no recent probe events' : ''}; the pod receives no Service traffic.`,
    evidence,
    commands: [describeCmd(ctx), logsCmd(ctx, c, false)],
    steps: [
      'Find why the endpoint fails: the app is still warming up, a dependency it checks is down, or the probe targets the wrong port/path.',
      `If the probe is wrong or too strict, fix ${specRef(c)}.readinessProbe (path, port, timeoutSeconds, failureThreshold). ${applyStep(ctx)}`,
    ],
    confidence,
  };
}

export const readinessProbeRule: ContainerRule = { scope: 'container', labels: ['ReadinessProbeFailure'], priority: 85, match };
