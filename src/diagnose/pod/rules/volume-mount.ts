/**
 * VolumeMountFailure: the kubelet cannot attach or mount a volume (`FailedMount`:
 * `MountVolume.SetUp failed for volume "x" : …`, `Unable to attach or mount volumes: …`,
 * `FailedAttachVolume` / `Multi-Attach error`), so the containers never start; or a subPath mount
 * that fails at container start.
 */
import { eventTime } from '../../events.js';
import { containersNotStarted } from '../not-started.js';
import { parseConfigError } from './create-container-config.js';
import { describeCmd, eventEv, k, latest, specEv, statusEv, type Finding, type PodRule } from '../finding.js';
import { arr, obj, str, type ContainerView, type PodContext } from '../context.js';

const MOUNT_EVENT = new Set(['FailedMount', 'FailedAttachVolume', 'FailedMapVolume']);
const MOUNT_WAITING = new Set(['CreateContainerError', 'CreateContainerConfigError', 'RunContainerError', 'CrashLoopBackOff']);

/** The container's mounts that use a subPath, with their index in volumeMounts. */
interface SubPathMount {
  i: number;
  field: 'subPath' | 'subPathExpr';
  value: string;
}
function subPathMounts(c: ContainerView): SubPathMount[] {
  return arr(c.spec.volumeMounts).flatMap((m, i): SubPathMount[] => {
    const o = obj(m);
    if (typeof o.subPath === 'string' && o.subPath) return [{ i, field: 'subPath', value: o.subPath }];
    if (typeof o.subPathExpr === 'string' && o.subPathExpr) return [{ i, field: 'subPathExpr', value: o.subPathExpr }];
    return [];
  });
}

/**
 * The kubelet cannot prepare one of the container's mounts before creating it: `error mounting …`,
 * `failed to prepare subPath …`, or (CreateContainerConfigError) `stat /host/path: no such file or
 * directory` for a container that mounts with a subPath — the path under the volume is missing.
 * Not an exec failure (`exec: "x": stat x: no such file or directory` is the command).
 */
function mountPreparationFails(c: ContainerView): boolean {
  if (!MOUNT_WAITING.has(c.waiting?.reason ?? '')) return false;
  const text = `${c.waiting?.message ?? ''} ${c.lastTerminated?.message ?? ''}`;
  if (/error mounting|subpath|mount.*not a directory/i.test(text)) return true;
  return !/exec[:\s]|executable/.test(text) && /\bstat \/\S*: no such file or directory/.test(text) && subPathMounts(c).length > 0;
}

