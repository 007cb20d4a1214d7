import { join } from 'node:path';
import recordSchema from '../../schemas/audit-record.schema.json' with { type: 'json' };
import { CliError, EXIT } from '../cli/exit-codes.js';
import { compileSchema, describeAjvErrors } from '../schema/validate.js';
import { entryHash, GENESIS_HASH } from './canonical.js';
import { verifyChain, type ChainReport } from './chain.js';
import type { LockOptions } from './lock.js';
import { appendUnderLock, readText } from './locked-log.js';
import { redactRecord } from './redact-record.js';
import type { AuditApproval, AuditEntry, AuditRecordInput } from './types.js';

/**
 * The audit trail: `<stateDir>/audit/records.jsonl`, one hash-chained entry per line. Appends hold
 * an exclusive lock from reading the last hash to the fsync, so concurrent writers never fork the
 * chain. Secrets are redacted before anything is written.
 */

export const AUDIT_DIR = 'audit';
export const AUDIT_FILE = 'records.jsonl';

export function auditLogPath(stateDir: string): string {
  return join(stateDir, AUDIT_DIR, AUDIT_FILE);
}

/** Schema problems of a record file, as `path message` lines (empty when valid). */
export async function recordProblems(input: unknown): Promise<string[]> {
  const validate = await compileSchema(recordSchema);
  if (validate(input)) return [];
  return describeAjvErrors(validate.errors).map(
    (p) => `${p.path} ${p.message}${p.allowed ? ` (allowed: ${p.allowed.map((a) => JSON.stringify(a)).join(', ')})` : ''}`,
  );
}

/** The last entry of the log text, for chaining; refuses a log whose tail is torn or not an entry. */
function tailOf(text: string, file: string): { seq: number; hash: string } {
  if (text.length === 0) return { seq: 0, hash: GENESIS_HASH };
  const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  const lineNo = trimmed.split('\n').length;
  const refuse = (why: string): never => {
    throw new CliError(
      `cannot append to ${file}: line ${lineNo} ${why}; run \`infra-ops audit verify\` and restore the file from a copy before recording more`,
      EXIT.failure,
      'audit.tail-broken',
    );
  };
  let last: Partial<AuditEntry>;
  try {
    last = JSON.parse(lastLine) as Partial<AuditEntry>;
  } catch {
    // A whole entry that only lacks its newline is fine (the append starts a fresh line); a cut one is not.
    return refuse(text.endsWith('\n') ? 'is not valid JSON' : 'is truncated (torn write): `infra-ops audit repair` sets it aside');
  }
  if (!Number.isInteger(last.seq) || typeof last.hash !== 'string') refuse('is not an audit entry');
  return { seq: last.seq!, hash: last.hash! };
}

export interface AppendOptions {
  now?: () => Date;
  lock?: LockOptions;
}

/** Validate, redact, chain and append one record; returns the stored entry. */
export async function appendAuditRecord(stateDir: string, input: unknown, approval: AuditApproval, opts: AppendOptions = {}): Promise<AuditEntry> {
  const problems = await recordProblems(input);
  if (problems.length > 0) {
    throw new CliError(`invalid audit record:\n  ${problems.join('\n  ')}`, EXIT.usage, 'audit.record-invalid', problems);
  }
  const { value: record, redactions } = redactRecord(input as AuditRecordInput);
  const file = auditLogPath(stateDir);
  return appendUnderLock(
    file,
    (text) => {
      const tail = tailOf(text, file);
      const seq = tail.seq + 1;
      const body = {
        v: 1 as const,
        seq,
        id: `phr-${seq}`,
        recordedAt: (opts.now?.() ?? new Date()).toISOString(),
        prevHash: tail.hash,
        approval,
        record,
        redactions,
      };
      const entry: AuditEntry = { ...body, hash: entryHash(body) };
      return { lines: [JSON.stringify(entry)], result: entry };
    },
    opts.lock,
  );
}

export async function readAuditLog(stateDir: string): Promise<ChainReport & { file: string }> {
  const file = auditLogPath(stateDir);
  return { ...verifyChain(await readText(file)), file };
}
