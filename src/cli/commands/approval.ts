import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { createRequest, decideRequest, listRequests, type ApprovalRequest } from '../../approval/decisions.js';
import { resolveApprovalSettings } from '../../approval/settings.js';
import type { Decision } from '../../approval/store.js';
import { classifyAction } from '../../approval/tier.js';
import type { NormalizedAction, TierDecision } from '../../approval/types.js';
import { needsRecord as recordDue, recordsByApproval } from '../../audit/coverage.js';
import { readAuditLog } from '../../audit/store.js';
import { loadConfig } from '../../config/load.js';
import { projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

interface ActionOptions extends CommonOptions {
  verb?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  env?: string;
  production?: boolean;
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new CliError(`${flag} is required`, EXIT.usage, 'input.missing');
  return value;
}

async function classify(opts: ActionOptions): Promise<TierDecision> {
  const { root } = projectContext(opts);
  const config = await loadConfig(root);
  const settings = resolveApprovalSettings(config);
  return classifyAction(
    {
      verb: need(opts.verb, '--verb'),
      kind: need(opts.kind, '--kind'),
      environment: need(opts.env, '--env'),
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.production !== undefined ? { production: opts.production } : {}),
    },
    settings,
    config,
  );
}

/** `delete PersistentVolumeClaim shop/data-0 in prod (production)` */
export function describeAction(a: NormalizedAction): string {
  const target = [a.namespace, a.name].filter(Boolean).join('/');
  return `${a.verb} ${a.kind}${target ? ` ${target}` : ''} in ${a.environment}${a.production ? ' (production)' : ''}`;
}

function needsRecord(tier: string): boolean {
  return tier === 'medium' || tier === 'critical';
}

function tierLines(d: TierDecision): string[] {
  const lines = [
    `${paint(d.tier, d.tier === 'critical' ? 'red' : d.tier === 'medium' ? 'yellow' : 'green')} — ${describeAction(d.action)}`,
    `  rule: ${d.rule.id}${d.rule.source === 'config' ? ' (config)' : ''} — ${d.rule.description}`,
    ...d.raisedBy.map((f) => `  raised to ${f.atLeast} by ${f.id} — ${f.description}`),
    `  review: ${d.autoApprove ? 'none (auto-approved)' : d.slaMinutes === null ? 'required, no deadline' : `within ${d.slaMinutes} min`}`,
  ];
  if (needsRecord(d.tier)) lines.push('  audit: needs a record after it runs (infra-ops audit record --file phr.json)');
  return lines;
}

export interface ApprovalTierResult {
  schemaVersion: 1;
  action: NormalizedAction;
  tier: TierDecision['tier'];
  rule: TierDecision['rule'];
  raisedBy: TierDecision['raisedBy'];
  slaMinutes: number | null;
  autoApprove: boolean;
  auditRecordRequired: boolean;
}

function tierResult(d: TierDecision): ApprovalTierResult {
  return { schemaVersion: 1, ...d, auditRecordRequired: needsRecord(d.tier) };
}

export async function approvalTierCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ActionOptions>();
  const d = await classify(opts);
  emit({ data: tierResult(d), human: () => tierLines(d).join('\n') }, opts);
}

interface RequestOptions extends ActionOptions {
  reason?: string;
  requestedBy?: string;
}

