import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorProblem, verifyChain } from '../../src/audit/chain.js';
import { appendAuditRecord, auditLogPath } from '../../src/audit/store.js';
import { APPROVAL, cleanup, phr, tempStateDir } from './helpers.js';

const N = 6;
let lines: string[] = [];

beforeAll(async () => {
  const dir = tempStateDir('audit-prop-');
  for (let i = 1; i <= N; i++) await appendAuditRecord(dir, phr({ summary: `action ${i}` }), APPROVAL);
  lines = readFileSync(auditLogPath(dir), 'utf8').trimEnd().split('\n');
});
afterAll(cleanup);

const text = (ls: string[]) => `${ls.join('\n')}\n`;

describe('any single tampering is detected', () => {
  it('the untouched log is intact', () => {
    expect(verifyChain(text(lines)).problems).toEqual([]);
  });

  it('changing any one character of any line', () => {
    fc.assert(
      fc.property(fc.nat(N - 1), fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), (li, pos, code) => {
        const line = lines[li]!;
        const at = pos % line.length;
        fc.pre(line.charCodeAt(at) !== code);
        const changed = [...lines];
        changed[li] = line.slice(0, at) + String.fromCharCode(code) + line.slice(at + 1);
        expect(verifyChain(text(changed)).problems.length).toBeGreaterThan(0);
      }),
    );
  });

  it('removing any line but the last; the last one only with an anchor', () => {
    const head = verifyChain(text(lines));
    const anchor = { seq: head.lastSeq, hash: head.lastHash };
    fc.assert(
      fc.property(fc.nat(N - 1), (li) => {
        const cut = lines.filter((_, i) => i !== li);
        const report = verifyChain(text(cut));
        if (li < N - 1) expect(report.problems.map((p) => p.kind)).toContain('removed');
        else expect(anchorProblem(report, anchor)).not.toBeNull();
      }),
    );
  });

  it('swapping any two lines', () => {
    fc.assert(
      fc.property(fc.nat(N - 1), fc.nat(N - 1), (a, b) => {
        fc.pre(a !== b);
        const swapped = [...lines];
        [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
        expect(verifyChain(text(swapped)).problems.map((p) => p.kind)).toContain('reordered');
      }),
    );
  });

  it('cutting the file at any byte inside a line', () => {
    const whole = text(lines);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: whole.length - 2 }), (at) => {
        fc.pre(whole[at - 1] !== '\n' && whole[at] !== '\n');
        const report = verifyChain(whole.slice(0, at));
        expect(report.problems.map((p) => p.kind)).toContain('torn');
      }),
    );
  });
});
