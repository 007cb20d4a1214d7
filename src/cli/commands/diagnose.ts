import type { Command } from 'commander';
import { diagnoseDeployment, type DeploymentDiagnosis } from '../../diagnose/deployment.js';
import { gatherDeployment, gatherNamespace, gatherNode, gatherPod, gatherService, type Gathered } from '../../diagnose/gather.js';
import { Kubectl, KUBECTL_TIMEOUT_MS } from '../../diagnose/kubectl.js';
import { diagnoseNamespace, type NamespaceDiagnosis, type PodDiagnoser } from '../../diagnose/namespace.js';
import { diagnoseNode, type NodeDiagnosis } from '../../diagnose/node.js';
import { diagnosePod } from '../../diagnose/pod/index.js';
import { diagnoseService, type ServiceDiagnosis } from '../../diagnose/service.js';
import type { Evidence, PodDiagnosis, Remediation, RiskTier } from '../../diagnose/types.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

/**
 * `infra-ops diagnose pod|deployment|node|service|namespace`: gather (kubectl or files), diagnose,
 * print. Exit 0 healthy, 1 a problem found, 2 bad input / not found, 3 no kubectl or no cluster.
 */
interface DiagnoseOptions extends CommonOptions {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  file?: string[];
  podFile?: string[];
  eventsFile?: string[];
  logsFile?: string[];
  timeout?: string;
  now?: string;
}

interface Meta {
  schemaVersion: 1;
  /** Where the objects came from: the cluster (kubectl) or the files given. */
  source: 'cluster' | 'files';
  /** What could not be read (events, logs), in plain words. */
  notes: string[];
}

export type DiagnosePodResult = Meta & PodDiagnosis;
export type DiagnoseDeploymentResult = Meta & DeploymentDiagnosis;
export type DiagnoseNodeResult = Meta & NodeDiagnosis;
export type DiagnoseServiceResult = Meta & ServiceDiagnosis;
export type DiagnoseNamespaceResult = Meta & NamespaceDiagnosis;

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function setup(cmd: Command, name: string | undefined, what: string) {
  const opts = cmd.optsWithGlobals<DiagnoseOptions>();
  if (name !== undefined && !NAME.test(name)) throw new CliError(`invalid ${what} name "${name}" (lowercase letters, digits, '-' and '.')`, EXIT.usage, 'input.invalid');
  if (opts.namespace !== undefined && !NAME.test(opts.namespace)) throw new CliError(`-n: invalid namespace "${opts.namespace}"`, EXIT.usage, 'input.invalid');
  let timeoutMs = KUBECTL_TIMEOUT_MS;
  if (opts.timeout !== undefined) {
    const s = Number(opts.timeout);
    if (!Number.isFinite(s) || s <= 0 || s > 3600) throw new CliError(`--timeout must be a number of seconds between 0 and 3600, got "${opts.timeout}"`, EXIT.usage, 'input.invalid');
    timeoutMs = Math.round(s * 1000);
  }
  let now: Date | undefined;
  if (opts.now !== undefined) {
    now = new Date(opts.now);
    if (Number.isNaN(now.getTime())) throw new CliError(`--now must be an ISO time (e.g. 2026-11-23T10:00:00Z), got "${opts.now}"`, EXIT.usage, 'input.invalid');
  }
  const k = new Kubectl({ context: opts.context, kubeconfig: opts.kubeconfig, namespace: opts.namespace, timeoutMs });
  const gather = { files: opts.file, podFiles: opts.podFile, eventsFiles: opts.eventsFile, logsFiles: opts.logsFile, now };
  return { opts, k, gather };
}

function metaOf<T>(g: Gathered<T>): Meta {
  return { schemaVersion: 1, source: g.source, notes: g.notes };
}

const pod: PodDiagnoser = diagnosePod;

export async function diagnosePodCommand(name: string | undefined, _o: unknown, cmd: Command): Promise<void> {
  const { opts, k, gather } = setup(cmd, name, 'pod');
  const g = await gatherPod(k, name, gather);
  const data: DiagnosePodResult = { ...metaOf(g), ...pod(g.input) };
  emit({ data, human: (x) => formatPod(x, x.notes), exitCode: exitFor(data.rootCause === 'Healthy') }, opts);
}

export async function diagnoseDeploymentCommand(name: string | undefined, _o: unknown, cmd: Command): Promise<void> {
  const { opts, k, gather } = setup(cmd, name, 'deployment');
  const g = await gatherDeployment(k, name, gather);
  const data: DiagnoseDeploymentResult = { ...metaOf(g), ...diagnoseDeployment(g.input, pod) };
  emit({ data, human: formatDeployment, exitCode: exitFor(data.healthy) }, opts);
}

export async function diagnoseNodeCommand(name: string | undefined, _o: unknown, cmd: Command): Promise<void> {
  const { opts, k, gather } = setup(cmd, name, 'node');
  const g = await gatherNode(k, name, gather);
  const data: DiagnoseNodeResult = { ...metaOf(g), ...diagnoseNode(g.input.node, g.input.events) };
  emit({ data, human: (x) => formatWorkload(`node ${x.name}: ${x.problem}${x.healthy ? '' : ` (Ready=${x.ready})`}`, x, [x.taints.length ? `taints: ${x.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}` : '']), exitCode: exitFor(data.healthy) }, opts);
}

