/**
 * Pre-deployment testing of one Terraform directory: parse, terraform validate/fmt, built-in rules,
 * external scanners, compliance and cost. Every step is a check with a status and a duration; a
 * step that breaks (a syntax error, a crashing scanner) is reported and the others still run.
 */
import { readFile } from 'node:fs/promises';
import type { Finding } from './finding.js';
import { loadTerraformDir, type LoadResult, type TfResource } from './hcl/load.js';
import type { CheckResult, CostInput } from './report/report.js';
import { runRules } from './rules/registry.js';
import { mergeFindings } from './scanners/merge.js';
import type { ScannerName as ExternalScanner } from './tools/scanners.js';

export type ScannerChoice = 'builtin' | ExternalScanner;
export const EXTERNAL_SCANNERS: readonly ExternalScanner[] = ['checkov', 'tfsec', 'trivy'];

export interface PreTestInput {
  /** Terraform root module (absolute). */
  dir: string;
  env: string;
  project?: string;
  iacTool?: 'auto' | 'terraform' | 'tofu';
  /** null: builtin plus every installed external scanner. */
  scanners?: readonly ScannerChoice[] | null;
  /** Per external tool run. */
  timeoutMs?: number;
  requiredTags?: string[];
  naming?: { pattern?: string; byResourceType?: Record<string, string> };
  /** Variable files for the environment (relative to dir); default: terraform.tfvars, *.auto.tfvars, <env>.tfvars. */
  tfvars?: string[];
  budget?: { monthly: number; warnAtPercent?: number } | null;
  /** `terraform show -json` of a plan: the best cost basis. */
  planFile?: string;
  /** infracost `breakdown --format json` output: used instead of our price table. */
  infracostFile?: string;
  /** Environment for the external tools (PATH lookup). */
  toolEnv?: NodeJS.ProcessEnv;
  progress?: (message: string) => void;
}

export interface PreTestResult {
  findings: Finding[];
  checks: CheckResult[];
  cost: CostInput | null;
  /** Things worth telling the user that are not findings (encoding recovered, counts unknown...). */
  notes: string[];
  resources: number;
  files: number;
}

const SYNTAX_RULE = 'IO_HCL_SYNTAX';

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}

function syntaxFindings(load: LoadResult): Finding[] {
  return load.problems.map((p) => ({
    ruleId: SYNTAX_RULE,
    aliases: [],
    title: 'Terraform file does not parse',
    severity: 'HIGH',
    tools: ['builtin'],
    resource: null,
    file: p.file,
    startLine: p.line,
    endLine: p.line,
    remediation: `Fix the syntax error: ${p.message}`,
    docs: 'https://developer.hashicorp.com/terraform/language/syntax/configuration',
    suppressed: null,
  }));
}

