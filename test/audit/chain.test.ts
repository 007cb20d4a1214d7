import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest } from '../../src/approval/decisions.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { classifyAction } from '../../src/approval/tier.js';
import { canonicalJson, entryHash, GENESIS_HASH } from '../../src/audit/canonical.js';
import { anchorProblem, parseAnchor, verifyChain } from '../../src/audit/chain.js';
import { recordAction } from '../../src/audit/record.js';
import { repairTornTail } from '../../src/audit/repair.js';
import { appendAuditRecord, auditLogPath, readAuditLog } from '../../src/audit/store.js';
import { APPROVAL, cleanup, phr, tempStateDir } from './helpers.js';

afterAll(cleanup);

/** A log of n records; returns the state dir and its lines. */
async function logOf(n: number): Promise<{ dir: string; file: string; lines: string[] }> {
  const dir = tempStateDir('audit-chain-');
  for (let i = 1; i <= n; i++) await appendAuditRecord(dir, phr({ summary: `action ${i}` }), APPROVAL);
  const file = auditLogPath(dir);
  return { dir, file, lines: readFileSync(file, 'utf8').trimEnd().split('\n') };
}

function rewrite(file: string, lines: string[], trailingNewline = true): void {
  writeFileSync(file, lines.join('\n') + (trailingNewline ? '\n' : ''));
}

describe('hash chain', () => {
  it('links each record to the one before from a fixed genesis; hash = sha256 of the canonical record without hash', async () => {
    const { lines } = await logOf(3);
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.seq, e.id])).toEqual([[1, 'phr-1'], [2, 'phr-2'], [3, 'phr-3']]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
    for (const e of entries) expect(entryHash(e)).toBe(e.hash);
    expect(entries[0].approval).toEqual(APPROVAL);
    expect(entries[0].record.rollbackPlan.withinMinutes).toBe(5);
    const report = verifyChain(lines.join('\n') + '\n');
    expect(report).toMatchObject({ records: 3, lastSeq: 3, lastHash: entries[2].hash, problems: [] });
  });

  it('canonical JSON sorts keys at every depth, so key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
    expect(entryHash({ seq: 1, record: { x: 1, y: 2 } })).toBe(entryHash({ record: { y: 2, x: 1 }, seq: 1, hash: 'ignored' }));
  });

  it('an empty or missing log verifies as 0 records', async () => {
    const report = await readAuditLog(tempStateDir('audit-empty-'));
    expect(report).toMatchObject({ records: 0, problems: [] });
  });
});

describe('audit verify catches tampering', () => {
  it('an edited field: names the seq and line whose content no longer matches its hash', async () => {
    const { dir, file, lines } = await logOf(4);
    const e = JSON.parse(lines[1]!);
    e.record.commands[0].argv[4] = 'deployment/payments';
    lines[1] = JSON.stringify(e);
    rewrite(file, lines);
    const { problems } = await readAuditLog(dir);
    expect(problems).toEqual([{ kind: 'edited', line: 2, seq: 2, message: 'seq 2 (line 2): content does not match its hash: the record was edited' }]);
  });

  it('an edited approval with its hash recomputed: the next record no longer links to it', async () => {
    const { dir, file, lines } = await logOf(4);
    const e = JSON.parse(lines[2]!);
    e.approval.approver = 'mallory';
    e.hash = entryHash(e);
    lines[2] = JSON.stringify(e);
    rewrite(file, lines);
    const { problems } = await readAuditLog(dir);
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'chain-broken', line: 4, seq: 4, message: expect.stringContaining('prevHash does not match the hash of seq 3 (line 3)') }),
    ]);
  });

  it('a deleted middle line: the missing seq is named with where it was', async () => {
    const { dir, file, lines } = await logOf(5);
    lines.splice(2, 1);
    rewrite(file, lines);
    const { problems, records } = await readAuditLog(dir);
    expect(records).toBe(4);
    expect(problems).toEqual([{ kind: 'removed', line: 3, seq: 3, message: 'seq 3 is missing before line 3 (seq 4): a record was removed' }]);
  });

  it('two deleted lines in a row and the first line deleted', async () => {
    const { dir, file, lines } = await logOf(6);
    rewrite(file, [lines[1]!, lines[2]!, lines[5]!]);
    const messages = (await readAuditLog(dir)).problems.map((p) => p.message);
    expect(messages).toEqual(['seq 1 is missing before line 1 (seq 2): a record was removed', 'seqs 4-5 are missing before line 3 (seq 6): records were removed']);
  });

  it('two lines swapped: reported as reordered', async () => {
    const { dir, file, lines } = await logOf(5);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    rewrite(file, lines);
    const { problems } = await readAuditLog(dir);
    expect(problems).toEqual([{ kind: 'reordered', line: 4, seq: 3, message: 'seq 3 (line 4) comes after seq 4 (line 3): records were reordered' }]);
  });

  it('a truncated last line: reported as torn, and no record is appended after it', async () => {
    const { dir, file, lines } = await logOf(3);
    lines[2] = lines[2]!.slice(0, 150);
    rewrite(file, lines, false);
    const { problems, records } = await readAuditLog(dir);
    expect(records).toBe(2);
    expect(problems).toEqual([expect.objectContaining({ kind: 'torn', line: 3, seq: null, message: expect.stringMatching(/^line 3: the last line is truncated/) })]);
    await expect(appendAuditRecord(dir, phr(), APPROVAL)).rejects.toMatchObject({ code: 'audit.tail-broken', message: expect.stringContaining('line 3 is truncated') });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
  });

  it('a duplicated line is named with both places', async () => {
    const { dir, file, lines } = await logOf(3);
    rewrite(file, [...lines, lines[1]!]);
    const kinds = (await readAuditLog(dir)).problems.map((p) => [p.kind, p.message]);
    expect(kinds).toEqual([['duplicate', 'seq 2 appears twice: lines 2 and 4']]);
  });
});

