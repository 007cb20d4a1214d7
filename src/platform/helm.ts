/**
 * Helm releases read from the cluster itself, so `helm` need not be installed. Helm 3 keeps each
 * revision in a Secret of type `helm.sh/release.v1` named `sh.helm.release.v1.<release>.v<revision>`
 * with labels `owner=helm,name,status,version`. Its `data.release` is, as Helm's storage driver
 * (pkg/storage/driver/util.go, encodeRelease) writes it: the release as JSON, gzipped, base64
 * encoded by Helm — and base64 encoded once more because Secret data is bytes. Releases stored
 * before compression carry plain JSON (no gzip magic 1f 8b 08), which Helm also accepts.
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { obj, str, num } from './k8s.js';
import type { HelmReleaseHealth, HelmRevision, K8sObject } from './types.js';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

export class ReleaseDecodeError extends Error {
  override name = 'ReleaseDecodeError';
}

function startsWithGzip(b: Buffer): boolean {
  return GZIP_MAGIC.every((byte, i) => b[i] === byte);
}

/** The release JSON held by a Secret's `data.release` (as `kubectl get secret -o json` prints it). */
export function decodeReleaseData(data: string): Record<string, unknown> {
  // Layer 1: the Secret's own base64. Layer 2: Helm's base64 of the gzip stream.
  let bytes = Buffer.from(data, 'base64');
  if (!startsWithGzip(bytes) && bytes[0] !== 0x7b /* { */) bytes = Buffer.from(bytes.toString('latin1'), 'base64');
  if (startsWithGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new ReleaseDecodeError(`release data is not a valid gzip stream (${(err as Error).message})`);
    }
  }
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new ReleaseDecodeError(`release data is not Helm release JSON (${(err as Error).message})`);
  }
}

/** The inverse, exactly as Helm stores it: for fixtures and tests. */
export function encodeReleaseData(release: unknown): string {
  const helm = gzipSync(Buffer.from(JSON.stringify(release)), { level: constants.Z_BEST_COMPRESSION }).toString('base64');
  return Buffer.from(helm, 'utf8').toString('base64');
}

interface ParsedRevision extends HelmRevision {
  name: string;
  namespace: string;
}

/** One Secret → one revision. Falls back to the Secret's labels when the payload cannot be decoded. */
export function revisionOf(secret: K8sObject): { revision: ParsedRevision | null; problem: string | null } {
  const meta = obj(secret.metadata);
  const labels = obj(meta.labels);
  const secretName = str(meta.name) ?? '(unnamed)';
  const secretNs = str(meta.namespace) ?? 'default';
  const data = str(obj(secret.data).release);
  let rel: Record<string, unknown> | null = null;
  let problem: string | null = null;
  if (data) {
    try {
      rel = decodeReleaseData(data);
    } catch (err) {
      problem = `${secretNs}/${secretName}: ${(err as Error).message}; using its labels`;
    }
  } else {
    problem = `${secretNs}/${secretName}: no data.release; using its labels`;
  }
  const info = obj(rel?.info);
  const meta2 = obj(obj(rel?.chart).metadata);
  const name = str(rel?.name) ?? str(labels.name);
  const revision = rel ? num(rel.version, NaN) : Number(str(labels.version) ?? NaN);
  if (!name || !Number.isInteger(revision)) return { revision: null, problem: `${secretNs}/${secretName}: not a Helm release (no name/version)` };
  const chartName = str(meta2.name);
  const chartVersion = str(meta2.version);
  return {
    revision: {
      name,
      namespace: str(rel?.namespace) ?? secretNs,
      revision,
      status: str(info.status) ?? str(labels.status) ?? 'unknown',
      chart: chartName ? `${chartName}${chartVersion ? `-${chartVersion}` : ''}` : null,
      appVersion: str(meta2.appVersion),
      updated: str(info.last_deployed),
      // Helm's JSON tag is `description`; some builds wrote `Description`.
      description: str(info.description) ?? str(info.Description),
    },
    problem,
  };
}

export interface ReleaseOptions {
  now?: Date;
  /** A pending-* or uninstalling release older than this is stuck (default 10 minutes). */
  pendingGraceMinutes?: number;
}

const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);

/** Every release in the secrets: newest revision, history, needsRepair and the repair command. */
export function releasesFromSecrets(secrets: K8sObject[], opts: ReleaseOptions = {}): { releases: HelmReleaseHealth[]; problems: string[] } {
  const groups = new Map<string, ParsedRevision[]>();
  const problems: string[] = [];
  for (const s of secrets) {
    const { revision, problem } = revisionOf(s);
    if (problem) problems.push(problem);
    if (!revision) continue;
    const key = `${revision.namespace}/${revision.name}`;
    const list = groups.get(key) ?? [];
    list.push(revision);
    groups.set(key, list);
  }
  const releases = [...groups.values()].map((revs) => releaseHealth(revs, opts));
  releases.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { releases, problems };
}

function releaseHealth(revs: ParsedRevision[], opts: ReleaseOptions): HelmReleaseHealth {
  const history = [...revs].sort((a, b) => b.revision - a.revision);
  const newest = history[0]!;
  const good = history.find((r) => r.revision !== newest.revision && (r.status === 'deployed' || r.status === 'superseded'));
  const lastDeployedRevision = newest.status === 'deployed' ? newest.revision : (good?.revision ?? null);
  const { name, namespace, status } = newest;
  const graceMs = (opts.pendingGraceMinutes ?? 10) * 60_000;
  const now = (opts.now ?? new Date()).getTime();
  const since = newest.updated ? Date.parse(newest.updated) : NaN;
  const stuck = Number.isFinite(since) ? now - since > graceMs : true;
  const age = Number.isFinite(since) ? ` for ${Math.round((now - since) / 60_000)} min` : '';

  let repair: HelmReleaseHealth['repair'] = null;
  const rollback = (why: string) => ({ command: ['helm', 'rollback', name, String(good!.revision), '-n', namespace], reason: why });
  const uninstall = (why: string) => ({ command: ['helm', 'uninstall', name, '-n', namespace], reason: why });
  if (status === 'failed') {
    repair = good
      ? rollback(`revision ${newest.revision} failed; revision ${good.revision} was the last that deployed`)
      : uninstall(`the first install (revision ${newest.revision}) failed and there is no deployed revision to roll back to: uninstall, fix the cause, install again`);
  } else if (PENDING.has(status) && stuck) {
    const why = `${status}${age}: the operation was interrupted and Helm refuses new ones ("another operation (install/upgrade/rollback) is in progress")`;
    repair = status !== 'pending-install' && good ? rollback(`${why}; roll back to revision ${good.revision}`) : uninstall(`${why}; nothing deployed before it, so uninstall and install again`);
  } else if (status === 'uninstalling' && stuck) {
    repair = { command: ['helm', 'uninstall', name, '-n', namespace, '--no-hooks'], reason: `uninstalling${age}: a pre/post-delete hook is probably stuck` };
  }
  const strip = ({ name: _n, namespace: _ns, ...rest }: ParsedRevision): HelmRevision => rest;
  return {
    name,
    namespace,
    revision: newest.revision,
    status,
    chart: newest.chart,
    appVersion: newest.appVersion,
    updated: newest.updated,
    description: newest.description,
    lastDeployedRevision,
    needsRepair: repair !== null,
    repair,
    history: history.map(strip),
  };
}
