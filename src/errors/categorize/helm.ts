/** Helm CLI, helm-controller and chart-rendering wording. */
export const HELM_SIGNAL =
  /\bhelm\b|INSTALLATION FAILED|UPGRADE FAILED|ROLLBACK FAILED|cannot re-use a name that is still in use|another operation \(install\/upgrade\/rollback\) is in progress|Kubernetes cluster unreachable|rendered manifests contain a resource that already exists|release manifest|not a valid chart repository|parse error (?:at|in) \(?"?[\w./-]{0,300}templates\//i;

export function detectHelm(t: string): boolean {
  return HELM_SIGNAL.test(t);
}

// Release-level operations: the object at fault is the release itself when no Kubernetes kind is named.
// Helm's --debug lines name the action's source file (install.go, upgrade.go), which is a release operation too.
const RELEASE_SCOPE =
  /\brelease\b|INSTALLATION FAILED|UPGRADE FAILED|ROLLBACK FAILED|re-use a name|another operation \(install\/upgrade\/rollback\)|\b(?:install|upgrade|rollback|uninstall)\.go:\d+/i;

export function helmResourceType(t: string): string | null {
  return RELEASE_SCOPE.test(t) ? 'release' : null;
}
