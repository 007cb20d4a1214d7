/**
 * The kubelet rejected the pod at admission (phase Failed, `status.reason` OutOfcpu / OutOfmemory /
 * OutOfpods / NodeAffinity / UnexpectedAdmissionError, message `Pod was rejected: Node didn't have
 * enough resource: cpu, requested: …`): the node could not run it after all, a scheduling failure
 * seen by the node. Usually a race (static pods, extended resources, a node relabelled).
 */
import type { SchedulingCause } from '../../scheduler.js';
import type { PodContext } from '../context.js';
import { applyStep, describeCmd, k, ownerRef, statusEv, type Finding, type PodRule } from '../finding.js';

function causeOf(reason: string, message: string): SchedulingCause | null {
  if (/^OutOfpods$/i.test(reason) || /enough resource: pods\b/.test(message)) return 'Unschedulable_TooManyPods';
  if (/^OutOf/i.test(reason) || /enough resource|Allocate failed|devices unavailable/i.test(message)) return 'Unschedulable_InsufficientResources';
  if (/NodeAffinity|NodeSelector|NodeName/i.test(reason) || /Predicate (NodeAffinity|NodeSelector)/.test(message)) return 'Unschedulable_NodeAffinity';
  if (/Taint/i.test(reason) || /Predicate TaintToleration/.test(message)) return 'Unschedulable_Taint';
  return null;
}

function match(ctx: PodContext): Finding | null {
  if (ctx.phase !== 'Failed' || !ctx.reason) return null;
  const message = ctx.message ?? '';
  if (!/^Pod was rejected/.test(message) && !/^(OutOf|NodeAffinity|NodeSelector|TaintToleration|UnexpectedAdmissionError)/.test(ctx.reason)) return null;
  const cause = causeOf(ctx.reason, message);
  if (!cause) return null;
  const owner = ownerRef(ctx);
  return {
    rootCause: cause,
    container: null,
    summary: `The kubelet on ${ctx.nodeName ?? 'the node'} rejected the pod at admission (${ctx.reason}): ${message.replace(/^Pod was rejected:\s*/, '')}.`,
    evidence: [statusEv('status.reason', ctx.reason), ...(ctx.message ? [statusEv('status.message', ctx.message)] : [])],
    commands: [describeCmd(ctx), ...(ctx.nodeName ? [`kubectl describe node ${ctx.nodeName}`] : []), k(ctx, 'delete', 'pod', ctx.name)],
    steps: [
      owner
        ? `${owner} creates a replacement that the scheduler places again; delete this failed pod once understood.`
        : 'Nothing re-creates a bare pod: re-create it after fixing the cause.',
      `If it repeats, check the node's allocatable resources/labels against the pod's requests and selectors. ${applyStep(ctx)}`,
    ],
    confidence: 'high',
  };
}

export const admissionRejectedRule: PodRule = {
  scope: 'pod',
  labels: ['Unschedulable_InsufficientResources', 'Unschedulable_TooManyPods', 'Unschedulable_NodeAffinity', 'Unschedulable_Taint'],
  priority: 15,
  match,
};
