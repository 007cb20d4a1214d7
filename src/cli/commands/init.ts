import type { Command } from 'commander';
import { resolve } from 'node:path';
import { initProject, type InitResult } from '../../config/init.js';
import type { CommonOptions } from '../main.js';
import { emit } from '../output.js';

interface InitOptions extends CommonOptions {
  force: boolean;
  project?: string;
}

export async function initCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<InitOptions>();
  // init writes where it is told (or here), never into a parent project.
  const root = resolve(opts.dir ?? process.cwd());
  const result = await initProject(root, { force: opts.force, project: opts.project });
  emit({ data: { schemaVersion: 1 as const, ...result }, human: formatInit }, opts);
}

function formatInit(r: InitResult): string {
  return r.created
    ? `Wrote ${r.configPath} (project ${r.project}; environments: ${r.environments.join(', ')}).\nEdit budgets, tags and naming there; check it with: infra-ops config check`
    : `${r.configPath} already exists (environments: ${r.environments.join(', ') || 'none valid'}); left as is. Use --force to overwrite.`;
}
