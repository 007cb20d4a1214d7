import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { createRequest, decideRequest } from '../../src/approval/decisions.js';
import { resolveApprovalSettings } from '../../src/approval/settings.js';
import { classifyAction } from '../../src/approval/tier.js';
import { recordAction } from '../../src/audit/record.js';
import { ROOT } from '../plugin/helpers.js';
import { phr } from '../audit/helpers.js';
import { cli, schemaErrors } from './run-cli.js';

const recordSchema = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'audit-record.schema.json'), 'utf8')));

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'infra-ops-audit-'));
  mkdirSync(join(root, '.infra-ops'));
  return root;
}

/** An approved medium request (restart checkout in prod), via the CLI. */
function approved(root: string): string {
  const req = cli(['approval', 'request', '--verb', 'rollout-restart', '--kind', 'deploy', '-n', 'shop', '--name', 'checkout', '--env', 'prod', '--requested-by', 'dana', '--json'], { cwd: root });
  const id = req.json().request.id as string;
  const dec = cli(['approval', 'decide', id, '--decision', 'approve', '--approver', 'lee', '--justification', 'PDB allows one pod down'], { cwd: root });
  expect(dec.status, dec.stderr).toBe(0);
  return id;
}

/** The same, through the library: setup for tests about other commands. */
async function approvedDirect(root: string): Promise<string> {
  const stateDir = join(root, '.infra-ops');
  const tier = classifyAction({ verb: 'restart', kind: 'deployment', namespace: 'shop', name: 'checkout', environment: 'prod' }, resolveApprovalSettings(undefined), undefined);
  const { id } = await createRequest(stateDir, { tier, requestedBy: 'dana' });
  await decideRequest(stateDir, { id, decision: 'approve', approver: 'lee' });
  return id;
}

function writeRecord(root: string, name: string, record: unknown): string {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(record, null, 2));
  return file;
}