export async function diagnoseServiceCommand(name: string | undefined, _o: unknown, cmd: Command): Promise<void> {
  const { opts, k, gather } = setup(cmd, name, 'service');
  const g = await gatherService(k, name, gather);
  const data: DiagnoseServiceResult = { ...metaOf(g), ...diagnoseService(g.input, pod) };
  emit({
    data,
    human: (x) => formatWorkload(`service ${x.namespace}/${x.name}: ${x.problem}`, x, [
      `pods: ${x.pods.ready}/${x.pods.matching} selected pods ready; endpoints (${x.endpoints.source}): ${x.endpoints.ready} ready, ${x.endpoints.notReady} not ready`,
      ...x.diagnoses.map((p) => `  ${p.name}: ${p.rootCause}${p.container ? ` [${p.container}]` : ''} — ${p.summary}`),
    ]),
    exitCode: exitFor(data.healthy),
  }, opts);
}

export async function diagnoseNamespaceCommand(namespace: string, _o: unknown, cmd: Command): Promise<void> {
  const { opts, k, gather } = setup(cmd, namespace, 'namespace');
  const g = await gatherNamespace(k, namespace, gather);
  const data: DiagnoseNamespaceResult = { ...metaOf(g), ...diagnoseNamespace(namespace, g.input, pod) };
  emit({ data, human: formatNamespace, exitCode: exitFor(data.healthy) }, opts);
}

function exitFor(healthy: boolean) {
  return healthy ? EXIT.ok : EXIT.failure;
}

// ---------------------------------------------------------------------------------------------
// human output

const RISK_NOTE: Record<RiskTier, string> = {
  trivial: 'risk trivial',
  low: 'risk low — ask before running anything that changes the cluster',
  medium: 'risk medium — needs approval before anything that changes the cluster',
  critical: 'risk critical — needs explicit approval',
};

function evidenceLines(ev: Evidence[]): string[] {
  return ev.length ? ['evidence:', ...ev.map((e) => `  - ${e.path}: ${e.text}`)] : [];
}

function remediationLines(r: Remediation, risk: RiskTier): string[] {
  if (!r.commands.length && !r.steps.length) return [];
  return [
    `remediation (${RISK_NOTE[risk]}):`,
    ...r.steps.map((s, i) => `  ${i + 1}. ${s}`),
    ...r.commands.map((c) => `  $ ${c}`),
  ];
}

function noteLines(notes: string[]): string[] {
  return notes.length ? ['notes:', ...notes.map((n) => `  - ${n}`)] : [];
}

function formatPod(x: DiagnosePodResult, notes: string[]): string {
  const ok = x.rootCause === 'Healthy';
  const head = `pod ${x.namespace}/${x.name}: ${paint(x.rootCause, ok ? 'green' : 'red')}${x.container ? ` (${x.containerType === 'init' ? 'init container' : 'container'} ${x.container})` : ''} · confidence ${x.confidence}`;
  return [
    head,
    `  ${x.summary}`,
    `  state: ${x.state.phase}, ${x.state.ready} ready, ${x.state.restarts} restarts${x.state.owner ? `, owner ${x.state.owner}` : ''}`,
    ...x.secondary.map((s) => `  also: ${s.rootCause} — ${s.reason}`),
    ...evidenceLines(x.evidence),
    ...remediationLines(x.remediation, x.riskTier),
    ...noteLines(notes),
  ].join('\n');
}

function formatWorkload(
  head: string,
  x: { healthy: boolean; summary: string; evidence: Evidence[]; remediation: Remediation; riskTier: RiskTier; notes: string[] },
  extra: string[],
): string {
  return [
    x.healthy ? paint(head, 'green') : paint(head, 'red'),
    `  ${x.summary}`,
    ...extra.filter(Boolean),
    ...evidenceLines(x.evidence),
    ...remediationLines(x.remediation, x.riskTier),
    ...noteLines(x.notes),
  ].join('\n');
}

function formatDeployment(x: DiagnoseDeploymentResult): string {
  const r = x.replicas;
  return formatWorkload(`deployment ${x.namespace}/${x.name}: ${x.problem}${x.rootCause ? ` · pods: ${x.rootCause}` : ''}`, x, [
    `replicas: ${r.ready}/${r.desired} ready, ${r.updated} updated, ${r.available} available, ${r.unavailable} unavailable${x.newReplicaSet ? `; newest ReplicaSet ${x.newReplicaSet.name} (revision ${x.newReplicaSet.revision ?? '?'})` : ''}`,
    ...x.pods.map((p) => `  ${p.name}: ${p.rootCause}${p.container ? ` [${p.container}]` : ''} — ${p.summary}`),
  ]);
}

function formatNamespace(x: DiagnoseNamespaceResult): string {
  const lines = [
    paint(`namespace ${x.name}: ${x.healthy ? 'healthy' : `${x.pods.failing} failing pod(s)`}`, x.healthy ? 'green' : 'red'),
    `  ${x.summary}`,
  ];
  for (const g of x.groups) {
    lines.push(`${g.rootCause} (${g.count}): ${g.pods.slice(0, 8).join(', ')}${g.pods.length > 8 ? ', …' : ''}`);
    for (const p of x.diagnoses.filter((q) => q.rootCause === g.rootCause).slice(0, 3)) {
      lines.push(`  ${p.name}${p.container ? ` [${p.container}]` : ''}: ${p.summary}`);
      if (p.remediation.commands[0]) lines.push(`    $ ${p.remediation.commands[0]}`);
    }
  }
  lines.push(...noteLines(x.notes));
  if (!x.healthy) lines.push('details per pod: infra-ops diagnose pod <name> -n ' + x.name);
  return lines.join('\n');
}
