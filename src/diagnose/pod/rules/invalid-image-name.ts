/** InvalidImageName: the kubelet could not even parse the image reference (the waiting reason says so). */
import { containerEvents } from '../context.js';
import { applyStep, describeCmd, eventEv, k, ownerRef, specEv, specRef, statusEv, type ContainerRule } from '../finding.js';

const INVALID = /invalid reference format|couldn't parse image (reference|name)/i;

export const invalidImageNameRule: ContainerRule = {
  scope: 'container',
  labels: ['InvalidImageName'],
  priority: 59,
  match(ctx, c) {
    const w = c.waiting;
    const inspect = containerEvents(ctx, c).filter((e) => e.reason === 'InspectFailed' || INVALID.test(e.message));
    const pulling = w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff';
    // A runtime that rejects the reference at pull time says so in the pull error.
    const rejected = pulling && (INVALID.test(w?.message ?? '') || inspect.some((e) => /^Failed to pull image/.test(e.message)));
    if (w?.reason !== 'InvalidImageName' && !rejected) return null;
    const evidence = [statusEv(`${c.statusPath}.state.waiting.reason`, w!.reason)];
    if (w?.message) evidence.push(statusEv(`${c.statusPath}.state.waiting.message`, w.message));
    const ev = inspect.at(-1);
    if (ev) evidence.push(eventEv(ev));
    const image = c.image ?? '';
    evidence.push(specEv(`${c.specPath}.image`, image));
    const hints: string[] = [];
    if (/[A-Z]/.test(image.split('@')[0]!.split(':')[0]!)) hints.push('repository names must be lower case');
    if (/\s/.test(image)) hints.push('it contains whitespace');
    if (/:$|@$|::/.test(image) || /@(?!sha256:[a-f0-9]{64}$)/.test(image)) hints.push('the tag or digest is malformed');
    if (/^(https?:\/\/)/.test(image)) hints.push('drop the URL scheme');
    const owner = ownerRef(ctx);
    return {
      rootCause: 'InvalidImageName',
      container: c,
      summary: `Container ${c.name} cannot start: image reference "${image}" is not a valid image name${hints.length ? ` (${hints.join('; ')})` : ''}.`,
      evidence,
      commands: [describeCmd(ctx), ...(owner ? [k(ctx, 'set', 'image', owner, `${c.name}=<registry/repository:tag>`)] : [])],
      steps: [`Fix ${specRef(c)}.image to \`registry/repository:tag\` (lower-case repository, tag after one colon, digest as @sha256:<64 hex>). ${applyStep(ctx)}`],
      confidence: 'high',
    };
  },
};
