/** OOMKilled: the kernel killed the container at its memory limit (the termination reason says so). */
import { obj } from '../context.js';
import { crashCommands, crashEvidence, stateWords } from '../crash.js';
import { applyStep, k, ownerRef, specEv, specRef, type ContainerRule } from '../finding.js';
import { formatMemory, parseMemory, raisedMemory } from '../quantity.js';
import { isCrashing, lastTermination } from '../signals.js';

export const oomKilledRule: ContainerRule = {
  scope: 'container',
  labels: ['OOMKilled'],
  priority: 70,
  match(ctx, c) {
    const t = lastTermination(c);
    if (t?.reason !== 'OOMKilled' || !isCrashing(ctx, c)) return null;
    const resources = obj(c.spec.resources);
    const limitRaw = obj(resources.limits).memory;
    const requestRaw = obj(resources.requests).memory;
    const limit = parseMemory(limitRaw);
    const proposed = raisedMemory(limit);
    const evidence = crashEvidence(c, t);
    if (limitRaw !== undefined && limit !== null) evidence.push(specEv(`${c.specPath}.resources.limits.memory`, limitRaw));
    const owner = ownerRef(ctx);
    const limitText = limit !== null ? String(limitRaw) : 'none (killed when the node ran out of memory)';
    const commands = crashCommands(ctx, c);
    commands.push(k(ctx, 'top', 'pod', ctx.name, '--containers'));
    if (owner) commands.push(k(ctx, 'set', 'resources', owner, '-c', c.name, `--limits=memory=${proposed}`));
    const steps = [
      `${specRef(c)}.resources.limits.memory: ${limit !== null ? String(limitRaw) : '(none)'} -> ${proposed}`,
      `Raise the limit (${limit !== null ? `×2 of ${formatMemory(limit)}` : 'set one'}) and keep requests.memory${requestRaw !== undefined ? ` (${String(requestRaw)})` : ''} at or below it. ${applyStep(ctx)}`,
      'If memory keeps growing until the new limit, it is a leak: look at the heap (JVM -Xmx / Node --max-old-space-size must fit the limit).',
    ];
    return {
      rootCause: 'OOMKilled',
      container: c,
      summary: `Container ${c.name} ${stateWords(c)} because it is OOMKilled (exit ${t.exitCode ?? 137}) at its memory limit ${limitText}; raise it to ${proposed}.`,
      evidence,
      commands,
      steps,
      confidence: 'high',
    };
  },
};
