import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId, readRun, runDir, RUN_ID, writeRun } from '../../src/deploy/run-store.js';
import { STAGES, type RunRecord } from '../../src/deploy/types.js';

describe('run store', () => {
  it('makes run ids that validate, and refuses ids that could leave the runs folder', () => {
    const id = newRunId(new Date('2026-11-23T14:30:05.123Z'));
    expect(id).toMatch(/^dep-20261123T143005Z-[0-9a-f]{8}$/);
    expect(RUN_ID.test(id)).toBe(true);
    for (const bad of ['../x', 'dep-20261123T143005Z-../..', '/etc/passwd', 'dep-20261123T143005Z-abcd1234/../../x', '']) {
      expect(() => runDir('/tmp/s', bad)).toThrow(/not a deploy run id/);
    }
  });

  it('writes the record whole (no temp file left) and reads it back; an unknown run is a usage error', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'infra-ops-runs-'));
    const now = new Date().toISOString();
    const run: RunRecord = {
      schemaVersion: 1, runId: newRunId(new Date()), env: 'test', production: false, dir: '.', tool: null, status: 'running',
      createdAt: now, updatedAt: now, requestedBy: 'dana', options: { skipTests: false, overrideFindings: false, justification: null, varFiles: [] },
      stages: STAGES.map((name) => ({ name, status: 'pending', startedAt: null, endedAt: null, detail: null, commands: [], report: null, blocked: null })),
      findings: null, plan: null, approvals: [], applyAttempts: 0, debug: null, fix: null, blocked: null, error: null, next: [], notes: [],
    };
    await writeRun(stateDir, run);
    expect(readdirSync(runDir(stateDir, run.runId))).toEqual(['run.json']);
    // Saved plans can hold secrets: the runs folder ignores itself in git.
    expect(readFileSync(join(stateDir, 'runs', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(await readRun(stateDir, run.runId)).toEqual(run);
    await expect(readRun(stateDir, newRunId(new Date()))).rejects.toMatchObject({ code: 'deploy.unknown-run', exitCode: 2 });
  });
});
