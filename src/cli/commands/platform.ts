import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { configPath, loadConfig } from '../../config/load.js';
import type { InfraOpsConfig } from '../../config/types.js';
import { filesReader, kubectlReader, type ClusterReader } from '../../platform/cluster.js';
import { checkPhase, DEFAULT_PHASES, dependencyOrder, PhaseConfigError } from '../../platform/phases.js';
import { platformStatus, type PlatformStatusResult } from '../../platform/status.js';
import type { PhaseCheckResult, PhaseSpec } from '../../platform/types.js';
import { projectContext } from '../context.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

interface PlatformOptions extends CommonOptions {
  context?: string;
  kubeconfig?: string;
  fromDir?: string;
  timeout?: string;
  now?: string;
}

interface StatusOptions extends PlatformOptions {
  namespace?: string[];
  dns?: string;
}

interface CheckOptions extends PlatformOptions {
  phase?: string;
}

/** Exit codes of `platform check` (documented in schemas/cli/platform-check.schema.json). */
export const CHECK_EXIT: Record<PhaseCheckResult['status'], ExitCode> = { completed: EXIT.ok, blocked: EXIT.blocked, error: EXIT.failure };

function readerFor(opts: PlatformOptions, config: InfraOpsConfig | undefined): ClusterReader {
  if (opts.fromDir !== undefined) {
    if (opts.context || opts.kubeconfig) throw new CliError('--from-dir reads recorded files: it cannot be combined with --context or --kubeconfig', EXIT.usage, 'input.invalid');
    const dir = resolve(opts.fromDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`--from-dir: not a directory: ${opts.fromDir}`, EXIT.usage, 'input.not_found');
    return filesReader(dir);
  }
  const seconds = opts.timeout !== undefined ? Number(opts.timeout) : (config?.platform?.timeoutSeconds ?? 30);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError(`--timeout must be a positive number of seconds, got "${opts.timeout}"`, EXIT.usage, 'input.invalid');
  return kubectlReader({ context: opts.context, kubeconfig: opts.kubeconfig, timeoutMs: seconds * 1000 });
}

function nowOf(opts: PlatformOptions): Date {
  if (opts.now === undefined) return new Date();
  const t = Date.parse(opts.now);
  if (!Number.isFinite(t)) throw new CliError(`--now must be an ISO time (e.g. 2026-11-20T10:15:00Z), got "${opts.now}"`, EXIT.usage, 'input.invalid');
  return new Date(t);
}

function dnsRef(value: string | undefined): { namespace: string; name: string } {
  if (!value) return { namespace: 'kube-system', name: 'coredns' };
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p))) {
    throw new CliError(`--dns must be name or namespace/name, got "${value}"`, EXIT.usage, 'input.invalid');
  }
  return parts.length === 2 ? { namespace: parts[0]!, name: parts[1]! } : { namespace: 'kube-system', name: parts[0]! };
}

async function setup(opts: PlatformOptions): Promise<{ config: InfraOpsConfig | undefined; root: string; reader: ClusterReader; now: Date }> {
  const ctx = projectContext(opts);
  const config = await loadConfig(ctx.root);
  const now = nowOf(opts);
  return { config, root: ctx.root, reader: readerFor(opts, config), now };
}

export async function platformStatusCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<StatusOptions>();
  const { config, reader, now } = await setup(opts);
  const namespaces = opts.namespace ?? [];
  for (const ns of namespaces) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) throw new CliError(`--namespace: invalid namespace "${ns}"`, EXIT.usage, 'input.invalid');
  }
  const data = await platformStatus({
    reader,
    now,
    namespaces,
    dns: dnsRef(opts.dns ?? config?.platform?.dnsDeployment),
    pendingGraceMinutes: config?.platform?.pendingGraceMinutes,
  });
  emit({ data, human: humanStatus, exitCode: data.healthy ? EXIT.ok : EXIT.failure }, opts);
}

export async function platformCheckCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<CheckOptions>();
  if (!opts.phase) throw new CliError('--phase <name> is required (e.g. --phase networking)', EXIT.usage, 'input.missing');
  const { config, root, reader, now } = await setup(opts);
  const phases: PhaseSpec[] = config?.platform?.phases ?? DEFAULT_PHASES;
  try {
    dependencyOrder(phases);
  } catch (err) {
    if (err instanceof PhaseConfigError) throw new CliError(`${configPath(root)}: ${err.message}`, EXIT.usage, 'config.invalid');
    throw err;
  }
  if (!phases.some((p) => p.name === opts.phase)) {
    const where = config?.platform?.phases ? `in ${configPath(root)}` : '(built-in default; declare your own under platform.phases in .infra-ops/config.yaml)';
    throw new CliError(`unknown phase "${opts.phase}" ${where}; phases: ${dependencyOrder(phases).map((p) => p.name).join(', ')}`, EXIT.usage, 'input.invalid');
  }
  const data = await checkPhase({ phases, target: opts.phase, reader, now, pendingGraceMinutes: config?.platform?.pendingGraceMinutes });
  emit({ data, human: humanCheck, exitCode: CHECK_EXIT[data.status] }, opts);
}