describe('redaction before writing', () => {
  it('secrets in commands, outputs and notes are replaced, counted, and the chain covers the redacted text', async () => {
    const dir = tempStateDir('audit-redact-');
    const input = phr({
      commands: [
        {
          argv: ['kubectl', 'create', 'secret', 'generic', 'checkout-db', '-n', 'shop', '--from-literal=password=Sup3rS3cret!2026'],
          purpose: 'recreate the secret',
        },
        { argv: ['helm', 'upgrade', 'checkout', 'charts/checkout', '--set', 'db.user=checkout', '--token', 'k8s-9f8e7d6c5b4a3210fedc'] },
        { argv: ['curl', '-H', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJlMTIz', 'https://checkout.shop.svc/healthz'] },
      ],
    });
    const entry = await appendAuditRecord(dir, input, APPROVAL);
    const text = readFileSync(auditLogPath(dir), 'utf8');
    for (const secret of ['Sup3rS3cret!2026', 'k8s-9f8e7d6c5b4a3210fedc', 'eyJhbGciOiJIUzI1NiJ9']) expect(text).not.toContain(secret);
    expect(entry.record.commands[0]!.argv[7]).toBe('--from-literal=password=[REDACTED:password]');
    expect(entry.record.commands[1]!.argv.slice(-2)).toEqual(['--token', '[REDACTED:token]']);
    expect(entry.record.commands[1]!.argv).toContain('db.user=checkout');
    expect(entry.record.commands[2]!.argv[2]).toMatch(/^Authorization: Bearer \[REDACTED:/);
    expect(entry.redactions).toBe(3);
    expect((await readAuditLog(dir)).problems).toEqual([]);
  });

  it('a record without secrets is stored unchanged', async () => {
    const dir = tempStateDir('audit-clean-');
    const entry = await appendAuditRecord(dir, phr(), APPROVAL);
    expect(entry.record).toEqual(phr());
    expect(entry.redactions).toBe(0);
  });
});

describe('recording an action needs a valid record and an approved request', () => {
  it('invalid records are refused with each bad field named', async () => {
    const dir = tempStateDir('audit-invalid-');
    const bad = { ...phr(), rollbackPlan: { steps: [] }, commands: [{ argv: 'kubectl delete pvc data' }], extra: 1 };
    await expect(appendAuditRecord(dir, bad, APPROVAL)).rejects.toMatchObject({
      code: 'audit.record-invalid',
      details: expect.arrayContaining([
        '/rollbackPlan/steps must NOT have fewer than 1 items',
        '/commands/0/argv must be array',
        '/extra is not a known field',
      ]),
    });
  });

  it('copies the approval, and refuses pending and rejected requests', async () => {
    const dir = tempStateDir('audit-approval-');
    const settings = resolveApprovalSettings(undefined);
    const t = classifyAction({ verb: 'rollout-restart', kind: 'deploy', namespace: 'shop', name: 'checkout', environment: 'prod' }, settings, undefined);
    const pending = await createRequest(dir, { tier: t, requestedBy: 'dana' });
    await expect(recordAction(dir, phr({ approvalId: pending.id }))).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('still pending') });
    await decideRequest(dir, { id: pending.id, decision: 'approve', approver: 'lee', justification: 'PDB allows it' });
    const entry = await recordAction(dir, phr({ approvalId: pending.id }));
    expect(entry.approval).toMatchObject({ id: pending.id, tier: 'medium', decision: 'approve', approver: 'lee', action: { verb: 'restart', kind: 'Deployment', name: 'checkout' } });
    const rejected = await createRequest(dir, { tier: t, requestedBy: 'dana' });
    await decideRequest(dir, { id: rejected.id, decision: 'reject', approver: 'lee', justification: 'wait for the fix' });
    await expect(recordAction(dir, phr({ approvalId: rejected.id }))).rejects.toThrow(/was rejected by lee/);
    await expect(recordAction(dir, phr({ approvalId: 'apr-20990101-00000000' }))).rejects.toMatchObject({ code: 'approval.unknown' });
  });
});

describe('anchors', () => {
  it('a noted head still in the log passes; cut from the end or rewritten, it fails', async () => {
    const { dir, file, lines } = await logOf(4);
    const full = await readAuditLog(dir);
    const head = parseAnchor(`4:${full.lastHash}`)!;
    expect(anchorProblem(full, head)).toBeNull();
    rewrite(file, lines.slice(0, 3));
    const cut = await readAuditLog(dir);
    expect(cut.problems).toEqual([]);
    expect(anchorProblem(cut, head)).toMatchObject({ kind: 'anchor', seq: 4, message: 'anchor seq 4 is not in the log (it ends at seq 3): records were cut from the end' });
    // an attacker re-chains a new record 4 from the cut log: same seq, other hash
    await appendAuditRecord(dir, phr({ summary: 'forged' }), APPROVAL);
    expect(anchorProblem(await readAuditLog(dir), head)).toMatchObject({ kind: 'anchor', seq: 4, message: expect.stringContaining('the chain was rewritten') });
    expect(parseAnchor('4:abc')).toBeNull();
  });
});

describe('repair of a torn tail', () => {
  it('sets the cut bytes aside, truncates to the last whole line, and appending continues the chain', async () => {
    const { dir, file, lines } = await logOf(3);
    const torn = lines[2]!.slice(0, 200);
    rewrite(file, [...lines.slice(0, 2), torn], false);
    const r = await repairTornTail(dir, () => new Date('2026-03-02T11:00:00Z'));
    expect(r).toMatchObject({ repaired: true, bytes: 200, line: 3, fragmentFile: expect.stringMatching(/records\.torn-20260302T110000000Z\.txt$/) });
    expect(readFileSync(r.fragmentFile!, 'utf8')).toBe(torn);
    expect(readFileSync(file, 'utf8')).toBe(`${lines.slice(0, 2).join('\n')}\n`);
    expect((await readAuditLog(dir)).problems).toEqual([]);
    const next = await appendAuditRecord(dir, phr(), APPROVAL);
    expect(next.seq).toBe(3);
    expect((await readAuditLog(dir)).problems).toEqual([]);
    // nothing torn: nothing done
    expect(await repairTornTail(dir)).toEqual({ repaired: false, fragmentFile: null, bytes: 0, line: null });
  });

  it('a whole last entry that only lost its newline is neither torn nor repaired, and appending works', async () => {
    const { dir, file, lines } = await logOf(2);
    rewrite(file, lines, false);
    expect((await readAuditLog(dir)).problems).toEqual([]);
    expect((await repairTornTail(dir)).repaired).toBe(false);
    expect((await appendAuditRecord(dir, phr(), APPROVAL)).seq).toBe(3);
    expect((await readAuditLog(dir)).problems).toEqual([]);
  });

  it('a missing log needs no repair', async () => {
    const dir = tempStateDir('audit-norepair-');
    expect((await repairTornTail(dir)).repaired).toBe(false);
    expect(existsSync(auditLogPath(dir))).toBe(false);
  });
});
