import type { Command } from 'commander';
import { entryHash } from '../../audit/canonical.js';
import { anchorProblem, parseAnchor } from '../../audit/chain.js';
import { recordAction } from '../../audit/record.js';
import { repairTornTail } from '../../audit/repair.js';
import { readAuditLog } from '../../audit/store.js';
import type { AuditEntry } from '../../audit/types.js';
import { projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';
import { readTextFile } from '../read-input.js';
import { describeAction } from './approval.js';

const countRecords = (n: number): string => `${n} record${n === 1 ? '' : 's'}`;

interface RecordOptions extends CommonOptions {
  file: string;
}

function brief(e: AuditEntry, line: number) {
  return {
    seq: e.seq,
    id: e.id,
    line,
    recordedAt: e.recordedAt,
    approvalId: e.approval?.id ?? null,
    tier: e.approval?.tier ?? null,
    action: e.approval?.action ?? null,
    summary: e.record?.summary ?? null,
  };
}

export async function auditRecordCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<RecordOptions>();
  const text = await readTextFile(opts.file, 'audit record');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new CliError(`audit record ${opts.file} is not valid JSON: ${(err as Error).message}`, EXIT.usage, 'input.invalid-json');
  }
  const { stateDir } = projectContext(opts);
  const entry = await recordAction(stateDir, input);
  const data = {
    schemaVersion: 1 as const,
    seq: entry.seq,
    id: entry.id,
    hash: entry.hash,
    prevHash: entry.prevHash,
    recordedAt: entry.recordedAt,
    approvalId: entry.approval.id,
    tier: entry.approval.tier,
    redactions: entry.redactions,
  };
  emit(
    {
      data,
      human: (d) =>
        [
          `recorded ${d.id} (seq ${d.seq}, ${d.tier}) for ${d.approvalId}: ${describeAction(entry.approval.action)}`,
          `  hash ${d.hash}`,
          d.redactions > 0 ? `  ${d.redactions} secret${d.redactions === 1 ? '' : 's'} redacted before writing` : '',
        ]
          .filter(Boolean)
          .join('\n'),
    },
    opts,
  );
}

export async function auditListCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const log = await readAuditLog(projectContext(opts).stateDir);
  const records = log.entries.map((e) => brief(e.entry, e.line));
  emit(
    {
      data: { schemaVersion: 1 as const, file: log.file, total: records.length, problems: log.problems.length, records },
      human: (d) =>
        d.total === 0 && d.problems === 0
          ? 'No audit records yet. `infra-ops audit record --file phr.json` writes one after a medium or critical action.'
          : [
              ...d.records.map((r) => `${r.id.padEnd(8)} ${r.recordedAt}  ${(r.tier ?? '?').padEnd(8)} ${r.approvalId ?? '?'}  ${r.summary ?? ''}`),
              `${countRecords(d.total)}${d.problems ? paint(`, ${d.problems} problems: run infra-ops audit verify`, 'red') : ''}`,
            ].join('\n'),
    },
    opts,
  );
}

export async function auditShowCommand(id: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const log = await readAuditLog(projectContext(opts).stateDir);
  const seq = /^(phr-)?[0-9]+$/i.test(id) ? Number(id.replace(/^phr-/i, '')) : NaN;
  const found = log.entries.find((e) => e.entry.seq === seq);
  if (!found) throw new CliError(`no audit record ${id} (infra-ops audit list shows them)`, EXIT.usage, 'audit.unknown');
  const intact = entryHash(found.entry as unknown as Record<string, unknown>) === found.entry.hash;
  const problems = log.problems.filter((p) => p.seq === found.entry.seq && p.kind !== 'removed');
  emit(
    {
      data: { schemaVersion: 1 as const, line: found.line, intact, problems, entry: found.entry },
      human: () => showLines(found.entry, intact, problems.map((p) => p.message)).join('\n'),
      exitCode: problems.length > 0 ? EXIT.failure : EXIT.ok,
    },
    opts,
  );
}