function whoAmI(): string {
  try {
    return process.env.USER || userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

function requestLines(r: ApprovalRequest): string[] {
  const lines = [`${r.id}  ${r.status}  ${r.tier}  ${describeAction(r.action)}`, `  requested by ${r.requestedBy} at ${r.requestedAt}${r.reason ? ` — ${r.reason}` : ''}`];
  if (r.decision) {
    const d = r.decision;
    lines.push(`  ${d.auto ? 'auto-approved' : `${r.status} by ${d.approver}`} at ${d.decidedAt}${d.justification ? ` — ${d.justification}` : ''}`);
    for (const c of d.conditions) lines.push(`  condition: ${c}`);
  }
  if (r.deadline) {
    const s = r.sla;
    const sla =
      s.state === 'breached'
        ? paint(`SLA breached: ${r.decision ? 'decided' : 'pending'} ${minutes(s.lateSeconds!)} past the ${r.slaMinutes}-min deadline ${r.deadline}`, 'red')
        : s.state === 'open'
          ? `decide by ${r.deadline} (${minutes(s.remainingSeconds!)} left)`
          : `decided within the ${r.slaMinutes}-min SLA`;
    lines.push(`  ${sla}`);
  }
  return lines;
}

function minutes(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export async function approvalRequestCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<RequestOptions>();
  const d = await classify(opts);
  const { stateDir } = projectContext(opts);
  const request = await createRequest(stateDir, { tier: d, requestedBy: opts.requestedBy?.trim() || whoAmI(), ...(opts.reason ? { reason: opts.reason } : {}) });
  emit(
    {
      data: { schemaVersion: 1 as const, request, rule: d.rule, raisedBy: d.raisedBy, auditRecordRequired: needsRecord(d.tier) },
      human: () =>
        [
          ...requestLines(request),
          request.status === 'pending' ? `  next: infra-ops approval decide ${request.id} --decision approve|reject|conditional --approver NAME --justification TEXT` : '',
        ]
          .filter(Boolean)
          .join('\n'),
    },
    opts,
  );
}

interface DecideOptions extends CommonOptions {
  decision: Decision;
  approver: string;
  justification?: string;
  condition?: string[];
}

export async function approvalDecideCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<DecideOptions>();
  const { stateDir } = projectContext(opts);
  const request = await decideRequest(stateDir, {
    id,
    decision: opts.decision,
    approver: opts.approver,
    ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
    conditions: opts.condition ?? [],
  });
  emit({ data: { schemaVersion: 1 as const, request }, human: () => requestLines(request).join('\n') }, opts);
}

interface ListOptions extends CommonOptions {
  pending: boolean;
  breached: boolean;
}

export async function approvalListCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ListOptions>();
  const { stateDir } = projectContext(opts);
  const now = new Date();
  const [{ requests: all, problems }, audit] = await Promise.all([listRequests(stateDir, { now: () => now }), readAuditLog(stateDir)]);
  const records = recordsByApproval(audit);
  const requests = all
    .filter((r) => (!opts.pending || r.status === 'pending') && (!opts.breached || r.sla.state === 'breached'))
    .map((r) => ({ ...r, auditRecords: records.get(r.id) ?? [] }));
  const data = {
    schemaVersion: 1 as const,
    now: now.toISOString(),
    total: requests.length,
    pending: requests.filter((r) => r.status === 'pending').length,
    breached: requests.filter((r) => r.sla.state === 'breached').length,
    /** Approved medium/critical requests without an audit record (yet). */
    unrecorded: requests.filter((r) => recordDue(r) && r.auditRecords.length === 0).length,
    requests,
    problems,
  };
  emit(
    {
      data,
      human: (d) =>
        [
          ...d.requests.flatMap((r) => [
            ...requestLines(r),
            ...(r.auditRecords.length > 0 ? [`  audit: ${r.auditRecords.join(', ')}`] : recordDue(r) ? ['  audit: no record yet (infra-ops audit record --file phr.json once it ran)'] : []),
          ]),
          `${d.total} request${d.total === 1 ? '' : 's'}, ${d.pending} pending, ${d.breached} SLA breach${d.breached === 1 ? '' : 'es'}, ${d.unrecorded} approved medium/critical without an audit record`,
          ...d.problems.map((p) => paint(`problem: ${p.line ? `line ${p.line}: ` : ''}${p.reason}`, 'yellow')),
        ].join('\n'),
      // --breached is a check: it fails when there is any breach.
      exitCode: opts.breached && data.breached > 0 ? EXIT.failure : EXIT.ok,
    },
    opts,
  );
}
