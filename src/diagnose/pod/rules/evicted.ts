/**
 * Evicted: the kubelet evicted the pod under node pressure (`The node was low on resource: memory.
 * Threshold quantity: …, available: …. Container app was using …, request is …`), or for exceeding
 * its ephemeral-storage limit. Names the resource and, when the message says so, the heaviest
 * container (in the summary: the eviction itself is pod-level, so `container` is null).
 */
import type { PodContext } from '../context.js';
import { applyStep, describeCmd, eventEv, k, latest, ownerRef, statusEv, type PodRule } from '../finding.js';

function match(ctx: PodContext) {
  const isEvicted = ctx.reason === 'Evicted' || (ctx.phase === 'Failed' && ctx.events.some((e) => e.reason === 'Evicted') && !ctx.reason);
  // Graceful node shutdown terminates pods like an eviction (reason Terminated/Shutdown/NodeShutdown).
  const shutdown = ctx.phase === 'Failed' && /^(Terminated|Shutdown|NodeShutdown)$/.test(ctx.reason ?? '') && /node shutdown/i.test(ctx.message ?? '');
  if (shutdown) {
    return {
      rootCause: 'Evicted' as const,
      container: null,
      summary: `Pod was terminated because node ${ctx.nodeName ?? ''} shut down (${ctx.message}).`.replace(/\s+\(/, ' ('),
      evidence: [statusEv('status.reason', ctx.reason), statusEv('status.message', ctx.message)],
      commands: [describeCmd(ctx), ...(ctx.nodeName ? [`kubectl describe node ${ctx.nodeName}`] : []), k(ctx, 'delete', 'pod', ctx.name)],
      steps: [`${ownerRef(ctx) ? `${ownerRef(ctx)} already replaced it` : 'Re-create the bare pod'}; delete the terminated pod object when done. Check why the node shut down (spot interruption, scale-in, maintenance).`],
      confidence: 'high' as const,
    };
  }
  if (!isEvicted) return null;
  const msg = ctx.message ?? latest(ctx.events, (e) => e.reason === 'Evicted')?.message ?? '';
  const resource =
    /low on resource: ([\w-]+)/.exec(msg)?.[1] ??
    (/ephemeral local storage|ephemeral-storage|EmptyDir volume/i.test(msg) ? 'ephemeral-storage' : null) ??
    /had condition: \[?(\w+)/.exec(msg)?.[1] ??
    null;
  const usage = /Container (\S+) was using (\S+?),? (?:request is (\S+?),|which exceeds its request of (\S+?)\.)/.exec(msg);
  const exceeded = /Container (\S+) exceeded its local ephemeral storage limit "([^"]+)"/.exec(msg);
  const podLimit = /exceeds the total limit of containers (\S+?)\.? *$|Usage of EmptyDir volume "[^"]+" exceeds the limit "([^"]+)"/.exec(msg);
  const containerName = usage?.[1] ?? exceeded?.[1] ?? null;
  const c = containerName ? (ctx.containers.find((x) => x.name === containerName) ?? null) : null;
  const evidence = [statusEv('status.reason', 'Evicted')];
  if (ctx.message) evidence.push(statusEv('status.message', ctx.message));
  const ev = latest(ctx.events, (e) => e.reason === 'Evicted');
  if (ev) evidence.push(eventEv(ev));
  const dt = ctx.conditions.find((x) => x.type === 'DisruptionTarget');
  if (dt?.reason) evidence.push(statusEv(`status.conditions[${dt.index}].reason`, dt.reason));
  const owner = ownerRef(ctx);
  const steps: string[] = [];
  const commands = [describeCmd(ctx)];
  if (ctx.nodeName) commands.push(`kubectl describe node ${ctx.nodeName}`);
  if (resource === 'memory' && c) {
    steps.push(`Container ${c.name} used ${usage?.[2]} with a memory request of ${usage?.[3] ?? usage?.[4]}: set requests.memory near its real usage so the scheduler places it where memory exists, and a limit. ${applyStep(ctx)}`);
    if (owner) commands.push(k(ctx, 'set', 'resources', owner, '-c', c.name, `--requests=memory=${usage?.[2] ?? '<usage>'}`));
  } else if (resource === 'ephemeral-storage' || resource === 'nodefs' || resource === 'imagefs') {
    steps.push(`Find what fills the disk (logs written to files, emptyDir caches); set resources.requests/limits.ephemeral-storage or an emptyDir sizeLimit. ${applyStep(ctx)}`);
  } else {
    steps.push(`Relieve the node's ${resource ?? 'resource'} pressure and set requests that reflect real usage. ${applyStep(ctx)}`);
  }
  steps.push(`The evicted pod object stays for the record; ${owner ? `${owner} already created a replacement` : 'nothing recreates a bare pod: re-create it'}. Delete it when done.`);
  commands.push(k(ctx, 'delete', 'pod', ctx.name));
  return {
    rootCause: 'Evicted' as const,
    // Eviction is pod-level: the whole pod goes; the heaviest container is named in the summary.
    container: null,
    summary: `Pod was evicted by the kubelet on ${ctx.nodeName ?? 'its node'}: ${podLimit ? `its ephemeral-storage use exceeded the pod's limit${podLimit[1] ? ` ${podLimit[1]}` : ''}` : resource ? `the node ran low on ${resource}` : 'node pressure'}${containerName ? `, container ${containerName} was the largest user${usage ? ` (${usage[2]} against a request of ${usage[3] ?? usage[4]})` : exceeded ? ` (over its limit ${exceeded[2]})` : ''}` : ''}.`,
    evidence,
    commands,
    steps,
    confidence: ctx.reason === 'Evicted' ? ('high' as const) : ('medium' as const),
  };
}

export const evictedRule: PodRule = { scope: 'pod', labels: ['Evicted'], priority: 10, match };
