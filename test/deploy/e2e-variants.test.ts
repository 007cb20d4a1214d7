/** End-to-end deploys (see e2e-helpers): a manual known fix; OpenTofu. */
import { mkdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, FAKE, PERMISSIVE, project } from './e2e-helpers.js';

describe('infra-ops deploy', () => {
  it('a failed apply whose known fix is manual: the steps and the resolve command, no fix to approve', () => {
    const p = project({ config: PERMISSIVE, scenario: 'apply-fails-manual' });
    const run = deploy(p, ['--skip-tests']).doc.run;
    const r = deploy(p, ['--approve', run.runId, '--approver', 'sam']);
    expect(r.status).toBe(1);
    expect(r.doc.run).toMatchObject({ status: 'failed', fix: null, debug: { category: 'permission', errorCode: 'AccessDenied', best: { automated: false } } });
    expect(r.doc.run.next.join('\n')).toContain(`infra-ops resolve ${r.doc.run.debug.issueId} --solution ${r.doc.run.debug.best.solutionRef}`);
    expect(deploy(p, ['--approve-fix', run.runId, '--approver', 'sam']).status).toBe(2);
  });

  it('uses OpenTofu when the config says so', () => {
    const p = project({ config: PERMISSIVE.replace('tool: auto', 'tool: tofu') });
    const bin = join(p.root, '.tofu-bin');
    mkdirSync(bin);
    // The same double under the name tofu (node resolves the link, so its recordings are found).
    symlinkSync(join(FAKE, 'terraform'), join(bin, 'tofu'));
    p.env.PATH = [bin, p.env.PATH].join(delimiter);
    const r = deploy(p, ['--skip-tests']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.doc.run.tool).toMatchObject({ name: 'tofu', bin: join(bin, 'tofu') });
    expect(r.doc.run.stages[2].commands[0].argv[0]).toBe('tofu');
  });
});
