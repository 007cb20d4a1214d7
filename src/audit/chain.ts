import { entryHash, GENESIS_HASH } from './canonical.js';
import type { AuditEntry } from './types.js';

export type ChainProblemKind = 'torn' | 'invalid' | 'edited' | 'removed' | 'reordered' | 'duplicate' | 'chain-broken' | 'anchor';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** 1-based line in the log (for `removed`: the line where the missing records should have been). */
  line: number;
  seq: number | null;
  message: string;
}

export interface ChainReport {
  records: number;
  lastSeq: number;
  lastHash: string;
  problems: ChainProblem[];
  entries: { line: number; entry: AuditEntry }[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function shapeProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'is not a JSON object';
  const e = v as Record<string, unknown>;
  if (!Number.isInteger(e['seq']) || (e['seq'] as number) < 1) return 'has no valid seq';
  if (typeof e['prevHash'] !== 'string' || !HEX64.test(e['prevHash'])) return 'has no valid prevHash';
  if (typeof e['hash'] !== 'string' || !HEX64.test(e['hash'])) return 'has no valid hash';
  if (typeof e['record'] !== 'object' || e['record'] === null) return 'has no record';
  return null;
}

/**
 * Check the whole log. Each line must hash to its own `hash` (else it was edited), seqs must run
 * 1, 2, 3… in file order (a gap is a removed record, a step back a reordering), and each record's
 * `prevHash` must be the stored hash of the record before it (else a record was replaced wholesale,
 * hash recomputed). A last line without its newline that does not parse is a torn or truncated write.
 */
export function verifyChain(text: string): ChainReport {
  const problems: ChainProblem[] = [];
  const entries: { line: number; entry: AuditEntry }[] = [];
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      // Only the empty string after the final newline is expected; a blank line inside is harmless but reported by nothing.
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      const torn = i === last;
      problems.push({
        kind: torn ? 'torn' : 'invalid',
        line: i + 1,
        seq: null,
        message: torn
          ? `line ${i + 1}: the last line is truncated (a torn write or a cut file): ${line.length} characters of incomplete JSON; \`infra-ops audit repair\` sets it aside`
          : `line ${i + 1}: not valid JSON (${(err as Error).message})`,
      });
      continue;
    }
    const shape = shapeProblem(value);
    if (shape) {
      problems.push({ kind: 'invalid', line: i + 1, seq: null, message: `line ${i + 1}: ${shape}` });
      continue;
    }
    entries.push({ line: i + 1, entry: value as AuditEntry });
  }

  const bySeq = new Map<number, { line: number; entry: AuditEntry }>();
  for (const e of entries) {
    const { seq, hash } = e.entry;
    if (entryHash(e.entry as unknown as Record<string, unknown>) !== hash) {
      problems.push({ kind: 'edited', line: e.line, seq, message: `seq ${seq} (line ${e.line}): content does not match its hash: the record was edited` });
    }
    const seen = bySeq.get(seq);
    if (seen) {
      problems.push({ kind: 'duplicate', line: e.line, seq, message: `seq ${seq} appears twice: lines ${seen.line} and ${e.line}` });
    } else {
      bySeq.set(seq, e);
    }
  }

  // File order: each seq must be greater than every one before it.
  let maxSoFar: { seq: number; line: number } | null = null;
  for (const e of entries) {
    const { seq } = e.entry;
    if (maxSoFar && seq < maxSoFar.seq && bySeq.get(seq) === e) {
      problems.push({
        kind: 'reordered',
        line: e.line,
        seq,
        message: `seq ${seq} (line ${e.line}) comes after seq ${maxSoFar.seq} (line ${maxSoFar.line}): records were reordered`,
      });
    }
    if (!maxSoFar || seq > maxSoFar.seq) maxSoFar = { seq, line: e.line };
  }

  // Missing seqs, and each record's link to its predecessor.
  const lastSeq = maxSoFar?.seq ?? 0;
  for (let seq = 1; seq <= lastSeq; seq++) {
    const e = bySeq.get(seq);
    if (!e) {
      let end = seq;
      while (end + 1 <= lastSeq && !bySeq.has(end + 1)) end++;
      const next = bySeq.get(end + 1);
      const where = next ? `before line ${next.line} (seq ${end + 1})` : 'at the end';
      problems.push({
        kind: 'removed',
        line: next?.line ?? lines.length,
        seq,
        message: `${end === seq ? `seq ${seq} is` : `seqs ${seq}-${end} are`} missing ${where}: ${end === seq ? 'a record was' : 'records were'} removed`,
      });
      seq = end;
      continue;
    }
    const prev = seq === 1 ? null : bySeq.get(seq - 1);
    if (seq > 1 && !prev) continue; // already reported as removed
    const expected = prev ? prev.entry.hash : GENESIS_HASH;
    if (e.entry.prevHash !== expected) {
      problems.push({
        kind: 'chain-broken',
        line: e.line,
        seq,
        message: prev
          ? `seq ${seq} (line ${e.line}): prevHash does not match the hash of seq ${seq - 1} (line ${prev.line}): a record was replaced`
          : `seq 1 (line ${e.line}): prevHash is not the genesis hash: records before it were removed`,
      });
    }
  }

  problems.sort((a, b) => a.line - b.line);
  const tail = bySeq.get(lastSeq);
  return { records: entries.length, lastSeq, lastHash: tail ? tail.entry.hash : GENESIS_HASH, problems, entries };
}

/** `seq:hash` as `audit verify` prints it for the last record. */
export function parseAnchor(text: string): { seq: number; hash: string } | null {
  const m = /^([1-9][0-9]*):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/**
 * A chain cannot show that records were cut from its end. An anchor can: the `seq:hash` of a record
 * noted elsewhere earlier (a ticket, a commit, a chat); the log must still hold that very record.
 */
export function anchorProblem(report: ChainReport, anchor: { seq: number; hash: string }): ChainProblem | null {
  const found = report.entries.find((e) => e.entry.seq === anchor.seq);
  if (!found) {
    return {
      kind: 'anchor',
      line: report.entries.length > 0 ? report.entries[report.entries.length - 1]!.line : 1,
      seq: anchor.seq,
      message: `anchor seq ${anchor.seq} is not in the log (it ends at seq ${report.lastSeq}): records were cut from the end`,
    };
  }
  if (found.entry.hash !== anchor.hash) {
    return {
      kind: 'anchor',
      line: found.line,
      seq: anchor.seq,
      message: `seq ${anchor.seq} (line ${found.line}) has hash ${found.entry.hash.slice(0, 12)}…, not the anchor's ${anchor.hash.slice(0, 12)}…: the chain was rewritten`,
    };
  }
  return null;
}