function showLines(e: AuditEntry, intact: boolean, problems: string[]): string[] {
  const r = e.record;
  const a = e.approval;
  return [
    `${e.id} (seq ${e.seq}) recorded ${e.recordedAt} — ${intact && problems.length === 0 ? paint('intact', 'green') : paint('TAMPERED', 'red')}`,
    ...problems.map((p) => `  ${paint(p, 'red')}`),
    `summary: ${r.summary}`,
    `action: ${describeAction(a.action)} — ${a.tier}`,
    `decision: ${a.decision} by ${a.approver} at ${a.decidedAt} (${a.id})${a.justification ? ` — ${a.justification}` : ''}`,
    ...a.conditions.map((c) => `  condition: ${c}`),
    'before:',
    ...r.beforeState.observations.map((o) => `  ${o.what}: ${o.value}`),
    `analysis: ${r.analysis.summary}${r.analysis.rootCause ? ` [${r.analysis.rootCause}]` : ''}`,
    'safety checks:',
    ...r.safetyChecks.map((c) => `  ${c.result.padEnd(7)} ${c.check}`),
    'commands:',
    ...r.commands.map((c) => `  $ ${c.argv.join(' ')}${c.exitCode !== undefined ? `  (exit ${c.exitCode})` : ''}`),
    'after:',
    ...r.afterStateChecks.map((c) => `  ${c.result.padEnd(7)} ${c.after ? `+${c.after} ` : ''}${c.check}`),
    `rollback${r.rollbackPlan.withinMinutes ? ` (within ${r.rollbackPlan.withinMinutes} min)` : ''}:`,
    ...r.rollbackPlan.steps.map((s) => `  - ${s}`),
    ...(r.rollbackPlan.commands ?? []).map((c) => `  $ ${c.join(' ')}`),
  ];
}

interface VerifyOptions extends CommonOptions {
  anchor?: string;
}

export async function auditVerifyCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<VerifyOptions>();
  let anchor: { seq: number; hash: string } | null = null;
  if (opts.anchor !== undefined) {
    anchor = parseAnchor(opts.anchor);
    if (!anchor) throw new CliError(`--anchor must be <seq>:<sha256 hex> as audit verify prints it, got "${opts.anchor}"`, EXIT.usage, 'input.invalid');
  }
  const log = await readAuditLog(projectContext(opts).stateDir);
  const missing = anchor ? anchorProblem(log, anchor) : null;
  const problems = missing ? [...log.problems, missing] : log.problems;
  const ok = problems.length === 0;
  const head = log.lastSeq > 0 ? `${log.lastSeq}:${log.lastHash}` : null;
  emit(
    {
      data: { schemaVersion: 1 as const, ok, file: log.file, records: log.records, lastSeq: log.lastSeq, lastHash: log.lastHash, head, problems },
      human: (d) =>
        d.ok
          ? [`${countRecords(d.records)}, chain intact`, d.head ? `head ${d.head} (note it; \`audit verify --anchor ${d.head}\` later also shows records cut from the end)` : ''].filter(Boolean).join('\n')
          : [...d.problems.map((p) => paint(p.message, 'red')), `${countRecords(d.records)}, ${d.problems.length} problem${d.problems.length === 1 ? '' : 's'}: the audit trail was changed`].join('\n'),
      exitCode: ok ? EXIT.ok : EXIT.failure,
    },
    opts,
  );
}

export async function auditRepairCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const result = await repairTornTail(projectContext(opts).stateDir);
  emit(
    {
      data: { schemaVersion: 1 as const, ...result },
      human: (d) =>
        d.repaired
          ? `set aside the torn line ${d.line} (${d.bytes} bytes) in ${d.fragmentFile}; records can be appended again (run infra-ops audit verify)`
          : 'nothing to repair: the log does not end in a torn line',
    },
    opts,
  );
}
