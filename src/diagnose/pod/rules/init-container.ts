/**
 * InitContainerFailure: an init container fails (crash loop, image pull, config error, non-zero
 * exit) or never finishes, so the app containers never start. Names the init container and, in the
 * summary, its own underlying cause found by the container rules. A native sidecar that fails once
 * the app runs is reported with its own cause instead.
 */
import { MINUTE, logLines, type ContainerView, type PodContext } from '../context.js';
import { ago, describeCmd, logEv, logsCmd, statusEv, type ContainerRule, type Finding, type PodRule } from '../finding.js';
import { isCrashing } from '../signals.js';

/** An init container still running after this long, with the pod stuck initialising, is stuck. */
const STUCK_AFTER = 10 * MINUTE;
/** …or after this long when its logs show it polling for something that is not there. */
const POLLING_AFTER = 2 * MINUTE;

/** The last log lines repeat one line, or say it waits/retries for a dependency. */
function pollingInLogs(ctx: PodContext, c: ContainerView): boolean {
  const { lines } = logLines(ctx, c);
  const tail = lines.slice(-5).map((l) => l.trim());
  if (tail.length >= 3 && new Set(tail.slice(-3)).size === 1) return true;
  return tail.some((l) => /waiting|retrying|retry in|not (yet )?(ready|available|reachable)|connection refused|no such host|can't resolve|could not resolve|timed out|unable to connect/i.test(l));
}

function failingInit(ctx: PodContext, c: ContainerView): boolean {
  if (c.terminated?.exitCode === 0 && !c.waiting) return false;
  if (c.sidecar) return isCrashing(ctx, c) && !c.ready;
  return isCrashing(ctx, c) || (!!c.terminated && (c.terminated.exitCode ?? 0) !== 0);
}

export function makeInitContainerRule(containerRules: readonly ContainerRule[]): PodRule {
  return {
    scope: 'pod',
    labels: ['InitContainerFailure'],
    priority: 30,
    match(ctx): Finding | null {
      if (ctx.phase === 'Succeeded') return null;
      for (const c of ctx.initContainers) {
        const runningFor = c.running?.startedAt != null ? ctx.now - c.running.startedAt : null;
        const stuck =
          !c.sidecar &&
          runningFor !== null &&
          ctx.phase === 'Pending' &&
          (runningFor > STUCK_AFTER || (runningFor > POLLING_AFTER && pollingInLogs(ctx, c)));
        if (!failingInit(ctx, c) && !stuck) continue;
        let inner: Finding | null = null;
        if (!stuck) {
          for (const r of [...containerRules].sort((a, b) => a.priority - b.priority)) {
            inner = r.match(ctx, c);
            if (inner) break;
          }
        }
        // A native sidecar (restartPolicy Always) failing after the app containers started behaves
        // like an app container: report its own cause, naming it as an init container.
        if (c.sidecar && inner && ctx.containers.some((a) => a.running || a.terminated || a.lastTerminated)) return inner;
        const evidence = inner ? [...inner.evidence] : [];
        let summary: string;
        if (stuck) {
          evidence.push(statusEv(`${c.statusPath}.state.running.startedAt`, String((c.status.state as Record<string, Record<string, unknown>>).running?.startedAt ?? '')));
          const { lines, previous } = logLines(ctx, c);
          const last = lines.at(-1);
          if (last) evidence.push(logEv(c.name, previous, last));
          summary = `Init container ${c.name} has been running for ${ago(runningFor!)} without finishing, so the app containers never start${last ? `; last log: "${last.trim().slice(0, 160)}"` : ''} (usually waiting for a dependency that is not there).`;
        } else {
          summary = `Init container ${c.name} fails, so the app containers never start: ${inner ? `${inner.rootCause} — ${inner.summary}` : 'it does not complete'}`;
        }
        if (ctx.phase === 'Pending' || ctx.phase === 'Failed') {
          const idx = ctx.conditions.find((x) => x.type === 'Initialized');
          if (idx?.message) evidence.push(statusEv(`status.conditions[${idx.index}].message`, idx.message));
        }
        const commands = inner?.commands ?? [logsCmd(ctx, c, false), describeCmd(ctx)];
        return {
          rootCause: 'InitContainerFailure',
          container: c,
          summary,
          evidence: evidence.length ? evidence : [statusEv(`${c.statusPath}.name`, c.name)],
          commands,
          steps: inner?.steps ?? [`Read ${c.name}'s logs: find what it waits for (a Service, a database, a file) and make it available, or fix its command.`],
          confidence: inner?.confidence ?? (stuck ? 'low' : 'medium'),
          secondary: inner ? [{ rootCause: inner.rootCause, reason: `init container ${c.name}: ${inner.summary}` }] : [],
        };
      }
      return null;
    },
  };
}

