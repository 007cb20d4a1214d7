/** `forbidLatestTag`: no container image tagged `:latest` or without a tag (which means latest); a digest pins it. */
import { containersOf, describeSubject, podSpecOf, type RuleCheck } from './subject.js';

/** The tag of an image reference (`registry:5000/team/app:v2` → `v2`); null when untagged; a digest counts as pinned. */
export function imageTag(image: string): { tag: string | null; digest: boolean } {
  const at = image.indexOf('@');
  const digest = at >= 0;
  const ref = digest ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return { tag: colon > slash ? ref.slice(colon + 1) : null, digest };
}

/** Floats: `:latest`, or no tag and no digest. */
export function isFloatingImage(image: string): boolean {
  const { tag, digest } = imageTag(image.trim());
  if (digest) return false;
  return tag === null || tag === 'latest';
}

export const forbidLatestTag: RuleCheck = {
  name: 'forbidLatestTag',
  check(s, _params, ctx) {
    const out: string[] = [];
    for (const c of containersOf(podSpecOf(s.kind, s.object), ['initContainers', 'containers', 'ephemeralContainers'])) {
      const image = c.container.image;
      if (typeof image !== 'string' || !isFloatingImage(image)) continue;
      const why = imageTag(image).tag === 'latest' ? 'the floating tag :latest' : 'no tag (which pulls :latest)';
      out.push(`${describeSubject(s, ctx)}: container "${c.name}" image "${image}" has ${why}`);
    }
    for (const { key, value } of s.helmValues ?? []) {
      const k = key.toLowerCase();
      if ((k === 'tag' || k.endsWith('.tag')) && value.trim() === 'latest') out.push(`${describeSubject(s, ctx)}: --set ${key}=${value} deploys the floating tag :latest`);
      else if ((k === 'image' || k.endsWith('.image')) && imageTag(value).tag === 'latest') out.push(`${describeSubject(s, ctx)}: --set ${key}=${value} deploys the floating tag :latest`);
    }
    return out;
  },
};
