/**
 * Run records on disk: `<stateDir>/runs/<runId>/run.json` (written whole: temp file + rename) and
 * the saved plan beside it. Run ids are validated so a crafted id cannot leave the runs folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { RunRecord } from './types.js';

export const RUNS_DIR = 'runs';
export const RUN_FILE = 'run.json';
export const PLAN_FILE = 'plan.tfplan';
export const RUN_ID = /^dep-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$/;

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `dep-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** The run's folder; throws a usage error for an id that is not a run id (no `..`, no `/`). */
export function runDir(stateDir: string, runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw new CliError(`not a deploy run id: ${JSON.stringify(runId)} (expected dep-<yyyymmdd>T<hhmmss>Z-<8 hex>)`, EXIT.usage, 'deploy.bad-run-id');
  }
  return join(stateDir, RUNS_DIR, runId);
}

export function runFile(stateDir: string, runId: string): string {
  return join(runDir(stateDir, runId), RUN_FILE);
}

/**
 * Saved plans hold every value of the plan, sensitive ones in plain text: the runs folder keeps
 * itself out of version control, and plan files are made readable by their owner only.
 */
async function guardRunsDir(stateDir: string): Promise<void> {
  const ignore = join(stateDir, RUNS_DIR, '.gitignore');
  await writeFile(ignore, '# infra-ops deploy runs: saved plans can hold secrets in plain text. Never commit them.\n*\n', { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

export async function protectPlan(file: string): Promise<void> {
  await chmod(file, 0o600).catch(() => undefined);
}

export async function writeRun(stateDir: string, run: RunRecord): Promise<string> {
  const dir = runDir(stateDir, run.runId);
  await mkdir(dir, { recursive: true });
  await guardRunsDir(stateDir);
  const file = join(dir, RUN_FILE);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(run, null, 2)}\n`, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return file;
}

export async function readRun(stateDir: string, runId: string): Promise<RunRecord> {
  const file = runFile(stateDir, runId);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`no deploy run ${runId} (looked for ${file})`, EXIT.usage, 'deploy.unknown-run');
  }
  try {
    return JSON.parse(text) as RunRecord;
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, EXIT.usage, 'deploy.run-invalid');
  }
}

export async function sha256File(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
