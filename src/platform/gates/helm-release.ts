/**
 * Gate `helmRelease`: the release's newest revision is `deployed`, read from the Helm release
 * Secrets in its namespace (helm itself not needed). Failed → RELEASE_FAILED with the repair;
 * pending-* → RELEASE_PENDING (stuck past the grace period: needsRepair with the repair);
 * anything else (uninstalling, uninstalled, superseded) → RELEASE_NOT_DEPLOYED; absent → RELEASE_NOT_FOUND.
 */
import { releasesFromSecrets } from '../helm.js';
import type { BlockerCode, GateSpec } from '../types.js';
import type { GateDefinition } from './gate.js';

type Spec = Extract<GateSpec, { check: 'helmRelease' }>;

export const helmRelease: GateDefinition<Spec> = {
  check: 'helmRelease',
  label: (s) => `helmRelease ${s.namespace}/${s.release}`,
  async evaluate(spec, { reader, now, pendingGraceMinutes }) {
    const key = `${spec.namespace}/${spec.release}`;
    const { releases } = releasesFromSecrets(await reader.list('helm-secrets', spec.namespace), { now, pendingGraceMinutes });
    const r = releases.find((x) => x.name === spec.release && x.namespace === spec.namespace);
    const evidence = {
      releases: {
        [key]: {
          exists: Boolean(r),
          status: r?.status ?? null,
          revision: r?.revision ?? null,
          lastDeployedRevision: r?.lastDeployedRevision ?? null,
          needsRepair: r?.needsRepair ?? false,
          description: r?.description ?? null,
        },
      },
    };
    if (!r) {
      return {
        passed: false,
        summary: 'not installed',
        evidence,
        blockers: [{ code: 'RELEASE_NOT_FOUND', message: `Helm release ${key} is not installed (no helm.sh/release.v1 secret in ${spec.namespace})`, fix: [`helm install ${spec.release} <chart> -n ${spec.namespace} --create-namespace`] }],
      };
    }
    const summary = `revision ${r.revision} ${r.status}${r.needsRepair ? ' (needs repair)' : ''}`;
    if (r.status === 'deployed') return { passed: true, summary, evidence, blockers: [] };
    const code: BlockerCode = r.status === 'failed' ? 'RELEASE_FAILED' : r.status.startsWith('pending-') ? 'RELEASE_PENDING' : 'RELEASE_NOT_DEPLOYED';
    const said = r.description ? `: ${r.description}` : '';
    const message =
      code === 'RELEASE_PENDING' && !r.needsRepair
        ? `Helm release ${key} is ${r.status} (revision ${r.revision}), still within the grace period: wait for it${said}`
        : `Helm release ${key} is ${r.status} (revision ${r.revision})${r.needsRepair && r.status !== 'failed' ? ' and stuck' : ''}${said}`;
    const fix = [`helm history ${spec.release} -n ${spec.namespace}`];
    if (r.repair) fix.push(`${r.repair.command.join(' ')}   # ${r.repair.reason}`);
    return { passed: false, summary, evidence, blockers: [{ code, message, fix }] };
  },
};
