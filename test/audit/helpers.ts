import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditApproval, AuditRecordInput } from '../../src/audit/types.js';

export const FIXTURE = fileURLToPath(new URL('./fixtures/phr-rollout-restart.json', import.meta.url));

export function phr(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return { ...(JSON.parse(readFileSync(FIXTURE, 'utf8')) as AuditRecordInput), ...overrides };
}

export const APPROVAL: AuditApproval = {
  id: 'apr-20260302-3f9a1c7e',
  action: { verb: 'restart', kind: 'Deployment', namespace: 'shop', name: 'checkout', environment: 'prod', production: true },
  tier: 'medium',
  decision: 'approve',
  approver: 'lee',
  decidedAt: '2026-03-02T10:05:00.000Z',
  justification: 'stale credentials after rotation; PDB allows it',
  conditions: [],
  auto: false,
};

const dirs: string[] = [];
export function tempStateDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return join(d, '.infra-ops');
}
export function cleanup(): void {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}