function match(ctx: PodContext): Finding | null {
  const subPath = ctx.containers.find(mountPreparationFails);
  const ev = latest(ctx.events, (e) => MOUNT_EVENT.has(e.reason) || /^MountVolume\.\w+ failed|Unable to attach or mount volumes|Multi-Attach error/.test(e.message));
  if (!subPath && !(ev && containersNotStarted(ctx))) return null;
  const sandbox = latest(ctx.events, (e) => e.reason === 'FailedCreatePodSandBox');
  if (!subPath && ev && sandbox && (eventTime(sandbox) ?? 0) >= (eventTime(ev) ?? 0)) return null;
  const evidence = [];
  if (subPath) {
    evidence.push(statusEv(`${subPath.statusPath}.state.waiting.reason`, subPath.waiting?.reason ?? ''));
    if (subPath.waiting?.message) evidence.push(statusEv(`${subPath.statusPath}.state.waiting.message`, subPath.waiting.message));
    for (const m of subPathMounts(subPath)) evidence.push(specEv(`${subPath.specPath}.volumeMounts[${m.i}].${m.field}`, m.value));
  }
  // Quote the most specific mount failure: a SetUp/Attach error names the volume and the cause.
  const specific = latest(ctx.events, (e) => MOUNT_EVENT.has(e.reason) && /^(MountVolume|AttachVolume|MapVolume)\.|Multi-Attach error/.test(e.message));
  if (specific) evidence.push(eventEv(specific));
  if (ev && ev !== specific) evidence.push(eventEv(ev));
  const msg = specific?.message ?? ev?.message ?? subPath?.waiting?.message ?? '';
  const specVolumes = new Set(ctx.volumes.map((v) => str(v.name)).filter(Boolean));
  const texts = [msg, ev?.message ?? ''];
  const named = texts.map((t) => /for volume "([^"]+)"/.exec(t)?.[1]).find((n) => n && specVolumes.has(n));
  const volume = named ?? texts.map((t) => /unmounted volumes=\[([^\]\s]+)/.exec(t)?.[1]).find(Boolean) ?? /for volume "([^"]+)"/.exec(msg)?.[1] ?? null;
  const vol = volume ? arr(obj(ctx.pod.spec).volumes).map(obj).find((v) => v.name === volume) : undefined;
  const claim = vol ? str(obj(vol.persistentVolumeClaim).claimName) : null;
  const missing = parseConfigError(msg);
  const secondary = missing && missing.cause !== 'RunAsNonRootViolation' ? [{ rootCause: missing.cause, reason: `volume ${volume ?? ''} refers to a missing ${missing.kind} ${missing.name ?? ''}`.trim() }] : [];
  let why = 'a volume cannot be mounted';
  const pv = /for volume "(pvc-[^"]+)"/.exec(msg)?.[1];
  if (/Multi-Attach error/.test(msg)) why = `volume ${volume ?? ''}${pv && pv !== volume ? ` (${pv})` : ''} is still attached to another node (Multi-Attach error: ReadWriteOnce volume)`;
  else if (missing) why = `volume ${volume ?? ''} refers to ${missing.kind} "${missing.name}" which does not exist`;
  else if (/timed out waiting for the condition|context deadline exceeded/.test(msg)) why = `volume ${volume ?? '(unknown)'} was not attached/mounted in time`;
  else if (/AttachVolume/.test(msg)) why = `volume ${volume ?? ''} cannot be attached to node ${ctx.nodeName ?? ''}`;
  else if (/mount failed|exit status 32|nfs|permission denied|access denied/i.test(msg)) why = `mounting volume ${volume ?? ''} fails on the node`;
  else if (subPath) why = `container ${subPath.name}'s subPath mount fails${subPath.waiting?.message ? `: ${subPath.waiting.message}` : ''}`;
  const commands = [describeCmd(ctx)];
  if (claim) commands.push(k(ctx, 'describe', 'pvc', claim));
  if (missing?.kind) commands.push(k(ctx, 'get', missing.kind === 'Secret' ? 'secret' : 'configmap', missing.name ?? ''));
  if (/Multi-Attach|AttachVolume/.test(msg)) commands.push('kubectl get volumeattachments');
  return {
    rootCause: 'VolumeMountFailure',
    container: subPath ?? null,
    summary: `Pod cannot start its containers: ${why.replace(/\s+/g, ' ')}.`,
    evidence,
    commands,
    steps: [
      missing
        ? `Create ${missing.kind} ${missing.name} in ${ctx.namespace} or fix the volume's reference (or mark it optional).`
        : /Multi-Attach/.test(msg)
          ? 'Wait for the old pod on the other node to terminate (a Deployment using a ReadWriteOnce volume should use strategy Recreate); force-detaching a volume risks data: ask first.'
          : subPath && !ev
            ? `Create the path the subPath points to inside the volume (for a hostPath volume: on node ${ctx.nodeName ?? ''}), or fix the subPath in the container's volumeMounts.`
            : 'Check the volume backend (CSI driver pods, the PV and its zone vs the node, NFS server, credentials).',
      'The kubelet retries the mount by itself; the containers start once it succeeds.',
    ],
    confidence: subPath ? 'high' : 'medium',
    secondary,
  };
}

export const volumeMountRule: PodRule = { scope: 'pod', labels: ['VolumeMountFailure'], priority: 45, match };