export async function runPreTests(input: PreTestInput): Promise<PreTestResult> {
  const progress = input.progress ?? (() => {});
  const checks: CheckResult[] = [];
  const findings: Finding[] = [];
  const notes: string[] = [];

  progress(`parsing ${input.dir}`);
  const { value: load, ms: parseMs } = await timed(() => loadTerraformDir(input.dir));
  const files = new Set([...load.resources.map((r) => r.file), ...load.problems.map((p) => p.file)]).size;
  checks.push({
    name: 'parse',
    status: load.problems.length ? 'failed' : 'passed',
    detail: load.problems.length
      ? load.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('; ')
      : `${load.resources.length} resources`,
    durationMs: parseMs,
  });
  findings.push(...syntaxFindings(load));

  // Variables at the environment's tfvars or their defaults, locals, and known counts.
  const { loadTfvars } = await import('./hcl/values.js');
  const { resolveResources } = await import('./hcl/resolve.js');
  const vars = await loadTfvars(input.dir, input.env, input.tfvars);
  for (const p of vars.problems) notes.push(`tfvars ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (vars.files.length) notes.push(`variables from ${vars.files.join(', ')}`);
  const resolved = resolveResources(load, vars.values);
  // count = 0 removes a resource: nothing of it is deployed, so nothing of it is judged.
  const live = resolved.resources;
  const liveAddresses = new Set(live.map((r) => r.address));
  if (resolved.removed) notes.push(`${resolved.removed} resource(s) with count = 0 (or an empty for_each) not checked`);

  const wanted = input.scanners ?? null;
  const builtin = wanted === null || wanted.includes('builtin');
  const externals = wanted === null ? EXTERNAL_SCANNERS : EXTERNAL_SCANNERS.filter((s) => wanted.includes(s));

  // External tools run concurrently with our own work; each reports its own check.
  const tools = import('./tools/scanners.js');
  const tf = import('./tools/terraform.js');
  const external = Promise.all([
    tf.then(async ({ runTerraformChecks }) => {
      progress('terraform validate / fmt');
      return runTerraformChecks(input.dir, { tool: input.iacTool ?? 'auto', env: input.toolEnv, timeoutMs: input.timeoutMs });
    }),
    ...externals.map((name) =>
      tools.then(async ({ runScanner }) => {
        progress(`${name}: running`);
        const out = await runScanner(name, input.dir, { env: input.toolEnv, timeoutMs: input.timeoutMs });
        progress(`${name}: ${out.status}`);
        return out;
      }),
    ),
  ]);

  if (builtin) {
    progress(`built-in rules on ${live.length} resources`);
    const { value, ms } = await timed(async () => runRules(live, undefined, load.data ?? []));
    findings.push(...value);
    const active = value.filter((f) => !f.suppressed).length;
    checks.push({ name: 'builtin rules', status: active ? 'failed' : 'passed', detail: `${active} finding(s), ${value.length - active} suppressed`, durationMs: ms, gating: false });
  } else {
    checks.push({ name: 'builtin rules', status: 'skipped', detail: 'skipped: not selected (--scanners)', durationMs: null });
  }

  await compliance(input, { ...load, resources: load.resources.filter((r) => liveAddresses.has(r.address)) }, vars.values, checks, findings);

  const [tfChecks, ...scannerOutcomes] = await external;
  for (const c of [tfChecks.validate, tfChecks.fmt]) checks.push({ name: c.name, status: c.status, detail: c.detail, durationMs: c.durationMs });
  findings.push(...tfChecks.findings);
  for (const s of scannerOutcomes) {
    const detail = [s.detail, s.version ? `(${s.tool} ${s.version})` : null].filter(Boolean).join(' ');
    checks.push({ name: s.tool, status: s.status, detail, durationMs: s.durationMs, gating: false });
    findings.push(...s.findings);
    notes.push(...s.problems);
  }

  const cost = await costOf(input, live, resolved.instances, checks, notes);
  return { findings: mergeFindings(findings), checks, cost, notes, resources: live.length, files };
}

async function compliance(
  input: PreTestInput,
  load: LoadResult,
  tfvars: Record<string, unknown>,
  checks: CheckResult[],
  findings: Finding[],
): Promise<void> {
  const wantsTags = (input.requiredTags?.length ?? 0) > 0;
  const wantsNaming = Boolean(input.naming?.pattern || Object.keys(input.naming?.byResourceType ?? {}).length);
  if (!wantsTags && !wantsNaming) {
    checks.push({ name: 'compliance', status: 'skipped', detail: 'skipped: no requiredTags or naming in the environment config', durationMs: null });
    return;
  }
  const t0 = performance.now();
  const { checkCompliance } = await import('./compliance/index.js');
  const value = checkCompliance(load, { project: input.project, env: input.env, requiredTags: input.requiredTags, naming: input.naming, tfvars });
  findings.push(...value.findings);
  const active = value.findings.filter((f) => !f.suppressed).length;
  const unknown = value.unknown.naming + value.unknown.tags;
  checks.push({
    name: 'compliance',
    status: active ? 'failed' : 'passed',
    detail: `${active} finding(s); checked naming of ${value.checked.naming} and tags of ${value.checked.tags} resource(s)${unknown ? `; ${unknown} not resolvable statically` : ''}`,
    durationMs: Math.round(performance.now() - t0),
    gating: false,
  });
}

async function costOf(
  input: PreTestInput,
  live: TfResource[],
  instances: Map<string, number>,
  checks: CheckResult[],
  notes: string[],
): Promise<CostInput | null> {
  const t0 = performance.now();
  const cost = await import('./cost/index.js');
  let estimate: import('./cost/index.js').CostEstimate;
  let basis: string;
  if (input.infracostFile) {
    estimate = cost.parseInfracostJson(await readFile(input.infracostFile), input.infracostFile);
    basis = `infracost ${input.infracostFile}`;
  } else if (input.planFile) {
    const plan = cost.parsePlanJson(await readFile(input.planFile), input.planFile);
    notes.push(...plan.notes);
    estimate = cost.estimateCost(plan.resources, cost.AWS_US_EAST_1);
    basis = `plan ${input.planFile}`;
  } else {
    estimate = cost.estimateCost(hclCostInputs(live, instances, notes), cost.AWS_US_EAST_1);
    basis = 'Terraform source (variables from tfvars or defaults; pass --plan for exact values)';
  }
  const byResource = estimate.resources.map((r) => ({ address: r.address, monthly: r.monthly, type: r.type, basis: r.basis }));
  const budget = input.budget ?? null;
  let status: CheckResult['status'] = 'passed';
  let detail = `${estimate.monthlyTotal.toFixed(2)} ${estimate.currency}/month from ${basis}`;
  if (budget) {
    const b = cost.checkBudget(estimate.monthlyTotal, budget, estimate.currency);
    detail = `${b.message}; from ${basis}`;
    status = b.status === 'fail' ? 'failed' : 'passed';
  }
  checks.push({ name: 'cost', status, detail, durationMs: Math.round(performance.now() - t0), gating: false });
  return {
    monthlyTotal: estimate.monthlyTotal,
    currency: estimate.currency,
    budget: budget?.monthly ?? null,
    warnAtPercent: budget?.warnAtPercent ?? 80,
    byResource,
    source: estimate.source,
    assumptions: estimate.assumptions,
    unpriced: estimate.unpriced,
  };
}

/** HCL resources as cost inputs: a known `count` / `for_each` expands to that many instances. */
export function hclCostInputs(
  resources: TfResource[],
  instances: Map<string, number> = new Map(),
  notes: string[] = [],
): { address: string; type: string; values: Record<string, unknown> }[] {
  const out: { address: string; type: string; values: Record<string, unknown> }[] = [];
  let unknownCount = 0;
  for (const r of resources) {
    const n = instances.get(r.address);
    if (n === undefined || (!r.hasCount && !r.hasForEach)) {
      if (r.hasCount || r.hasForEach) unknownCount++;
      out.push({ address: r.address, type: r.type, values: r.body });
    } else {
      for (let i = 0; i < n; i++) out.push({ address: `${r.address}[${i}]`, type: r.type, values: r.body });
    }
  }
  if (unknownCount) notes.push(`${unknownCount} resource(s) with a count/for_each not known statically were priced once`);
  return out;
}
