/**
 * A Deployment is ready when every wanted replica is ready: `status.readyReplicas` equals
 * `spec.replicas` (the API server defaults replicas to 1), the newest ReplicaSet rolled out
 * (`updatedReplicas`), and at least one replica is wanted. Conditions that are not True
 * (`Available=False MinimumReplicasUnavailable`, `Progressing=False ProgressDeadlineExceeded`) are kept.
 */
import { arr, nameOf, namespaceOf, num, obj, str } from './k8s.js';
import type { DeploymentHealth, K8sObject } from './types.js';

export function deploymentHealth(deployments: K8sObject[], namespace: string, name: string): DeploymentHealth {
  const d = deployments.find((o) => nameOf(o) === name && namespaceOf(o) === namespace);
  if (!d) {
    return { namespace, name, found: false, replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, ready: false, conditions: [] };
  }
  const spec = obj(d.spec);
  const status = obj(d.status);
  const replicas = num(spec.replicas, 1);
  const readyReplicas = num(status.readyReplicas);
  const availableReplicas = num(status.availableReplicas);
  const updatedReplicas = num(status.updatedReplicas);
  const conditions = arr(status.conditions)
    .filter((c) => c.status !== 'True')
    .map((c) => `${str(c.type)}=${str(c.status)}${c.reason ? ` ${str(c.reason)}` : ''}${c.message ? `: ${str(c.message)}` : ''}`);
  return {
    namespace,
    name,
    found: true,
    replicas,
    readyReplicas,
    availableReplicas,
    updatedReplicas,
    ready: replicas > 0 && readyReplicas >= replicas && updatedReplicas >= replicas,
    conditions,
  };
}