// ── Human output ──────────────────────────────────────────────────────────────────────────────

const STATUS_COLOUR = { completed: 'green', blocked: 'red', error: 'yellow' } as const;
const PHASE_COLOUR = { passed: 'green', failed: 'red', error: 'yellow' } as const;

function sourceLine(s: PhaseCheckResult['source']): string {
  return s.kind === 'files' ? `recorded files in ${s.dir}` : `kubectl${s.context ? ` --context ${s.context}` : ' (current context)'}`;
}

function humanCheck(d: PhaseCheckResult): string {
  const out = [`platform check · phase ${d.phase} · ${sourceLine(d.source)}  ${paint(d.status.toUpperCase(), STATUS_COLOUR[d.status])}`, ''];
  const width = Math.max(...d.phases.map((p) => p.name.length), 5);
  for (const p of d.phases) {
    p.gates.forEach((g, i) => {
      const head = i === 0 ? `${p.name.padEnd(width)}  ${paint(p.status.padEnd(6), PHASE_COLOUR[p.status])}` : ' '.repeat(width + 8);
      out.push(`  ${head}  ${g.gate}: ${g.error ?? g.summary}`);
    });
  }
  if (d.blockers.length) {
    out.push('', `Blockers${d.fixFirst ? ` — fix first: ${paint(d.fixFirst, 'bold')}` : ''}`);
    for (const b of d.blockers) {
      out.push(`  ${paint(b.code, 'red')} [${b.phase}] ${b.message}`);
      for (const f of b.fix) out.push(`      ${paint('→', 'dim')} ${f}`);
    }
  }
  if (d.errors.length) {
    out.push('', 'Could not read the cluster:');
    for (const e of d.errors) out.push(`  ${paint(e, 'yellow')}`);
  }
  out.push('', d.status === 'completed' ? `Phase ${d.phase} and its dependencies are ready.` : d.status === 'blocked' ? `Blocked: fix phase ${d.fixFirst} first, then run this check again.` : 'Fix access to the cluster, then run this check again.');
  return out.join('\n');
}

function humanStatus(s: PlatformStatusResult): string {
  const out = [`platform status · ${sourceLine(s.source)}  ${s.healthy ? paint('HEALTHY', 'green') : paint('NEEDS ATTENTION', 'red')}`, ''];
  if (s.nodes) {
    out.push(`nodes     ${s.nodes.ready}/${s.nodes.total} Ready`);
    for (const n of s.nodes.notReady) out.push(`  ${paint(n.readyStatus === 'Unknown' ? 'Unknown ' : 'NotReady', 'red')} ${n.name}  ${[n.reason, n.message].filter(Boolean).join(': ')}`);
    for (const n of s.nodes.underPressure) out.push(`  ${paint('Pressure', 'yellow')} ${n.name}  ${n.problems.map((p) => `${p.type}: ${p.message ?? p.reason}`).join('; ')}`);
  }
  if (s.dns) {
    const d = s.dns;
    out.push(`dns       ${d.namespace}/${d.name} ${d.found ? `${d.readyReplicas}/${d.replicas} ready` : 'not found'}${d.ready ? '' : paint('  not ready', 'red')}`);
    for (const c of d.conditions) out.push(`  ${c}`);
  }
  if (s.releases) {
    out.push(`releases  ${s.releases.length} Helm release(s)`);
    for (const r of s.releases) {
      const colour = r.status === 'deployed' ? 'green' : r.needsRepair || r.status === 'failed' ? 'red' : 'yellow';
      out.push(`  ${r.namespace}/${r.name}  rev ${r.revision}  ${paint(r.status, colour)}  ${r.chart ?? ''}${r.description && r.status !== 'deployed' ? `  "${r.description}"` : ''}`);
      if (r.repair) out.push(`      ${paint('repair:', 'bold')} ${r.repair.command.join(' ')}  (${r.repair.reason})`);
    }
  }
  if (s.pendingPods) {
    out.push(`pending   ${s.pendingPods.length} pod(s) Pending${s.pendingNamespaces ? ` in ${s.pendingNamespaces.join(', ')}` : ''}`);
    for (const p of s.pendingPods) {
      out.push(`  ${p.namespace}/${p.name}`);
      const shown = p.events.length ? p.events.slice(0, 3) : [];
      for (const e of shown) out.push(`      ${e.type} ${e.reason} (×${e.count}): ${e.message}`);
      if (!shown.length && p.scheduled) out.push(`      ${p.scheduled.reason}: ${p.scheduled.message}`);
    }
  }
  for (const w of s.warnings) out.push(paint(`warning: ${w}`, 'yellow'));
  for (const e of s.errors) out.push(paint(`${e.section}: could not read — ${e.message}`, 'yellow'));
  if (s.attention.length) {
    out.push('', 'Needs attention:');
    for (const a of s.attention) out.push(`  - ${a}`);
  }
  return out.join('\n');
}
