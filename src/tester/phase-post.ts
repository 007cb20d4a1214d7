/**
 * Post-deployment testing: what was declared against what Terraform says exists (state), the same
 * security rules over the deployed values, monitoring coverage, and HTTP(S) health checks.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { HealthCheckConfig } from '../config/types.js';
import type { Finding } from './finding.js';
import { loadTerraformDir } from './hcl/load.js';
import type { CheckResult, CostInput } from './report/report.js';
import { mergeFindings } from './scanners/merge.js';

export interface PostTestInput {
  dir: string;
  env: string;
  iacTool?: 'auto' | 'terraform' | 'tofu';
  /** A state file (`terraform.tfstate`) or `terraform show -json` output; else `terraform show -json` is run in dir. */
  stateFile?: string;
  healthChecks?: HealthCheckConfig[];
  /** Check alarms and logging (default true). */
  monitoring?: boolean;
  timeoutMs?: number;
  toolEnv?: NodeJS.ProcessEnv;
  progress?: (message: string) => void;
}

export interface PostTestResult {
  findings: Finding[];
  checks: CheckResult[];
  cost: CostInput | null;
  notes: string[];
}

const since = (t0: number): number => Math.round(performance.now() - t0);

/** The state as text and where it came from; null with a reason when there is none. */
async function readState(input: PostTestInput): Promise<{ text: string | Uint8Array; file: string } | { skipped: string }> {
  // bytes, not utf8: parseState detects UTF-16 / BOM (a state saved by PowerShell)
  if (input.stateFile) return { text: await readFile(input.stateFile), file: input.stateFile };
  const { pickIacBinary } = await import('./tools/terraform.js');
  const { runTool } = await import('./tools/exec.js');
  const { notInstalled } = await import('./tools/install-hints.js');
  const picked = await pickIacBinary(input.iacTool ?? 'auto', input.toolEnv);
  if (!picked) return { skipped: `skipped: no state (pass --state FILE, or ${notInstalled('terraform')})` };
  const run = await runTool(picked.bin, ['show', '-json', '-no-color'], { cwd: input.dir, timeoutMs: input.timeoutMs, env: input.toolEnv });
  if (run.exitCode !== 0 || run.timedOut) {
    return { skipped: `skipped: \`${picked.tool} show -json\` failed (${run.timedOut ? 'timed out' : (run.error ?? run.stderr.split('\n')[0] ?? `exit ${run.exitCode}`)}); pass --state FILE` };
  }
  return { text: run.stdout, file: `${picked.tool} show -json` };
}

export async function runPostTests(input: PostTestInput): Promise<PostTestResult> {
  const progress = input.progress ?? (() => {});
  const checks: CheckResult[] = [];
  const findings: Finding[] = [];
  const notes: string[] = [];

  // Health checks do not depend on anything else: start them first.
  const specs = input.healthChecks ?? [];
  const health = specs.length
    ? import('./post/health.js').then(({ runHealthChecks }) =>
        runHealthChecks(specs, {
          onProgress: (e) => {
            if (e.status !== 'start') progress(`health ${e.name}: ${e.status}${e.message ? ` (${e.message})` : ''}`);
          },
        }),
      )
    : null;

  progress(`parsing ${input.dir}`);
  let t0 = performance.now();
  const load = await loadTerraformDir(input.dir);
  checks.push({
    name: 'parse',
    status: load.problems.length ? 'failed' : 'passed',
    detail: load.problems.length ? load.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('; ') : `${load.resources.length} declared resources`,
    durationMs: since(t0),
  });

  t0 = performance.now();
  progress('reading state');
  const source = await readState(input);
  if ('skipped' in source) {
    for (const name of ['state: existence and drift', 'state: security posture', 'monitoring']) {
      checks.push({ name, status: 'skipped', detail: source.skipped, durationMs: null });
    }
  } else {
    const { parseState } = await import('./post/state.js');
    const state = parseState(source.text, source.file);
    const { compareWithState } = await import('./post/drift.js');
    const drift = compareWithState(load.resources, state.resources);
    findings.push(...drift.findings);
    const s = drift.summary;
    checks.push({
      name: 'state: existence and drift',
      status: drift.findings.some((f) => !f.suppressed) ? 'failed' : 'passed',
      detail: `${s.declared} declared, ${s.found} found, ${s.missing} missing, ${s.drifted} drifted, ${s.extra} only in state`,
      durationMs: since(t0),
      gating: false,
    });

    t0 = performance.now();
    const { checkPosture, stateAsResources } = await import('./post/posture.js');
    const options = { file: basename(source.file), declared: load.resources };
    const deployed = stateAsResources(state.resources, options);
    const posture = checkPosture(state.resources, options);
    findings.push(...posture);
    checks.push({
      name: 'state: security posture',
      status: posture.some((f) => !f.suppressed) ? 'failed' : 'passed',
      detail: `${posture.length} finding(s) over ${deployed.length} deployed resource(s)`,
      durationMs: since(t0),
      gating: false,
    });

    t0 = performance.now();
    if (input.monitoring === false) {
      checks.push({ name: 'monitoring', status: 'skipped', detail: 'skipped: monitoring.enabled is false', durationMs: null });
    } else {
      const { checkMonitoring } = await import('./post/monitoring.js');
      const mon = checkMonitoring(deployed);
      findings.push(...mon);
      checks.push({
        name: 'monitoring',
        status: mon.some((f) => !f.suppressed) ? 'failed' : 'passed',
        detail: `${mon.length} gap(s)`,
        durationMs: since(t0),
        gating: false,
      });
    }
  }

  if (health) {
    const results = await health;
    for (const h of results) {
      checks.push({ name: `health: ${h.name}`, status: h.status, detail: `${h.url}: ${h.detail}`, durationMs: h.durationMs });
    }
  } else {
    checks.push({ name: 'health checks', status: 'skipped', detail: 'skipped: none configured (environments.<env>.healthChecks)', durationMs: null });
  }
  return { findings: mergeFindings(findings), checks, cost: null, notes };
}
