import { firstResolved, type Resolver } from './shared.js';

/**
 * Karpenter names itself, its CRDs (not NodePool: GKE uses that word too) or EC2 fleet launches; its controller logs are zap JSON
 * carrying a short `commit` sha next to `level`, which is how they are known when nothing else is.
 * A URL that merely contains the word (a chart or image repository) says nothing about who printed the text.
 */
export const KARPENTER_SIGNAL =
  /(?<!(?:https?|oci):\/\/[^\s"']{0,300})karpenter|\bNodeClaim\b|\bnodeclaim\b|\bEC2NodeClass\b|with fleet error\(s\)|creating cloud provider (?:instance|machine)|"level":"[A-Z]+"[^\n]{0,2000}"commit":"[0-9a-f]{7}"/;

export function detectKarpenter(t: string): boolean {
  return KARPENTER_SIGNAL.test(t);
}

const KIND_RESOLVERS: readonly Resolver[] = [
  { re: /"controllerKind":"([A-Za-z0-9]+)"/, map: (m) => (m[1] ? m[1].toLowerCase() : null) },
  // The object a log line or event is about: `"Pod":{"name":…}` in controller logs, "Cannot disrupt Node" in events.
  { re: /"(Pod|Node|NodeClaim|NodePool)":\{"name"/, map: (m) => (m[1] ? m[1].toLowerCase() : null) },
  { re: /\bCannot disrupt (Node|NodeClaim)\b/, map: (m) => (m[1] ? m[1].toLowerCase() : null) },
];

export function karpenterKind(t: string): string | null {
  return firstResolved(t, KIND_RESOLVERS);
}
