import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeReleaseData, encodeReleaseData, releasesFromSecrets, ReleaseDecodeError } from '../../src/platform/helm.js';
import type { K8sObject } from '../../src/platform/types.js';
import { items, RECORDED_AT } from './helpers.js';

function secret(release: string, ns: string, version: number, status: string, opts: { lastDeployed?: string; data?: string | null; description?: string } = {}): K8sObject {
  const rel = {
    name: release,
    info: { first_deployed: '2026-11-20T08:00:00Z', last_deployed: opts.lastDeployed ?? '2026-11-20T09:00:00Z', deleted: '', description: opts.description ?? '', status },
    chart: { metadata: { name: release, version: '1.2.3', appVersion: '4.5.6', apiVersion: 'v2' } },
    version,
    namespace: ns,
  };
  const data = opts.data === undefined ? { release: encodeReleaseData(rel) } : opts.data === null ? {} : { release: opts.data };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: { name: `sh.helm.release.v1.${release}.v${version}`, namespace: ns, labels: { name: release, owner: 'helm', status, version: String(version) } },
    data,
  };
}

describe('Helm release secrets: the storage encoding', () => {
  it('decodes a recorded secret: Secret base64, then Helm base64 of a gzip stream of the release JSON', () => {
    const s = items('cni-not-ready', 'helm-secrets.json')[0]!;
    const data = (s.data as { release: string }).release;
    // Peel the layers by hand, as Helm's decodeRelease does after the API's own base64.
    const helmString = Buffer.from(data, 'base64').toString('utf8');
    expect(helmString.startsWith('H4sI')).toBe(true); // base64 of 1f 8b 08
    const gz = Buffer.from(helmString, 'base64');
    expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    const byHand = JSON.parse(gunzipSync(gz).toString('utf8'));
    const rel = decodeReleaseData(data);
    expect(rel).toEqual(byHand);
    expect(rel).toMatchObject({ name: 'karpenter', namespace: 'karpenter', version: 1, info: { status: 'failed', description: 'Release "karpenter" failed: context deadline exceeded' } });
  });

  it('reads releases stored before compression (plain JSON under Helm base64), and a payload already stripped of the Secret layer', () => {
    const rel = { name: 'old', version: 3, namespace: 'default', info: { status: 'deployed' } };
    const legacy = Buffer.from(Buffer.from(JSON.stringify(rel)).toString('base64')).toString('base64');
    expect(decodeReleaseData(legacy)).toEqual(rel);
    const oneLayer = gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64');
    expect(decodeReleaseData(oneLayer)).toEqual(rel);
  });

  it('round-trips with encodeReleaseData and rejects what is not a release', () => {
    const rel = { name: 'x', version: 1, info: { status: 'deployed' } };
    expect(decodeReleaseData(encodeReleaseData(rel))).toEqual(rel);
    expect(() => decodeReleaseData(Buffer.from('not json at all').toString('base64'))).toThrow(ReleaseDecodeError);
    const truncated = encodeReleaseData(rel).slice(0, 40);
    expect(() => decodeReleaseData(truncated)).toThrow(ReleaseDecodeError);
  });
});

