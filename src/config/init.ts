import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { pluginRoot, stateDirOf } from '../project/paths.js';
import { configPath, formatConfigProblem, parseConfig } from './load.js';

export interface InitResult {
  configPath: string;
  created: boolean;
  project: string;
  environments: string[];
}

/** A project name usable in resource names: lower-case letters, digits and dashes. */
export function projectSlug(dir: string): string {
  const slug = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug || 'app';
}

export async function initProject(projectRoot: string, opts: { force?: boolean; project?: string } = {}): Promise<InitResult> {
  const file = configPath(projectRoot);
  const project = opts.project ?? projectSlug(projectRoot);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(project)) {
    throw new CliError(`--project "${project}" must be lower-case letters, digits and dashes`, EXIT.usage, 'input.invalid');
  }
  const template = await readFile(join(pluginRoot(), 'templates', 'config.yaml'), 'utf8');
  const text = template.replaceAll('{{project}}', project);
  // The template must itself be valid; a broken template is our bug, said plainly.
  const { config, problems } = await parseConfig(text, file);
  if (!config) throw new Error(`shipped config template is invalid: ${problems.map(formatConfigProblem).join('; ')}`);
  await mkdir(stateDirOf(projectRoot), { recursive: true });
  try {
    await writeFile(file, text, { flag: opts.force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const existing = await parseConfig(await readFile(file, 'utf8'), file);
      return { configPath: file, created: false, project: existing.config?.project ?? project, environments: Object.keys(existing.config?.environments ?? {}) };
    }
    throw err;
  }
  return { configPath: file, created: true, project, environments: Object.keys(config.environments) };
}
