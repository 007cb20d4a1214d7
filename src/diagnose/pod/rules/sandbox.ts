/**
 * PodSandboxFailure: the runtime cannot create the pod's sandbox (network namespace, CNI IP, pause
 * image): `FailedCreatePodSandBox` events while the containers never start.
 */
import { eventTime } from '../../events.js';
import { containersNotStarted } from '../not-started.js';
import { describeCmd, eventEv, k, latest, statusEv, stripRpc, type PodRule } from '../finding.js';

export const sandboxRule: PodRule = {
  scope: 'pod',
  labels: ['PodSandboxFailure'],
  priority: 40,
  match(ctx) {
    if (!containersNotStarted(ctx)) return null;
    const ev = latest(ctx.events, (e) => e.reason === 'FailedCreatePodSandBox' || /Failed to create pod sandbox/i.test(e.message));
    if (!ev) return null;
    // Volumes are mounted before the sandbox is created: a newer mount failure is the real blocker.
    const mount = latest(ctx.events, (e) => e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume');
    if (mount && (eventTime(mount) ?? 0) > (eventTime(ev) ?? 0)) return null;
    const msg = stripRpc(ev.message);
    let why = 'the container runtime could not create the pod sandbox';
    if (/failed to (assign|allocate) an IP|no IP addresses available|failed to allocate for range|InsufficientFreeAddressesInSubnet|ip address/i.test(msg)) why = 'the CNI plugin has no free IP address for the pod (subnet or ENI/IP limit exhausted)';
    else if (/plugin type="?([\w-]+)"?/.test(msg) || /network|cni/i.test(msg)) why = `the network plugin failed to set up the pod network${/plugin type="?([\w-]+)"?/.exec(msg) ? ` (${/plugin type="?([\w-]+)"?/.exec(msg)![1]})` : ''}`;
    else if (/pause|sandbox image/i.test(msg)) why = 'the node cannot pull the sandbox (pause) image';
    else if (/cgroup|runc|OCI runtime/i.test(msg)) why = 'the container runtime failed to start the sandbox (runc/cgroups)';
    const evidence = [eventEv(ev)];
    const waiting = ctx.containers.find((c) => c.waiting?.reason === 'ContainerCreating');
    if (waiting) evidence.unshift(statusEv(`${waiting.statusPath}.state.waiting.reason`, 'ContainerCreating'));
    const node = ctx.nodeName;
    return {
      rootCause: 'PodSandboxFailure',
      container: null,
      summary: `Pod cannot start on ${node ?? 'its node'}: ${why}${ev.count > 1 ? ` (${ev.count} attempts)` : ''}.`,
      evidence,
      commands: [
        describeCmd(ctx),
        'kubectl -n kube-system get pods -o wide' + (node ? ` --field-selector=spec.nodeName=${node}` : ''),
        k(ctx, 'delete', 'pod', ctx.name),
      ],
      steps: [
        'Check the CNI pods (aws-node, calico-node, cilium…) on that node and their logs; for IP exhaustion, free IPs or enlarge the subnet / enable prefix delegation.',
        'Deleting the pod lets it be rescheduled, possibly on a healthy node (low risk when it has a controller).',
      ],
      confidence: 'medium',
    };
  },
};