describe('releases: newest revision, needsRepair and the repair', () => {
  const now = RECORDED_AT;

  it('a failed first install has nothing to roll back to: uninstall', () => {
    const { releases } = releasesFromSecrets(items('cni-not-ready', 'helm-secrets.json'), { now });
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({
      name: 'karpenter', namespace: 'karpenter', revision: 1, status: 'failed', chart: 'karpenter-1.0.6', appVersion: '1.0.6',
      lastDeployedRevision: null, needsRepair: true,
      repair: { command: ['helm', 'uninstall', 'karpenter', '-n', 'karpenter'] },
    });
  });

  it('a failed upgrade rolls back to the revision that is still deployed; a stuck pending-upgrade too', () => {
    const { releases } = releasesFromSecrets(items('degraded', 'helm-secrets.json'), { now });
    const byName = Object.fromEntries(releases.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['aws-load-balancer-controller', 'karpenter', 'metrics-server']);
    const lbc = byName['aws-load-balancer-controller']!;
    expect(lbc).toMatchObject({ revision: 3, status: 'failed', lastDeployedRevision: 2, needsRepair: true, description: 'Upgrade "aws-load-balancer-controller" failed: context deadline exceeded' });
    expect(lbc.repair?.command).toEqual(['helm', 'rollback', 'aws-load-balancer-controller', '2', '-n', 'kube-system']);
    expect(lbc.history.map((h) => [h.revision, h.status])).toEqual([[3, 'failed'], [2, 'deployed'], [1, 'superseded']]);
    const ms = byName['metrics-server']!;
    expect(ms).toMatchObject({ revision: 2, status: 'pending-upgrade', needsRepair: true, lastDeployedRevision: 1 });
    expect(ms.repair?.command).toEqual(['helm', 'rollback', 'metrics-server', '1', '-n', 'kube-system']);
    expect(ms.repair?.reason).toMatch(/pending-upgrade for 22 min/);
    expect(byName.karpenter).toMatchObject({ status: 'deployed', needsRepair: false, repair: null, lastDeployedRevision: 1 });
  });

  it('a pending operation within the grace period is not (yet) a repair; past it, it is', () => {
    const secrets = [secret('web', 'apps', 1, 'deployed'), secret('web', 'apps', 2, 'pending-upgrade', { lastDeployed: '2026-11-20T10:10:00Z' })];
    const fresh = releasesFromSecrets(secrets, { now }).releases[0]!;
    expect(fresh).toMatchObject({ status: 'pending-upgrade', needsRepair: false, repair: null });
    const later = releasesFromSecrets(secrets, { now: new Date('2026-11-20T10:30:00Z') }).releases[0]!;
    expect(later).toMatchObject({ needsRepair: true, repair: { command: ['helm', 'rollback', 'web', '1', '-n', 'apps'] } });
    const strict = releasesFromSecrets(secrets, { now, pendingGraceMinutes: 2 }).releases[0]!;
    expect(strict.needsRepair).toBe(true);
  });

  it('picks the newest revision by number, not by list order, and keeps releases of the same name in different namespaces apart', () => {
    const secrets = [
      secret('api', 'b', 1, 'deployed'),
      secret('api', 'a', 10, 'deployed'),
      secret('api', 'a', 9, 'superseded'),
      secret('api', 'a', 2, 'superseded'),
    ];
    const { releases } = releasesFromSecrets(secrets, { now });
    expect(releases.map((r) => [r.namespace, r.name, r.revision, r.status])).toEqual([['a', 'api', 10, 'deployed'], ['b', 'api', 1, 'deployed']]);
  });

  it('stuck pending-install and uninstalling get their repairs; uninstalled and superseded need none', () => {
    const r = (s: K8sObject[]) => releasesFromSecrets(s, { now }).releases[0]!;
    expect(r([secret('a', 'ns', 1, 'pending-install')]).repair?.command).toEqual(['helm', 'uninstall', 'a', '-n', 'ns']);
    expect(r([secret('a', 'ns', 2, 'pending-rollback'), secret('a', 'ns', 1, 'superseded')]).repair?.command).toEqual(['helm', 'rollback', 'a', '1', '-n', 'ns']);
    expect(r([secret('a', 'ns', 1, 'uninstalling')]).repair?.command).toEqual(['helm', 'uninstall', 'a', '-n', 'ns', '--no-hooks']);
    expect(r([secret('a', 'ns', 1, 'uninstalled')])).toMatchObject({ needsRepair: false, repair: null });
  });

  it('a secret whose payload cannot be decoded falls back to its labels and says so', () => {
    const { releases, problems } = releasesFromSecrets([secret('broken', 'ns', 4, 'failed', { data: 'bm90IGEgcmVsZWFzZQ==' })], { now });
    expect(releases[0]).toMatchObject({ name: 'broken', revision: 4, status: 'failed', needsRepair: true });
    expect(problems).toEqual([expect.stringContaining('ns/sh.helm.release.v1.broken.v4: release data is not Helm release JSON')]);
    const noData = releasesFromSecrets([secret('empty', 'ns', 1, 'deployed', { data: null })], { now });
    expect(noData.releases[0]?.status).toBe('deployed');
    expect(noData.problems[0]).toMatch(/no data.release/);
  });
});
