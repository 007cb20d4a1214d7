/**
 * CreateContainerConfigError: the kubelet could not build the container's configuration. The
 * message names what is missing: a ConfigMap, a Secret, a key in one of them, or a runAsNonRoot
 * policy the image violates.
 */
import type { RootCause } from '../../types.js';
import { arr, containerEvents, obj, type ContainerView, type PodContext } from '../context.js';
import { applyStep, describeCmd, eventEv, k, specRef, statusEv, type ContainerRule, type Finding } from '../finding.js';

type ConfigCause = Extract<RootCause, 'MissingConfigMap' | 'MissingSecret' | 'MissingConfigKey' | 'RunAsNonRootViolation'>;

interface Parsed {
  cause: ConfigCause;
  kind?: 'ConfigMap' | 'Secret';
  name?: string;
  key?: string;
}

export function parseConfigError(message: string): Parsed | null {
  let m = /couldn't find key (\S+) in (ConfigMap|Secret) ([^\s/]+)\/(\S+)/i.exec(message);
  if (m) return { cause: 'MissingConfigKey', key: m[1]!, kind: /^secret$/i.test(m[2]!) ? 'Secret' : 'ConfigMap', name: m[4]!.replace(/[.,;]$/, '') };
  m = /configmaps? "([^"]+)" not found/i.exec(message);
  if (m) return { cause: 'MissingConfigMap', kind: 'ConfigMap', name: m[1]! };
  m = /secrets? "([^"]+)" not found/i.exec(message);
  if (m) return { cause: 'MissingSecret', kind: 'Secret', name: m[1]! };
  if (/runAsNonRoot/.test(message)) return { cause: 'RunAsNonRootViolation' };
  return null;
}

function guessFromSpec(c: ContainerView, message: string): Parsed | null {
  if (/secret/i.test(message)) return { cause: 'MissingSecret', kind: 'Secret', name: refName(c, 'secret') ?? '(unknown)' };
  if (/config ?map/i.test(message)) return { cause: 'MissingConfigMap', kind: 'ConfigMap', name: refName(c, 'configMap') ?? '(unknown)' };
  const secret = refName(c, 'secret');
  if (secret) return { cause: 'MissingSecret', kind: 'Secret', name: secret };
  const cm = refName(c, 'configMap');
  return cm ? { cause: 'MissingConfigMap', kind: 'ConfigMap', name: cm } : null;
}

/** The first Secret / ConfigMap the container's env or envFrom names. */
function refName(c: ContainerView, kind: 'secret' | 'configMap'): string | null {
  for (const e of arr(c.spec.env)) {
    const ref = obj(obj(obj(e).valueFrom)[`${kind}KeyRef`]);
    if (typeof ref.name === 'string' && ref.optional !== true) return ref.name;
  }
  for (const e of arr(c.spec.envFrom)) {
    const ref = obj(obj(e)[`${kind}Ref`]);
    if (typeof ref.name === 'string' && ref.optional !== true) return ref.name;
  }
  return null;
}

function match(ctx: PodContext, c: ContainerView): Finding | null {
  const w = c.waiting;
  const failed = containerEvents(ctx, c).filter((e) => e.reason === 'Failed' && parseConfigError(e.message));
  if (w?.reason !== 'CreateContainerConfigError' && !(w?.reason === 'CreateContainerError' && w.message && parseConfigError(w.message))) return null;
  let parsed = w.message ? parseConfigError(w.message) : null;
  let confidence: Finding['confidence'] = 'high';
  const evidence = [statusEv(`${c.statusPath}.state.waiting.reason`, w.reason)];
  if (w.message) evidence.push(statusEv(`${c.statusPath}.state.waiting.message`, w.message));
  const ev = failed.at(-1);
  if (!parsed && ev) {
    parsed = parseConfigError(ev.message);
    confidence = 'medium';
  }
  if (ev) evidence.push(eventEv(ev));
  if (!parsed) {
    // The kubelet's words are not a known form (e.g. `failed to sync secret cache: timed out …`):
    // guess from what the container references.
    parsed = guessFromSpec(c, `${w.message ?? ''} ${failed.at(-1)?.message ?? ''}`);
    confidence = 'low';
  }
  if (!parsed) return null;
  const commands = [describeCmd(ctx)];
  const steps: string[] = [];
  let summary: string;
  const kind = parsed.kind === 'Secret' ? 'secret' : 'configmap';
  switch (parsed.cause) {
    case 'MissingConfigMap':
    case 'MissingSecret':
      summary = `Container ${c.name} cannot be created: ${parsed.kind} "${parsed.name}" does not exist in namespace ${ctx.namespace}.`;
      commands.push(k(ctx, 'get', kind, parsed.name!));
      commands.push(
        parsed.kind === 'Secret'
          ? k(ctx, 'create', 'secret', 'generic', parsed.name!, '--from-literal=<KEY>=<value>')
          : k(ctx, 'create', 'configmap', parsed.name!, '--from-literal=<KEY>=<value>'),
      );
      steps.push(`Create ${parsed.kind} ${parsed.name} in ${ctx.namespace} (usually: apply the manifest or chart that defines it; check the name for typos and the namespace), or mark the reference \`optional: true\` in ${specRef(c)} if the app copes without it.`);
      steps.push('The kubelet retries by itself; the container starts once it exists.');
      break;
    case 'MissingConfigKey':
      summary = `Container ${c.name} cannot be created: key ${parsed.key} is missing from ${parsed.kind} ${ctx.namespace}/${parsed.name}.`;
      commands.push(k(ctx, 'get', kind, parsed.name!, '-o', 'jsonpath={.data}'));
      steps.push(`Add key ${parsed.key} to ${parsed.kind} ${parsed.name}, or fix the key name in ${specRef(c)} (env valueFrom / envFrom). ${applyStep(ctx)}`);
      break;
    default:
      summary = `Container ${c.name} cannot be created: the pod requires runAsNonRoot but image ${c.image ?? ''} runs as root (or as a non-numeric user).`;
      steps.push(`Set a numeric non-root user in ${specRef(c)}.securityContext.runAsUser (e.g. 10001) if the image works as that user, or rebuild the image with \`USER 10001\`. ${applyStep(ctx)}`);
      steps.push('Do not drop runAsNonRoot to make it start without asking the owner of the policy.');
  }
  return { rootCause: parsed.cause, container: c, summary, evidence, commands, steps, confidence };
}

export const createContainerConfigRule: ContainerRule = {
  scope: 'container',
  labels: ['MissingConfigMap', 'MissingSecret', 'MissingConfigKey', 'RunAsNonRootViolation'],
  priority: 60,
  match,
};
