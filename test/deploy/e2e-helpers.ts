/**
 * Shared by the end-to-end deploy tests: a copy of examples/aws-webapp, the Terraform test double
 * (test/fixtures/fake-bin/terraform-deploy/) first on PATH next to node only, so the real terraform
 * is never run; every CLI document is checked against its schema and against the record on disk.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { ROOT } from '../plugin/helpers.js';

export const FAKE = join(ROOT, 'test/fixtures/fake-bin/terraform-deploy');
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas/deploy-run.schema.json'), 'utf8')));
const validateOutput = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/cli/deploy.schema.json'), 'utf8')));
const validateRun = ajv.getSchema('https://infra-ops.dev/schemas/deploy-run.schema.json')!;

export const PERMISSIVE = `version: 1
project: webapp
iac: { tool: auto, dir: . }
environments:
  test:
    requireApproval: true
    budget: { monthly: 1000 }
    gate: { blockOn: [], warnOn: [MEDIUM] }
    tfvars: [test.tfvars]
    monitoring: { enabled: false }
test:
  scanners: [builtin]
`;

export interface Project {
  root: string;
  env: Record<string, string>;
  argv: () => { tool: string; argv: string[]; cwd: string }[];
}

/** A copy of the example with its own config (or the example's), the double on PATH, state of the double in a temp folder. */
export function project(opts: { scenario?: string; config?: string } = {}): Project {
  const root = mkdtempSync(join(tmpdir(), 'infra-ops-deploy-'));
  cpSync(join(ROOT, 'examples/aws-webapp'), root, { recursive: true });
  if (opts.config !== undefined) writeFileSync(join(root, '.infra-ops/config.yaml'), opts.config);
  const argvFile = join(root, 'argv.jsonl');
  const env = {
    // Only the double and node: no real terraform, tofu or scanner can be found.
    PATH: [FAKE, dirname(process.execPath)].join(delimiter),
    FAKE_TF_SCENARIO: opts.scenario ?? 'clean',
    FAKE_TF_STATE_DIR: join(root, '.fake-tf'),
    FAKE_ARGV_FILE: argvFile,
    USER: 'dana',
  };
  const argv = () =>
    existsSync(argvFile)
      ? readFileSync(argvFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; argv: string[]; cwd: string })
      : [];
  return { root, env, argv };
}

export function deploy(p: Project, args: string[]) {
  const r = cli(['deploy', '--env', 'test', '--json', ...args], { cwd: p.root, env: p.env });
  const doc = r.stdout.trim().startsWith('{') ? r.json() : null;
  if (doc && !('error' in doc)) {
    expect(validateOutput(doc), JSON.stringify(validateOutput.errors)).toBe(true);
    // The record on disk is the one printed, and valid on its own.
    const onDisk = JSON.parse(readFileSync(isAbsolute(doc.runFile) ? doc.runFile : join(p.root, doc.runFile), 'utf8'));
    expect(validateRun(onDisk), JSON.stringify(validateRun.errors)).toBe(true);
    expect(onDisk).toEqual(doc.run);
  }
  return { ...r, doc };
}

export const stages = (run: { stages: { name: string; status: string }[] }) => Object.fromEntries(run.stages.map((s) => [s.name, s.status]));