describe('infra-ops audit', () => {
  it('record, list, show and verify a chain of records; JSON documents match their schemas', () => {
    const root = project();
    const id = approved(root);
    for (let i = 1; i <= 3; i++) {
      const r = cli(['audit', 'record', '--file', writeRecord(root, `phr-${i}.json`, phr({ approvalId: id, summary: `restart ${i}` })), '--json'], { cwd: root });
      expect(r.status, r.stderr).toBe(0);
      const d = r.json();
      expect(schemaErrors('audit-record', d)).toEqual([]);
      expect(d).toMatchObject({ seq: i, id: `phr-${i}`, approvalId: id, tier: 'medium', redactions: 0 });
    }
    const approvals = cli(['approval', 'list', '--json'], { cwd: root }).json();
    expect(schemaErrors('approval-list', approvals)).toEqual([]);
    expect(approvals).toMatchObject({ unrecorded: 0, requests: [{ id, auditRecords: ['phr-1', 'phr-2', 'phr-3'] }] });
    const list = cli(['audit', 'list', '--json'], { cwd: root }).json();
    expect(schemaErrors('audit-list', list)).toEqual([]);
    expect(list.records.map((r: { id: string; summary: string }) => [r.id, r.summary])).toEqual([['phr-1', 'restart 1'], ['phr-2', 'restart 2'], ['phr-3', 'restart 3']]);

    const show = cli(['audit', 'show', 'phr-2', '--json'], { cwd: root });
    expect(show.status).toBe(0);
    const s = show.json();
    expect(schemaErrors('audit-show', s)).toEqual([]);
    expect(recordSchema(s.entry.record)).toBe(true);
    expect(s).toMatchObject({ line: 2, intact: true, problems: [], entry: { approval: { id, approver: 'lee', decision: 'approve', tier: 'medium' } } });
    const human = cli(['audit', 'show', '2'], { cwd: root }).stdout;
    expect(human).toMatch(/^phr-2 \(seq 2\) recorded .* — intact$/m);
    expect(human).toContain('action: restart Deployment shop/checkout in prod (production) — medium');
    expect(human).toContain('$ kubectl --context prod-eu-west-1 rollout restart deployment/checkout -n shop  (exit 0)');
    expect(human).toContain('rollback (within 5 min):');

    const verify = cli(['audit', 'verify'], { cwd: root });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^3 records, chain intact\nhead 3:[0-9a-f]{64} \(note it;/);
    const vj = cli(['audit', 'verify', '--json'], { cwd: root }).json();
    expect(schemaErrors('audit-verify', vj)).toEqual([]);
    expect(vj).toMatchObject({ ok: true, records: 3, lastSeq: 3, problems: [], head: `3:${vj.lastHash}` });

    // records cut from the end leave an intact chain; only an anchor noted earlier shows it
    const file = join(root, '.infra-ops', 'audit', 'records.jsonl');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${lines.slice(0, 2).join('\n')}\n`);
    expect(cli(['audit', 'verify'], { cwd: root }).status).toBe(0);
    const cut = cli(['audit', 'verify', '--anchor', vj.head], { cwd: root });
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('anchor seq 3 is not in the log (it ends at seq 2): records were cut from the end');
    expect(cli(['audit', 'verify', '--anchor', 'latest'], { cwd: root }).status).toBe(2);
  });

  it('verify exits 1 and names each problem: an edited record and a removed one', async () => {
    const root = project();
    const id = await approvedDirect(root);
    for (let i = 1; i <= 4; i++) await recordAction(join(root, '.infra-ops'), phr({ approvalId: id, summary: `restart ${i}` }));
    const file = join(root, '.infra-ops', 'audit', 'records.jsonl');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[0] = lines[0]!.replace('"approver":"lee"', '"approver":"someone-else"');
    lines.splice(2, 1);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(['audit', 'verify'], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      [
        'seq 1 (line 1): content does not match its hash: the record was edited',
        'seq 3 is missing before line 3 (seq 4): a record was removed',
        '3 records, 2 problems: the audit trail was changed',
        '',
      ].join('\n'),
    );
    const j = cli(['audit', 'verify', '--json'], { cwd: root });
    expect(j.status).toBe(1);
    expect(schemaErrors('audit-verify', j.json())).toEqual([]);
    expect(j.json().problems.map((p: { kind: string }) => p.kind)).toEqual(['edited', 'removed']);
    const show = cli(['audit', 'show', 'phr-1'], { cwd: root });
    expect(show.status).toBe(1);
    expect(show.stdout).toMatch(/TAMPERED/);
    expect(cli(['audit', 'list'], { cwd: root }).stdout).toMatch(/3 records, 2 problems: run infra-ops audit verify/);
  });

  it('redacts secrets in the commands before writing, and says how many', async () => {
    const root = project();
    const id = await approvedDirect(root);
    const record = phr({
      approvalId: id,
      commands: [{ argv: ['kubectl', 'create', 'secret', 'generic', 'checkout-db', '-n', 'shop', '--from-literal=password=Sup3rS3cret!2026', '--dry-run=client', '-o', 'yaml'] }],
    });
    const r = cli(['audit', 'record', '--file', writeRecord(root, 'r.json', record)], { cwd: root });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 secret redacted before writing');
    const text = readFileSync(join(root, '.infra-ops', 'audit', 'records.jsonl'), 'utf8');
    expect(text).not.toContain('Sup3rS3cret');
    expect(text).toContain('--from-literal=password=[REDACTED:password]');
    expect(cli(['audit', 'verify'], { cwd: root }).status).toBe(0);
  });

  it('refuses an invalid record (exit 2, fields named), a pending approval (exit 3) and a missing file (exit 2)', async () => {
    const root = project();
    const id = await approvedDirect(root);
    const { rollbackPlan: _drop, ...noRollback } = phr({ approvalId: id });
    const bad = cli(['audit', 'record', '--file', writeRecord(root, 'bad.json', { ...noRollback, safetyChecks: [{ check: 'PDB', result: 'ok' }] }), '--json'], { cwd: root });
    expect(bad.status).toBe(2);
    expect(bad.json().error.code).toBe('audit.record-invalid');
    expect(bad.json().error.details).toEqual(expect.arrayContaining(['/rollbackPlan is required', '/safetyChecks/0/result must be one of the allowed values (allowed: "pass", "fail", "skipped")']));

    const pendingId = cli(['approval', 'request', '--verb', 'scale', '--kind', 'deploy', '-n', 'shop', '--env', 'prod', '--json'], { cwd: root }).json().request.id;
    const pending = cli(['audit', 'record', '--file', writeRecord(root, 'p.json', phr({ approvalId: pendingId }))], { cwd: root });
    expect(pending.status).toBe(3);
    expect(pending.stderr).toMatch(/still pending/);

    const missing = cli(['audit', 'record', '--file', join(root, 'nope.json')], { cwd: root });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    expect(cli(['audit', 'verify'], { cwd: root }).stdout).toBe('0 records, chain intact\n');
  });

  it('a torn last line: verify names it, record refuses, repair sets it aside, then all is well', async () => {
    const root = project();
    const id = await approvedDirect(root);
    const stateDir = join(root, '.infra-ops');
    for (let i = 1; i <= 2; i++) await recordAction(stateDir, phr({ approvalId: id }));
    const file = join(stateDir, 'audit', 'records.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -300));
    const v = cli(['audit', 'verify'], { cwd: root });
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/^line 2: the last line is truncated .*`infra-ops audit repair` sets it aside$/m);
    const rec = cli(['audit', 'record', '--file', writeRecord(root, 'r.json', phr({ approvalId: id }))], { cwd: root });
    expect(rec.status).toBe(1);
    expect(rec.stderr).toMatch(/line 2 is truncated \(torn write\)/);
    const rep = cli(['audit', 'repair', '--json'], { cwd: root });
    expect(rep.status).toBe(0);
    expect(schemaErrors('audit-repair', rep.json())).toEqual([]);
    expect(rep.json()).toMatchObject({ repaired: true, line: 2 });
    expect(cli(['audit', 'verify'], { cwd: root }).stdout).toMatch(/^1 record, chain intact\n/);
    expect(cli(['audit', 'record', '--file', join(root, 'r.json'), '--json'], { cwd: root }).json()).toMatchObject({ seq: 2 });
  });
});
