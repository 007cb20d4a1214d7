/**
 * ErrImagePull / ImagePullBackOff, split by what the kubelet/containerd message says: the image or
 * tag does not exist, the registry refused us (credentials, imagePullSecrets), or the registry
 * could not be reached. Reads the waiting message and every `Failed to pull image` event.
 */
import type { RootCause } from '../../types.js';
import { arr, containerEvents, obj, str, type ContainerView, type PodContext } from '../context.js';
import { applyStep, describeCmd, eventEv, k, ownerRef, specEv, specRef, statusEv, stripRpc, type ContainerRule, type Finding } from '../finding.js';

type PullCause = Extract<RootCause, 'ImagePullNotFound' | 'ImagePullAuth' | 'ImagePullRegistryUnreachable'>;

/** Checked in this order: a network error can mention "not found" (`no such host`), a denial can say "does not exist". */
const CLASSES: [RegExp, PullCause][] = [
  [/i\/o timeout|no such host|server misbehaving|Temporary failure in name resolution|connection refused|connection reset|TLS handshake timeout|context deadline exceeded|network is unreachable|no route to host|Client\.Timeout exceeded|x509: |tls: failed to verify certificate|server gave HTTP response to HTTPS client|dial tcp|503 Service Unavailable|502 Bad Gateway|EOF$/i, 'ImagePullRegistryUnreachable'],
  [/unauthorized|authentication required|pull access denied|no basic auth credentials|403 Forbidden|\b401\b|denied: |access denied|authorization failed|insufficient_scope|requested access to the resource is denied|failed to fetch (anonymous|oauth) token|UNAUTHORIZED|forbidden|toomanyrequests|429 Too Many Requests|pull rate limit/i, 'ImagePullAuth'],
  [/manifest unknown|not found|NotFound|name unknown|does not exist|no matching manifest|manifest for [^ ]+ not found/i, 'ImagePullNotFound'],
];

export function classifyPullMessage(message: string): PullCause | null {
  for (const [re, cause] of CLASSES) if (re.test(message)) return cause;
  return null;
}

const PULL_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'RegistryUnavailable']);

/** The registry host of an image reference (docker.io when none is named). */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

function match(ctx: PodContext, c: ContainerView): Finding | null {
  const w = c.waiting;
  if (!w?.reason || !PULL_WAITING.has(w.reason)) return null;
  const image = c.image ?? '(unknown image)';
  const evidence = [statusEv(`${c.statusPath}.state.waiting.reason`, w.reason)];
  const pullEvents = containerEvents(ctx, c).filter((e) => /^Failed to pull image|^Failed to inspect image|^Error: ErrImagePull/.test(e.message) || e.reason === 'ErrImageNeverPull');
  const detailed = pullEvents.filter((e) => /^Failed to pull image|^Failed to inspect image/.test(e.message));

  let cause: PullCause | null = null;
  let confidence: Finding['confidence'] = 'high';
  let quoted: string | null = null;
  if (w.reason === 'ErrImageNeverPull') {
    cause = 'ImagePullNotFound';
    quoted = w.message;
  } else if (w.reason === 'RegistryUnavailable') {
    cause = 'ImagePullRegistryUnreachable';
    quoted = w.message;
  }
  if (!cause && w.message) {
    cause = classifyPullMessage(stripRpc(w.message));
    if (cause) quoted = w.message;
  }
  if (w.message) evidence.push(statusEv(`${c.statusPath}.state.waiting.message`, w.message));
  // Every pull failure event, newest first: the message tells why (older kubelets put it only there).
  for (const e of [...detailed].reverse()) {
    const ec = classifyPullMessage(stripRpc(e.message));
    if (!cause && ec) {
      cause = ec;
      confidence = 'medium';
      quoted = e.message;
    }
    if (ec === cause) {
      evidence.push(eventEv(e));
      break;
    }
  }
  const pullSecrets = arr(obj(ctx.pod.spec).imagePullSecrets).map((s) => str(obj(s).name)).filter((s): s is string => !!s);
  const registry = registryOf(image);
  if (!cause) {
    // Only "Back-off pulling image": the reason has expired with the events. Guess from the spec.
    confidence = 'low';
    cause = pullSecrets.length === 0 && registry !== 'docker.io' ? 'ImagePullAuth' : 'ImagePullNotFound';
  }
  evidence.push(specEv(`${c.specPath}.image`, image));
  const owner = ownerRef(ctx);
  const commands: string[] = [describeCmd(ctx)];
  const steps: string[] = [];
  let summary: string;
  switch (cause) {
    case 'ImagePullNotFound':
      summary = `Container ${c.name} cannot start: image ${image} was not found in ${registry} (wrong repository or tag)${confidence === 'low' ? ' — guessed, the pull error has expired' : ''}.`;
      steps.push(`Check the tag exists in ${registry} (e.g. \`crane ls ${image.replace(/[:@][^/]*$/, '')}\` or the registry UI).`);
      steps.push(`Fix ${specRef(c)}.image to an existing tag or digest. ${applyStep(ctx)}`);
      if (owner) commands.push(k(ctx, 'set', 'image', owner, `${c.name}=<existing-image:tag>`));
      break;
    case 'ImagePullAuth':
      summary = `Container ${c.name} cannot start: ${registry} refused to serve ${image} (${pullSecrets.length ? `imagePullSecrets ${pullSecrets.join(', ')} rejected or wrong` : 'no imagePullSecrets on the pod'}${/pull access denied/i.test(quoted ?? '') ? '; or the repository does not exist' : ''}).`;
      if (pullSecrets.length) {
        commands.push(k(ctx, 'get', 'secret', pullSecrets[0]!, '-o', 'jsonpath={.data.\\.dockerconfigjson}'));
        steps.push(`Check secret ${pullSecrets[0]} holds valid, unexpired credentials for ${registry} (ECR tokens last 12 h) and the right registry host.`);
      } else {
        steps.push(`Create a pull secret for ${registry} and reference it in spec.imagePullSecrets (or on the service account).`);
      }
      commands.push(k(ctx, 'create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry}`, '--docker-username=<user>', '--docker-password=<token>'));
      steps.push(`Add \`imagePullSecrets: [{name: regcred}]\` to the pod template. ${applyStep(ctx)}`);
      break;
    default:
      summary = `Container ${c.name} cannot start: registry ${registry} is unreachable from node ${ctx.nodeName ?? '(unknown)'} while pulling ${image}.`;
      steps.push(`From the node, check DNS and egress to ${registry} (NAT gateway, proxy, firewall, VPC endpoint, private registry certificate).`);
      steps.push('Once the registry is reachable the kubelet retries by itself (back-off up to 5 minutes); delete the pod to retry at once.');
      if (ctx.nodeName) commands.push(k(ctx, 'get', 'events', `--field-selector=involvedObject.name=${ctx.name},reason=Failed`));
      commands.push(k(ctx, 'delete', 'pod', ctx.name));
  }
  return { rootCause: cause, container: c, summary, evidence, commands, steps, confidence };
}

export const imagePullRule: ContainerRule = {
  scope: 'container',
  labels: ['ImagePullNotFound', 'ImagePullAuth', 'ImagePullRegistryUnreachable'],
  priority: 60,
  match,
};
